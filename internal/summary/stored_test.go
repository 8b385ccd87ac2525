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
