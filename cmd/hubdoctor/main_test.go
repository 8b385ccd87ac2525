package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/golden"
)

var update = flag.Bool("update", false, "rewrite sample sessions and golden files")

// samples are the sessions bundled in testdata/sessions: the demo and these
// tests read them; -update rewrites them from internal/fixture.
var samples = map[string][]byte{
	"chrome-seed-carrier.har":  fixture.HAR(fixture.Chrome, fixture.SeedSession()...),
	"firefox-seed-carrier.har": fixture.HAR(fixture.Firefox, fixture.SeedSession()...),
	"chrome-harmless.har":      fixture.HAR(fixture.Chrome, fixture.Harmless()...),
	// No finding, but calls to Webex services that failed for reasons no
	// rule knows.
	"firefox-failed-calls.har": fixture.HAR(fixture.Firefox, fixture.FailedCallsSession()...),
	// An SSO sign-in whose first name is too long: an attribute note.
	"chrome-sso-long-name.har": fixture.HAR(fixture.Chrome, fixture.SSOLongNameSession()...),
}

func sessionPath(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "testdata", "sessions", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, samples[name], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// sameAsGolden compares got with testdata/NAME, rewriting it under -update.
func sameAsGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Compare(t, filepath.Join("testdata", name), got, *update, "./cmd/hubdoctor", "the CLI's output")
}

func runCLI(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAnalyzeGolden(t *testing.T) {
	for name := range samples {
		sessionPath(t, name)
	}
	tests := []struct {
		golden string
		args   []string
		code   int
		reason string
	}{
		{"analyze-chrome-seed.txt", []string{"analyze", "SESSION/chrome-seed-carrier.har"}, exitFindings, "seeds' case: the carrier finding, exit 1"},
		{"analyze-firefox-seed.json", []string{"analyze", "--json", "SESSION/firefox-seed-carrier.har"}, exitFindings, "JSON document from a Firefox export"},
		{"analyze-harmless.txt", []string{"analyze", "SESSION/chrome-harmless.har"}, exitOK, "the seeds' harmless 400/404 calls are not flagged"},
		{"analyze-ko.txt", []string{"analyze", "--lang", "ko-KR", "SESSION/chrome-seed-carrier.har"}, exitFindings, "Korean: wide glyphs keep the columns aligned"},
		{"analyze-fr.txt", []string{"analyze", "--lang", "fr", "SESSION/firefox-seed-carrier.har"}, exitFindings, "French, the admin's language"},
		{"summary-seed.md", []string{"summary", "SESSION/chrome-seed-carrier.har"}, exitOK, "the TAC summary of the seeds' case"},
		{"summary-harmless.txt", []string{"summary", "--format", "text", "SESSION/chrome-harmless.har"}, exitOK, "no finding: still a useful skeleton"},
		{"analyze-flags-after-file.json", []string{"analyze", "SESSION/chrome-seed-carrier.har", "--json"}, exitFindings, "flags may follow the file"},
		{"analyze-sso-notes.json", []string{"analyze", "--json", "SESSION/chrome-sso-long-name.har"}, exitFindings, "attribute notes: values, and their words"},
		{"analyze-sso-notes-fr.txt", []string{"analyze", "--lang", "fr", "SESSION/chrome-sso-long-name.har"}, exitFindings, "attribute notes in French"},
		{"analyze-sso-notes-ko.txt", []string{"analyze", "--lang", "ko", "SESSION/chrome-sso-long-name.har"}, exitFindings, "attribute notes in Korean"},
		{"analyze-failed-calls.txt", []string{"analyze", "SESSION/firefox-failed-calls.har"}, exitOK, "failed calls no rule knows: listed after the (no) findings, exit 0"},
		{"analyze-failed-calls-fr.txt", []string{"analyze", "--lang", "fr", "SESSION/firefox-failed-calls.har"}, exitOK, "the same in French"},
		{"analyze-failed-calls.json", []string{"analyze", "--json", "SESSION/firefox-failed-calls.har"}, exitOK, "failedCalls in the JSON document"},
		{"summary-failed-calls.md", []string{"summary", "SESSION/firefox-failed-calls.har"}, exitOK, "no finding but failed calls: a summary TAC can use"},
		{"analyze-batch.txt", []string{"analyze", "SESSION/chrome-harmless.har", "SESSION/firefox-failed-calls.har", "SESSION/chrome-seed-carrier.har"}, exitFindings,
			"several files: one report each, the highest exit status"},
		{"analyze-batch.jsonl", []string{"analyze", "--json", "SESSION/chrome-harmless.har", "SESSION/firefox-failed-calls.har"}, exitOK,
			"several files with --json: JSON Lines, one document per file"},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			for i, a := range tt.args {
				tt.args[i] = strings.Replace(a, "SESSION", filepath.Join("..", "..", "testdata", "sessions"), 1)
			}
			code, out, errOut := runCLI("", tt.args...)
			if code != tt.code {
				t.Fatalf("%s: exit %d, want %d; stderr %q", tt.reason, code, tt.code, errOut)
			}
			out = strings.ReplaceAll(out, filepath.Join("..", "..", "testdata", "sessions")+"/", "")
			sameAsGolden(t, tt.golden, []byte(out))
		})
	}
}

