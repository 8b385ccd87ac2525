package engine

import (
	"net/url"
	"strings"

	"hubdoctor/internal/har"
	"hubdoctor/internal/saml"
)

// The SSO family reads Webex site SSO sign-ins
// (docs/webex-signatures.md §5): the SAML response the
// browser carries from the identity provider to the site, and the site's
// answer naming a numbered SSO error ("Reason: Auto Account Creation failed
// (31).", 'Error number "null" - 31', or the <federatedSSO> XML).

// ssoState is what the SSO family remembers across entries: the last SAML
// response the browser carried to a Webex site, which explains an error page
// that follows it.
type ssoState struct {
	last *saml.Message
}

// inSSOScope matches what a Webex site's SSO sign-in sends and shows. Site
// hosts are SITE.webex.com; the assertion consumer service path
// (/dispatcher/SAML2AuthService) and the site pages (/webappng/) are matched
// too, whatever the host, so vanity and regional hosts are not missed. GETs
// are wanted only when they may be a result page (HTML or XML) or carry a
// SAML response in the query; every POST to the site may carry one.
// ssoHints: every URL inSSOScope accepts contains one of these.
var ssoHints = []string{"webex.com", "/dispatcher/saml2authservice", "/webappng/"}

func inSSOScope(r har.Request) bool {
	if host := r.Host(); host != "webex.com" && !strings.HasSuffix(host, ".webex.com") {
		path := strings.ToLower(r.Path())
		if !strings.Contains(path, "/dispatcher/saml2authservice") && !strings.Contains(path, "/webappng/") {
			return false
		}
	}
	return strings.EqualFold(r.Method, "POST") || strings.Contains(r.RawQuery(), "SAMLResponse=") || isPageMime(r.MimeType)
}

// isPageMime tells the media types a result page comes in.
func isPageMime(m string) bool {
	switch m {
	case "text/html", "application/xhtml+xml", "text/xml", "application/xml":
		return true
	}
	return false
}

// ssoError is one numbered SSO error a site's answer reports.
type ssoError struct {
	code string
	// text is the site's words, as shown ("Auto Account Creation failed (31)").
	text string
}

// ssoEntry is one entry read by the SSO family, shared by its rules.
type ssoEntry struct {
	errors []ssoError
	// saml is the SAML response that preceded (or came with) the errors.
	saml *saml.Message
}

// ssoParse reads the context's entry once for the whole family: it first
// remembers a SAML response the request carries, so that an error in the
// same entry's answer (the assertion consumer service answering at once) is
// explained by it, then reads the answer's errors.
func ssoParse(c *Context) ssoEntry {
	return c.Cached("sso", func() any {
		st := &c.Session.sso
		if m := samlInRequest(c.Entry); m != nil {
			st.last = m
		}
		var errs []ssoError
		if isPageMime(c.Entry.MimeType) {
			errs = ssoErrors(c.Entry.ResponseBody)
		}
		return ssoEntry{errors: errs, saml: st.last}
	}).(ssoEntry)
}

// samlInRequest decodes the SAML response an entry's request carries: the
// SAMLResponse form field (postData.params, else the urlencoded body) of the
// POST binding, or the SAMLResponse query parameter of the Redirect binding.
// It returns nil when there is none, when it does not decode (a capture cut
// short, another product's format), or when it is not a Response.
func samlInRequest(e *har.Entry) *saml.Message {
	value := ""
	for _, p := range e.FormParams {
		if strings.EqualFold(p.Name, "SAMLResponse") {
			value = p.Value
			break
		}
	}
	if value == "" && len(e.RequestBody) > 0 && strings.Contains(string(e.RequestBody), "SAMLResponse=") {
		if q, err := url.ParseQuery(string(e.RequestBody)); err == nil {
			value = q.Get("SAMLResponse")
		}
	}
	if value == "" {
		if u, err := url.Parse(e.URL); err == nil {
			value = u.Query().Get("SAMLResponse")
		}
	}
	if value == "" {
		return nil
	}
	m, err := saml.Decode(value)
	if err != nil || m.Kind != "Response" {
		return nil
	}
	return m
}

// ssoErrors finds the numbered SSO errors a site's answer reports. Only the
// site's distinctive wording counts: the <federatedSSO> XML with status
// FAILURE, 'Error number "…" - N', or a known reason followed by its own
// code ("Auto Account Creation failed (31)"); a bare number never does.
// The XML answer reads <federatedSSO>…<status>FAILURE</status>
// <errorcode>31</errorcode><reason>Auto Account Creation failed.</reason>.
func ssoErrors(body []byte) []ssoError {
	var out []ssoError
	seen := map[string]bool{}
	add := func(code, text string) {
		if !seen[code] && ssoCodeByNumber(code) != nil {
			seen[code] = true
			out = append(out, ssoError{code, text})
		}
	}
	page := string(body)
	for _, doc := range federatedSSODocs(page) {
		code := federatedCode(doc)
		if code == "" || !hasFailureStatus(doc) {
			continue
		}
		reason, _ := elementText(doc, "reason")
		add(code, strings.TrimSpace(unescapeEntities(reason)))
	}
	text := collapseSpace(unescapeEntities(replaceTags(page)))
	for _, sc := range ssoCodes {
		for _, p := range sc.phrases {
			for _, m := range phraseCodes(text, p) {
				if m.code == sc.code {
					add(sc.code, strings.TrimSpace(m.text))
				}
			}
		}
	}
	for _, m := range errorNumbers(text) {
		add(m.code, strings.TrimSpace(m.text))
	}
	return out
}

