package engine

import (
	"bytes"
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/har"
)

// The catalog knows a few dozen failures; Control Hub can fail in hundreds
// of ways. Beside the findings, a session lists every failed call to a
// Webex API (an HTTP status of 400 or more on a Webex host) and every item
// that failed inside a successful answer of a shape the rules read (a user
// of an onboard batch, a licence call's partial success, an SSO error
// page), with what TAC asks for: the call, its tracking ID, the service's
// codes and words. Calls known to be harmless are marked expected, each
// with its public source; a call a finding explains names the finding's
// rule, so the views list it once.

// FailedCall is one failed Webex call, or one failed item inside a call's
// answer: a value, as the session recorded it. The views show it through
// explain.Call, which sanitizes URL, Request and Response, fills Reason in
// the admin's language and indents a JSON Response; findings' texts go the
// same way.
type FailedCall struct {
	// Entry is the entry's index in the HAR or the live capture.
	Entry int `json:"entry"`
	// Time is the entry's startedDateTime.
	Time   string `json:"time,omitempty"`
	Method string `json:"method"`
	// URL is the full URL (explain.Call redacts its secret parameters).
	URL string `json:"url"`
	// Path is the URL's path with its IDs replaced: {org}, {uuid},
	// {email}, {id} (a public API ID) and {n} (a number), so that calls
	// to the same endpoint read alike.
	Path string `json:"path"`
	Host string `json:"host"`
	// OrgID is the organization ID from the URL, else from the request
	// body's orgId, else the one the session's earlier calls named (a
	// Control Hub session works on one organization at a time).
	OrgID string `json:"orgId,omitempty"`
	// Status is the HTTP status; for an item, the item's own status when
	// the answer gives one (400 inside a 200), else the call's (206).
	Status int `json:"status"`
	// Item is the user (e-mail, or ID) that failed inside the answer; empty
	// when the call failed as a whole.
	Item string `json:"item,omitempty"`
	// Service names the back end, from host and path (ServiceOf).
	Service string `json:"service"`
	// TrackingID and Message are always present ("" when the call has none).
	TrackingID string `json:"trackingId"`
	// Codes are the error codes the answer carries, as strings.
	Codes []string `json:"codes,omitempty"`
	// Message is the service's error text, in Control Hub's order (ErrorText),
	// or an error page's title or first words.
	Message string `json:"message"`
	// Expected marks a call known to be harmless; Known names which
	// (its message key is "failed.expected." + Known), Source where that is
	// written, and Reason says why in the admin's language.
	Expected bool   `json:"expected"`
	Known    string `json:"known,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Source   string `json:"source,omitempty"`
	// Rule is the rule whose finding explains the call (the same entry and,
	// for an item, the same user): the finding says it all, the call is
	// only linked to it.
	Rule string `json:"rule,omitempty"`
	// Request is the call as sent: method and URL, the headers TAC reads
	// (TrackingID, Content-Type), then after a blank line the body, capped
	// at MaxCallRequest bytes (explain.Call sanitizes it).
	Request string `json:"request,omitempty"`
	// Response is the answer's body verbatim, capped at MaxResponse bytes
	// as a finding's (explain.Call sanitizes it).
	Response string `json:"response,omitempty"`
	// BodyTruncated is set when the browser recorded only part of the body.
	BodyTruncated bool `json:"bodyTruncated,omitempty"`
}

// MaxCallRequest caps the request body kept in a FailedCall.
const MaxCallRequest = 16 << 10

// cutMark ends a text Hub Doctor cut at its cap.
const cutMark = "\n[… cut by Hub Doctor]"

// webexDomains are the domains of Webex's services: a host is a Webex host
// when it is one of them or a subdomain of one.
var webexDomains = []string{"wbx2.com", "webex.com", "webexapis.com", "ciscospark.com", "webexcontent.com"}

// WebexHosts lists the domains whose hosts are Webex's (a host is one of
// them or ends with "." and one of them). The page observer records a call
// whose status is 400 or more only on those hosts: scripts/scopes writes
// this list into extension/observer.js at build time.
func WebexHosts() []string {
	return append([]string(nil), webexDomains...)
}

// IsWebexHost reports whether host (lower case, without port) is a Webex host.
func IsWebexHost(host string) bool {
	for _, d := range webexDomains {
		if strings.HasSuffix(host, d) && (len(host) == len(d) || host[len(host)-len(d)-1] == '.') {
			return true
		}
	}
	return false
}

// FailedStatus is the least HTTP status of a failed call. A request whose
// status is lower is a failed call only inside an answer the rules read
// (their scope hints find it); the extension asks the engine about any
// request of this status or more, whatever its URL.
const FailedStatus = 400

// isFailedCall decides from the request alone, status first (the 2xx
// majority costs one comparison), whether r is a failed Webex call.
func isFailedCall(r har.Request) bool {
	return r.Status >= FailedStatus && IsWebexHost(r.Host())
}

// expectedCall is a failing call known to be harmless: Control Hub makes it
// in the normal course of its pages and shows nothing for it.
type expectedCall struct {
	id     string
	method string
	// path is the path template (trailing slash removed) the call has;
	// paths lists several.
	paths  []string
	status int
	// key is the message key of the reason ("failed.expected." + id),
	// written out so that the catalog's tests find it.
	key    string
	source string
}

// s1Source is the TAC article the seeds are versions of: its HAR request
// list shows these calls failing beside the real problem, and its
// procedure ignores them.
const s1Source = "https://www.cisco.com/c/en/us/support/docs/unified-communications/webex-calling/222122-troubleshoot-status-400-user-error-in.html"

// expectedCalls are the harmless failures, each with its public source.
// docs/webex-signatures.md lists them.
var expectedCalls = []expectedCall{
	{id: "subscriptions-pending", method: "GET", paths: []string{"/admin/api/v1/subscriptions/pending"}, status: 400,
		key: "failed.expected.subscriptions-pending", source: s1Source},
	{id: "organization-lookup", method: "GET", paths: []string{"/admin/api/v1/organizations", "/admin/api/v1/organizations/{org}"}, status: 404,
		key: "failed.expected.organization-lookup", source: s1Source},
}

// expectedFor returns the expected call that c is, or nil.
func expectedFor(c *FailedCall) *expectedCall {
	if c.Item != "" {
		return nil
	}
	path := strings.TrimSuffix(c.Path, "/")
	for i := range expectedCalls {
		x := &expectedCalls[i]
		if x.status != c.Status || !strings.EqualFold(x.method, c.Method) {
			continue
		}
		for _, p := range x.paths {
			// A prefix before the API's path (a regional or proxied mount)
			// leaves the call what it is.
			if strings.HasSuffix(path, p) {
				return x
			}
		}
	}
	return nil
}

// ReasonKey returns the message key that says why the expected call named
// known (FailedCall.Known) is harmless, or "" for a call not known.
func ReasonKey(known string) string {
	for _, x := range expectedCalls {
		if x.id == known {
			return x.key
		}
	}
	return ""
}

// FailedCalls lists the failed calls of e, an entry Analyze has run on and
// found fs in: the call itself when its status is 400 or more on a Webex
// host, else each failed item of an answer the rules read. Each call a
// finding of fs explains names its rule. The session remembers the last
// organization ID the entries named, for calls whose URL names none.
func (s *Session) FailedCalls(e *har.Entry, fs []Finding) []FailedCall {
	return s.linkCalls(e, failedCalls(e), fs)
}

// linkCalls completes calls, which failedCalls read from e, with what
// takes the session and the findings: the entry's index (final once the
// entry is applied in file order), the organization ID and the rule.
func (s *Session) linkCalls(e *har.Entry, calls []FailedCall, fs []Finding) []FailedCall {
	org := OrgID(e.URL)
	if org == "" && len(e.RequestBody) > 0 {
		org = hydraUUID(gjson.GetBytes(e.RequestBody, "orgId").String())
	}
	if org != "" {
		s.org = org
	}
	for i := range calls {
		c := &calls[i]
		c.Entry, c.OrgID = e.Index, s.org
		c.Rule = explainedBy(c, fs)
	}
	return calls
}

// failedCalls reads the failed calls of e, marking the expected ones. It
// needs nothing but e, so the parts of a file AnalyzeFile prepares in
// parallel read them there.
func failedCalls(e *har.Entry) []FailedCall {
	var out []FailedCall
	switch {
	case !IsWebexHost(e.Host()):
		return nil
	case e.Status >= FailedStatus:
		out = append(out, newFailedCall(e))
	case e.Status >= 200 && e.Status < 300:
		out = failedItems(e)
	}
	for i := range out {
		c := &out[i]
		if x := expectedFor(c); x != nil {
			c.Expected, c.Known, c.Source = true, x.id, x.source
		}
	}
	return out
}

// newFailedCall fills what every failed call of e has, reading the body
// once.
func newFailedCall(e *har.Entry) FailedCall {
	b := parseBody(e.ResponseBody)
	message := failureTextOf(e.ResponseBody, b)
	return FailedCall{
		Entry:         e.Index,
		Time:          e.Started,
		Method:        strings.ToUpper(e.Method),
		URL:           e.URL,
		Path:          PathTemplate(e.URL),
		Host:          e.Host(),
		Status:        e.Status,
		Service:       ServiceOf(e.Host(), e.Path()),
		TrackingID:    trackingIDOf(e, b),
		Message:       message,
		Codes:         bodyCodes(b, message),
		Request:       requestText(e),
		Response:      Verbatim(e.ResponseBody),
		BodyTruncated: e.BodyTruncated,
	}
}

// failedItems lists the items that failed inside e's successful answer, in
// the shapes the rules read: the users of an onboard batch whose status is
// 400 or more, a licence call's partial success (206) with errors, a Webex
// site's page naming a numbered SSO error.
func failedItems(e *har.Entry) []FailedCall {
	var out []FailedCall
	switch {
	case inOnboardScope(e.Request):
		users, _ := parseOnboard(e.ResponseBody)
		for _, u := range users {
			if u.Status < FailedStatus {
				continue
			}
			c := newFailedCall(e)
			c.Status, c.Item = u.Status, u.Email
			if c.Item == "" {
				c.Item = requestEmail(e)
			}
			c.Message = u.Description
			c.Codes = appendCodes(append([]string(nil), u.Codes...), codesInText(u.Description)...)
			// The tracking ID inside the description names the back-end
			// call that failed for this user: the most precise one.
			if t := TrackingIDInText(u.Description); t != "" {
				c.TrackingID = t
			}
			out = append(out, c)
		}
	case inLicenseScope(e.Request) && e.Status == 206:
		if codes := envelopeCodes(e.ResponseBody); len(codes) > 0 {
			c := newFailedCall(e)
			c.Codes = codes
			c.Item = gjson.GetBytes(e.RequestBody, "email").String()
			if c.Item == "" && gjson.ValidBytes(e.ResponseBody) {
				c.Item = gjson.GetBytes(e.ResponseBody, "email").String()
			}
			if c.Item == "" {
				c.Item = gjson.GetBytes(e.RequestBody, "personId").String()
			}
			out = append(out, c)
		}
	case inSSOScope(e.Request) && isPageMime(e.MimeType):
		if errs := ssoErrors(e.ResponseBody); len(errs) > 0 {
			c := newFailedCall(e)
			var texts []string
			for _, x := range errs {
				c.Codes = append(c.Codes, x.code)
				texts = append(texts, x.text)
			}
			c.Message = strings.Join(texts, "; ")
			out = append(out, c)
		}
	}
	return out
}

// explainedBy returns the rule of the finding in fs that explains c: one on
// the same entry and, for an item, about the same user; else "".
func explainedBy(c *FailedCall, fs []Finding) string {
	for _, f := range fs {
		if f.Entry == c.Entry && (c.Item == "" || strings.EqualFold(f.Email, c.Item)) {
			return f.Rule
		}
	}
	return ""
}

// bodyCodes returns the error codes of an error answer, parsed as b: the
// envelope's (errors[].errorCode, errorCode), error.key and error.code, a
// top-level code, and the "[Error N]" numbers of its text; nil when there
// is none.
func bodyCodes(b jsonBody, text string) []string {
	codes := envelopeCodesOf(b)
	if b.valid {
		for _, path := range []string{"error.key", "error.code", "error.errorCode", "code"} {
			if r := b.root.Get(path); r.Type == gjson.String || r.Type == gjson.Number {
				codes = appendCodes(codes, r.String())
			}
		}
	}
	return appendCodes(codes, codesInText(text)...)
}

// appendCodes appends the codes that list lacks.
func appendCodes(list []string, codes ...string) []string {
	for _, c := range codes {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		dup := false
		for _, x := range list {
			dup = dup || x == c
		}
		if !dup {
			list = append(list, c)
		}
	}
	return list
}

// requestText is the call as sent: method and URL, the headers TAC reads,
// and after a blank line the body, capped. No other header is kept (no
// Authorization, no cookies).
func requestText(e *har.Entry) string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(e.Method) + " " + e.URL)
	for _, name := range []string{"TrackingID", "Content-Type"} {
		if v := e.RequestHeaders.Get(name); v != "" {
			b.WriteString("\n" + name + ": " + v)
		}
	}
	if body := bytes.TrimSpace(e.RequestBody); len(body) > 0 {
		b.WriteString("\n\n")
		b.Write(cutAt(body, MaxCallRequest))
	}
	return b.String()
}

// cutAt returns b cut to at most n bytes, on a character boundary, ending
// with cutMark when cut.
func cutAt(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return append(b[:n:n], cutMark...)
}

// PathTemplate returns rawURL's path with its IDs replaced, so that calls
// to one endpoint read alike: the segment after organization(s), customers
// or orgs becomes {org}, a UUID {uuid}, an e-mail address {email}, a
// public API ID (base64 of "ciscospark://…") {id}, a number {n}.
func PathTemplate(rawURL string) string {
	segs := strings.Split(har.URLPath(rawURL), "/")
	for i, s := range segs {
		switch {
		case s == "":
		case i > 0 && isOrgSegment(segs[i-1]) && s != "users":
			segs[i] = "{org}"
		case isUUID(s):
			segs[i] = "{uuid}"
		case strings.Contains(s, "@"):
			segs[i] = "{email}"
		case isNumber(s):
			segs[i] = "{n}"
		case isPublicID(s):
			segs[i] = "{id}"
		}
	}
	return strings.Join(segs, "/")
}

func isOrgSegment(s string) bool {
	switch s {
	case "organization", "organizations", "customers", "orgs":
		return true
	}
	return false
}

// isUUID reports whether s is 8-4-4-4-12 hexadecimal digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if c := s[i] | 0x20; !('0' <= s[i] && s[i] <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isPublicID reports whether s is a public API ID: base64 of
// "ciscospark://…", which starts "Y2lzY29zcGFyazovL".
func isPublicID(s string) bool {
	if !strings.HasPrefix(s, "Y2lzY29zcGFyazovL") {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		_, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	return err == nil
}

// servicePaths name a service by the first segment of a path, where the
// host does not (a shared or vanity host).
var servicePaths = map[string]string{
	"atlas-server": "atlas", "admin": "atlas", "license": "license", "identity": "identity",
	"idb": "identity", "cpapi": "cpapi", "collabadmin": "cpapi", "metrics": "metrics",
	"locus": "locus", "u2c": "u2c", "webex-pulse": "pulse",
}

// ServiceOf names the Webex service behind a call, from its host and path:
// the public API (webexapis.com, api.ciscospark.com) is "hydra", the
// identity service (identity.webex.com, idbroker…) "identity"; a *.wbx2.com
// host names its service before its region ("atlas-a" → "atlas"); else
// the path's first segment, when it is a known one; else "webex".
func ServiceOf(host, path string) string {
	switch {
	case host == "webexapis.com" || strings.HasSuffix(host, ".webexapis.com") || host == "api.ciscospark.com":
		return "hydra"
	case strings.HasPrefix(host, "identity") || strings.HasPrefix(host, "idbroker"):
		return "identity"
	case strings.HasSuffix(host, ".wbx2.com"):
		label := host[:strings.IndexByte(host, '.')]
		if i := strings.IndexByte(label, '-'); i > 0 {
			label = label[:i]
		}
		if s, ok := servicePaths[label]; ok {
			return s
		}
		if label != "" && isWord(label) {
			return label
		}
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if s, ok := servicePaths[first]; ok {
		return s
	}
	return "webex"
}

// isWord reports whether s is lower-case letters and digits only.
func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
