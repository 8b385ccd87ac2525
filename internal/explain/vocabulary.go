package explain

import (
	"strconv"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/messages"
)

// The one vocabulary: the labels of a finding's fields (field_*) and the
// severities (severity_*) are one key per concept in
// internal/messages/locales/<lang>/vocabulary.json, used by the CLI report,
// the TAC summary and, under the same key with the same text (a test keeps
// them equal in every language), the extension's panel and popup
// (extension/_locales).

// SeverityKeys are the message keys of the severities.
var SeverityKeys = map[engine.Severity]string{
	engine.Error:   "severity_error",
	engine.Warning: "severity_warning",
	engine.Info:    "severity_info",
}

// SeverityLabel is the word for s in lang ("Error", "Erreur", …).
func SeverityLabel(s engine.Severity, lang string) string {
	if k, ok := SeverityKeys[s]; ok {
		return messages.Localize(lang, k)
	}
	return string(s)
}

// NoteKeys are the message keys that word each kind of attribute note; the
// texts take {attribute}, {length} and {limit}.
var NoteKeys = map[engine.NoteKind]string{
	engine.NoteTooLong: "report.note.too-long",
}

// Notes words f's attribute notes in lang, in the finding's order.
func Notes(f engine.Finding, lang string) []string {
	var out []string
	for _, n := range f.AttributeNotes {
		out = append(out, Note(n, lang))
	}
	return out
}

// Note words one attribute note in lang. A kind without a message (none
// should exist: TestNoteKindsWorded) still names the attribute and the kind.
func Note(n engine.AttributeNote, lang string) string {
	k, ok := NoteKeys[n.Kind]
	if !ok {
		return n.Attribute + ": " + string(n.Kind)
	}
	return messages.Localize(lang, k, "attribute", n.Attribute, "length", strconv.Itoa(n.Length), "limit", strconv.Itoa(n.Limit))
}
