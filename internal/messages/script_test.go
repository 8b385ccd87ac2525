package messages_test

import (
	"strings"
	"testing"
	"unicode"

	"hubdoctor/internal/messages"
)

// untranslatable are the keys whose English text has nothing to translate,
// so a translation may equal it and need not hold any of its own script.
var untranslatable = map[string]string{
	"summary.title":              "only placeholders and punctuation; languages may reorder them",
	"summary.attachment.default": "a file name the admin attaches; kept identical in every language",
	"summary.activity.unknown":   "the product name Control Hub alone",
	"summary.label":              "a placeholder and a colon; French puts a space before it",
}

func hasScript(s string, script *unicode.RangeTable) bool {
	for _, r := range s {
		if unicode.Is(script, r) {
			return true
		}
	}
	return false
}

// TestScriptDetector keeps the checks below honest: they must see the script
// they look for, and only it.
func TestScriptDetector(t *testing.T) {
	tests := []struct {
		text   string
		script *unicode.RangeTable
		want   bool
		reason string
	}{
		{"Korisnik nije dodat", unicode.Cyrillic, false, "Serbian Latin with plain letters"},
		{"Šta treba uraditi, ćirilica, đak", unicode.Cyrillic, false, "Latin letters with diacritics are not Cyrillic"},
		{"Корисник није додат", unicode.Cyrillic, true, "Serbian Cyrillic"},
		{"Korisnik nije dodaт", unicode.Cyrillic, true, "a single Cyrillic letter hidden among Latin ones"},
		{"사용자 관리", unicode.Hangul, true, "Korean"},
		{"Control Hub", unicode.Hangul, false, "a product name only"},
	}
	for _, tt := range tests {
		if got := hasScript(tt.text, tt.script); got != tt.want {
			t.Errorf("hasScript(%q) = %v, want %v (%s)", tt.text, got, tt.want, tt.reason)
		}
	}
}

// TestScripts fails when a language's texts are written in the wrong script:
// Serbian must be Latin only, Korean must be Hangul.
func TestScripts(t *testing.T) {
	tests := []struct {
		lang   string
		name   string
		script *unicode.RangeTable
		want   bool
		reason string
	}{
		{"sr-Latn", "Cyrillic", unicode.Cyrillic, false, "the catalog's Serbian is Latin script; one Cyrillic letter breaks search and copy"},
		{"ko", "Hangul", unicode.Hangul, true, "Korean text must be Korean, not English left behind"},
	}
	for _, tt := range tests {
		if len(messages.Keys(tt.lang)) == 0 {
			t.Errorf("%s: language missing from the catalog", tt.lang)
			continue
		}
		for _, k := range messages.Keys(tt.lang) {
			if _, ok := untranslatable[k]; ok && tt.want {
				continue
			}
			if isTODO(messages.Localize(tt.lang, k)) {
				continue // not written yet: TestLanguagesComplete names it
			}
			if got := hasScript(messages.Localize(tt.lang, k), tt.script); got != tt.want {
				t.Errorf("%s: %s: has %s = %v, want %v (%s)", tt.lang, k, tt.name, got, tt.want, tt.reason)
			}
		}
	}
}

// TestTranslated fails when a language keeps a text in English (a key
// copied without translating), except for the untranslatable keys.
func TestTranslated(t *testing.T) {
	for k := range untranslatable {
		if !messages.Has(k) {
			t.Errorf("untranslatable lists %s, which English no longer has", k)
		}
	}
	for _, lang := range messages.Languages() {
		if lang == messages.Fallback {
			continue
		}
		for _, k := range messages.Keys(lang) {
			if _, ok := untranslatable[k]; ok {
				continue
			}
			if text := messages.Localize(lang, k); text == messages.Localize(messages.Fallback, k) {
				t.Errorf("%s: %s is still the English text %q", lang, k, text)
			}
		}
	}
}

// TestFrenchColons fails when a French colon that ends a clause lacks the
// space French typography puts before it ("codes : 5302"); URLs are exempt
// because their colon is not followed by a space.
func TestFrenchColons(t *testing.T) {
	for _, k := range messages.Keys("fr") {
		text := messages.Localize("fr", k)
		for i := strings.Index(text, ": "); i >= 0; {
			if i == 0 || text[i-1] != ' ' {
				t.Errorf("fr: %s: no space before the colon in %q", k, text[max(0, i-20):min(len(text), i+10)])
			}
			next := strings.Index(text[i+1:], ": ")
			if next < 0 {
				break
			}
			i += 1 + next
		}
		if strings.HasSuffix(text, ":") && !strings.HasSuffix(text, " :") {
			t.Errorf("fr: %s: no space before the final colon", k)
		}
	}
}
