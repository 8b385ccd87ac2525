// Package sanitize removes credentials and other secrets from HAR files so an
// admin can hand one to Cisco TAC, while keeping what diagnosis needs:
// tracking IDs, status codes, timings, URL paths with org IDs, and the onboard
// bodies with their error objects.
//
// The work is structural, never a pattern over the serialized file: each
// entry is walked as JSON, values are redacted by where they sit (header,
// cookie, query or form parameter, JSON member, body) and every string is
// also searched for JWTs, URLs with secret parameters and, when asked,
// e-mail addresses. Names and structure are kept; HTML, script, style,
// image, font, XML and other opaque bodies, and token endpoint responses, are
// replaced by a placeholder that gives their type and size.
//
// HAR streams a whole file; a Sanitizer does the same one entry at a time,
// for the extension, which sanitizes each captured entry before keeping it.
package sanitize

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
	"hubdoctor/internal/har"
	"hubdoctor/internal/jsonspan"
	"hubdoctor/internal/version"
)

// Options configure one export.
type Options struct {
	// PseudonymizeEmails replaces every e-mail address with a pseudonym that
	// is stable within the export and keeps the domain.
	PseudonymizeEmails bool
	// Tool and Version are written in the log._sanitizer stamp; empty means
	// "Hub Doctor" and version.Version.
	Tool, Version string
}

// Stats tell what an export sanitized.
type Stats struct {
	// Entries is the number of entries written.
	Entries int
	// Redactions counts redacted values per category: "authorization",
	// "cookie", "header", "query", "form", "json", "jwt", "body", "url",
	// "page-title", "email".
	Redactions map[string]int
}

// Sanitizer sanitizes the entries and log members of one export. The
// pseudonyms it gives e-mail addresses are stable for its lifetime. It is not
// safe for concurrent use.
type Sanitizer struct {
	opts   Options
	stats  Stats
	pseudo *Pseudonyms
	pool   []*editor // editors by nesting depth, reused across entries
	depth  int
	norm   []byte                 // scratch for normalized names
	known  map[string]memberKind  // the kinds of names met (memberKind)
	hdrs   map[string]headerClass // the classes of header names met (headerClassOf)
	index  jsonspan.Index         // of the entry or member being sanitized, reused
	out    []byte                 // Entries' copy of the entry it hands over, reused
}

// New returns a Sanitizer for one export.
func New(opts Options) *Sanitizer {
	if opts.Tool == "" {
		opts.Tool = "Hub Doctor"
	}
	if opts.Version == "" {
		opts.Version = version.Version
	}
	s := &Sanitizer{opts: opts, stats: Stats{Redactions: map[string]int{}}}
	if opts.PseudonymizeEmails {
		s.pseudo = NewPseudonyms()
	}
	return s
}

// newSharing returns a Sanitizer for the same export as s: the same
// options and pseudonyms, counts of its own.
func (s *Sanitizer) newSharing() *Sanitizer {
	return &Sanitizer{opts: s.opts, stats: Stats{Redactions: map[string]int{}}, pseudo: s.pseudo}
}

// Quoted returns free text or a JSON body with its secrets removed, as a string
// value or a body inside an entry would be: secret JSON members, secret URL and
// form parameters, and JWTs are redacted; e-mail addresses stay. Reports use
// it on the descriptions, URLs and responses they quote.
func Quoted(text string) string {
	s := New(Options{})
	if t := strings.TrimSpace(text); t != "" && (t[0] == '{' || t[0] == '[') {
		if out, ok := s.document(text, t, "url", 1); ok {
			return out
		}
	}
	return s.scrub(text, "url")
}

// Stats returns a copy of the counts so far.
func (s *Sanitizer) Stats() Stats {
	st := Stats{Entries: s.stats.Entries, Redactions: make(map[string]int, len(s.stats.Redactions))}
	for k, v := range s.stats.Redactions {
		st.Redactions[k] = v
	}
	return st
}

// Stamp returns the JSON value of log._sanitizer: tool, version and the
// redaction counts so far.
func (s *Sanitizer) Stamp() []byte {
	out, err := json.Marshal(struct {
		Tool       string         `json:"tool"`
		Version    string         `json:"version"`
		Redactions map[string]int `json:"redactions"`
	}{s.opts.Tool, s.opts.Version, s.stats.Redactions})
	if err != nil {
		panic(err) // strings and a map of ints: cannot fail
	}
	return out
}

