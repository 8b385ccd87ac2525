package main

import (
	"bytes"
	"go/format"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// repo is the repository the tests copy from.
var repo = filepath.Join("..", "..")

// copyTree copies the files under repo/rel that keep says to keep into
// root/rel.
func copyTree(t *testing.T, root, rel string, keep func(path string) bool) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(repo, rel), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !keep(p) {
			return nil
		}
		r, _ := filepath.Rel(repo, p)
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(r)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(root, r), raw, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sourceCopy is a copy of what the scaffold reads and edits: the engine's Go
// files and the locale files.
func sourceCopy(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	copyTree(t, root, filepath.Join("internal", "engine"), func(p string) bool { return strings.HasSuffix(p, ".go") })
	copyTree(t, root, filepath.Join("internal", "messages", "locales"), func(p string) bool { return strings.HasSuffix(p, ".json") })
	return root
}

// snapshot reads every file under root.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			raw, _ := os.ReadFile(p)
			r, _ := filepath.Rel(root, p)
			out[filepath.ToSlash(r)] = string(raw)
		}
		return nil
	})
	return out
}

// inserted checks that after is before with whole lines inserted (and a
// comma added to the line of an object's last key, when keys go after it),
// and returns the inserted lines.
func inserted(t *testing.T, name, before, after string) []string {
	t.Helper()
	b, a := strings.SplitAfter(before, "\n"), strings.SplitAfter(after, "\n")
	var added []string
	i := 0
	for _, l := range a {
		switch {
		case i < len(b) && l == b[i]:
			i++
		case i < len(b) && l == strings.TrimSuffix(b[i], "\n")+",\n" && !strings.HasSuffix(b[i], ",\n"):
			i++ // the last key of an object, now followed by the new ones
		default:
			added = append(added, l)
		}
	}
	if i != len(b) {
		t.Errorf("%s: the lines from %q on were changed, not only added to", name, b[i])
	}
	return added
}

