package sanitize

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/ascii"
	"hubdoctor/internal/jsonspan"
)

// maxNesting bounds how deep JSON held in JSON strings is followed.
const maxNesting = 4

// walk sanitizes any JSON value: members with secret names are redacted,
// members naming a URL get the URL treatment, every other string is scrubbed;
// cat counts parameters redacted in URLs and parameter lists.
func (s *Sanitizer) walk(ed *editor, v span, cat string, depth int) {
	b := ed.src
	switch v.kind(b) {
	case '{':
		ed.members(v, func(key []byte, _, val span) {
			switch s.memberKind(key) {
			case secretMember:
				s.count("json", s.redactAll(ed, val))
			case urlMember:
				s.urlValue(ed, val, cat)
			default:
				s.walk(ed, val, cat, depth)
			}
		})
	case '[':
		ed.elements(v, func(e span) { s.walk(ed, e, cat, depth) })
	case '"':
		s.stringAt(ed, v, cat, depth)
	}
}

// memberKind tells what walk does with a member's value.
type memberKind uint8

const (
	plainMember  memberKind = iota // walked
	secretMember                   // redacted
	urlMember                      // given the URL treatment
)

// Bodies repeat the same few member names thousands of times, so the
// kinds of up to maxKnownNames names of up to maxKnownName bytes are kept.
const (
	maxKnownNames = 1024
	maxKnownName  = 64
)

// memberKind returns the kind of the member named key (raw, without quotes):
// secret names are redacted, URL names get the URL treatment.
func (s *Sanitizer) memberKind(key []byte) memberKind {
	if k, ok := s.known[string(key)]; ok {
		return k
	}
	k := plainMember
	switch n := s.normalized(key); {
	case secretKeys[string(n)] || secretWord(n):
		k = secretMember
	case urlName(n):
		k = urlMember
	}
	if len(key) <= maxKnownName && len(s.known) < maxKnownNames {
		if s.known == nil {
			s.known = map[string]memberKind{}
		}
		s.known[string(key)] = k
	}
	return k
}

// normalized returns a key as normalize does, in a scratch buffer.
func (s *Sanitizer) normalized(key []byte) []byte {
	if bytes.IndexByte(key, '\\') >= 0 {
		key = []byte(unquoteKey(key))
	}
	s.norm = s.norm[:0]
	for _, c := range key {
		switch c {
		case '_', '-', '.':
		default:
			s.norm = append(s.norm, ascii.Lower(c))
		}
	}
	return s.norm
}

func secretWord(n []byte) bool {
	for _, w := range secretWords {
		if bytes.Contains(n, []byte(w)) {
			return true
		}
	}
	return false
}

// urlName reports whether a normalized member name holds a URL
// (url, redirectUrl, redirect_uri, href, location, referrer…).
func urlName(n []byte) bool {
	return bytes.HasSuffix(n, []byte("url")) || bytes.HasSuffix(n, []byte("uri")) ||
		string(n) == "href" || string(n) == "location" || string(n) == "referer" || string(n) == "referrer"
}

// redactAll redacts every string and number inside v and returns how many.
// Booleans and null stay: they hold no secret and keep the shape readable.
func (s *Sanitizer) redactAll(ed *editor, v span) int {
	b := ed.src
	switch v.kind(b) {
	case '{':
		n := 0
		ed.members(v, func(_ []byte, _, val span) { n += s.redactAll(ed, val) })
		return n
	case '[':
		n := 0
		ed.elements(v, func(e span) { n += s.redactAll(ed, e) })
		return n
	case '"':
		if str, _ := stringValue(b, v); str == "" || str == Redacted {
			return 0
		}
	case 't', 'f', 'n', 0:
		return 0
	}
	ed.replaceString(v.start, v.end, Redacted)
	return 1
}

