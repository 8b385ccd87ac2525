package engine

import (
	"bytes"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
)

// TestAnalyzeChecksWhatItReads: analysis validates the grammar of the
// entries a rule reads, with a positioned error, while a broken entry no
// rule reads does not hide the diagnosis (its structure is still checked:
// a cut file is always an error).
func TestAnalyzeChecksWhatItReads(t *testing.T) {
	seed := string(fixture.HAR(fixture.Chrome, fixture.SeedSession()...))
	onboard := strings.Index(seed, `"url": "`+fixture.LicenseAPI)
	brokenOnboard := seed[:onboard] + strings.Replace(seed[onboard:], `"status": 200,`, `"status": 2OO,`, 1)
	tests := []struct {
		reason   string
		har      string
		wantErr  string
		findings int
	}{
		{"an out-of-scope entry with bad grammar is skipped", strings.Replace(seed, `"status": 404`, `"status": 4x4`, 1), "", 1},
		{"the onboard entry with bad grammar is an error at that entry", brokenOnboard, "entry 8 at byte", 0},
		{"a cut file is an error whatever was read", seed[:len(seed)-40], "unexpected end of file", 1},
	}
	for _, tt := range tests {
		res, err := AnalyzeHAR(bytes.NewReader([]byte(tt.har)), "s.har", NewSession(nil))
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: error %v, want %q", tt.reason, err, tt.wantErr)
		}
		if len(res.Findings) != tt.findings {
			t.Errorf("%s: %d findings, want %d", tt.reason, len(res.Findings), tt.findings)
		}
	}
}
