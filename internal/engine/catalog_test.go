package engine

import (
	"bytes"
	"encoding/json"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/golden"
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

// pair is a rule's samples when one exchange shows it and one close to it
// does not.
func pair(rule string, positive, negative fixture.Exchange, w want) sample {
	return sample{rule: rule, positive: []fixture.Exchange{positive}, negative: []fixture.Exchange{negative}, check: w.check}
}

// sampleSets lists where every rule's samples are: each file of rules has
// its samples in the test file of the same name (onboard_carrier.go →
// onboardCarrierSamples in onboard_carrier_test.go), as
// TestSamplesBesideRules checks. make new-rule adds its line here.
func sampleSets() []func() []sample {
	return []func() []sample{
		onboardCarrierSamples,
		onboardOtherOrgSamples,
		onboardCodesSamples,
		onboardFailedSamples,
		licenseCodesSamples,
		licenseFailedSamples,
		ssoSamples,
	}
}

// allSamples gathers every rule's samples.
func allSamples() []sample {
	var out []sample
	for _, set := range sampleSets() {
		out = append(out, set()...)
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
	return golden.File(t, path, want, *update, "./internal/engine")
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
			t.Errorf("rule %s: no sample (positive and negative exchanges) in the test file named after its rule's file, listed in sampleSets()", r.ID)
		}
		for _, b := range fixture.Browsers {
			for _, kind := range []string{"positive", "negative"} {
				p := filepath.Join(fixtureDir(r.ID), b.String()+"-"+kind+".har")
				if _, err := os.Stat(p); err != nil {
					t.Errorf("rule %s: missing fixture %s (go test ./internal/engine -update writes it from the rule's samples)", r.ID, p)
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

// ruleIDLiterals returns, per file of rules (tests aside), the catalog IDs
// written there as string literals: a Rule's ID: "…", an SSO table row's
// id: "…".
func ruleIDLiterals(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			key, isIdent := kv.Key.(*ast.Ident)
			lit, isLit := kv.Value.(*ast.BasicLit)
			if !isIdent || !isLit || lit.Kind != token.STRING || (key.Name != "ID" && key.Name != "id") {
				return true
			}
			if id, err := strconv.Unquote(lit.Value); err == nil && RuleByID(id) != nil {
				out[file] = append(out[file], id)
			}
			return true
		})
	}
	return out
}

// TestRuleIDsAreLiterals: every rule's full ID is written out once, as a
// literal, in the file that declares the rule, so that grep finds the rule
// from the ID a finding, a fixture folder or a report shows.
func TestRuleIDsAreLiterals(t *testing.T) {
	where := map[string][]string{}
	for file, ids := range ruleIDLiterals(t) {
		for _, id := range ids {
			where[id] = append(where[id], file)
		}
	}
	for _, r := range Catalog() {
		switch files := where[r.ID]; len(files) {
		case 1:
		case 0:
			t.Errorf("rule %s: its ID is written nowhere in internal/engine as a literal (ID: %q, or id: in the SSO table); grep would not find it", r.ID, r.ID)
		default:
			t.Errorf("rule %s: its ID is written in %d places (%s); a rule is declared once", r.ID, len(files), strings.Join(files, ", "))
		}
	}
}

// TestSamplesBesideRules: a rule's samples live beside it, in the test file
// named after the rule's file (onboard_carrier.go → onboardCarrierSamples in
// onboard_carrier_test.go), and each file of rules has its sample set listed
// in sampleSets().
func TestSamplesBesideRules(t *testing.T) {
	declared := ruleIDLiterals(t)
	listed := map[string]bool{}
	for _, set := range sampleSets() {
		pc := reflect.ValueOf(set).Pointer()
		fn := runtime.FuncForPC(pc)
		path, _ := fn.FileLine(pc)
		file := filepath.Base(path)
		name := fn.Name()[strings.LastIndexByte(fn.Name(), '.')+1:]
		if !strings.HasSuffix(file, "_test.go") {
			t.Errorf("%s is in %s, not in a test file", name, file)
			continue
		}
		ruleFile := strings.TrimSuffix(file, "_test.go") + ".go"
		listed[ruleFile] = true
		if want := sampleSetName(ruleFile); name != want {
			t.Errorf("%s: the sample set of %s is %s, want %s (named after the file)", file, ruleFile, name, want)
		}
		have := map[string]bool{}
		for _, id := range declared[ruleFile] {
			have[id] = true
		}
		sampled := map[string]bool{}
		for _, s := range set() {
			sampled[s.rule] = true
			if !have[s.rule] {
				t.Errorf("%s: %s holds samples of %s, which %s does not declare; they belong in the test file named after the file of that rule", file, name, s.rule, ruleFile)
			}
		}
		for _, id := range declared[ruleFile] {
			if !sampled[id] {
				t.Errorf("%s declares %s, but %s (%s) has no sample of it", ruleFile, id, name, file)
			}
		}
	}
	for file, ids := range declared {
		if !listed[file] {
			t.Errorf("%s declares %s, but no sample set of %s is listed in sampleSets() (catalog_test.go)", file, strings.Join(ids, ", "), strings.TrimSuffix(file, ".go")+"_test.go")
		}
	}
}

// sampleSetName is the name of the sample set of a file of rules:
// "onboard_other_org.go" → "onboardOtherOrgSamples".
func sampleSetName(ruleFile string) string {
	parts := strings.Split(strings.TrimSuffix(ruleFile, ".go"), "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "") + "Samples"
}

// newRuleTODO marks what make new-rule leaves for a person to write; spelt in
// two parts so that this file does not match itself.
const newRuleTODO = "TODO(" + "new-rule)"

// TestNewRuleTODOsDone names, file and line, what a rule scaffolded by make
// new-rule still needs: its description, its source, its codes, its
// samples. (Its texts are the locale tests' in internal/messages.)
func TestNewRuleTODOsDone(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(raw), "\n") {
			if strings.Contains(line, newRuleTODO) {
				t.Errorf("internal/engine/%s:%d: left to do after make new-rule: %s", file, i+1, strings.TrimSpace(line))
			}
		}
	}
}