// mayNeedWork tells, from a string's raw bytes, whether scrubbing could
// change it, so that most strings are never decoded: JSON, '=' (a query or
// a cookie), a JWT ("eyJ"), a URL ("://", escaped or not), and when asked
// an e-mail address ('@', '%', "\u"). It looks at each byte once: most
// strings are short names and values, for which a search per pattern costs
// more in calls than in bytes, in WebAssembly most.
func (s *Sanitizer) mayNeedWork(inner []byte) bool {
	if len(inner) == 0 {
		return false
	}
	if inner[0] == '{' || inner[0] == '[' {
		return true
	}
	emails := s.opts.PseudonymizeEmails
	for i, c := range inner {
		if !mayNeedStops[c] {
			continue
		}
		switch c {
		case '=':
			return true
		case 'e':
			if bytes.HasPrefix(inner[i:], []byte("eyJ")) {
				return true
			}
		case ':':
			if bytes.HasPrefix(inner[i:], []byte("://")) || bytes.HasPrefix(inner[i:], []byte(`:\/\/`)) {
				return true
			}
		case '@', '%':
			if emails {
				return true
			}
		case '\\':
			if emails && bytes.HasPrefix(inner[i:], []byte(`\u`)) {
				return true
			}
		}
	}
	return false
}

// mayNeedStops marks the bytes mayNeedWork and urlMayNeedWork stop at.
var mayNeedStops = func() (t [256]bool) {
	for _, c := range []byte(`=e:@%\\?#`) {
		t[c] = true
	}
	return t
}()

// stringAt scrubs the string at v; JSON held in the string is walked.
func (s *Sanitizer) stringAt(ed *editor, v span, cat string, depth int) {
	b := ed.src
	if v.kind(b) != '"' || !s.mayNeedWork(b[v.start+1:v.end-1]) {
		return
	}
	str, _ := stringValue(b, v)
	out, isJSON := str, false
	if t := strings.TrimSpace(str); depth < maxNesting && t != "" && (t[0] == '{' || t[0] == '[') {
		out, isJSON = s.document(str, str, cat, depth+1)
	}
	if !isJSON {
		out = s.scrub(str, cat)
	}
	if out != str {
		ed.replaceString(v.start, v.end, out)
	}
}

// document sanitizes text, a JSON text held in a string or a body, when
// check (text itself, or text without the white space around it) is valid
// JSON, and reports whether it is.
func (s *Sanitizer) document(text, check, cat string, depth int) (string, bool) {
	src := []byte(text)
	ed := s.acquire(src, nil)
	defer s.release()
	switch {
	case len(check) == len(text):
		if !jsonspan.Validate(src, &ed.index) {
			return text, false
		}
		ed.ix = &ed.index
	case !gjson.Valid(check):
		return text, false
	}
	s.walk(ed, span{start: jsonspan.SkipSpace(src, 0), end: len(src)}, cat, depth)
	if len(ed.edits) == 0 {
		return text, true
	}
	return string(ed.apply(nil)), true
}

// urlValue gives the string at v the URL treatment; other values are walked.
func (s *Sanitizer) urlValue(ed *editor, v span, cat string) {
	b := ed.src
	if v.kind(b) == '"' && !s.urlMayNeedWork(b[v.start+1:v.end-1]) {
		return
	}
	str, ok := stringValue(b, v)
	if !ok {
		s.walk(ed, v, cat, 0)
		return
	}
	if out := s.url(str, cat); out != str {
		ed.replaceString(v.start, v.end, out)
	}
}

// urlMayNeedWork tells, from a URL string's raw bytes, whether url could
// change it: a URL without query, fragment, JWT or (when asked) e-mail
// address stays as it is, and most are never decoded. Escaped text is
// decoded first, as it may hide any of them. Like mayNeedWork, it looks at
// each byte once.
func (s *Sanitizer) urlMayNeedWork(inner []byte) bool {
	emails := s.opts.PseudonymizeEmails
	for i, c := range inner {
		if !mayNeedStops[c] {
			continue
		}
		switch c {
		case '\\', '?', '#':
			return true
		case 'e':
			if bytes.HasPrefix(inner[i:], []byte("eyJ")) {
				return true
			}
		case '@':
			if emails {
				return true
			}
		case '%':
			if emails && bytes.HasPrefix(inner[i:], []byte("%40")) {
				return true
			}
		}
	}
	return false
}

// url redacts the secret query and fragment parameters of a URL, then JWTs
// and (when asked) e-mails in it.
func (s *Sanitizer) url(u, cat string) string {
	out, n := urlParams(u)
	s.count(cat, n)
	return s.tokens(out)
}

