package engine

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/messages"
)

var update = flag.Bool("update", false, "rewrite testdata fixtures and golden files")

// sample is a rule's evidence: exchanges that must trigger it and exchanges
// that look alike but must not. Both run among the seeds' harmless calls, in
// Chrome's and Firefox's export shapes.
type sample struct {
	rule     string
	positive []fixture.Exchange
	negative []fixture.Exchange
	// check makes extra assertions on each positive finding of the rule.
	check func(t *testing.T, f Finding)
}

// allSamples gathers every family's samples.
func allSamples() []sample {
	return concat(onboardSamples(), licenseSamples(), ssoSamples())
}

func concat(lists ...[]sample) []sample {
	var out []sample
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// fixtureDir is where a rule's HAR fixtures and golden outputs live.
func fixtureDir(rule string) string {
	return filepath.Join("testdata", "rules", strings.ReplaceAll(rule, "/", "__"))
}

// writeOrRead returns the fixture at path, (re)writing it from want under -update.
func writeOrRead(t *testing.T, path string, want []byte) []byte {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/engine -update)", err)
	}
	return got
}

func analyzeBytes(t *testing.T, name string, har []byte) *Result {
	t.Helper()
	res, err := AnalyzeHAR(bytes.NewReader(har), name, NewSession(nil))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(res.RuleErrors) > 0 {
		t.Fatalf("%s: rule errors: %v", name, res.RuleErrors)
	}
	return res
}

// TestRuleFixtures runs every rule on its positive and negative fixtures
// from both browsers, and compares the positive findings with golden files.
func TestRuleFixtures(t *testing.T) {
	for _, s := range allSamples() {
		for _, b := range fixture.Browsers {
			t.Run(s.rule+"/"+b.String(), func(t *testing.T) {
				dir := fixtureDir(s.rule)
				pos := filepath.Join(dir, b.String()+"-positive.har")
				har := writeOrRead(t, pos, fixture.HAR(b, append(fixture.Harmless(), s.positive...)...))
				res := analyzeBytes(t, pos, har)
				n := 0
				for _, f := range res.Findings {
					if f.Rule == s.rule {
						n++
						if s.check != nil {
							s.check(t, f)
						}
					}
				}
				if n == 0 {
					t.Errorf("%s: rule %s did not fire; findings: %+v", pos, s.rule, res.Findings)
				}
				out, _ := json.MarshalIndent(res.Findings, "", "  ")
				golden := writeOrRead(t, filepath.Join(dir, b.String()+"-positive.golden.json"), append(out, '\n'))
				if !bytes.Equal(bytes.TrimSpace(golden), bytes.TrimSpace(out)) {
					t.Errorf("%s: findings differ from golden file (run with -update and review the diff):\n%s", pos, out)
				}

				neg := filepath.Join(dir, b.String()+"-negative.har")
				har = writeOrRead(t, neg, fixture.HAR(b, append(fixture.Harmless(), s.negative...)...))
				for _, f := range analyzeBytes(t, neg, har).Findings {
					if f.Rule == s.rule {
						t.Errorf("%s: rule %s fired on its negative fixture: %+v", neg, s.rule, f)
					}
				}
			})
		}
	}
}

var ruleID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$`)

// TestCatalogComplete is the meta-test: every rule carries its metadata,
// its texts and its fixtures, and IDs are never reused.
func TestCatalogComplete(t *testing.T) {
	samples := map[string]bool{}
	for _, s := range allSamples() {
		samples[s.rule] = true
	}
	seen := map[string]bool{}
	for _, r := range Catalog() {
		if !ruleID.MatchString(r.ID) {
			t.Errorf("rule %q: ID must be family/name in lower-case kebab", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("rule %s: listed twice", r.ID)
		}
		seen[r.ID] = true
		if _, old := Renamed[r.ID]; old {
			t.Errorf("rule %s: ID was renamed away and may not be reused", r.ID)
		}
		if r.Severity.Rank() == 2 && r.Severity != Info {
			t.Errorf("rule %s: unknown severity %q", r.ID, r.Severity)
		}
		if r.Since == "" || r.Source == "" || r.Scope == nil || r.Check == nil {
			t.Errorf("rule %s: needs Since, Source, Scope and Check", r.ID)
		}
		for _, part := range []string{"title", "cause", "fix"} {
			if !messages.Has(r.ID + "." + part) {
				t.Errorf("rule %s: no English text %s.%s in internal/messages", r.ID, r.ID, part)
			}
		}
		if !samples[r.ID] {
			t.Errorf("rule %s: no sample (positive and negative exchanges) in its family's test file", r.ID)
		}
		for _, b := range fixture.Browsers {
			for _, kind := range []string{"positive", "negative"} {
				p := filepath.Join(fixtureDir(r.ID), b.String()+"-"+kind+".har")
				if _, err := os.Stat(p); err != nil {
					t.Errorf("rule %s: missing fixture %s", r.ID, p)
				}
			}
		}
	}
	for old, now := range Renamed {
		if !seen[now] {
			t.Errorf("renamed rule %s → %s: target not in the catalog", old, now)
		}
	}
	for id := range samples {
		if !seen[id] {
			t.Errorf("sample for %s, which is not in the catalog", id)
		}
	}
}

// TestCatalogSourcesHaveURLs: a rule's Source names the public document
// behind its fact with a URL anyone can open, not a file only the authors
// have (the documents and their URLs: docs/webex-signatures.md §6).
func TestCatalogSourcesHaveURLs(t *testing.T) {
	for _, r := range Catalog() {
		if !strings.Contains(r.Source, "https://") {
			t.Errorf("rule %s: Source %q has no https:// URL of its public source", r.ID, r.Source)
		}
	}
}
