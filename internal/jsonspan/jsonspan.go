// Package jsonspan walks JSON text as byte spans: where a string, a value,
// an object's members and an array's elements start and end, without
// decoding or copying what it passes over. A string is crossed by jumping
// from quote to quote (memchr) and a composite value by jumping from one
// bracket or quote to the next, so a recorded body of megabytes costs a
// few passes of memchr. The HAR scanner (internal/har) streams files with
// it, PeekRequest reads an entry's request line with it, and the sanitizer
// (internal/sanitize) rewrites entries with it.
//
// Validate checks the grammar in one pass, with the same verdict as
// gjson.Valid, and can record in an Index where the long values end, so
// that a walk over a validated text never crosses a long value twice.
//
// The contract: the walk is meant for JSON that a validator has accepted
// (Validate, gjson.ValidBytes), or whose strings are closed and brackets balanced, as
// the scanner's items are before their grammar is checked. On any other
// text nothing panics or loops: positions stay within [i, len(b)], a value
// that does not end says so (ValueEnd returns i, StringEnd -1), and the
// iterators stop where the text stops being JSON. What is found there is
// no verdict on the text: validate first.
package jsonspan

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/ascii"
)

// structural marks the bytes that matter when a composite value is crossed;
// scalarEnd the bytes that end a number or literal.
var structural, scalarEnd [256]bool

func init() {
	for _, c := range []byte(`"{}[]`) {
		structural[c] = true
	}
	for _, c := range []byte(",:{}[]\" \t\r\n") {
		scalarEnd[c] = true
	}
}

// IsSpace reports whether c is JSON white space (RFC 8259: space, tab, line
// feed, carriage return; unlike \s, no form feed).
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// SkipSpace returns the index of the first byte at or after i that is not
// JSON white space, or len(b).
func SkipSpace(b []byte, i int) int {
	for i < len(b) && IsSpace(b[i]) {
		i++
	}
	return i
}

// EndsScalar reports whether c ends a number or literal (true, false,
// null): white space, a quote, a bracket, ',' or ':'.
func EndsScalar(c byte) bool { return scalarEnd[c] }

// NextStructural returns the index of the first '"', '{', '}', '[' or ']'
// at or after i, or len(b): inside a composite value, the only bytes that
// matter.
func NextStructural(b []byte, i int) int {
	for i < len(b) && !structural[b[i]] {
		i++
	}
	return i
}

// Escaped reports whether a quote that follows b is escaped: whether b
// ends with an odd number of backslashes.
func Escaped(b []byte) bool {
	k := len(b)
	for k > 0 && b[k-1] == '\\' {
		k--
	}
	return (len(b)-k)%2 == 1
}

// StringEnd returns the index just past the closing quote of the string
// whose opening quote is b[i], or -1 when b ends first.
func StringEnd(b []byte, i int) int { return StringEndFrom(b, i+1, i+1) }

// StringEndFrom is StringEnd for a string read in pieces: its contents
// start at b[start], and b[start:from] is known to hold no closing quote.
// It returns the index just past the closing quote, or -1 when b ends
// first; every quote of b[from:] is then escaped, and the search can go on
// from len(b) once b holds more. A body full of escapes is still crossed
// in linear time; on amd64 the bytes are looked
// at 64 at a time.
func StringEndFrom(b []byte, start, from int) int { return stringEndFrom(b, start, from) }

// stringEndPortable is StringEndFrom in portable Go: it jumps from quote
// to quote with memchr and counts the backslashes before each.
func stringEndPortable(b []byte, start, from int) int {
	for i := from; ; {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return -1
		}
		if q += i; !Escaped(b[start:q]) {
			return q + 1
		}
		i = q + 1
	}
}

// ValueEnd returns the index just past the value that starts at b[i], or i
// when it does not end (a string not closed, a bracket not matched). A
// number or literal runs to the first byte that ends one (EndsScalar), or
// to the end of b.
func ValueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		if end := StringEnd(b, i); end > 0 {
			return end
		}
		return i
	case '{', '[':
		return compositeEnd(b, i)
	}
	return literalEnd(b, i)
}

// compositeEnd is ValueEnd of the object or array at b[i]: brackets are
// counted, not matched (the grammar is the validator's job).
func compositeEnd(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			// Most strings inside an object are short names and values:
			// their end is looked for here, without a call per string.
			k, stop := j+1, min(j+33, len(b))
			for k < stop && b[k] != '"' && b[k] != '\\' {
				k++
			}
			if k < stop && b[k] == '"' {
				j = k
				continue
			}
			end := StringEndFrom(b, j+1, k)
			if end < 0 {
				return i
			}
			j = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return j + 1
			}
		}
	}
	return i
}