// scrub sanitizes free text: secret parameters of the URLs in it (or of the
// whole text when it is a parameter list), then JWTs and e-mails.
func (s *Sanitizer) scrub(text, cat string) string {
	if strings.Contains(text, "://") {
		text = replaceEach(text, nextURL, func(u string) string { return s.url(u, cat) })
	} else if paramList(text) {
		out, n := params(text)
		s.count(cat, n)
		text = out
	}
	return s.tokens(text)
}

// paramList reports whether text looks like "a=1&b=2" (one line, no spaces).
func paramList(text string) bool {
	return strings.IndexByte(text, '=') > 0 && !strings.ContainsAny(text, " \t\r\n{}\"<>")
}

// tokens replaces whole JWTs and, when asked, e-mail addresses.
func (s *Sanitizer) tokens(text string) string {
	if strings.Contains(text, "eyJ") {
		text = replaceEach(text, nextJWT, func(string) string {
			s.count("jwt", 1)
			return redactedJWT
		})
	}
	if s.opts.PseudonymizeEmails && (strings.IndexByte(text, '@') >= 0 || strings.Contains(text, "%40")) {
		text = replaceEach(text, nextEmail, func(e string) string {
			p := s.pseudo.Email(e)
			if p != e {
				s.count("email", 1)
			}
			return p
		})
	}
	return text
}

// headers sanitizes a HAR headers array. A value is decoded only when its
// header's class redacts it: most are scrubbed as text or given the URL
// treatment, which look at the raw bytes first.
func (s *Sanitizer) headers(ed *editor, list span) {
	b := ed.src
	ed.elements(list, func(h span) {
		name, val := s.nameValue(ed, h, "url")
		if val.kind(b) != '"' {
			s.walk(ed, val, "url", 0)
			return
		}
		class := s.headerClassOf(b, name)
		switch class {
		case headerURL:
			s.urlValue(ed, val, "url")
			return
		case headerText:
			s.stringAt(ed, val, "url", 0)
			return
		}
		str, _ := stringValue(b, val)
		out, n, cat := str, 1, ""
		switch class {
		case headerAuth:
			out, cat = authValue(str), "authorization"
		case headerCookie:
			out, n = cookieValue(str)
			cat = "cookie"
		case headerSetCookie:
			out, n = setCookieValue(str)
			cat = "cookie"
		case headerSecret:
			out, cat = Redacted, "header"
		}
		if str != "" && out != str {
			s.count(cat, n)
			ed.replaceString(val.start, val.end, out)
		}
	})
}

// headerClassOf returns the class of the header named by the string at
// name (its value span; a header without a name is classed as ""). Pages
// send the same few header names with every request, so the classes of up
// to maxKnownNames names are kept, by their raw bytes.
func (s *Sanitizer) headerClassOf(b []byte, name span) headerClass {
	var raw []byte
	if name.kind(b) == '"' {
		raw = b[name.start+1 : name.end-1]
	}
	if c, ok := s.hdrs[string(raw)]; ok {
		return c
	}
	n, _ := stringValue(b, name)
	c := classifyHeader(n)
	if len(raw) <= maxKnownName && len(s.hdrs) < maxKnownNames {
		if s.hdrs == nil {
			s.hdrs = map[string]headerClass{}
		}
		s.hdrs[string(raw)] = c
	}
	return c
}

// params sanitizes a name/value list (queryString, postData.params).
func (s *Sanitizer) params(ed *editor, list span, cat string) {
	b := ed.src
	ed.elements(list, func(p span) {
		nameAt, val := s.nameValue(ed, p, cat)
		name, _ := stringValue(b, nameAt)
		if secretParam(name) {
			s.count(cat, s.redactAll(ed, val))
			return
		}
		s.walk(ed, val, cat, 0)
	})
}

// nameValue reads one {name, value, …} element of a headers or params list:
// the name's and the value's spans. Other members are walked as cat.
func (s *Sanitizer) nameValue(ed *editor, obj span, cat string) (name, val span) {
	ed.members(obj, func(key []byte, _, v span) {
		switch {
		case keyIs(key, "name"):
			name = v
		case keyIs(key, "value"):
			val = v
		default:
			s.walk(ed, v, cat, 0)
		}
	})
	return name, val
}