func TestAnalyzeReportsFacts(t *testing.T) {
	code, out, _ := runCLI("", "analyze", "--json", sessionPath(t, "chrome-seed-carrier.har"))
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{`"rule": "onboard/carrier-email-exists"`, `"email": "` + fixture.CarrierEmail + `"`,
		`"orgId": "` + fixture.OrgID + `"`, `"trackingId": "` + fixture.CarrierTrackingID + `"`, `"severity": "error"`} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON report lacks %s", want)
		}
	}
}

func TestBadInput(t *testing.T) {
	seed := string(samples["chrome-seed-carrier.har"])
	cut := strings.Index(seed, `"url": "https://license-a`)
	tests := []struct {
		reason string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"empty file", "", []string{"analyze", "-"}, exitBad, "-: byte 0: file is empty"},
		{"an HTML page is not JSON", "<html>", []string{"analyze", "-"}, exitBad, "-: byte 0: not JSON: starts with '<'"},
		{"JSON without log.entries", `{"log":{"version":"1.2"}}`, []string{"analyze", "-"}, exitBad, "no log.entries: not a HAR file"},
		{"entries not an array", `{"log":{"entries":{}}}`, []string{"analyze", "-"}, exitBad, "log.entries is not an array"},
		{"truncated inside the onboard entry", seed[:cut], []string{"analyze", "-"}, exitBad, "-: entry 8 at byte"},
		{"missing file", "", []string{"analyze", "/nonexistent/x.har"}, exitBad, "/nonexistent/x.har: no such file or directory"},
		{"no file given", "", []string{"analyze"}, exitBad, "expected one FILE"},
		{"one of several files missing: its error, the highest status", "", []string{"analyze", filepath.Join("..", "..", "testdata", "sessions", "chrome-harmless.har"), "/nonexistent/x.har"},
			exitBad, "/nonexistent/x.har: no such file or directory"},
		{"a folder without .har files", "", []string{"analyze", "testdata"}, exitBad, "testdata: no .har file in this folder"},
		{"unknown flag", "", []string{"analyze", "--nope", "-"}, exitBad, "flag provided but not defined: -nope"},
		{"unknown command", "", []string{"diagnose"}, exitBad, `unknown command "diagnose"`},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			code, _, errOut := runCLI(tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("%s: exit %d, want %d", tt.reason, code, tt.code)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("%s: stderr %q lacks %q", tt.reason, errOut, tt.stderr)
			}
			if tt.code == exitBad && strings.Count(strings.TrimSpace(errOut), "\n") > 0 && !strings.Contains(tt.stderr, "flag") {
				t.Errorf("%s: error is not one line: %q", tt.reason, errOut)
			}
		})
	}
}

