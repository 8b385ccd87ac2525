// Package explain turns a finding into words in the admin's language: its
// title, cause, fix steps, notes and the one vocabulary of field labels and
// severities. The CLI report, the TAC summary and the extension's views all
// word findings through it.
package explain

import (
	"strconv"
	"strings"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/messages"
)

// Explained is a finding with its title, cause, fix steps and help links in
// one language. It is what the panel, the banner and the CLI show.
type Explained struct {
	engine.Finding
	Title string   `json:"title"`
	Cause string   `json:"cause"`
	Steps []string `json:"steps"`
	Links []string `json:"links,omitempty"`
	// Notes are the finding's AttributeNotes worded in the language, so
	// the extension shows them without wording them itself.
	Notes []string `json:"notes,omitempty"`
}

// Explain renders f in lang (falling back to English for missing texts).
func Explain(f engine.Finding, lang string) Explained {
	args := Args(f, lang)
	x := Explained{
		Finding: f,
		Title:   messages.Localize(lang, f.Rule+".title", args...),
		Cause:   messages.Localize(lang, causeKey(f), args...),
		Steps:   messages.Lines(messages.Localize(lang, f.Rule+".fix", args...)),
		Notes:   Notes(f, lang),
	}
	if x.Steps == nil {
		x.Steps = []string{}
	}
	if r := engine.RuleByID(f.Rule); r != nil {
		x.Links = r.Links
	}
	return x
}

// ExplainAll renders every finding in lang.
func ExplainAll(fs []engine.Finding, lang string) []Explained {
	return each(fs, lang, Explain)
}

// each is word(f, lang) for every finding, in order.
func each[T any](fs []engine.Finding, lang string, word func(engine.Finding, string) T) []T {
	out := make([]T, len(fs))
	for i, f := range fs {
		out[i] = word(f, lang)
	}
	return out
}

// causeKey picks a variant of the cause when the finding calls for one: an
// SSO error whose SAML response was not captured, or whose assertion was
// encrypted, explains itself differently.
func causeKey(f engine.Finding) string {
	base := f.Rule + ".cause"
	switch {
	case f.AssertionEncrypted && messages.Has(f.Rule+".encrypted"):
		return f.Rule + ".encrypted"
	case f.Flow == engine.FlowSSOSignIn && !f.SAMLSeen && messages.Has(f.Rule+".nosaml"):
		return f.Rule + ".nosaml"
	}
	return base
}

// Args are the placeholder values texts may use: {email}, {org}, {codes},
// {description}, {missing}, {unexpected}, {status}, {tracking}.
func Args(f engine.Finding, lang string) []string {
	email := f.Email
	if email == "" {
		email = messages.Localize(lang, "report.unknown-user")
	}
	return []string{
		"email", email,
		"org", f.OrgID,
		"codes", strings.Join(f.Codes, ", "),
		"description", f.Description,
		"missing", strings.Join(f.MissingAttributes, ", "),
		"unexpected", strings.Join(f.UnexpectedAttributes, ", "),
		"status", itoa(f.Status),
		"tracking", f.TrackingID,
	}
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