// cookies sanitizes a HAR cookies array: names stay, values go.
func (s *Sanitizer) cookies(ed *editor, list span) {
	ed.elements(list, func(c span) {
		ed.members(c, func(key []byte, _, v span) {
			if keyIs(key, "value") {
				s.count("cookie", s.redactAll(ed, v))
				return
			}
			s.walk(ed, v, "url", 0)
		})
	})
}

// placeholderPrefix starts every replaced body, so sanitizing twice keeps it.
const placeholderPrefix = "[REDACTED: "

// body sanitizes a request or response body held in the JSON string at v and
// returns the new text, or ok false to keep it as it is. Opaque bodies and
// token endpoint responses are replaced without being decoded.
func (s *Sanitizer) body(b []byte, v span, mime string, b64, tokenResp bool, cat string) (string, bool) {
	if v.kind(b) != '"' || v.end-v.start <= 2 || bytes.HasPrefix(b[v.start+1:], []byte(placeholderPrefix)) {
		return "", false
	}
	if tokenResp {
		return s.placeholder("token endpoint response", bodySize(b, v, b64)), true
	}
	if opaque(mime) {
		return s.placeholder(mime, bodySize(b, v, b64)), true
	}
	text, _ := stringValue(b, v)
	if b64 {
		dec, err := decodeBase64(text)
		if err != nil || !utf8.Valid(dec) {
			return s.placeholder(orDefault(mime, "binary"), bodySize(b, v, b64)), true
		}
		text = string(dec)
	}
	out, isJSON := text, false
	t := strings.TrimSpace(text)
	if t != "" && (t[0] == '{' || t[0] == '[') {
		// One search for what the three names share spares most bodies three.
		if strings.Contains(t, "_token") {
			for _, k := range []string{"access_token", "id_token", "refresh_token"} {
				if strings.Contains(t, k) && gjson.Valid(t) && gjson.Get(t, k).Exists() {
					return s.placeholder("token response", len(text)), true
				}
			}
		}
		out, isJSON = s.document(text, t, "url", 1)
	}
	switch {
	case isJSON:
	case mime == "application/x-www-form-urlencoded" || paramList(t):
		var n int
		out, n = params(text)
		s.count(cat, n)
		out = s.tokens(out)
	default:
		out = s.scrub(text, "url")
	}
	if out == text {
		return "", false // base64 bodies that need no change stay encoded
	}
	return out, true
}

func (s *Sanitizer) placeholder(what string, size int) string {
	s.count("body", 1)
	return fmt.Sprintf("%s%s body, %d bytes]", placeholderPrefix, what, size)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// bodySize is the decoded size of the body at v, measured without decoding.
func bodySize(b []byte, v span, b64 bool) int {
	n := decodedLen(b, v)
	if !b64 {
		return n
	}
	pad := 0
	for i := v.end - 2; i > v.start && pad < 2 && b[i] == '='; i-- {
		pad++
	}
	return n/4*3 - pad
}

// decodeBase64 accepts padded and unpadded base64 with line breaks.
func decodeBase64(text string) ([]byte, error) {
	text = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' {
			return -1
		}
		return r
	}, text)
	if dec, err := base64.StdEncoding.DecodeString(text); err == nil {
		return dec, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(text, "="))
}

// opaque reports whether bodies of a media type are replaced wholesale:
// markup, code, styles, media, fonts, archives and XML (which can carry SAML
// assertions) cannot be sanitized value by value.
func opaque(mime string) bool {
	for _, p := range []string{"image/", "audio/", "video/", "font/", "multipart/", "application/font", "application/x-font"} {
		if strings.HasPrefix(mime, p) {
			return true
		}
	}
	for _, w := range []string{"html", "javascript", "ecmascript", "css", "xml", "octet-stream", "wasm", "pdf", "zip", "protobuf", "grpc", "msgpack"} {
		if strings.Contains(mime, w) {
			return true
		}
	}
	return false
}
