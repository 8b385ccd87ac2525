package summary

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/fixture"
)

func TestSummary(t *testing.T) {
	res, _ := engine.AnalyzeHAR(bytes.NewReader(fixture.HAR(fixture.Chrome, fixture.SeedSession()...)), "seed.har", engine.NewSession(nil))
	stored, _ := json.Marshal(res.Findings)
	calls, _ := json.Marshal([]engine.FailedCall{{Method: "GET", URL: "https://cpapi-a.wbx2.com/x", Status: 500, Service: "cpapi", TrackingID: "CPAPI_unknown_500"}})
	rows := []struct {
		findings, options string
		want              []string
		err               string
		reason            string
	}{
		{string(stored), `{"format":"markdown","lang":"en","browser":"Chrome 156","harName":"hubdoctor-seed.har"}`,
			[]string{fixture.CarrierEmail, fixture.OrgID, fixture.CarrierTrackingID, "hubdoctor-seed.har"}, "", "Markdown with the facts TAC asks for"},
		{string(stored), ``, []string{fixture.CarrierEmail}, "", "no options: defaults"},
		{string(stored), `{"format":"json"}`, []string{`"emails"`}, "", "JSON format"},
		{string(stored), `{"format":"pdf"}`, nil, "unknown summary format", "unknown format"},
		{`{}`, `{}`, nil, "findings: not a JSON array", "findings of the wrong shape"},
		{string(stored), `[1]`, nil, "options: not a JSON object", "options of the wrong shape"},
		{`[]`, `{"failedCalls":` + string(calls) + `}`, []string{"Failed calls no known failure explains", "CPAPI_unknown_500"}, "", "no finding, failed calls in the options"},
		{`[]`, `{"failedCalls":{}}`, nil, "options: not a JSON object", "failed calls of the wrong shape"},
	}
	for _, r := range rows {
		out, err := FromJSON([]byte(r.findings), []byte(r.options))
		if r.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), r.err) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: error %v, want one line starting %q", r.reason, err, r.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", r.reason, err)
			continue
		}
		for _, w := range r.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: %q missing from\n%s", r.reason, w, out)
			}
		}
	}
}

// TestCallFromJSON: the wasm "Copy for TAC" takes the call as the views got
// it, and says in one line what is wrong with bad input.
func TestCallFromJSON(t *testing.T) {
	call := `{"entry":3,"time":"2026-11-20T09:15:00.750Z","method":"GET","url":"https://cpapi-a.wbx2.com/api/v1/customers/` + fixture.OrgID +
		`/users","path":"/api/v1/customers/{org}/users","status":500,"service":"cpapi","trackingId":"CPAPI_x","expected":false,"response":"<html>boom</html>"}`
	rows := []struct {
		call, options string
		want          []string
		err           string
		reason        string
	}{
		{call, `{"format":"text","browser":"Firefox 153.0"}`, []string{fixture.OrgID, "CPAPI_x", "Firefox 153.0", "<html>boom</html>", "2026-11-20 09:15:00 UTC"}, "", "text"},
		{call, ``, []string{"# Control Hub: GET /api/v1/customers/{org}/users failed with HTTP 500 (cpapi)"}, "", "defaults: Markdown, English"},
		{`[]`, ``, nil, "call: not a JSON object", "an array"},
		{`{"status":"x"}`, ``, nil, "call: not a JSON object", "a member of the wrong type"},
		{call, `{"format":"pdf"}`, nil, "unknown summary format", "unknown format"},
	}
	for _, r := range rows {
		out, err := CallFromJSON([]byte(r.call), []byte(r.options))
		if r.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), r.err) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: error %v, want one line starting %q", r.reason, err, r.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", r.reason, err)
		}
		for _, w := range r.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: %q missing from\n%s", r.reason, w, out)
			}
		}
	}
}
