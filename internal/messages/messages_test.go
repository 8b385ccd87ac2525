package messages_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/messages"
)

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

func placeholders(s string) string {
	ps := placeholder.FindAllString(s, -1)
	sort.Strings(ps)
	out := ps[:0]
	for i, p := range ps {
		if i == 0 || p != ps[i-1] {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// isTODO tells a text left for a person to write, as make new-rule leaves
// the texts of a new rule ("TODO(new-rule) …"). TestLanguagesComplete names
// each with its file; the other checks of a text skip it.
func isTODO(s string) bool {
	return strings.HasPrefix(strings.TrimSpace(s), "TODO")
}

// keyFiles maps each language's keys to the file that holds them, as the
// path from the repository's root
// (internal/messages/locales/fr/onboard.json), so a failure says where to
// write.
func keyFiles(t *testing.T) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, lang := range messages.Languages() {
		out[lang] = map[string]string{}
		paths, err := filepath.Glob(filepath.Join("locales", lang, "*.json"))
		if err != nil || len(paths) == 0 {
			t.Fatalf("locales/%s: no files (%v)", lang, err)
		}
		for _, p := range paths {
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]string
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatalf("internal/messages/%s: %v", filepath.ToSlash(p), err)
			}
			for k := range m {
				out[lang][k] = "internal/messages/" + filepath.ToSlash(p)
			}
		}
	}
	return out
}

// TestLanguagesComplete fails when a language lacks a key English has, has
// a key English lacks, uses other placeholders than English, or still has
// a TODO text; each failure names the key and the file to write it in.
func TestLanguagesComplete(t *testing.T) {
	files := keyFiles(t)
	en := messages.Keys(messages.Fallback)
	for _, lang := range messages.Languages() {
		have := map[string]bool{}
		for _, k := range messages.Keys(lang) {
			have[k] = true
		}
		for _, k := range en {
			enFile := files[messages.Fallback][k]
			if !have[k] {
				t.Errorf("%s: missing %s: add it to %s, translating the English in %s",
					lang, k, strings.Replace(enFile, "/locales/"+messages.Fallback+"/", "/locales/"+lang+"/", 1), enFile)
				continue
			}
			delete(have, k)
			text, english := messages.Localize(lang, k), messages.Localize(messages.Fallback, k)
			switch {
			case lang == messages.Fallback && isTODO(text):
				t.Errorf("en: TODO %s in %s: write the English text (replace %q)", k, files[lang][k], text)
				continue
			case isTODO(text) && isTODO(english):
				t.Errorf("%s: TODO %s in %s: translate the English, once written in %s", lang, k, files[lang][k], enFile)
				continue
			case isTODO(text):
				t.Errorf("%s: TODO %s in %s: translate the English %q", lang, k, files[lang][k], english)
				continue
			}
			if a, b := placeholders(english), placeholders(text); a != b {
				t.Errorf("%s: %s in %s uses placeholders %q, English %q", lang, k, files[lang][k], b, a)
			}
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: %s in %s is empty", lang, k, files[lang][k])
			}
		}
		for k := range have {
			t.Errorf("%s: %s in %s is not an English key (unused)", lang, k, files[lang][k])
		}
	}
}

// dynamic are key prefixes the code builds at run time, with the suffixes it
// may append.
var dynamic = map[string][]string{
	"report.severity.":  {"error", "warning", "info"},
	"summary.flow.":     {"add-users", "edit-licenses", "sso-sign-in", "unknown"},
	"summary.activity.": {"add-users", "edit-licenses", "sso-sign-in", "unknown"},
}

// ruleParts are the per-rule keys; a rule must have the first three and may
// have the variants.
var ruleParts = []string{"title", "cause", "fix", "nosaml", "encrypted"}

// TestKeysUsed fails when an English key is referenced neither by a rule of
// the catalog nor by a string literal in the Go code.
func TestKeysUsed(t *testing.T) {
	used := map[string]bool{}
	for _, r := range engine.Catalog() {
		for _, p := range ruleParts {
			used[r.ID+"."+p] = true
		}
	}
	for prefix, suffixes := range dynamic {
		for _, s := range suffixes {
			used[prefix+s] = true
		}
	}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "dist" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					used[s] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range messages.Keys(messages.Fallback) {
		if !used[k] {
			t.Errorf("en: %s is used nowhere in the code", k)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct{ tag, want, reason string }{
		{"en-US", "en", "region dropped"},
		{"xx", "en", "unknown language falls back to English"},
		{"", "en", "no language"},
		{"EN", "en", "case-insensitive"},
		{"sr-Latn-RS", "sr-Latn", "region dropped, script kept"},
		{"sr-Latn", "sr-Latn", "exact language and script"},
		{"sr", "sr-Latn", "browsers report Serbian as bare sr; our only Serbian is Latin"},
		{"sr-RS", "sr-Latn", "regional Serbian without script"},
		{"sr_latn_rs", "sr-Latn", "underscores and lower case, as some OS locales write it"},
		{"ko-KR", "ko", "region dropped"},
		{"fr-CA", "fr", "Canadian French served by French"},
		{"nl-BE", "nl", "Flemish served by Dutch"},
		{"s", "en", "a prefix of a language is not that language"},
	}
	for _, tt := range tests {
		if got := messages.Match(tt.tag); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q (%s)", tt.tag, got, tt.want, tt.reason)
		}
	}
}

func TestText(t *testing.T) {
	if got := messages.Localize("en", "report.none", "entries", "10", "inspected", "2"); got != "No problem found in 10 requests (2 inspected)." {
		t.Errorf("placeholders: %q", got)
	}
	if got := messages.Localize("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key must show itself, got %q", got)
	}
	if _, err := os.Stat(filepath.Join("locales", "en")); err != nil {
		t.Fatal(err)
	}
}
