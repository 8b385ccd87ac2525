package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"hubdoctor/internal/explain"
	"hubdoctor/internal/messages"
)

// root is the repository, seen from this package.
var root = filepath.Join("..", "..")

// engineOnly are the vocabulary labels only the CLI report prints (none
// today: the panel's failed calls show "field_description", the service's
// words, as a column).
var engineOnly = map[string]string{}

// panelOnly are the panel's labels the CLI report and the summary do not
// print: the request's parts (the CLI writes the request on one line) and
// the encrypted assertion (the CLI's cause says it).
var panelOnly = map[string]string{
	"field_method":    "the CLI writes the request as one line",
	"field_url":       "the CLI writes the request as one line",
	"field_status":    "the CLI writes the request as one line",
	"field_assertion": "the CLI's cause variant says the assertion was encrypted",
	"field_path":      "the failed calls' table: the CLI writes the call as one line",
	"field_service":   "the failed calls' table: the CLI writes the call as one line",
}

// readJSON decodes the file at path into v.
func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// vocabulary is internal/messages/locales/<lang>/vocabulary.json.
func vocabulary(t *testing.T, lang string) map[string]string {
	t.Helper()
	var v map[string]string
	readJSON(t, filepath.Join(root, "internal", "messages", "locales", lang, "vocabulary.json"), &v)
	return v
}

// isLabel tells the vocabulary's keys: field labels and severities.
func isLabel(key string) bool {
	return strings.HasPrefix(key, "field_") || strings.HasPrefix(key, "severity_")
}

// TestVocabularyShared keeps one vocabulary for the panel, the CLI report
// and the TAC summary: a label has one key in both catalogs (the engine's
// internal/messages and the extension's _locales), and that key has the same
// text in both, in every language. A label only one side shows is listed
// above with its reason, and may not repeat another label's text (which
// would be a second key for one concept, as "User" and "E-mail" were).
func TestVocabularyShared(t *testing.T) {
	en := vocabulary(t, messages.Fallback)
	dirs, err := os.ReadDir(filepath.Join(root, "extension", "_locales"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, d := range dirs {
		path := filepath.Join(root, "extension", "_locales", d.Name(), "messages.json")
		var ext map[string]struct {
			Message string `json:"message"`
		}
		readJSON(t, path, &ext)
		lang := ext["catalogLanguage"].Message
		if messages.Match(lang) != lang {
			t.Errorf("%s: catalogLanguage %q is not a language of the engine's catalog", path, lang)
			continue
		}
		seen[lang] = true
		v := vocabulary(t, lang)
		for k := range en {
			if _, ok := v[k]; !ok {
				t.Errorf("%s: vocabulary.json lacks %s", lang, k)
			}
		}
		texts := map[string]string{} // text → the label key that has it
		for k, text := range v {
			if !isLabel(k) {
				t.Errorf("%s: vocabulary key %s is neither field_* nor severity_*", lang, k)
			}
			if got := messages.Localize(lang, k); got != text {
				t.Errorf("%s: the engine reads %s as %q, vocabulary.json says %q", lang, k, got, text)
			}
			texts[text] = k
			e, ok := ext[k]
			_, only := engineOnly[k]
			switch {
			case ok && only:
				t.Errorf("%s has %s, listed as engine-only: drop it from engineOnly", path, k)
			case !ok && !only:
				t.Errorf("%s lacks %s (%q): the panel and the engine share the vocabulary", path, k, text)
			case ok && e.Message != text:
				t.Errorf("%s: %s is %q; the vocabulary (internal/messages/locales/%s/vocabulary.json) says %q", path, k, e.Message, lang, text)
			}
		}
		if len(texts) != len(v) {
			t.Errorf("%s: two vocabulary labels share a text: %v", lang, v)
		}
		var keys []string
		for k := range ext {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if strings.HasPrefix(k, "fact") {
				t.Errorf("%s: %s: the panel's labels are the vocabulary's field_* keys", path, k)
			}
			if _, shared := v[k]; shared || !isLabel(k) {
				continue
			}
			if _, ok := panelOnly[k]; !ok {
				t.Errorf("%s: label %s is in no vocabulary.json: add it there (the engine shows it too) or to panelOnly with the reason", path, k)
			}
			if other, dup := texts[ext[k].Message]; dup {
				t.Errorf("%s: %s repeats the text of %s (%q): one concept, one key", path, k, other, ext[k].Message)
			}
		}
		for k := range panelOnly {
			if _, ok := ext[k]; !ok {
				t.Errorf("%s: panelOnly lists %s, which the panel no longer has", path, k)
			}
		}
	}
	for _, lang := range messages.Languages() {
		if !seen[lang] {
			t.Errorf("engine language %s has no extension catalog naming it in catalogLanguage", lang)
		}
		for _, k := range messages.Keys(lang) {
			if strings.HasPrefix(k, "report.field.") || strings.HasPrefix(k, "report.severity.") || strings.HasPrefix(k, "summary.field.org") {
				t.Errorf("%s: %s: labels are the vocabulary's field_*/severity_* keys", lang, k)
			}
		}
	}
}

// TestRenderersUseVocabulary checks that the CLI report's labels and
// severities are vocabulary keys.
func TestRenderersUseVocabulary(t *testing.T) {
	v := vocabulary(t, messages.Fallback)
	keys := append([]string{"field_fix", "field_help"}, fieldKeys...)
	for _, k := range explain.SeverityKeys {
		keys = append(keys, k)
	}
	for _, k := range keys {
		if _, ok := v[k]; !ok {
			t.Errorf("the CLI report prints %s, which is not in the vocabulary", k)
		}
	}
	if got := explain.SeverityLabel("bogus", "en"); got != "bogus" {
		t.Errorf("an unknown severity shows as itself, got %q", got)
	}
}
