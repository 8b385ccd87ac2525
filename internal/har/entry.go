package har

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/jsonspan"
)

// Header is one HTTP header as HAR stores it.
type Header struct {
	Name  string
	Value string
}

// Headers is a header list. Lookups ignore case: HTTP/2 sends lower-case
// names, HTTP/1.1 servers and Firefox exports keep the sender's case.
type Headers []Header

// Get returns the first value of the named header, ignoring case, or "".
func (hs Headers) Get(name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Request is the part of an entry that decides whether its body is needed:
// cheap to read, available before any body is fetched.
type Request struct {
	Method string
	URL    string
	Status int
	// MimeType is the response's media type without parameters, lower-case.
	MimeType string
	// url caches the URL's parts when parsed is set (a Request built as a
	// literal splits its URL on demand).
	url    urlParts
	parsed bool
}

// parts returns the URL's parts, split once when the Request is made by
// NewRequest, PeekRequest or ParseEntry, since every rule's scope asks.
func (r Request) parts() urlParts {
	if r.parsed {
		return r.url
	}
	return splitURL(r.URL)
}

// Path returns the URL's path, unescaped, or "" when it has none or its
// escapes are malformed.
func (r Request) Path() string { return r.parts().path }

// Host returns the URL's host name, lower-case, without port or user.
func (r Request) Host() string { return r.parts().host }

// RawQuery returns the URL's query, as recorded, without the '?'.
func (r Request) RawQuery() string { return r.parts().query }

// NewRequest returns a Request with its URL split once; mimeType may carry
// parameters.
func NewRequest(method, rawURL string, status int, mimeType string) Request {
	return Request{Method: method, URL: rawURL, Status: status, MimeType: MediaType(mimeType), url: splitURL(rawURL), parsed: true}
}

// URLPath returns the path of rawURL, unescaped, or "" when it has none or
// its escapes are malformed.
func URLPath(rawURL string) string { return splitURL(rawURL).path }

// urlParts is what the rules read of a URL.
type urlParts struct {
	host, path, query string
}

// splitURL splits a URL as net/url would for what the rules read (host,
// path, query) but looks at no more than it needs: a recorded data: URL of
// megabytes is cut at its scheme, and nothing is allocated unless the path
// is percent-encoded. It is lenient where net/url rejects a URL outright (a
// space in the host): scopes still see its path.
func splitURL(raw string) urlParts {
	var p urlParts
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		raw, p.query = raw[:i], raw[i+1:]
	}
	if i := schemeEnd(raw); i > 0 {
		raw = raw[i+1:]
		if !strings.HasPrefix(raw, "/") {
			return urlParts{query: p.query} // opaque: data:, mailto:, about:blank
		}
	}
	if rest, ok := strings.CutPrefix(raw, "//"); ok {
		authority, path := rest, ""
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			authority, path = rest[:j], rest[j:]
		}
		p.host = hostName(authority)
		raw = path
	}
	p.path = raw
	if strings.IndexByte(raw, '%') >= 0 {
		var err error
		if p.path, err = url.PathUnescape(raw); err != nil {
			p.path = ""
		}
	}
	return p
}

// schemeEnd returns the index of the colon ending raw's scheme
// (RFC 3986: a letter, then letters, digits, '+', '-', '.'), or -1.
func schemeEnd(raw string) int {
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return -1
			}
		case c == ':' && i > 0:
			return i
		default:
			return -1
		}
	}
	return -1
}

// hostName returns the host of a URL's authority ([user@]host[:port]),
// lower-case, an IPv6 literal without its brackets.
func hostName(authority string) string {
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		authority = authority[i+1:]
	}
	if strings.HasPrefix(authority, "[") {
		if j := strings.IndexByte(authority, ']'); j > 0 {
			return strings.ToLower(authority[1:j])
		}
	} else if j := strings.IndexByte(authority, ':'); j >= 0 {
		authority = authority[:j]
	}
	return strings.ToLower(authority)
}

// Entry is one request/response pair with the fields the rules read.
type Entry struct {
	Request
	// Index is the entry's position in the HAR (or the live capture order).
	Index int
	// Started is startedDateTime as recorded (ISO 8601).
	Started    string
	StatusText string
	// RequestHeaders and ResponseHeaders keep the recorded names.
	RequestHeaders  Headers
	ResponseHeaders Headers
	// RequestBody is postData.text; RequestMime its mimeType.
	RequestBody []byte
	RequestMime string
	// FormParams is postData.params (urlencoded forms), when recorded.
	FormParams []Header
	// ResponseBody is content.text, base64-decoded when content.encoding says so.
	ResponseBody []byte
	// BodyTruncated is set when content.size says the decoded body was longer
	// than what was recorded (Firefox caps recorded bodies at 1 MiB by
	// default), compressed in transit or not, base64 or not.
	BodyTruncated bool
}

// PeekRequest reads method, URL, status and response media type from one
// entry's raw JSON without decoding bodies. raw must be valid JSON (as
// Scanner items are); on anything else it returns what it can find. It skips
// the members it does not need with jsonspan's memchr walk, so a
// multi-megabyte body recorded before "status" (as tools that sort keys
// write) costs little; it reads the same values gjson paths would.
func PeekRequest(raw []byte) Request {
	var r Request
	// Each level stops once it has what it needs: in Chrome's and Firefox's
	// member order, status and content.mimeType come before content.text,
	// so the body is never even skipped.
	members(raw, entryNames, func(n int, v []byte) bool {
		if n == 0 { // request
			members(v, requestNames, func(n int, v []byte) bool {
				if n == 0 {
					r.Method = gjson.ParseBytes(whole(v)).String()
				} else {
					r.URL = gjson.ParseBytes(whole(v)).String()
				}
				return r.Method == "" || r.URL == ""
			})
			return r.Status == 0 || r.MimeType == ""
		}
		members(v, responseNames, func(n int, v []byte) bool {
			if n == 0 {
				r.Status = int(gjson.ParseBytes(whole(v)).Int())
			} else {
				members(v, contentNames, func(_ int, mime []byte) bool {
					r.MimeType = MediaType(gjson.ParseBytes(whole(mime)).String())
					return false
				})
			}
			return r.Status == 0 || r.MimeType == ""
		})
		return r.Method == "" || r.URL == ""
	})
	return NewRequest(r.Method, r.URL, r.Status, r.MimeType)
}