// TestScaffold adds one rule of each family to a copy of the repository and
// checks each edit: the files it writes, where it registers the rule, and
// that every other line of every file stays as it was.
func TestScaffold(t *testing.T) {
	type row struct {
		id, reason string
		// files are the new files; edited the existing ones, with the lines
		// each gains.
		files  []string
		edited map[string][]string
	}
	// newFile is a rule with a file of its own (base.go and base_test.go),
	// listed as variable in family.go and its samples in catalog_test.go.
	newFile := func(id, reason, base, family, variable, samples string) row {
		return row{id, reason,
			[]string{"internal/engine/" + base + ".go", "internal/engine/" + base + "_test.go"},
			map[string][]string{
				"internal/engine/" + family + ".go": {"\t\t" + variable + ",\n"},
				"internal/engine/catalog_test.go":   {"\t\t" + samples + ",\n"},
			}}
	}
	tests := []row{
		newFile("onboard/example-check", "the onboard family's idiom, listed before the 403 catch-all", "onboard_example_check", "onboard", "exampleCheck", "onboardExampleCheckSamples"),
		newFile("license/example-check", "the licence family's idiom, listed before the 206 warning", "license_example_check", "license", "licenseExampleCheck", "licenseExampleCheckSamples"),
		newFile("onboard/self-test", "an ID ending in -test: the rule's file must not be a test file", "onboard_self_test_rule", "onboard", "selfTest", "onboardSelfTestRuleSamples"),
		newFile("license/trial-windows", "an ID ending in a GOOS: the file must build everywhere", "license_trial_windows_rule", "license", "licenseTrialWindows", "licenseTrialWindowsRuleSamples"),
		newFile("onboard/type", "a name that is a Go keyword: the variable takes the family's prefix", "onboard_type", "onboard", "onboardType", "onboardTypeSamples"),
		{"sso/example-check-5", "an SSO code: a row of the table, in code order, no new file", nil, map[string][]string{}},
		{"sso/example-late-40", "an SSO code after every other: the table's last row", nil, map[string][]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			root := sourceCopy(t)
			before := snapshot(t, root)
			out, err := scaffold(root, tt.id)
			if err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			if !strings.Contains(out, "go test ./internal/engine -update") || !strings.Contains(out, "internal/engine/testdata/rules/"+strings.ReplaceAll(tt.id, "/", "__")) {
				t.Errorf("the report does not say how to write the fixtures:\n%s", out)
			}
			after := snapshot(t, root)
			fam, _, _ := strings.Cut(tt.id, "/")
			var created []string
			for p, text := range after {
				old, existed := before[p]
				if strings.HasSuffix(p, ".go") {
					if formatted, err := format.Source([]byte(text)); err != nil || !bytes.Equal(formatted, []byte(text)) {
						t.Errorf("%s is not gofmt-formatted (%v)", p, err)
					}
				}
				if !existed {
					created = append(created, p)
					continue
				}
				if old == text {
					continue
				}
				added := inserted(t, p, old, text)
				switch {
				case strings.HasSuffix(p, "/"+fam+".json"):
					// The texts: three keys of the rule, in every language; English
					// says what to write, the others to translate it.
					if len(added) != 3 {
						t.Errorf("%s: want the rule's 3 keys inserted, got %q", p, added)
					}
					for i, part := range []string{"title", "cause", "fix"} {
						if i < len(added) && !strings.HasPrefix(added[i], `  "`+tt.id+"."+part+`": "TODO(new-rule) `) {
							t.Errorf("%s: line %d is %q, want the %s's TODO", p, i, added[i], part)
						}
					}
					if strings.Contains(text, `\u003e`) || strings.Contains(text, `\u0026`) {
						t.Errorf("%s: > or & escaped", p)
					}
				case p == "internal/engine/sso.go" && fam == "sso":
					if len(added) != 3 || !strings.Contains(added[2], `{id: "`+tt.id+`", code: `) || !strings.Contains(added[0], "TODO(new-rule)") {
						t.Errorf("%s: want the row and its TODO comment inserted, got %q", p, added)
					}
				default:
					want, ok := tt.edited[p]
					if !ok {
						t.Errorf("%s changed, which this rule does not need: %q", p, added)
					} else if strings.Join(added, "") != strings.Join(want, "") {
						t.Errorf("%s: inserted %q, want %q", p, added, want)
					}
				}
			}
			sort.Strings(created)
			if strings.Join(created, " ") != strings.Join(tt.files, " ") {
				t.Errorf("new files %q, want %q", created, tt.files)
			}
			for _, p := range created {
				if strings.HasSuffix(p, "_test.go") && !strings.Contains(after[p], "Samples() []sample {") {
					t.Errorf("%s is a test file without samples: only the samples file may end in _test.go", p)
				}
			}
			for p := range tt.edited {
				if after[p] == before[p] {
					t.Errorf("%s: unchanged, the rule is not registered there", p)
				}
			}
			for lang := range map[string]bool{"en": true, "fr": true, "ko": true, "nl": true, "sr-Latn": true} {
				p := "internal/messages/locales/" + lang + "/" + fam + ".json"
				if after[p] == before[p] {
					t.Errorf("%s: no texts added", p)
				}
			}
		})
	}
}

// TestScaffoldOrder: the rule goes where it runs before the family's
// catch-alls, its texts beside it, and an SSO row between the codes around
// it.
func TestScaffoldOrder(t *testing.T) {
	root := sourceCopy(t)
	for _, id := range []string{"onboard/example-check", "sso/example-check-5"} {
		if _, err := scaffold(root, id); err != nil {
			t.Fatal(err)
		}
	}
	files := snapshot(t, root)
	for _, tc := range []struct{ file, first, second string }{
		{"internal/engine/onboard.go", "\t\texampleCheck,\n", "\t\t// After every coded 403"},
		{"internal/engine/onboard.go", "\t\tcallServiceWithCalling,\n", "\t\texampleCheck,\n"},
		{"internal/messages/locales/en/onboard.json", `"onboard/example-check.fix"`, `"onboard/access-denied.title"`},
		{"internal/messages/locales/ko/onboard.json", `"onboard/call-service-with-calling.fix"`, `"onboard/example-check.title"`},
		{"internal/engine/sso.go", `code: "3", name:`, `code: "5", name:`},
		{"internal/engine/sso.go", `code: "5", name:`, `code: "8", name:`},
		{"internal/messages/locales/fr/sso.json", `"sso/no-account-3.fix"`, `"sso/example-check-5.title"`},
		{"internal/messages/locales/fr/sso.json", `"sso/example-check-5.fix"`, `"sso/wrong-certificate-8.title"`},
	} {
		text := files[tc.file]
		i, j := strings.Index(text, tc.first), strings.Index(text, tc.second)
		if i < 0 || j < 0 || i > j {
			t.Errorf("%s: want %q before %q", tc.file, tc.first, tc.second)
		}
	}
}