// ssoCode is one numbered SSO error: its rule's ID, the site's wordings, and
// the check that explains it.
type ssoCode struct {
	// id is the rule's ID, written out in full so that grep finds it:
	// "sso/" + name + "-" + code (TestSSOCodeIDs keeps them agreeing).
	id         string
	code, name string
	// phrases are the site's wordings of the error, from WBX68460 and
	// WBX54421; the site writes each followed by the code.
	phrases []string
	source  string
	links   []string
	// explain adds what the SAML response shows; nil for errors whose cause
	// the browser cannot see.
	explain func(f *Finding, m *saml.Message)
}

const (
	srcCodes = "help.webex.com WBX68460 “What are the SAML error codes?”, " + lnkCodes
	lnkCodes = "https://help.webex.com/article/WBX68460"
	src31    = "Cisco article “Error: ‘Auto Account Creation failed 31’” (seed 003), " + lnk31 + ", and WBX68460, " + lnkCodes
	lnk31    = "https://help.webex.com/article/WBX54421"
)

// ssoCodes is the numbered-error table, one rule per row, in code order.
var ssoCodes = withDefaultSources([]*ssoCode{
	{id: "sso/protocol-error-1", code: "1", name: "protocol-error", phrases: []string{"SSO protocol error"}},
	{id: "sso/no-user-name-2", code: "2", name: "no-user-name", phrases: []string{"No user name found in SAML assertion"}, explain: explainNameID},
	{id: "sso/no-account-3", code: "3", name: "no-account", phrases: []string{"No user account found in the system"}},
	{id: "sso/wrong-certificate-8", code: "8", name: "wrong-certificate", phrases: []string{"Incorrect X.509 certificate to validate SAML assertion"}},
	{id: "sso/invalid-assertion-13", code: "13", name: "invalid-assertion", phrases: []string{"Invalid SAML assertion"}},
	{id: "sso/recipient-mismatch-14", code: "14", name: "recipient-mismatch", phrases: []string{"Recipient does not match webex.com"}},
	{id: "sso/assertion-expired-19", code: "19", name: "assertion-expired", phrases: []string{"SAML assertion is expired"}},
	{id: "sso/assertion-unsigned-20", code: "20", name: "assertion-unsigned", phrases: []string{"SAML assertion is unsigned"}},
	{id: "sso/invalid-signature-23", code: "23", name: "invalid-signature", phrases: []string{"Invalid digital signature"}},
	{id: "sso/untrusted-issuer-24", code: "24", name: "untrusted-issuer", phrases: []string{"Untrusted Issuer"}},
	{id: "sso/name-id-format-25", code: "25", name: "name-id-format", phrases: []string{"Name Identifier format is incorrect"}},
	{id: "sso/in-response-to-mismatch-28", code: "28", name: "in-response-to-mismatch", phrases: []string{"InResponseTo does not match the request ID"}},
	{id: "sso/invalid-response-29", code: "29", name: "invalid-response", phrases: []string{"Invalid Response message"}},
	{id: "sso/auto-account-creation-31", code: "31", name: "auto-account-creation", phrases: []string{"Auto Account Creation failed", "Auto Account Create failed"},
		source: src31, links: []string{lnk31, lnkCodes}, explain: explainAccountAttributes},
	{id: "sso/auto-account-update-32", code: "32", name: "auto-account-update", phrases: []string{"Auto Account Update failed"}, explain: explainAccountAttributes},
})

// withDefaultSources gives the rows without their own source WBX68460's.
func withDefaultSources(cs []*ssoCode) []*ssoCode {
	for _, c := range cs {
		if c.source == "" {
			c.source, c.links = srcCodes, []string{lnkCodes}
		}
	}
	return cs
}

func ssoCodeByNumber(code string) *ssoCode {
	for _, c := range ssoCodes {
		if c.code == code {
			return c
		}
	}
	return nil
}

// rule builds the code's catalog entry.
func (sc *ssoCode) rule() *Rule {
	return &Rule{
		ID:       sc.id,
		Severity: Error,
		Since:    "0.1.0",
		Source:   sc.source,
		Links:    sc.links,
		Scope:    inSSOScope,
		Check:    sc.check,
	}
}

// check reports the code when the entry's answer names it.
func (sc *ssoCode) check(c *Context) []Finding {
	p := ssoParse(c)
	var out []Finding
	for _, e := range p.errors {
		if e.code != sc.code {
			continue
		}
		f := c.Finding()
		f.Flow = FlowSSOSignIn
		f.Codes = []string{e.code}
		f.Description = e.text
		f.Response = Verbatim(c.Entry.ResponseBody)
		if m := p.saml; m != nil {
			f.SAMLSeen = true
			f.AssertionEncrypted = m.Encrypted
			f.Email = samlEmail(m)
			if sc.explain != nil {
				sc.explain(&f, m)
			}
		}
		out = append(out, f)
	}
	return out
}

// samlEmail is the user's e-mail as the SAML response gives it: the email
// attribute, else the NameID when it looks like an address.
func samlEmail(m *saml.Message) string {
	if a, ok := m.Attribute("email"); ok {
		for _, v := range a.Values {
			if v != "" {
				return v
			}
		}
	}
	if strings.Contains(m.NameID, "@") {
		return m.NameID
	}
	return ""
}

// ssoRules lists the family in the order they run: one rule per numbered
// SSO error, in code order.
func ssoRules() []*Rule {
	out := make([]*Rule, len(ssoCodes))
	for i, sc := range ssoCodes {
		out[i] = sc.rule()
	}
	return out
}
