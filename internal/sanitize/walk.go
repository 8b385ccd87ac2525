package sanitize

import (
	"bytes"
	"slices"
	"unicode/utf8"

	"hubdoctor/internal/ascii"
	"hubdoctor/internal/jsonspan"
)

// The walker reads JSON that a validator has already accepted, as byte
// spans (package jsonspan), so a value that is kept (most of an entry, and
// every large body that is replaced wholesale) is skipped and never decoded
// or copied. An entry is validated with jsonspan.Validate, whose index gives
// the walk the end of every long value: a body is then read once, by the
// validator, and never crossed again to find where it ends. Changes are recorded as edits on spans and
// spliced in one pass, which keeps the names, order and formatting of
// everything else byte for byte.

// edit replaces src[start:end] with arena[rs:re].
type edit struct{ start, end, rs, re int }

// editor collects the edits of one JSON document.
type editor struct {
	src   []byte
	lo    int             // where the document starts in src (Sanitizer.Entries)
	ix    *jsonspan.Index // where src's long values end, when validated with it
	edits []edit
	arena []byte
	index jsonspan.Index // for a document validated here (Sanitizer.document)
}

func (e *editor) reset(src []byte, ix *jsonspan.Index) {
	e.src, e.lo, e.ix, e.edits, e.arena = src, 0, ix, e.edits[:0], e.arena[:0]
}

// replace records that src[start:end] becomes repl.
func (e *editor) replace(start, end int, repl []byte) {
	rs := len(e.arena)
	e.arena = append(e.arena, repl...)
	e.edits = append(e.edits, edit{start, end, rs, len(e.arena)})
}

// replaceString records that src[start:end] becomes the JSON string s.
func (e *editor) replaceString(start, end int, s string) {
	rs := len(e.arena)
	e.arena = appendQuoted(e.arena, s)
	e.edits = append(e.edits, edit{start, end, rs, len(e.arena)})
}

// apply appends src with the edits spliced in to dst.
func (e *editor) apply(dst []byte) []byte {
	// Edits come mostly in document order; members handled after their
	// siblings (the response needs the request URL) can arrive later.
	if !slices.IsSortedFunc(e.edits, cmpEdit) {
		slices.SortFunc(e.edits, cmpEdit)
	}
	pos := e.lo
	for _, ed := range e.edits {
		dst = append(dst, e.src[pos:ed.start]...)
		dst = append(dst, e.arena[ed.rs:ed.re]...)
		pos = ed.end
	}
	return append(dst, e.src[pos:]...)
}

func cmpEdit(a, b edit) int { return a.start - b.start }

// decodedLen returns the decoded length of the string value v.
func decodedLen(b []byte, v span) int {
	if v.n >= 0 {
		return v.n
	}
	_, n := jsonspan.DecodedLen(b, v.start)
	return n
}

// span is one value of a document: b[start:end]. For a string, n is its
// decoded length when known, else -1 (see decodedLen).
type span struct{ start, end, n int }

func (s span) ok() bool { return s.end > s.start }

// kind returns the first byte of the value: '"', '{', '[', or a scalar's.
func (s span) kind(b []byte) byte {
	if !s.ok() {
		return 0
	}
	return b[s.start]
}

// members calls fn for each member of the object at v; key is the raw key
// without its quotes, kv the whole member. It does nothing when v is not an
// object.
func (e *editor) members(v span, fn func(key []byte, kv span, val span)) {
	b := e.src
	if v.kind(b) != '{' {
		return
	}
	o := e.ix.Members(b, v.start)
	for key, ok := o.Next(); ok; key, ok = o.Next() {
		start, end := o.Value(), o.ValueEnd()
		if end <= start {
			return // not JSON after all: stop rather than spin
		}
		fn(key, span{o.KeyStart(), end, 0}, valueSpan(b, start, end))
	}
}

// elements calls fn for each element of the array at v.
func (e *editor) elements(v span, fn func(val span)) {
	b := e.src
	if v.kind(b) != '[' {
		return
	}
	a := e.ix.Elements(b, v.start)
	for start, ok := a.Next(); ok; start, ok = a.Next() {
		end := a.ValueEnd()
		if end <= start {
			return // not JSON after all: stop rather than spin
		}
		fn(valueSpan(b, start, end))
	}
}

// valueSpan is the value b[start:end]. A string's decoded length is
// measured only when a body is replaced and the HAR does not state it
// (decodedLen).
func valueSpan(b []byte, start, end int) span {
	if b[start] == '"' {
		return span{start, end, -1}
	}
	return span{start, end, 0}
}

// removeMember records the removal of the member kv of the object obj,
// with the comma that separates it from a neighbour.
func (e *editor) removeMember(obj, kv span) {
	b := e.src
	// Prefer the comma before the member; the first member takes the one after.
	if j := lastNonSpace(b, obj.start, kv.start); j > obj.start && b[j] == ',' {
		e.replace(j, kv.end, nil)
		return
	}
	if j := jsonspan.SkipSpace(b, kv.end); j < obj.end && b[j] == ',' {
		e.replace(kv.start, jsonspan.SkipSpace(b, j+1), nil)
		return
	}
	e.replace(kv.start, kv.end, nil)
}

// lastNonSpace returns the index of the last non-space byte in b(lo, hi), or lo.
func lastNonSpace(b []byte, lo, hi int) int {
	for j := hi - 1; j > lo; j-- {
		if !jsonspan.IsSpace(b[j]) {
			return j
		}
	}
	return lo
}

// keyIs reports whether a raw key equals name, ignoring ASCII case.
func keyIs(key []byte, name string) bool {
	if len(key) != len(name) {
		// An escape only lengthens a key: one shorter than name is not it.
		return len(key) > len(name) && bytes.IndexByte(key, '\\') >= 0 && ascii.EqualFold(unquoteKey(key), name)
	}
	return ascii.EqualFold(key, name)
}

// unquoteKey decodes a raw key (without its quotes).
func unquoteKey(key []byte) string {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key)
	}
	return jsonspan.Unquote(append(append([]byte{'"'}, key...), '"'))
}

// stringValue decodes the JSON string at v; ok is false when v is not a string.
func stringValue(b []byte, v span) (string, bool) {
	if v.kind(b) != '"' || v.end-v.start < 2 {
		return "", false
	}
	return jsonspan.Unquote(b[v.start:v.end]), true
}

// appendQuoted appends s as a JSON string. Invalid UTF-8 becomes U+FFFD so
// the output is always valid JSON.
func appendQuoted(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
