package engine

import (
	"strings"
	"unicode/utf8"

	"hubdoctor/internal/saml"
)

// Auto account creation (31) and update (32) fail when the SAML response
// lacks what the site needs to create or update the host account
// (seed 003, WBX54421): the user name (NameID) and the firstname, lastname
// and email attributes. uid and updatetimestamp are not required. The
// Member Status attribute must not be sent at all.

// requiredAttributes are the attribute names Webex sites read for auto
// account creation; compared ignoring case, as IdPs vary the case.
var requiredAttributes = []string{"firstname", "lastname", "email"}

// maxLength are the value limits of the Cisco Webex Meetings Server guide,
// in characters; a longer value is noted, not treated as the proven cause.
var maxLength = map[string]int{"firstname": 32, "lastname": 32, "email": 64}

// explainAccountAttributes fills the finding with what the SAML response
// lacks or must not carry. An encrypted assertion shows neither, so nothing
// is guessed.
func explainAccountAttributes(f *Finding, m *saml.Message) {
	if m.Encrypted {
		return
	}
	explainNameID(f, m)
	for _, name := range requiredAttributes {
		a, ok := m.Attribute(name)
		value := firstValue(a)
		if !ok || value == "" {
			f.MissingAttributes = append(f.MissingAttributes, name)
			continue
		}
		if n := utf8.RuneCountInString(value); n > maxLength[name] {
			f.AttributeNotes = append(f.AttributeNotes, AttributeNote{Kind: NoteTooLong, Attribute: name, Length: n, Limit: maxLength[name]})
		}
	}
	for _, a := range m.Attributes {
		if isMemberStatus(a.Name) || isMemberStatus(a.FriendlyName) {
			f.UnexpectedAttributes = append(f.UnexpectedAttributes, a.Name)
		}
	}
}

// explainNameID reports a missing user name: the assertion's Subject/NameID.
func explainNameID(f *Finding, m *saml.Message) {
	if !m.Encrypted && strings.TrimSpace(m.NameID) == "" {
		f.MissingAttributes = append(f.MissingAttributes, "NameID")
	}
}

func firstValue(a saml.Attribute) string {
	for _, v := range a.Values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// isMemberStatus matches "Member Status" however an IdP spells it
// ("memberstatus", "member_status", "MemberStatus").
func isMemberStatus(name string) bool {
	n := strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(name))
	return n == "memberstatus"
}
