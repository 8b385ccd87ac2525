package jsonspan

import "math/bits"

// On amd64, strings are crossed 64 bytes at a time: stringMasks finds the
// quotes, backslashes and control bytes of a block with SSE2, and
// escapedBytes which bytes the backslashes escape, without a branch per
// escape. Script bodies and JSON held in strings carry an escape every
// few bytes, which a search from quote to quote (memchr) or a loop that
// stops at each backslash pays for one by one. The last bytes of a buffer,
// fewer than a block, are left to the portable code.

// stringMasks sets bit k of quote, backslash and control when p[k], of the
// 64 bytes at p, is a '"', a '\\' or a byte below 0x20 (strings_amd64.s).
//
//go:noescape
func stringMasks(p *byte) (quote, backslash, control uint64)

// quoteMasks is stringMasks without the control bytes, which finding
// where a string ends needs not.
//
//go:noescape
func quoteMasks(p *byte) (quote, backslash uint64)

// evenBits marks the even positions of a block.
const evenBits = 0x5555555555555555

// escapedBytes returns the positions of a block that a backslash escapes,
// given the block's backslashes: the byte after each run of an odd number
// of backslashes. carry is 1 when the blocks before ended with such a run
// (the block's first byte is escaped); it is set for the next block. This
// is simdjson's find_odd_backslash_sequences (Langdale and Lemire,
// "Parsing Gigabytes of JSON per Second", https://arxiv.org/abs/1902.08318):
// adding a run's first bit to the run carries past its end, and the parity
// of where a run starts and ends tells its length's.
func escapedBytes(backslash uint64, carry *uint64) uint64 {
	starts := backslash &^ (backslash << 1)
	evenStart := evenBits ^ *carry // a run that goes on from the block before starts on the other parity
	evenCarries := backslash + starts&evenStart
	oddCarries, out := bits.Add64(backslash, starts&^evenStart, 0)
	oddCarries |= *carry
	*carry = out
	return evenCarries&^backslash&^evenBits | oddCarries&^backslash&evenBits
}

// stringEndFrom is StringEndFrom, 64 bytes at a time once past the first
// bytes of a string (most are short names and values).
func stringEndFrom(b []byte, start, from int) int {
	i := from
	if i == start {
		for k := min(i+16, len(b)); i < k && b[i] != '\\'; i++ {
			if b[i] == '"' {
				return i + 1
			}
		}
	}
	var carry uint64 // b[i] follows no backslash, or the count says
	if i+64 <= len(b) && Escaped(b[start:i]) {
		carry = 1
	}
	for ; i+64 <= len(b); i += 64 {
		q, bs := quoteMasks(&b[i])
		if m := q &^ escapedBytes(bs, &carry); m != 0 {
			return i + bits.TrailingZeros64(m) + 1
		}
	}
	return stringEndPortable(b, start, i) // it counts the backslashes before a quote itself
}

// validString is validStringPortable, 64 bytes at a time once past the
// first bytes (most strings are short names and values).
func validString(b []byte, i int) int {
	for k := min(i+16, len(b)); i < k && !stringStops[b[i]]; {
		i++
	}
	if i < len(b) && b[i] != '\\' && stringStops[b[i]] {
		if b[i] == '"' {
			return i + 1
		}
		return -1 // a control character
	}
	var carry uint64 // b[i] is not escaped: no backslash before it
	for ; i+64 <= len(b); i += 64 {
		q, bs, ctl := stringMasks(&b[i])
		esc := escapedBytes(bs, &carry)
		in := ^uint64(0) // the block's bytes inside the string
		end := q &^ esc
		if end != 0 {
			in = end&-end - 1
		}
		if ctl&in != 0 {
			return -1
		}
		// Every escaped byte must make an escape; an escaped quote does.
		for m := esc &^ q & in; m != 0; m &= m - 1 {
			j := i + bits.TrailingZeros64(m)
			switch escapeLen[b[j]] {
			case 2:
			case 6:
				if !hex4(b, j+1) {
					return -1
				}
			default:
				return -1
			}
		}
		if end != 0 {
			return i + bits.TrailingZeros64(end) + 1
		}
	}
	if carry != 0 {
		i-- // the backslash that escapes b[i]: the portable code reads the escape whole
	}
	return validStringPortable(b, i)
}