// The members PeekRequest reads, level by level.
var (
	entryNames    = []string{"request", "response"}
	requestNames  = []string{"method", "url"}
	responseNames = []string{"status", "content"}
	contentNames  = []string{"mimeType"}
)

// whole bounds a value members handed over open-ended (an object or an
// array) to its own extent, so reading it as a scalar sees what gjson would.
func whole(v []byte) []byte {
	if len(v) > 0 && (v[0] == '{' || v[0] == '[') {
		if end := jsonspan.ValueEnd(v, 0); end > 0 {
			return v[:end]
		}
	}
	return v
}

// members calls fn with the index in names and the raw value of the first
// member of the JSON object obj named names[n] (decoded, as gjson paths
// match), in the object's order, until fn returns false. It stops quietly
// where obj is not valid JSON. Names are compared as they are written, and
// decoded only when they hold an escape: nothing is allocated for a name
// (PeekRequest runs once per entry of a file).
func members(obj []byte, names []string, fn func(n int, val []byte) bool) {
	var seen uint64
	o := jsonspan.Members(obj, 0)
	for key, ok := o.Next(); ok; key, ok = o.Next() {
		n := nameIndex(key, names)
		if n < 0 || seen&(1<<n) != 0 {
			continue
		}
		seen |= 1 << n
		// An object or array value is handed over open-ended: a nested
		// members call stops at its own closing brace, so a reader that
		// finds what it needs early never walks the rest (the body). The
		// iterator crosses the value only when the reader wants to go on.
		val := obj[o.Value():]
		if val[0] != '{' && val[0] != '[' {
			end := o.ValueEnd()
			if end <= o.Value() {
				return
			}
			val = obj[o.Value():end]
		}
		if !fn(n, val) {
			return
		}
	}
}

// nameIndex returns the index in names of the member name key, as written
// between its quotes, or -1.
func nameIndex(key []byte, names []string) int {
	for n, name := range names {
		if string(key) == name {
			return n
		}
	}
	if bytes.IndexByte(key, '\\') < 0 {
		return -1
	}
	return slices.Index(names, jsonspan.Unquote(append(append([]byte{'"'}, key...), '"')))
}

// MediaType lower-cases a MIME type and drops its parameters
// ("application/json; charset=utf-8" → "application/json").
func MediaType(s string) string {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// ParseEntry decodes one HAR entry. It errors with an *Error (Entry set to
// index, File empty and Offset -1, for the caller to fill in) when raw is not
// a JSON object or when a base64 body does not decode; index is also recorded
// in the Entry.
func ParseEntry(raw []byte, index int) (*Entry, error) {
	fail := func(msg string, args ...any) error {
		return &Error{Entry: index, Offset: -1, Msg: fmt.Sprintf(msg, args...)}
	}
	if !gjson.ValidBytes(raw) {
		return nil, fail("not valid JSON")
	}
	root := gjson.ParseBytes(raw)
	if !root.IsObject() {
		return nil, fail("not a JSON object")
	}
	req, resp := root.Get("request"), root.Get("response")
	e := &Entry{
		Request: NewRequest(req.Get("method").String(), req.Get("url").String(),
			int(resp.Get("status").Int()), resp.Get("content.mimeType").String()),
		Index:           index,
		Started:         root.Get("startedDateTime").String(),
		StatusText:      resp.Get("statusText").String(),
		RequestHeaders:  headers(req.Get("headers")),
		ResponseHeaders: headers(resp.Get("headers")),
		RequestMime:     MediaType(req.Get("postData.mimeType").String()),
		FormParams:      headers(req.Get("postData.params")),
	}
	if t := req.Get("postData.text"); t.Exists() {
		e.RequestBody = []byte(t.String())
	}
	content := resp.Get("content")
	body, err := DecodeBody(content.Get("text").String(), content.Get("encoding").String())
	if err != nil {
		return nil, fail("response body: %v", err)
	}
	e.ResponseBody = body
	// content.size is the decoded length whatever the transfer compression
	// (HAR 1.2: "size … bigger when the content is compressed"; text is
	// decoded), so a shorter decoded body means the browser cut it. A body
	// that was not recorded at all is absent, not truncated.
	if size := content.Get("size").Int(); len(body) > 0 && int64(len(body)) < size {
		e.BodyTruncated = true
	}
	return e, nil
}

// DecodeBody returns a response body as bytes: text as is, or decoded when
// encoding is "base64" (as HAR content.encoding and Chrome's getContent say).
// It errors on malformed base64.
func DecodeBody(text, encoding string) ([]byte, error) {
	if !strings.EqualFold(encoding, "base64") {
		return []byte(text), nil
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil {
		return nil, fmt.Errorf("bad base64: %v", err)
	}
	return b, nil
}

func headers(list gjson.Result) Headers {
	if !list.IsArray() {
		return nil
	}
	var hs Headers
	list.ForEach(func(_, h gjson.Result) bool {
		hs = append(hs, Header{Name: h.Get("name").String(), Value: h.Get("value").String()})
		return true
	})
	return hs
}
