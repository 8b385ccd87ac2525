package jsonspan

import "math/bits"

// stringMasks is swarStringMasks with SSE2 (strings_amd64.s).
//
//go:noescape
func stringMasks(p *[64]byte) (quote, backslash, control uint64)

// quoteMasks is swarStringMasks without the control bytes, with SSE2
// (strings_amd64.s).
//
//go:noescape
func quoteMasks(p *[64]byte) (quote, backslash uint64)

// blocksEnd looks for the closing quote of a string in the whole 64-byte
// blocks of b from i on, the first escaped when carry is 1: it returns the
// index just past the quote, or -1 and the index of the first byte not in
// a whole block.
func blocksEnd(b []byte, i int, carry uint64) (end, next int) {
	for ; i+64 <= len(b); i += 64 {
		q, bs := quoteMasks((*[64]byte)(b[i:]))
		var esc uint64
		esc, carry = escapedBytes(bs, carry)
		if m := q &^ esc; m != 0 {
			return i + bits.TrailingZeros64(m) + 1, i
		}
	}
	return -1, i
}
