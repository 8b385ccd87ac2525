package engine

import (
	"slices"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// patch is PATCH /v1/licenses/users for userA answering status with body.
func patch(status int, body string) fixture.Exchange {
	return fixture.LicensePatch(fixture.LicenseRequest(userA), status, body)
}

var licenseFlow = []Flow{FlowEditLicenses}

func TestLicenseScope(t *testing.T) {
	for _, tc := range []struct {
		reason string
		method string
		url    string
		want   bool
	}{
		{"public API", "PATCH", fixture.LicenseUsersAPI, true},
		{"trailing slash, other host", "patch", "https://api.example/v1/licenses/users/", true},
		{"list licences", "GET", "https://webexapis.com/v1/licenses", false},
		{"reading is not editing", "GET", fixture.LicenseUsersAPI, false},
		{"onboard call", "POST", fixture.LicenseAPI, false},
	} {
		if got := inLicenseScope(har.Request{Method: tc.method, URL: tc.url}); got != tc.want {
			t.Errorf("%s: inLicenseScope(%s %s) = %v, want %v", tc.reason, tc.method, tc.url, got, tc.want)
		}
	}
}

func TestEnvelopeCodes(t *testing.T) {
	for _, tc := range []struct {
		reason string
		body   string
		want   []string
	}{
		{"errors list", `{"errors":[{"errorCode":400404},{"errorCode":"400408"}]}`, []string{"400404", "400408"}},
		{"top-level errorCode", `{"errorCode":100001,"message":"x"}`, []string{"100001"}},
		{"both: the list wins", `{"errorCode":1,"errors":[{"errorCode":2}]}`, []string{"2"}},
		{"no codes", `{"message":"x"}`, nil},
		{"not JSON", `<html>`, nil},
	} {
		got := envelopeCodes([]byte(tc.body))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: envelopeCodes(%s) = %q, want %q", tc.reason, tc.body, got, tc.want)
		}
	}
}

func TestHydraUUID(t *testing.T) {
	for _, tc := range []struct {
		reason, id, want string
	}{
		{"org ID as the public API writes it", fixture.HydraOrgID, fixture.OrgID},
		{"with padding", fixture.HydraOrgID + "==", fixture.OrgID},
		{"already a UUID", fixture.OrgID, fixture.OrgID},
		{"base64 of something else stays", "aGVsbG8", "aGVsbG8"},
		{"empty", "", ""},
	} {
		if got := hydraUUID(tc.id); got != tc.want {
			t.Errorf("%s: hydraUUID(%q) = %q, want %q", tc.reason, tc.id, got, tc.want)
		}
	}
}