// Entry returns a sanitized copy of one HAR entry. It errors when raw is not
// a valid JSON object.
func (s *Sanitizer) Entry(raw []byte) ([]byte, error) {
	if !jsonspan.Validate(raw, &s.index) {
		return nil, errors.New("entry is not valid JSON")
	}
	if raw[jsonspan.SkipSpace(raw, 0)] != '{' {
		return nil, errors.New("entry is not a JSON object")
	}
	return s.entry(nil, raw, &s.index)
}

// AppendEntry appends a sanitized copy of raw, one HAR entry already known
// to be valid JSON (an element of an array the caller validated), to dst.
// It errors when raw is not a JSON object.
func (s *Sanitizer) AppendEntry(dst, raw []byte) ([]byte, error) {
	if raw[jsonspan.SkipSpace(raw, 0)] != '{' {
		return dst, errors.New("entry is not a JSON object")
	}
	return s.entry(dst, raw, nil)
}

// Entries sanitizes the elements of arrayJSON, a JSON array of HAR entries,
// in order, and calls fn with each one's index and sanitized copy, which is
// only valid until fn returns (the next entry reuses its storage). The
// array is read in one pass, which also records where its long values end,
// so the entries are walked without crossing their values again. It stops
// at fn's first error and returns how many entries fn took and that error;
// it errors when arrayJSON is not a valid JSON array, naming the entry
// that is not an object or cannot be sanitized.
//
// Unlike Entry's, the copies are not checked again for valid JSON: the
// check cost about a sixth of a batch (the devtools page's hot path), and
// FuzzEntries checks that this path's output is valid JSON, as the export
// does for the whole array (live.WrapHAR).
func (s *Sanitizer) Entries(arrayJSON []byte, fn func(i int, sanitized []byte) error) (int, error) {
	if !jsonspan.Validate(arrayJSON, &s.index) || arrayJSON[jsonspan.SkipSpace(arrayJSON, 0)] != '[' {
		return 0, errors.New("not a JSON array")
	}
	a := s.index.Elements(arrayJSON, 0)
	n := 0
	for start, ok := a.Next(); ok; start, ok = a.Next() {
		end := a.ValueEnd()
		if arrayJSON[start] != '{' {
			return n, fmt.Errorf("entry %d is not a JSON object", n)
		}
		out, err := s.entryAt(s.out[:0], arrayJSON[:end], start, &s.index, false)
		s.out = out
		if err != nil {
			return n, fmt.Errorf("entry %d: %v", n, err)
		}
		if err := fn(n, out); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Member returns a sanitized copy of a member of the log object other than
// entries (pages, creator, comment…) or of the top-level object. Page
// titles, which browsers set to the page URL, get the URL treatment. It errors
// when raw is not valid JSON.
func (s *Sanitizer) Member(key string, raw []byte) ([]byte, error) {
	if !jsonspan.Validate(raw, &s.index) {
		return nil, fmt.Errorf("%s is not valid JSON", key)
	}
	ed := s.acquire(raw, &s.index)
	defer s.release()
	root := span{start: jsonspan.SkipSpace(raw, 0), end: len(raw)}
	if key == "pages" {
		ed.elements(root, func(page span) {
			ed.members(page, func(k []byte, _, v span) {
				if keyIs(k, "title") {
					s.urlValue(ed, v, "page-title")
					return
				}
				s.walk(ed, v, "url", 0)
			})
		})
	} else {
		s.walk(ed, root, "url", 0)
	}
	return s.finish(nil, ed, true)
}

// entry appends the sanitized entry to dst; raw is valid JSON, and ix, when
// not nil, its index.
func (s *Sanitizer) entry(dst, raw []byte, ix *jsonspan.Index) ([]byte, error) {
	return s.entryAt(dst, raw, 0, ix, true)
}

// entryAt is entry for the entry raw[start:], where ix, when not nil, was
// made over raw from 0; checked says whether finish checks the copy.
func (s *Sanitizer) entryAt(dst, raw []byte, start int, ix *jsonspan.Index, checked bool) ([]byte, error) {
	ed := s.acquire(raw, ix)
	ed.lo = start
	defer s.release()
	var req, resp span
	ed.members(span{start: jsonspan.SkipSpace(raw, start), end: len(raw)}, func(key []byte, _, v span) {
		switch {
		case keyIs(key, "request"):
			req = v
		case keyIs(key, "response"):
			resp = v
		default:
			s.walk(ed, v, "url", 0) // _initiator, _webSocketMessages, timings…
		}
	})
	reqURL := s.request(ed, req)
	s.response(ed, resp, reqURL)
	s.stats.Entries++
	return s.finish(dst, ed, checked)
}

// finish applies ed's edits onto dst and, when checked, checks that the
// result is JSON.
func (s *Sanitizer) finish(dst []byte, ed *editor, checked bool) ([]byte, error) {
	if len(ed.edits) == 0 {
		return append(dst, ed.src[ed.lo:]...), nil
	}
	start := len(dst)
	dst = ed.apply(dst)
	if checked && !jsonspan.Validate(dst[start:], nil) {
		return dst[:start], errors.New("sanitized output is not valid JSON (a sanitizer bug; please report it)")
	}
	return dst, nil
}

func (s *Sanitizer) acquire(src []byte, ix *jsonspan.Index) *editor {
	if s.depth == len(s.pool) {
		s.pool = append(s.pool, &editor{})
	}
	ed := s.pool[s.depth]
	s.depth++
	ed.reset(src, ix)
	return ed
}

func (s *Sanitizer) release() {
	s.depth--
	s.pool[s.depth].src, s.pool[s.depth].ix = nil, nil
}

func (s *Sanitizer) count(category string, n int) {
	if n > 0 {
		s.stats.Redactions[category] += n
	}
}

// HAR reads a HAR file from r and writes it sanitized to w, entry by entry:
// memory is bounded by the largest entry. The output is a HAR 1.2 file with
// the same entries, in the same order, and a log._sanitizer stamp written
// after them. Entries are sanitized on as many cores as Go may use
// (GOMAXPROCS); the output does not depend on how many. Reading errors are
// the scanner's *har.Error (file, entry, offset); an entry that cannot be
// sanitized is reported the same way; write errors are returned as they are.
func HAR(r io.Reader, w io.Writer, name string, opts Options) (Stats, error) {
	return sanitizeHAR(r, w, name, opts, runtime.GOMAXPROCS(0))
}

// sanitizeHAR is HAR with entries sanitized by workers goroutines.
func sanitizeHAR(r io.Reader, w io.Writer, name string, opts Options, workers int) (Stats, error) {
	s := New(opts)
	p := startPipeline(har.NewScanner(r, name), s, workers)
	defer p.close()
	out := bufio.NewWriterSize(w, 256<<10)
	var (
		topN, logN             int
		inLog, inEnts, entDone bool
		logDone                bool
	)
	sep := func(n *int) {
		if *n > 0 {
			out.WriteByte(',')
		}
		*n++
	}
	member := func(n *int, it har.Item) error {
		key := it.Key
		v, err := s.Member(key, it.Raw)
		if err != nil {
			return &har.Error{File: name, Entry: -1, Offset: it.Offset, Msg: err.Error()}
		}
		sep(n)
		out.Write(appendQuoted(nil, key))
		out.WriteByte(':')
		out.Write(v)
		return nil
	}
	openLog := func() {
		if !inLog {
			sep(&topN)
			out.WriteString(`"log":{`)
			inLog = true
		}
	}
	closeEntries := func() {
		if inEnts {
			out.WriteByte(']')
			inEnts, entDone = false, true
		}
	}
	closeLog := func() {
		closeEntries()
		if !entDone {
			sep(&logN)
			out.WriteString(`"entries":[]`)
		}
		sep(&logN)
		out.WriteString(`"_sanitizer":`)
		out.Write(s.Stamp())
		out.WriteByte('}')
		inLog, logDone = false, true
	}
	out.WriteByte('{')
	for {
		j := p.next()
		it, err := j.item, j.err
		if err == io.EOF {
			break
		}
		if err != nil && it.Kind != har.EntryItem {
			return s.Stats(), err // the scanner's
		}
		switch it.Kind {
		case har.Outer:
			if inLog {
				closeLog()
			}
			err = member(&topN, it)
		case har.Member:
			if it.Key == "_sanitizer" {
				p.done(j)
				continue // an earlier stamp; ours replaces it
			}
			openLog()
			closeEntries()
			err = member(&logN, it)
		case har.EntryItem:
			openLog()
			if inEnts {
				out.WriteByte(',')
			} else {
				sep(&logN)
				out.WriteString(`"entries":[`)
				inEnts = true
			}
			if err == nil {
				out.Write(j.out)
				s.stats.Entries++
				for k, n := range j.counts {
					s.stats.Redactions[k] += n
				}
			}
		}
		if err != nil {
			return s.Stats(), err
		}
		p.done(j)
	}
	if !logDone {
		// A log without members and entries yields no item; the scanner
		// has checked it is there.
		openLog()
		closeLog()
	}
	out.WriteByte('}')
	out.WriteByte('\n')
	if err := out.Flush(); err != nil {
		return s.Stats(), fmt.Errorf("writing the sanitized HAR: %w", err)
	}
	return s.Stats(), nil
}

// request sanitizes the request object and returns its URL's value.
func (s *Sanitizer) request(ed *editor, req span) (reqURL span) {
	b := ed.src
	var postData span
	ed.members(req, func(key []byte, _, v span) {
		switch {
		case keyIs(key, "url"):
			reqURL = v
			s.urlValue(ed, v, "url")
		case keyIs(key, "headers"):
			s.headers(ed, v)
		case keyIs(key, "queryString"):
			s.params(ed, v, "query")
		case keyIs(key, "cookies"):
			s.cookies(ed, v)
		case keyIs(key, "postData"):
			postData = v
		default:
			s.walk(ed, v, "url", 0)
		}
	})
	ed.members(postData, func(key []byte, _, v span) {
		switch {
		case keyIs(key, "text"):
			var mime string
			if m := gjson.GetBytes(b[postData.start:postData.end], "mimeType"); m.Type == gjson.String {
				mime = har.MediaType(m.Str)
			}
			if out, ok := s.body(b, v, mime, false, false, "form"); ok {
				ed.replaceString(v.start, v.end, out)
			}
		case keyIs(key, "params"):
			s.params(ed, v, "form")
		case keyIs(key, "mimeType"):
		default:
			s.walk(ed, v, "url", 0)
		}
	})
	return reqURL
}

// response sanitizes the response object; the request's URL (reqURL, its
// value) tells token endpoints.
func (s *Sanitizer) response(ed *editor, resp, reqURL span) {
	ed.members(resp, func(key []byte, _, v span) {
		switch {
		case keyIs(key, "headers"):
			s.headers(ed, v)
		case keyIs(key, "cookies"):
			s.cookies(ed, v)
		case keyIs(key, "content"):
			s.content(ed, v, reqURL)
		case keyIs(key, "redirectURL"):
			s.urlValue(ed, v, "url")
		default:
			s.walk(ed, v, "url", 0)
		}
	})
}

// content sanitizes response.content. A changed body is written as text:
// content.encoding is dropped and content.size set to the new length.
func (s *Sanitizer) content(ed *editor, c, reqURL span) {
	b := ed.src
	var text, size, encKV span
	var mime, enc string
	ed.members(c, func(key []byte, kv, v span) {
		switch {
		case keyIs(key, "text"):
			text = v
		case keyIs(key, "size"):
			size = v
		case keyIs(key, "encoding"):
			encKV = kv
			enc, _ = stringValue(b, v)
		case keyIs(key, "mimeType"):
			m, _ := stringValue(b, v)
			mime = har.MediaType(m)
		default:
			s.walk(ed, v, "url", 0)
		}
	})
	if text.kind(b) != '"' {
		return
	}
	b64 := strings.EqualFold(enc, "base64")
	// content.size is the decoded body's size (HAR 1.2): a replaced body is
	// measured from it rather than by decoding the text.
	if n, err := strconv.Atoi(string(b[size.start:size.end])); err == nil && n >= 0 && size.ok() && !b64 {
		text.n = n
	}
	u, _ := stringValue(b, reqURL)
	out, ok := s.body(b, text, mime, b64, tokenEndpoint(u), "form")
	if !ok {
		return
	}
	ed.replaceString(text.start, text.end, out)
	if encKV.ok() {
		ed.removeMember(c, encKV)
	}
	if size.ok() {
		ed.replace(size.start, size.end, fmt.Appendf(nil, "%d", len(out)))
	}
}

// tokenEndpoint reports whether a URL is an OAuth token endpoint, whose
// responses are credentials through and through.
func tokenEndpoint(rawURL string) bool {
	p := strings.ToLower(strings.TrimRight(har.URLPath(rawURL), "/"))
	return strings.HasSuffix(p, "/token") || strings.HasSuffix(p, "/access_token") || strings.Contains(p, "/idb/token")
}