// literalEnd is ValueEnd of the number or literal at b[i]. On text that is
// not JSON it keeps the answers PeekRequest has always given (a string or
// a bracket glued to a scalar is taken in with it), so that entries whose
// grammar is checked late are peeked at as before.
func literalEnd(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); {
		switch c := b[j]; {
		case c == '"':
			end := StringEnd(b, j)
			if end < 0 {
				return i
			}
			if depth == 0 {
				return end
			}
			j = end
			continue
		case c == '{' || c == '[':
			depth++
		case depth == 0 && j > i && EndsScalar(c):
			return j
		case c == '}' || c == ']':
			if depth--; depth == 0 {
				return j + 1
			}
		}
		j++
	}
	if depth == 0 {
		return len(b)
	}
	return i
}

// Unquote returns the text of the JSON string token str (quotes included),
// decoding its escapes as gjson does; a string without a backslash is only
// copied, and a valid one is decoded a run of plain bytes at a time.
func Unquote(str []byte) string {
	if len(str) >= 2 {
		inner := str[1 : len(str)-1]
		if bytes.IndexByte(inner, '\\') < 0 {
			return string(inner)
		}
		if s, ok := unescape(inner); ok {
			return s
		}
	}
	return gjson.ParseBytes(str).Str
}

// unescape decodes the contents of a valid JSON string as gjson does (a
// lone surrogate becomes U+FFFD; other bytes are kept as they are). It
// returns false on anything a valid string cannot hold (a quote, a
// control character, an unknown or cut escape), which gjson decodes in
// its own way.
func unescape(inner []byte) (string, bool) {
	var out strings.Builder
	out.Grow(len(inner))
	for i := 0; ; {
		j := stringStop(inner, i)
		if j < 0 {
			out.Write(inner[i:])
			return out.String(), true
		}
		out.Write(inner[i:j])
		if inner[j] != '\\' || j+1 >= len(inner) {
			return "", false
		}
		i = j + 2
		switch c := inner[j+1]; c {
		case '"', '\\', '/':
			out.WriteByte(c)
		case 'b':
			out.WriteByte('\b')
		case 'f':
			out.WriteByte('\f')
		case 'n':
			out.WriteByte('\n')
		case 'r':
			out.WriteByte('\r')
		case 't':
			out.WriteByte('\t')
		case 'u':
			if !hex4(inner, j+2) {
				return "", false
			}
			r := rune(hexValue(inner[j+2 : j+6]))
			i = j + 6
			if r >= 0xD800 && r < 0xDC00 && i+1 < len(inner) && inner[i] == '\\' && inner[i+1] == 'u' && hex4(inner, i+2) {
				if r2 := hexValue(inner[i+2 : i+6]); lowSurrogate(r2) {
					r = (r-0xD800)<<10 | rune(r2-0xDC00) + 0x10000
					i += 6
				}
			}
			out.WriteRune(r) // U+FFFD for a lone surrogate
		default:
			return "", false
		}
	}
}

// hex4 reports whether b holds four hexadecimal digits at i.
func hex4(b []byte, i int) bool {
	return len(b)-i >= 4 && isHex(b[i]) && isHex(b[i+1]) && isHex(b[i+2]) && isHex(b[i+3])
}

