package live

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/offline"
)

const requestTracking = "ATLAS_7d1c2a9e-0b3f-4c5d-8e6f-1a2b3c4d5e6f_3"

// record returns a page observer record (as extension/observer.js sends it)
// of the seeds' failing onboard call, changed by edit.
func record(t *testing.T, edit func(m map[string]any)) []byte {
	t.Helper()
	body := fixture.OnboardBody(fixture.CarrierUserResult(fixture.CarrierEmail))
	req := fixture.OnboardRequest(fixture.CarrierEmail)
	m := map[string]any{
		"v": 1, "via": "fetch", "method": "POST", "url": fixture.LicenseAPI,
		"started": "2026-12-07T10:00:00.123Z", "time": 231.5, "status": 200, "statusText": "OK",
		"requestHeaders":  [][2]string{{"TrackingID", requestTracking}, {"content-type", "application/json"}},
		"requestBody":     req,
		"responseHeaders": [][2]string{{"content-type", "application/json;charset=UTF-8"}},
		"mimeType":        "application/json;charset=UTF-8",
		"responseBody":    body, "bodySize": len(body), "bodyTruncated": false,
	}
	if edit != nil {
		edit(m)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestParseRecordStrict: a record is refused, saying which member, unless it
// is exactly the schema within its caps: the page can forge anything.
func TestParseRecordStrict(t *testing.T) {
	big := strings.Repeat("x", MaxRecordBody+1)
	for _, row := range []struct {
		reason string
		edit   func(m map[string]any)
		want   string
	}{
		{"an unknown member", func(m map[string]any) { m["cookies"] = "a=b" }, "unknown field"},
		{"another schema version", func(m map[string]any) { m["v"] = 2 }, "schema version 2"},
		{"an http URL", func(m map[string]any) { m["url"] = strings.Replace(fixture.LicenseAPI, "https", "http", 1) }, "not an https URL"},
		{"a method that is no token", func(m map[string]any) { m["method"] = "PO ST" }, "method"},
		{"a status out of range", func(m map[string]any) { m["status"] = 0 }, "status 0"},
		{"a start that is no time", func(m map[string]any) { m["started"] = "yesterday" }, "started"},
		{"a body over the cap", func(m map[string]any) { m["responseBody"] = big }, "over the"},
		{"a header a record never carries", func(m map[string]any) {
			m["requestHeaders"] = [][2]string{{"Authorization", "Bearer secret"}}
		}, `header "Authorization"`},
		{"a member of the wrong type", func(m map[string]any) { m["status"] = "200" }, "status"},
		{"the record over its cap", func(m map[string]any) {
			m["requestBody"], m["responseBody"] = big[:MaxRecordBody], big[:MaxRecordBody]
			m["statusText"] = big[:MaxRecordBody]
		}, "bytes, over"},
	} {
		_, err := ParseRecord(record(t, row.edit))
		if err == nil || !strings.Contains(err.Error(), row.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", row.reason, err, row.want)
		}
	}
	if _, err := ParseRecord(append(record(t, nil), []byte(` {}`)...)); err == nil {
		t.Error("data after the record must be refused")
	}
	if _, err := ParseRecord(record(t, nil)); err != nil {
		t.Errorf("a good record: %v", err)
	}
}

// TestObserveCarrier: the seeds' failing call, seen by the page observer,
// gives the finding DevTools gives, under the same key, so the extension
// lists it once however it was seen.
func TestObserveCarrier(t *testing.T) {
	tabs := NewTabs()
	got, err := tabs.Observe(7, record(t, nil), "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != 1 {
		t.Fatalf("%d findings, want 1", len(got.Findings))
	}
	f := got.Findings[0]
	if f.Rule != "onboard/carrier-email-exists" || f.Email != fixture.CarrierEmail || f.OrgID != fixture.OrgID || f.Title == "" {
		t.Errorf("finding %+v", f.Finding)
	}
	if !strings.Contains(f.Key, requestTracking) {
		t.Errorf("key %q does not name the call by its TrackingID header", f.Key)
	}
	if !gjson.Valid(got.Entry) || !strings.Contains(gjson.Get(got.Entry, "comment").String(), "page observer") {
		t.Errorf("the evidence entry is not a marked HAR entry: %.200s", got.Entry)
	}

	// The same call as DevTools records it, in either browser's shape, and
	// as the observer records it.
	x := fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail), fixture.OnboardBody(fixture.CarrierUserResult(fixture.CarrierEmail)))
	for _, b := range fixture.Browsers {
		entry := gjson.GetBytes(fixture.HAR(b, x), "log.entries.0").Raw
		tracking := ""
		gjson.Get(entry, "request.headers").ForEach(func(_, h gjson.Result) bool {
			if strings.EqualFold(h.Get("name").String(), "TrackingID") {
				tracking = h.Get("value").String()
			}
			return tracking == ""
		})
		res, err := NewSession().AnalyzeEntry([]byte(entry), nil, "en")
		if err != nil || len(res.Findings) != 1 || tracking == "" {
			t.Fatalf("%s: DevTools' entry: %v, %d findings, TrackingID %q", b, err, len(res.Findings), tracking)
		}
		seen, err := NewTabs().Observe(1, record(t, func(m map[string]any) {
			m["requestHeaders"] = [][2]string{{"trackingid", tracking}}
		}), "en")
		if err != nil || len(seen.Findings) != 1 {
			t.Fatalf("%s: observed: %v", b, err)
		}
		if res.Findings[0].Key != seen.Findings[0].Key {
			t.Errorf("%s: DevTools' key %q, the observer's %q: one call would be two findings", b, res.Findings[0].Key, seen.Findings[0].Key)
		}
		// Its failed user is one failed call, named alike both ways.
		if len(res.FailedCalls) != 1 || len(seen.FailedCalls) != 1 || res.FailedCalls[0].Key != seen.FailedCalls[0].Key || res.FailedCalls[0].Key == "" {
			t.Errorf("%s: failed calls of DevTools %+v and of the observer %+v: one call would be listed twice", b, res.FailedCalls, seen.FailedCalls)
		}
	}
	// A second call for the same user is a new failure: a new key.
	again, err := tabs.Observe(7, record(t, func(m map[string]any) {
		m["requestHeaders"] = [][2]string{{"TrackingID", requestTracking + "0"}}
	}), "en")
	if err != nil || len(again.Findings) != 1 || again.Findings[0].Key == f.Key {
		t.Errorf("a second call: %v, %+v", err, again)
	}
}