// TestScaffoldRefuses: an invalid or taken ID gets an error saying why, and
// nothing is written.
func TestScaffoldRefuses(t *testing.T) {
	root := sourceCopy(t)
	if err := os.WriteFile(filepath.Join(root, "internal", "engine", "renames.go"),
		[]byte("package engine\n\nvar Renamed = map[string]string{\"onboard/old-name\": \"onboard/failed\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, root)
	for _, tc := range []struct{ id, reason, says string }{
		{"onboard/carrier-email-exists", "taken by a rule", "is taken"},
		{"sso/auto-account-creation-31", "taken by an SSO row", "is taken"},
		{"onboard/old-name", "a retired ID", "never reused"},
		{"sso/other-name-31", "the code has its row", "has its row already"},
		{"sso/no-code", "an SSO ID names its code", "sso/<name>-<code>"},
		{"sso/long-code-310", "the site's codes have one or two digits", "sso/<name>-<code>"},
		{"Onboard/X", "not kebab case", "kebab"},
		{"misc/thing", "unknown family", "onboard, license or sso"},
		{"onboard/", "no name", "kebab"},
		{"onboard/a--b", "empty part", "kebab"},
	} {
		_, err := scaffold(root, tc.id)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s (%s): error %v, want one saying %q", tc.id, tc.reason, err, tc.says)
		}
	}
	after := snapshot(t, root)
	for p, text := range after {
		if before[p] != text {
			t.Errorf("%s written although every ID was refused", p)
		}
	}
	if len(after) != len(before) {
		t.Errorf("%d files, was %d", len(after), len(before))
	}
}

// TestScaffoldedRuleBuilds scaffolds a rule of each family in a copy of the
// module and runs the engine's and the catalog's tests there: the code
// compiles, the meta-tests accept where everything went, and the tests name
// what is left to write, file by file and language by language.
func TestScaffoldedRuleBuilds(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum"} {
		copyTree(t, root, f, func(string) bool { return true })
	}
	copyTree(t, root, "internal", func(string) bool { return true })
	// The rule fixtures of the existing rules: their tests run too.
	if err := os.CopyFS(filepath.Join(root, "internal", "engine", "testdata"), os.DirFS(filepath.Join(repo, "internal", "engine", "testdata"))); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"onboard/example-check", "license/example-check", "sso/example-check-5"} {
		if _, err := scaffold(root, id); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (string, error) {
		cmd := exec.Command("go", args...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("test", "-count=1", "-v", "-run", "^(TestSamplesBesideRules|TestRuleIDsAreLiterals|TestSSOCodeIDs|TestNewRuleTODOsDone|TestCatalogSourcesHaveURLs|TestCatalogComplete)$", "./internal/engine")
	if err == nil {
		t.Fatalf("the engine's tests pass with the TODOs left:\n%s", out)
	}
	for _, name := range []string{"TestSamplesBesideRules", "TestRuleIDsAreLiterals", "TestSSOCodeIDs"} {
		if !strings.Contains(out, "--- PASS: "+name+" ") {
			t.Errorf("%s refuses where the scaffold put things (or the code does not build):\n%s", name, out)
		}
	}
	for _, want := range []string{
		"--- FAIL: TestNewRuleTODOsDone ",
		"internal/engine/onboard_example_check.go:",
		"internal/engine/onboard_example_check_test.go:",
		"internal/engine/license_example_check.go:",
		"internal/engine/license_example_check_test.go:",
		"internal/engine/sso.go:",
		`rule onboard/example-check: Source "TODO(new-rule)`,
		`rule sso/example-check-5: Source "TODO(new-rule)`,
		"rule license/example-check: missing fixture",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the engine's tests do not name %q:\n%s", want, out)
		}
	}
	out, err = run("test", "-count=1", "-run", "^TestLanguagesComplete$", "./internal/messages")
	if err == nil {
		t.Fatalf("the locale tests pass with the TODO texts:\n%s", out)
	}
	for _, lang := range []string{"fr", "ko", "nl", "sr-Latn"} {
		want := lang + ": TODO onboard/example-check.title in internal/messages/locales/" + lang + "/onboard.json: translate the English"
		if !strings.Contains(out, want) {
			t.Errorf("the locale tests do not say %q:\n%s", want, out)
		}
	}
	if want := "en: TODO sso/example-check-5.fix in internal/messages/locales/en/sso.json: write the English text"; !strings.Contains(out, want) {
		t.Errorf("the locale tests do not say %q:\n%s", want, out)
	}
}
