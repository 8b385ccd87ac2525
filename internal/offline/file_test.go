package offline

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/explain"
	"hubdoctor/internal/fixture"
)

// root is the module root, from this package's directory.
const root = "../.."

// carrierRule is the finding the seed sessions carry.
const carrierRule = "onboard/carrier-email-exists"

func TestAnalyzeHAR(t *testing.T) {
	seed := fixture.HAR(fixture.Firefox, fixture.SeedSession()...)
	onboardAt := gjson.GetBytes(seed, "log.entries.#").Int() - 2 // the onboard call is next to last
	cut := bytes.Index(seed, []byte(`"https://metrics-a.wbx2.com`))
	rows := []struct {
		name     string
		data     []byte
		findings int
		entries  int64
		err      string
		reason   string
	}{
		{"seed.har", seed, 1, onboardAt + 2, "", "the whole seed file: one finding, every entry counted"},
		{"cut.har", seed[:cut], 1, onboardAt + 1, "cut.har: entry", "a file cut in the last entry keeps the finding before the break and says where"},
		{"empty.har", nil, 0, 0, "empty.har: ", "an empty file is an error, not a panic"},
	}
	for _, r := range rows {
		res := AnalyzeHAR(r.data, r.name, "en")
		if len(res.Findings) != r.findings || int64(res.Entries) != r.entries {
			t.Errorf("%s: %d findings in %d entries, want %d in %d", r.reason, len(res.Findings), res.Entries, r.findings, r.entries)
		}
		switch {
		case r.err == "" && res.Error != nil:
			t.Errorf("%s: error %q", r.reason, *res.Error)
		case r.err != "" && (res.Error == nil || !strings.HasPrefix(*res.Error, r.err) || strings.Contains(*res.Error, "\n")):
			t.Errorf("%s: error %v, want one line starting %q", r.reason, res.Error, r.err)
		}
		if r.findings > 0 && (res.Findings[0].Rule != carrierRule || res.Findings[0].Entry != int(onboardAt) || res.Browser != "Firefox 153.0") {
			t.Errorf("%s: finding %s on entry %d, browser %q", r.reason, res.Findings[0].Rule, res.Findings[0].Entry, res.Browser)
		}
		out, _ := json.Marshal(res)
		if !gjson.ValidBytes(out) || !gjson.GetBytes(out, "findings").IsArray() || !gjson.GetBytes(out, "ruleErrors").IsArray() {
			t.Errorf("%s: JSON shape: %s", r.reason, out)
		}
	}
}

func TestExplain(t *testing.T) {
	res := AnalyzeHAR(fixture.HAR(fixture.Chrome, fixture.SeedSession()...), "seed.har", "en")
	stored, _ := json.Marshal(res.Findings)
	rows := []struct {
		in     string
		lang   string
		n      int
		err    string
		reason string
	}{
		{string(stored), "en", 1, "", "findings as an earlier call returned them, explanations included"},
		{string(stored), "fr-CA", 1, "", "the same findings in another language (a regional tag falls back to its language)"},
		{`[]`, "en", 0, "", "nothing to explain"},
		{`{"rule":"x"}`, "en", 0, "findings: not a JSON array of findings", "an object instead of an array"},
		{`[{"rule":`, "en", 0, "findings: not a JSON array of findings", "truncated"},
	}
	for _, r := range rows {
		got, err := explain.Stored([]byte(r.in), r.lang)
		if r.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), r.err) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: error %v, want one line starting %q", r.reason, err, r.err)
			}
			continue
		}
		if err != nil || len(got) != r.n {
			t.Errorf("%s: %d explained, %v; want %d", r.reason, len(got), err, r.n)
			continue
		}
		if r.n == 0 {
			continue
		}
		want := explain.Explain(res.Findings[0].Finding, r.lang)
		if got[0].Title != want.Title || got[0].Cause != want.Cause || got[0].Email != fixture.CarrierEmail {
			t.Errorf("%s: re-explained %q for %q, want %q", r.reason, got[0].Title, got[0].Email, want.Title)
		}
	}
}

func TestSanitizeHAR(t *testing.T) {
	seed := fixture.HAR(fixture.Firefox, fixture.SeedSession()...)
	out, err := SanitizeHAR(seed, "seed.har", false)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, fixture.Token) || !strings.Contains(out, "Error 10991") || !gjson.Get(out, "log._sanitizer").Exists() {
		t.Errorf("sanitized HAR: token gone %v, error kept %v, stamped %v",
			!strings.Contains(out, fixture.Token), strings.Contains(out, "Error 10991"), gjson.Get(out, "log._sanitizer").Exists())
	}
	if res := AnalyzeHAR([]byte(out), "sanitized.har", "en"); len(res.Findings) != 1 {
		t.Errorf("the sanitized HAR no longer shows the finding: %d findings", len(res.Findings))
	}
	_, err = SanitizeHAR(seed[:len(seed)/2], "cut.har", false)
	if err == nil || !strings.HasPrefix(err.Error(), "cut.har: ") || strings.Contains(err.Error(), "\n") {
		t.Errorf("cut file: %v, want a one-line error naming the file", err)
	}
}