// TestObserveRefusesOutOfScope: a record of a call no rule reads is refused,
// whatever its body says, unless it is a failed Webex call: the seeds'
// harmless failing calls are taken, as expected failed calls, with no
// finding.
func TestObserveRefusesOutOfScope(t *testing.T) {
	tabs := NewTabs()
	for _, x := range fixture.Harmless() {
		got, err := tabs.Observe(1, record(t, func(m map[string]any) {
			m["method"], m["url"], m["status"], m["responseBody"] = x.Method, x.URL, x.Status, x.ResponseBody
		}), "en")
		if x.Status < 400 {
			if err == nil || !strings.Contains(err.Error(), "neither a call any rule reads nor a failed Webex call") {
				t.Errorf("%s %s: %v, want refused", x.Method, x.URL, err)
			}
			continue
		}
		if err != nil || len(got.Findings) != 0 || len(got.FailedCalls) != 1 || !got.FailedCalls[0].Expected || got.FailedCalls[0].Reason == "" {
			t.Errorf("%s %s → %d: %v, %+v; want one expected failed call with its reason, no finding", x.Method, x.URL, x.Status, err, got)
		}
	}
	if _, err := tabs.Observe(1, record(t, func(m map[string]any) {
		m["method"], m["url"], m["status"] = "GET", "https://example.com/api/v1/things", 500
	}), "en"); err == nil {
		t.Error("a failed call to a host not Webex's is refused")
	}
	if _, err := tabs.Observe(1, record(t, func(m map[string]any) { m["method"] = "GET" }), "en"); err == nil {
		t.Error("a GET of the onboard URL is not a call the rules read")
	}
}

// TestObservePage: an SSO error page read from the page gives the code's
// finding, marked as seen without the SAML response.
func TestObservePage(t *testing.T) {
	page := fixture.SSOErrorPage(31, "Auto Account Creation failed")
	got, err := NewTabs().ObservePage(3, page.URL, page.ResponseBody, "2026-12-07T10:00:00Z", "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != 1 || got.Findings[0].Rule != "sso/auto-account-creation-31" || got.Findings[0].SAMLSeen {
		t.Fatalf("findings %+v", got.Findings)
	}
	if _, err := NewTabs().ObservePage(3, "http://example.webex.com/", page.ResponseBody, "2026-12-07T10:00:00Z", "en"); err == nil {
		t.Error("a page that is not https must be refused")
	}
}

// TestEvidenceHAR: the evidence is a valid HAR 1.2, marked partial, whose
// analysis gives the finding back.
func TestEvidenceHAR(t *testing.T) {
	got, err := NewTabs().Observe(2, record(t, nil), "en")
	if err != nil {
		t.Fatal(err)
	}
	har, err := EvidenceHAR([]byte("["+got.Entry+"]"), false)
	if err != nil {
		t.Fatal(err)
	}
	if !gjson.Valid(har) || gjson.Get(har, "log.version").String() != "1.2" || gjson.Get(har, "log.entries.#").Int() != 1 {
		t.Fatalf("not a HAR 1.2 of one entry: %.300s", har)
	}
	if c := gjson.Get(har, "log.comment").String(); !strings.Contains(c, "Partial") || !strings.Contains(c, "Preserve log") {
		t.Errorf("comment %q: it must say the file is partial and how to record the whole session", c)
	}
	if res := offline.AnalyzeHAR([]byte(har), "evidence.har", "en"); len(res.Findings) != 1 || res.Error != nil {
		t.Errorf("the evidence does not show the finding: %+v", res)
	}
	if _, err := EvidenceHAR([]byte(`{"entries":1}`), false); err == nil {
		t.Error("entries that are not an array must be an error")
	}
}