// TestAnalyzeBatch: a folder stands for its .har files, sorted by name
// (other files and subfolders left out); with --json each file is one line
// of JSON, a file that cannot be read included; the exit status is the
// highest, and failed calls alone never make it 1.
func TestAnalyzeBatch(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"b-failed.har": samples["firefox-failed-calls.har"], "a-seed.HAR": samples["chrome-seed-carrier.har"],
		"notes.txt": []byte("not a HAR"), "sub/c.har": samples["chrome-harmless.har"],
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rows := []struct {
		args  []string
		code  int
		files []string
		calls []int // unexplained failed calls per file, -1 for an unreadable one
	}{
		{[]string{dir}, exitFindings, []string{"a-seed.HAR", "b-failed.har"}, []int{0, 3}},
		{[]string{filepath.Join(dir, "b-failed.har")}, exitOK, []string{"b-failed.har"}, []int{3}},
		{[]string{filepath.Join(dir, "b-failed.har"), filepath.Join(dir, "missing.har")}, exitBad, []string{"b-failed.har", "missing.har"}, []int{3, -1}},
	}
	for _, r := range rows {
		code, out, _ := runCLI("", append([]string{"analyze", "--json"}, r.args...)...)
		if code != r.code {
			t.Errorf("%v: exit %d, want %d", r.args, code, r.code)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(r.files) == 1 {
			lines = []string{out} // one file: the indented document
		}
		if len(lines) != len(r.files) {
			t.Fatalf("%v: %d reports, want %d:\n%s", r.args, len(lines), len(r.files), out)
		}
		for i, line := range lines {
			var doc struct {
				File        string
				Error       string
				FailedCalls []struct {
					Method, URL, Service, TrackingID, Message, Rule string
					Status                                          int
					Expected                                        *bool
				}
			}
			if err := json.Unmarshal([]byte(line), &doc); err != nil {
				t.Fatalf("%v: report %d is not one JSON document: %v", r.args, i, err)
			}
			if filepath.Base(doc.File) != r.files[i] {
				t.Errorf("%v: report %d is of %s, want %s", r.args, i, doc.File, r.files[i])
			}
			if r.calls[i] < 0 {
				if doc.Error == "" {
					t.Errorf("%v: the unreadable %s has no error", r.args, doc.File)
				}
				continue
			}
			n := 0
			for _, c := range doc.FailedCalls {
				if c.Method == "" || c.URL == "" || c.Status < 200 || c.Service == "" || c.Expected == nil {
					t.Errorf("%s: a failed call lacks a field: %+v", doc.File, c)
				}
				if !*c.Expected && c.Rule == "" {
					n++
				}
			}
			if n != r.calls[i] {
				t.Errorf("%s: %d unexplained failed calls, want %d", doc.File, n, r.calls[i])
			}
		}
	}
}

func TestHelp(t *testing.T) {
	for _, c := range commandTable() {
		code, _, errOut := runCLI("", c.name, "--help")
		if code != exitOK || !strings.Contains(errOut, "Usage: hubdoctor "+c.name) {
			t.Errorf("%s --help: exit %d, stderr %q", c.name, code, errOut)
		}
	}
	if code, out, _ := runCLI("", "--help"); code != exitOK || !strings.Contains(out, "hubdoctor analyze") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
}

// TestReadmeRuleTable keeps the README's rule table equal to the catalog.
func TestReadmeRuleTable(t *testing.T) {
	const start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
	p := filepath.Join("..", "..", "README.md")
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q … %q markers", start, end)
	}
	want := s[:i+len(start)] + rulesMarkdown() + s[j:]
	if *update {
		os.WriteFile(p, []byte(want), 0o644)
		return
	}
	if want != s {
		t.Errorf("README.md rule table differs from the catalog; run go test ./cmd/hubdoctor -update")
	}
}
