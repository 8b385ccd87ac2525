package jsonspan

import (
	"encoding/binary"
	"math/bits"
)

// indexMin is the length from which Validate records a value in an Index:
// crossing a shorter value again costs less than looking it up.
const indexMin = 64

// Index records where the long strings, objects and arrays of one JSON text
// end, as Validate found them, so that a walk over the text (Members,
// Elements with the index) gets each value's end without crossing the value
// a second time. Recording costs eight bytes per value of indexMin bytes or
// more. The zero Index is empty; an Index is reused by the next Validate.
type Index struct {
	starts, ends []int32 // by start, ascending
	// next is the first slot whose start is past the last value looked up:
	// a walk asks for values in text order, so the next one is found there
	// without a search.
	next int
}

// End returns the index just past the value that starts at b[i] of the text
// the index was made from, or -1 when the index does not hold that value.
func (x *Index) End(i int) int {
	if x == nil {
		return -1
	}
	// Search for the first slot whose start is i or more, on the side of
	// next where it is.
	lo, hi := 0, len(x.starts)
	switch h := x.next; {
	case h > hi:
	case h > 0 && int(x.starts[h-1]) >= i:
		hi = h - 1
	case h < hi && int(x.starts[h]) < i:
		lo = h + 1
	default:
		lo, hi = h, h
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(x.starts[m]) < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	x.next = lo
	if lo < len(x.starts) && int(x.starts[lo]) == i {
		x.next = lo + 1
		return int(x.ends[lo])
	}
	return -1
}

// Validate reports whether b is one JSON value, with white space around it,
// by exactly the grammar gjson.Valid accepts (RFC 8259's, without checking
// that strings are UTF-8, nested to any depth). When x is not nil it also
// records there the ends of the values it crosses (see Index); x is reset
// first, and holds nothing useful when b is not valid. It reads each byte
// once, eight at a time inside strings.
func Validate(b []byte, x *Index) bool {
	if x != nil {
		x.starts, x.ends, x.next = x.starts[:0], x.ends[:0], 0
		if len(b) > 1<<31-1 {
			x = nil // offsets are kept in 32 bits
		}
	}
	// open holds the composites not yet closed: where each starts and, when
	// recorded, its slot in x (reserved when it opens, so that x stays in
	// start order, and given back if it closes short).
	type composite struct{ start, slot int }
	var open []composite
	i := SkipSpace(b, 0)
value:
	if i >= len(b) {
		return false
	}
	switch c := b[i]; c {
	case '"':
		end := validString(b, i+1)
		if end < 0 {
			return false
		}
		if x != nil && end-i >= indexMin {
			x.starts, x.ends = append(x.starts, int32(i)), append(x.ends, int32(end))
		}
		i = end
	case '{', '[':
		slot := -1
		if x != nil {
			slot = len(x.starts)
			x.starts, x.ends = append(x.starts, int32(i)), append(x.ends, 0)
		}
		open = append(open, composite{i, slot})
		if i = SkipSpace(b, i+1); i < len(b) && b[i] == c+2 { // '{'+2 == '}', '['+2 == ']'
			i++
			goto closed
		}
		if c == '{' {
			goto key
		}
		goto value
	case 't':
		if !literal(b, i, "true") {
			return false
		}
		i += 4
	case 'f':
		if !literal(b, i, "false") {
			return false
		}
		i += 5
	case 'n':
		if !literal(b, i, "null") {
			return false
		}
		i += 4
	default:
		if i = validNumber(b, i); i < 0 {
			return false
		}
	}
next: // a value ends at i
	if len(open) == 0 {
		return SkipSpace(b, i) == len(b)
	}
	if i = SkipSpace(b, i); i >= len(b) {
		return false
	}
	switch top := b[open[len(open)-1].start]; b[i] {
	case ',':
		i = SkipSpace(b, i+1)
		if top == '{' {
			goto key
		}
		goto value
	case top + 2:
		i++
		goto closed
	}
	return false
closed: // the innermost composite ends at i
	if top := open[len(open)-1]; top.slot >= 0 {
		if i-top.start >= indexMin {
			x.ends[top.slot] = int32(i)
		} else {
			// Everything inside is shorter still, so nothing was recorded after it.
			x.starts, x.ends = x.starts[:top.slot], x.ends[:top.slot]
		}
	}
	open = open[:len(open)-1]
	goto next
key:
	if i >= len(b) || b[i] != '"' {
		return false
	}
	if i = validString(b, i+1); i < 0 {
		return false
	}
	if i = SkipSpace(b, i); i >= len(b) || b[i] != ':' {
		return false
	}
	i = SkipSpace(b, i+1)
	goto value
}

// literal reports whether b holds lit at i.
func literal(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

// validNumber returns the index just past the number that starts at b[i],
// or -1 when none does: an optional '-', then '0' or digits not starting
// with '0', an optional fraction and an optional exponent. What follows
// is the caller's to check.
func validNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b) || !isDigit(b[i]):
		return -1
	case b[i] == '0':
		i++
	default:
		i = digits(b, i)
	}
	if i < len(b) && b[i] == '.' {
		if i++; i >= len(b) || !isDigit(b[i]) {
			return -1
		}
		i = digits(b, i)
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		if i++; i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return -1
		}
		i = digits(b, i)
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digits returns the index of the first byte at or after i that is not a
// digit, or len(b).
func digits(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}

// validStringPortable returns the index just past the closing quote of
// the string whose contents start at b[i], or -1 when it is not a JSON
// string: it is not closed, holds a control character, or an escape other
// than \" \\ \/ \b \f \n \r \t and \u with four hexadecimal digits. It is
// validString in portable Go, eight bytes at a time; on amd64, validString
// looks at 64 bytes at a time and leaves the last few to it.
func validStringPortable(b []byte, i int) int {
	for {
		// Escapes in script bodies are a few bytes apart: the next eight
		// bytes are looked at one at a time before searching eight at a time.
		k := min(i+8, len(b))
		for i < k && !stringStops[b[i]] {
			i++
		}
		if i == k {
			if i = stringStop(b, i); i < 0 {
				return -1
			}
		}
		if b[i] != '\\' {
			if b[i] == '"' {
				return i + 1
			}
			return -1 // a control character
		}
		if i+1 >= len(b) {
			return -1
		}
		// One look-up rather than a branch per kind of escape.
		switch escapeLen[b[i+1]] {
		case 2:
			i += 2
		case 6:
			if !hex4(b, i+2) {
				return -1
			}
			i += 6
		default:
			return -1
		}
	}
}

// escapeLen is the length of the escape whose second byte is the index:
// 2, 6 for \u, 0 for none.
var escapeLen = [256]uint8{'"': 2, '\\': 2, '/': 2, 'b': 2, 'f': 2, 'n': 2, 'r': 2, 't': 2, 'u': 6}

func isHex(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

// stringStop returns the index of the first '"', '\\' or control character
// (below 0x20) at or after i, or -1.
func stringStop(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q, bs := x^(lsb*'"'), x^(lsb*'\\')
		// Each test flags its lowest byte exactly (a false flag needs a
		// borrow from a true one below it), so the lowest flag of all is.
		if m := ((q-lsb)&^q | (bs-lsb)&^bs | (x-lsb*0x20)&^x) & msb; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return -1
}

// stringStops marks the bytes stringStop stops at.
var stringStops = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()
