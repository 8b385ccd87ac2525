package engine

import (
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

func TestOrgID(t *testing.T) {
	for _, tc := range []struct {
		reason, url, want string
	}{
		{"current onboard path", fixture.LicenseAPI, fixture.OrgID},
		{"older onboard path", fixture.AtlasOnboardAPI, fixture.OrgID},
		{"organizations collection", fixture.AtlasAPI + "organizations/" + fixture.OrgID + "/", fixture.OrgID},
		{"customers (cpapi)", "https://cpapi-a.wbx2.com/api/v1/customers/" + fixture.OrgID + "/users", fixture.OrgID},
		{"orgs", "https://x.example/orgs/abc/users", "abc"},
		{"organization followed by users is no ID", "https://x.example/organization/users/onboard", ""},
		{"organization at the end", "https://x.example/api/organization", ""},
		{"no org in the path", fixture.LicenseUsersAPI, ""},
		{"query string is not path", "https://x.example/users?organization=abc", ""},
		{"unparsable URL", "://bad url", ""},
	} {
		if got := OrgID(tc.url); got != tc.want {
			t.Errorf("%s: OrgID(%q) = %q, want %q", tc.reason, tc.url, got, tc.want)
		}
	}
}

func TestTrackingID(t *testing.T) {
	h := func(name, value string) har.Headers { return har.Headers{{Name: name, Value: value}} }
	for _, tc := range []struct {
		reason string
		entry  har.Entry
		want   string
	}{
		{"response header, HTTP/2 lower case",
			har.Entry{ResponseHeaders: h("trackingid", "RESP_1"), RequestHeaders: h("TrackingID", "REQ_1")}, "RESP_1"},
		{"response header, capitalised",
			har.Entry{ResponseHeaders: h("TrackingID", "RESP_2")}, "RESP_2"},
		{"body trackingId when no header",
			har.Entry{ResponseBody: []byte(`{"trackingId":"BODY_1"}`), RequestHeaders: h("TrackingID", "REQ_1")}, "BODY_1"},
		{"error.trackingId in the body",
			har.Entry{ResponseBody: []byte(`{"error":{"trackingId":"BODY_2"}}`)}, "BODY_2"},
		{"a non-string trackingId is skipped for the request header",
			har.Entry{ResponseBody: []byte(`{"trackingId":42}`), RequestHeaders: h("trackingid", "REQ_2")}, "REQ_2"},
		{"non-JSON body falls back to the request header",
			har.Entry{ResponseBody: []byte(`<html>`), RequestHeaders: h("TrackingID", "REQ_3")}, "REQ_3"},
		{"nothing anywhere", har.Entry{}, ""},
	} {
		if got := TrackingID(&tc.entry); got != tc.want {
			t.Errorf("%s: TrackingID = %q, want %q", tc.reason, got, tc.want)
		}
	}
}

func TestTrackingIDInText(t *testing.T) {
	for _, tc := range []struct {
		reason, text, want string
	}{
		{"seed's description", "request/response TrackingId = " + fixture.CarrierTrackingID + ", errorCode = '5302'", fixture.CarrierTrackingID},
		{"colon, lower case", "trackingid: ROUTER_abc-1.2", "ROUTER_abc-1.2"},
		{"no tracking ID", "Url already exists", ""},
		{"the word without a value", "TrackingId = ", ""},
	} {
		if got := TrackingIDInText(tc.text); got != tc.want {
			t.Errorf("%s: TrackingIDInText(%q) = %q, want %q", tc.reason, tc.text, got, tc.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		reason, body, want string
	}{
		{"error.message[] descriptions joined", `{"error":{"message":[{"description":"a"},{"description":"b"}]}}`, "a; b"},
		{"error.message[] of strings", `{"error":{"message":["a","b"]}}`, "a; b"},
		{"error.message as a string", `{"error":{"message":"m"}}`, "m"},
		{"errors[].description before message", fixture.LicenseError(400404, "both licences"), "both licences"},
		{"errorMessage", `{"errorMessage":"em","message":"m"}`, "em"},
		{"error as a string", `{"error":"e"}`, "e"},
		{"message last", `{"message":"m"}`, "m"},
		{"blank descriptions are skipped", `{"errors":[{"description":"  "}],"message":"m"}`, "m"},
		{"not JSON", `<html>`, ""},
		{"no text", `{"status":500}`, ""},
	} {
		if got := ErrorText([]byte(tc.body)); got != tc.want {
			t.Errorf("%s: ErrorText(%s) = %q, want %q", tc.reason, tc.body, got, tc.want)
		}
	}
}

func TestVerbatim(t *testing.T) {
	big := strings.Repeat("x", MaxResponse+10)
	for _, tc := range []struct {
		reason, body string
		wantLen      int
		truncated    bool
	}{
		{"small body as is", "[]", 2, false},
		{"large body capped and marked", big, MaxResponse + len("\n[… truncated by Hub Doctor]"), true},
	} {
		got := Verbatim([]byte(tc.body))
		if len(got) != tc.wantLen || strings.HasSuffix(got, "truncated by Hub Doctor]") != tc.truncated {
			t.Errorf("%s: Verbatim gave %d bytes (truncated mark %v), want %d (%v)", tc.reason, len(got),
				strings.HasSuffix(got, "truncated by Hub Doctor]"), tc.wantLen, tc.truncated)
		}
	}
}
