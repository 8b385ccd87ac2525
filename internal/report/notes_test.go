package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/explain"
	"hubdoctor/internal/fixture"
	"hubdoctor/internal/messages"
)

// longName analyses the SSO sign-in whose first name is too long.
func longName(t *testing.T) (*engine.Result, engine.Finding) {
	t.Helper()
	res, err := engine.AnalyzeHAR(bytes.NewReader(fixture.HAR(fixture.Chrome, fixture.SSOLongNameSession()...)), "long.har", engine.NewSession(nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if len(f.AttributeNotes) > 0 {
			return res, f
		}
	}
	t.Fatalf("no finding carries an attribute note: %+v", res.Findings)
	return nil, engine.Finding{}
}

// TestNoteKindsWorded fails when a kind of attribute note has no message, or
// a message lacks one of the note's values.
func TestNoteKindsWorded(t *testing.T) {
	for _, kind := range engine.NoteKinds {
		key, ok := explain.NoteKeys[kind]
		if !ok {
			t.Errorf("note kind %q has no message key in NoteKeys", kind)
			continue
		}
		if !messages.Has(key) {
			t.Errorf("note kind %q: %s is not in the catalog", kind, key)
		}
		for _, p := range []string{"{attribute}", "{length}", "{limit}"} {
			if !strings.Contains(messages.Localize("en", key), p) {
				t.Errorf("%s lacks %s", key, p)
			}
		}
	}
}

// TestNotesAreValues: the engine records the note as values; the English
// words are those the engine used to write itself.
func TestNotesAreValues(t *testing.T) {
	_, f := longName(t)
	want := []engine.AttributeNote{{Kind: engine.NoteTooLong, Attribute: "firstname", Length: 35, Limit: 32}}
	if !reflect.DeepEqual(f.AttributeNotes, want) {
		t.Fatalf("notes %+v, want %+v", f.AttributeNotes, want)
	}
	x := explain.Explain(f, "en")
	if !reflect.DeepEqual(x.Notes, []string{"firstname is 35 characters, over 32"}) {
		t.Errorf("English notes %q", x.Notes)
	}
	// The extension reads both: the values (attributeNotes) and the words (notes).
	raw, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"attributeNotes":[{"kind":"too-long","attribute":"firstname","length":35,"limit":32}]`, `"notes":["firstname is 35 characters, over 32"]`} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("explained JSON lacks %s: %s", want, raw)
		}
	}
}

// TestNotesTranslated: the CLI report words the note, and labels it, in the
// admin's language; the English sentence appears in no other language.
func TestNotesTranslated(t *testing.T) {
	res, f := longName(t)
	for _, lang := range messages.Languages() {
		if lang == messages.Fallback {
			continue
		}
		t.Run(lang, func(t *testing.T) {
			notes := explain.Explain(f, lang).Notes
			if len(notes) != 1 {
				t.Fatalf("notes %q, want one", notes)
			}
			note := notes[0]
			for _, want := range []string{"firstname", "35", "32"} {
				if !strings.Contains(note, want) {
					t.Errorf("note %q lacks %s", note, want)
				}
			}
			if strings.Contains(note, "characters") || strings.Contains(note, " over ") {
				t.Errorf("note %q is still English", note)
			}
			if lang == "ko" && !strings.ContainsFunc(note, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
				t.Errorf("Korean note %q has no Hangul", note)
			}
			var out bytes.Buffer
			if err := WriteText(&out, res, Meta{File: "long.har"}, lang); err != nil {
				t.Fatal(err)
			}
			line := messages.Localize(lang, "field_notes") + ":"
			if !strings.Contains(out.String(), line) || !strings.Contains(out.String(), note) {
				t.Errorf("the %s report lacks %q with %q:\n%s", lang, line, note, out.String())
			}
			if strings.Contains(out.String(), "characters, over") {
				t.Errorf("the %s report keeps the English note:\n%s", lang, out.String())
			}
		})
	}
	// The French and Korean words, as a reader checks them.
	for lang, want := range map[string]string{
		"fr": "firstname compte 35 caractères, plus que les 32 acceptés",
		"ko": "firstname 값이 35자로 최대 32자를 초과합니다",
	} {
		if got := explain.Explain(f, lang).Notes; !reflect.DeepEqual(got, []string{want}) {
			t.Errorf("%s notes %q, want %q", lang, got, want)
		}
	}
}

// TestNoteUnknownKind: a note whose kind has no message still names the
// attribute instead of showing a message key.
func TestNoteUnknownKind(t *testing.T) {
	if got := explain.Note(engine.AttributeNote{Kind: "new-kind", Attribute: "email", Length: 70, Limit: 64}, "fr"); got != "email: new-kind" {
		t.Errorf("got %q", got)
	}
}
