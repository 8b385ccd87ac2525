//go:build js && wasm

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
)

// observerRecord is a page observer record of the seeds' failing onboard
// call, as extension/observer.js sends it.
func observerRecord(t *testing.T) string {
	t.Helper()
	body := fixture.OnboardBody(fixture.CarrierUserResult(fixture.CarrierEmail))
	raw, err := json.Marshal(map[string]any{
		"v": 1, "via": "xhr", "method": "POST", "url": fixture.LicenseAPI,
		"started": "2026-12-07T10:00:00.000Z", "time": 120, "status": 200, "statusText": "OK",
		"requestHeaders":  [][2]string{{"TrackingID", "ATLAS_0d9e_1"}},
		"requestBody":     fixture.OnboardRequest(fixture.CarrierEmail),
		"responseHeaders": [][2]string{{"content-type", "application/json"}},
		"mimeType":        "application/json", "responseBody": body, "bodySize": len(body), "bodyTruncated": false,
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestBackgroundCalls: the background's functions, called as background.js
// does: a record gives a keyed finding and an evidence entry, the evidence
// is a HAR, bad arguments reject with one line, and a tab is forgotten.
func TestBackgroundCalls(t *testing.T) {
	ns := newNS(t)
	v, err := await(t, call(t, ns, "observe", 4, observerRecord(t), "en"))
	if err != nil {
		t.Fatal(err)
	}
	f := jsonOf(t, get(t, v, "findings"))
	for _, want := range []string{`"rule":"onboard/carrier-email-exists"`, `"email":"` + fixture.CarrierEmail, `"key":"onboard/carrier-email-exists`, `ATLAS_0d9e_1"`} {
		if !strings.Contains(f, want) {
			t.Errorf("%s missing from %s", want, f)
		}
	}
	entry, _ := get(t, v, "entry").String()
	har, err := await(t, call(t, ns, "evidenceHAR", "["+entry+"]", false))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := har.String(); !strings.Contains(s, `"version":"1.2"`) || !strings.Contains(s, "Partial") {
		t.Errorf("evidence %.200s", s)
	}
	page := fixture.SSOErrorPage(31, "Auto Account Creation failed")
	v, err = await(t, call(t, ns, "observePage", 4, page.URL, page.ResponseBody, "2026-12-07T10:00:00Z", "en"))
	if err != nil || !strings.Contains(jsonOf(t, get(t, v, "findings")), `"rule":"sso/auto-account-creation-31"`) {
		t.Errorf("observePage: %v", err)
	}
	for _, r := range []struct {
		fn     string
		args   []any
		err    string
		reason string
	}{
		{"observe", []any{-1, observerRecord(t), "en"}, "hubdoctor.observe: argument 1 (tabId): want a tab ID, an integer ≥ 0", "a negative tab"},
		{"observe", []any{nil, observerRecord(t)}, "hubdoctor.observe: argument 1 (tabId): want a tab ID, an integer ≥ 0", "no tab"},
		{"observe", []any{4, `{"v":1}`, "en"}, "hubdoctor.observe: record:", "a forged record"},
		{"evidenceHAR", []any{"{}", false}, "hubdoctor.evidenceHAR: entries: not a JSON array", "entries that are no array"},
	} {
		if _, err := await(t, call(t, ns, r.fn, r.args...)); err == nil || !strings.HasPrefix(err.Error(), r.err) {
			t.Errorf("%s: rejection %v, want %q…", r.reason, err, r.err)
		}
	}
	if _, err := await(t, call(t, ns, "forgetTab", 4)); err != nil {
		t.Errorf("forgetTab: %v", err)
	}
}
