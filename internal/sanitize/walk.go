package sanitize

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// The walker reads JSON that gjson.ValidBytes has already accepted, as byte
// spans, so a value that is kept (most of an entry, and every large body that
// is replaced wholesale) is skipped with a memchr and never decoded or
// copied. Changes are recorded as edits on spans and spliced in one pass, which
// keeps the names, order and formatting of everything else byte for byte.

// edit replaces src[start:end] with arena[rs:re].
type edit struct{ start, end, rs, re int }

// editor collects the edits of one JSON document.
type editor struct {
	src   []byte
	edits []edit
	arena []byte
}

func (e *editor) reset(src []byte) {
	e.src, e.edits, e.arena = src, e.edits[:0], e.arena[:0]
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
	pos := 0
	for _, ed := range e.edits {
		dst = append(dst, e.src[pos:ed.start]...)
		dst = append(dst, e.arena[ed.rs:ed.re]...)
		pos = ed.end
	}
	return append(dst, e.src[pos:]...)
}

func cmpEdit(a, b edit) int { return a.start - b.start }

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// stringEnd returns the index just past the string whose opening quote is at i.
func stringEnd(b []byte, i int) int {
	// Jump from quote to quote and count the backslashes before each: an
	// even count means the quote closes the string. Far fewer steps than
	// visiting every escape of a script body.
	for j := i + 1; ; {
		q := bytes.IndexByte(b[j:], '"')
		if q < 0 {
			return len(b)
		}
		j += q
		k := j
		for k > i+1 && b[k-1] == '\\' {
			k--
		}
		if (j-k)%2 == 0 {
			return j + 1
		}
		j++
	}
}

// scanString returns the index just past the string whose opening quote is
// at i, and the string's decoded length in bytes. Browsers write script
// bodies with an escape every few bytes, so the scan looks for the next quote
// or backslash eight bytes at a time instead of searching for quotes and
// counting the backslashes before each.
func scanString(b []byte, i int) (end, n int) {
	i++
	for {
		j := quoteOrBackslash(b, i)
		if j < 0 {
			return len(b), n + len(b) - i
		}
		n += j - i
		if b[j] == '"' {
			return j + 1, n
		}
		if j+5 < len(b) && b[j+1] == 'u' {
			r := rune(hexVal(b[j+2 : j+6]))
			i = j + 6
			switch {
			case r >= 0xD800 && r < 0xDC00 && i+5 < len(b) && b[i] == '\\' && b[i+1] == 'u':
				n += 4 // a surrogate pair is one 4-byte character
				i += 6
			case r >= 0xD800 && r < 0xE000:
				n += 3 // a lone surrogate decodes to U+FFFD
			default:
				n += utf8.RuneLen(r)
			}
			continue
		}
		n++
		i = j + 2
	}
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// quoteOrBackslash returns the index of the first '"' or '\\' at or after i,
// or -1.
func quoteOrBackslash(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q, bs := x^(lsb*'"'), x^(lsb*'\\')
		// The lowest byte flagged by the zero-byte test is exact.
		if m := ((q-lsb)&^q | (bs-lsb)&^bs) & msb; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if b[i] == '"' || b[i] == '\\' {
			return i
		}
	}
	return -1
}

// valueSpan returns the index just past the value starting at i and, for a
// string, -1: its decoded length is measured only when a body is replaced
// and the HAR does not state it (decodedLen).
func valueSpan(b []byte, i int) (end, n int) {
	if i < len(b) && b[i] == '"' {
		return stringEnd(b, i), -1
	}
	return scalarOrComposite(b, i), 0
}

// decodedLen returns the decoded length of the string value v.
func decodedLen(b []byte, v span) int {
	if v.n >= 0 {
		return v.n
	}
	_, n := scanString(b, v.start)
	return n
}

func scalarOrComposite(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default:
		for i < len(b) {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
			i++
		}
		return i
	}
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
// without its quotes. It does nothing when v is not an object.
func members(b []byte, v span, fn func(key []byte, kv span, val span)) {
	if v.kind(b) != '{' {
		return
	}
	i := skipSpace(b, v.start+1)
	for i < v.end && b[i] == '"' {
		ke := stringEnd(b, i)
		key := b[i+1 : ke-1]
		vs := skipSpace(b, ke)
		if vs < len(b) && b[vs] == ':' {
			vs = skipSpace(b, vs+1)
		}
		ve, n := valueSpan(b, vs)
		if ve <= vs {
			return // not JSON after all: stop rather than spin
		}
		fn(key, span{i, ve, 0}, span{vs, ve, n})
		i = skipSpace(b, ve)
		if i < v.end && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
}

// elements calls fn for each element of the array at v.
func elements(b []byte, v span, fn func(val span)) {
	if v.kind(b) != '[' {
		return
	}
	i := skipSpace(b, v.start+1)
	for i < v.end && b[i] != ']' {
		ve, n := valueSpan(b, i)
		if ve <= i {
			return // not JSON after all: stop rather than spin
		}
		fn(span{i, ve, n})
		i = skipSpace(b, ve)
		if i < v.end && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
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
	if j := skipSpace(b, kv.end); j < obj.end && b[j] == ',' {
		e.replace(kv.start, skipSpace(b, j+1), nil)
		return
	}
	e.replace(kv.start, kv.end, nil)
}

// lastNonSpace returns the index of the last non-space byte in b(lo, hi), or lo.
func lastNonSpace(b []byte, lo, hi int) int {
	for j := hi - 1; j > lo; j-- {
		switch b[j] {
		case ' ', '\t', '\n', '\r':
		default:
			return j
		}
	}
	return lo
}

// keyIs reports whether a raw key equals name, ignoring ASCII case.
func keyIs(key []byte, name string) bool {
	if len(key) != len(name) {
		return bytes.IndexByte(key, '\\') >= 0 && equalFold(unquoteKey(key), name)
	}
	for i := 0; i < len(key); i++ {
		if lowerByte(key[i]) != lowerByte(name[i]) {
			return false
		}
	}
	return true
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerByte(a[i]) != lowerByte(b[i]) {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// unquoteKey decodes a raw key (without its quotes).
func unquoteKey(key []byte) string {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key)
	}
	return gjson.Parse(`"` + string(key) + `"`).Str
}

// stringValue decodes the JSON string at v; ok is false when v is not a string.
func stringValue(b []byte, v span) (string, bool) {
	if v.kind(b) != '"' || v.end-v.start < 2 {
		return "", false
	}
	inner := b[v.start+1 : v.end-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner), true
	}
	return gjson.ParseBytes(b[v.start:v.end]).Str, true
}

func hexVal(h []byte) int {
	v := 0
	for _, c := range h {
		v <<= 4
		switch {
		case '0' <= c && c <= '9':
			v |= int(c - '0')
		case 'a' <= c && c <= 'f':
			v |= int(c-'a') + 10
		case 'A' <= c && c <= 'F':
			v |= int(c-'A') + 10
		}
	}
	return v
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