// DecodedLen returns the index just past the string whose opening quote is
// b[i] (len(b) when it is not closed) and the length of its text in bytes
// once decoded, measured without decoding it: an escape counts as the
// UTF-8 of its character (U+FFFD for a lone surrogate), any other byte as
// itself. Browsers write script bodies
// with an escape every few bytes, so the scan looks for the next quote or
// backslash eight bytes at a time.
func DecodedLen(b []byte, i int) (end, n int) {
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
			r := rune(hexValue(b[j+2 : j+6]))
			i = j + 6
			switch {
			case r >= 0xD800 && r < 0xDC00 && i+5 < len(b) && b[i] == '\\' && b[i+1] == 'u' && lowSurrogate(hexValue(b[i+2:i+6])):
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

func lowSurrogate(r int) bool { return 0xDC00 <= r && r < 0xE000 }

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// quoteOrBackslash returns the index of the first '"' or '\\' at or after
// i, or -1.
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

// hexValue is the value of the hexadecimal digits h (of a \u escape);
// other bytes count as 0.
func hexValue(h []byte) int {
	v := 0
	for _, c := range h {
		v <<= 4
		if d := ascii.HexDigit(c); d < 16 {
			v |= int(d)
		}
	}
	return v
}

// items is what Object and Array share: a walk over the values of one
// object or array, each crossed only once its end is asked for.
type items struct {
	b    []byte
	ix   *Index // where b's long values end, when known
	next int    // where the first item is looked for: just past the bracket
	val  int    // index where the current value starts, -1 before the first
	end  int    // end of the current value once measured, else -1
	done bool   // the last item was yielded, or the text stopped being JSON
}

// open starts a walk over the items of the object or array (by its opening
// bracket) that starts at b[i], after white space; it yields none when
// none starts there.
func open(b []byte, i int, bracket byte, x *Index) items {
	if i = SkipSpace(b, i); i >= len(b) || b[i] != bracket {
		return items{done: true}
	}
	return items{b: b, ix: x, next: i + 1, val: -1, end: -1}
}

// following returns the index of the next item, after white space, or
// false when there is none: the walk is done, the current value does not
// end, or no ',' follows it (the closing bracket, or text that is not
// JSON).
func (it *items) following() (int, bool) {
	if it.done {
		return 0, false
	}
	i := it.next
	if it.val >= 0 {
		end := it.ValueEnd()
		if end <= it.val {
			return it.stop()
		}
		if i = SkipSpace(it.b, end); i >= len(it.b) || it.b[i] != ',' {
			return it.stop()
		}
		i++
	}
	if i = SkipSpace(it.b, i); i >= len(it.b) {
		return it.stop()
	}
	return i, true
}

func (it *items) stop() (int, bool) {
	it.done = true
	return 0, false
}

// ValueEnd returns the end of the current value (ValueEnd of the package),
// taken from the walk's Index when it holds it, else measured, once.
func (it *items) ValueEnd() int {
	if it.end < 0 {
		if it.end = it.ix.End(it.val); it.end < 0 {
			it.end = ValueEnd(it.b, it.val)
		}
	}
	return it.end
}

// Object iterates over the members of an object: make one with Members and
// call Next until it returns false.
type Object struct {
	items
	key  int // index of the current member's opening quote
	kend int // index just past its closing quote
}

// Members returns an iterator over the members of the object that starts
// at b[i] (after white space); it yields none when none starts there.
func Members(b []byte, i int) Object { return Object{items: open(b, i, '{', nil)} }

// Members is Members of the package over the text x was made from: the
// ends of long values are taken from x instead of being searched for.
func (x *Index) Members(b []byte, i int) Object { return Object{items: open(b, i, '{', x)} }

// Next moves to the next member and returns its name as written (without
// the quotes, escapes undecoded: see Name). It returns false after the
// last member, and where the text stops being an object: a member that is
// not `"name": value`, a value that does not end, or a separator other
// than ','. The current value is measured only when Next or ValueEnd needs
// its end, so a reader that stops at a member never crosses its value.
func (o *Object) Next() (key []byte, ok bool) {
	b := o.b
	i, ok := o.following()
	if !ok || b[i] != '"' {
		o.stop()
		return nil, false
	}
	ke := StringEnd(b, i)
	if ke < 0 {
		o.stop()
		return nil, false
	}
	j := SkipSpace(b, ke)
	if j >= len(b) || b[j] != ':' {
		o.stop()
		return nil, false
	}
	if j = SkipSpace(b, j+1); j >= len(b) {
		o.stop()
		return nil, false
	}
	o.key, o.kend, o.val, o.end = i, ke, j, -1
	return b[i+1 : ke-1], true
}

// KeyStart returns the index of the current member's opening quote: the
// member is b[KeyStart():ValueEnd()].
func (o *Object) KeyStart() int { return o.key }

// Name returns the current member's name, decoded (see Unquote).
func (o *Object) Name() string { return Unquote(o.b[o.key:o.kend]) }

// Value returns the index where the current member's value starts.
func (o *Object) Value() int { return o.val }

// Array iterates over the elements of an array: make one with Elements and
// call Next until it returns false.
type Array struct{ items }

// Elements returns an iterator over the elements of the array that starts
// at b[i] (after white space); it yields none when none starts there.
func Elements(b []byte, i int) Array { return Array{open(b, i, '[', nil)} }

// Elements is Elements of the package over the text x was made from (see
// Index.Members).
func (x *Index) Elements(b []byte, i int) Array { return Array{open(b, i, '[', x)} }

// Next moves to the next element and returns where it starts. It returns
// false after the last element, and where the text stops being an array:
// an element that does not end, or a separator other than ','.
func (a *Array) Next() (start int, ok bool) {
	i, ok := a.following()
	if !ok || a.b[i] == ']' {
		return a.stop()
	}
	a.val, a.end = i, -1
	return i, true
}
