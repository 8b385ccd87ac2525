package jsonspan

import (
	"encoding/binary"
	"math/bits"
)

// Strings are crossed 64 bytes at a time: stringMasks finds the quotes,
// backslashes and control bytes of a block (with SSE2 on amd64, eight
// bytes to a 64-bit word elsewhere, WebAssembly included), and
// escapedBytes which bytes the backslashes escape, without a branch per
// escape. Script bodies and JSON held in strings carry an escape every
// few bytes, which a search from quote to quote (memchr) or a loop that
// stops at each backslash pays for one by one. The last bytes of a buffer,
// fewer than a block, are left to the portable code.

// swarStringMasks sets bit k of quote, backslash and control when p[k] is
// a '"', a '\\' or a byte below 0x20, looking at eight bytes at a time in
// a 64-bit word.
func swarStringMasks(p *[64]byte) (quote, backslash, control uint64) {
	const q, bs = lsb * '"', lsb * '\\'
	le := binary.LittleEndian
	x0, x1, x2, x3 := le.Uint64(p[0:8]), le.Uint64(p[8:16]), le.Uint64(p[16:24]), le.Uint64(p[24:32])
	x4, x5, x6, x7 := le.Uint64(p[32:40]), le.Uint64(p[40:48]), le.Uint64(p[48:56]), le.Uint64(p[56:64])
	quote = eqBits(x0, q) | eqBits(x1, q)<<8 | eqBits(x2, q)<<16 | eqBits(x3, q)<<24 |
		eqBits(x4, q)<<32 | eqBits(x5, q)<<40 | eqBits(x6, q)<<48 | eqBits(x7, q)<<56
	backslash = eqBits(x0, bs) | eqBits(x1, bs)<<8 | eqBits(x2, bs)<<16 | eqBits(x3, bs)<<24 |
		eqBits(x4, bs)<<32 | eqBits(x5, bs)<<40 | eqBits(x6, bs)<<48 | eqBits(x7, bs)<<56
	control = gatherBits(controlBytes(x0)) | gatherBits(controlBytes(x1))<<8 |
		gatherBits(controlBytes(x2))<<16 | gatherBits(controlBytes(x3))<<24 |
		gatherBits(controlBytes(x4))<<32 | gatherBits(controlBytes(x5))<<40 |
		gatherBits(controlBytes(x6))<<48 | gatherBits(controlBytes(x7))<<56
	return quote, backslash, control
}

// swarBlocksEnd is blocksEnd eight bytes to a word. It writes out the
// quote and backslash masks of swarStringMasks in its own loop rather than
// calling it: in WebAssembly a call per block cost about what the block
// does (1.5 against 2.0 GB/s on an escaped body, BenchmarkStrings).
func swarBlocksEnd(b []byte, i int, carry uint64) (end, next int) {
	const q, bs = lsb * '"', lsb * '\\'
	le := binary.LittleEndian
	for ; i+64 <= len(b); i += 64 {
		p := (*[64]byte)(b[i:])
		x0, x1, x2, x3 := le.Uint64(p[0:8]), le.Uint64(p[8:16]), le.Uint64(p[16:24]), le.Uint64(p[24:32])
		x4, x5, x6, x7 := le.Uint64(p[32:40]), le.Uint64(p[40:48]), le.Uint64(p[48:56]), le.Uint64(p[56:64])
		quote := eqBits(x0, q) | eqBits(x1, q)<<8 | eqBits(x2, q)<<16 | eqBits(x3, q)<<24 |
			eqBits(x4, q)<<32 | eqBits(x5, q)<<40 | eqBits(x6, q)<<48 | eqBits(x7, q)<<56
		backslash := eqBits(x0, bs) | eqBits(x1, bs)<<8 | eqBits(x2, bs)<<16 | eqBits(x3, bs)<<24 |
			eqBits(x4, bs)<<32 | eqBits(x5, bs)<<40 | eqBits(x6, bs)<<48 | eqBits(x7, bs)<<56
		var esc uint64
		esc, carry = escapedBytes(backslash, carry)
		if m := quote &^ esc; m != 0 {
			return i + bits.TrailingZeros64(m) + 1, i
		}
	}
	return -1, i
}

// eqBits sets bit k when byte k of x is the byte c repeats.
func eqBits(x, c uint64) uint64 { return gatherBits(zeroBytes(x ^ c)) }

// controlBytes sets the high bit of each byte of x below 0x20, and no
// other bit.
func controlBytes(x uint64) uint64 { return ^((x&^msb + lsb*0x60) | x) & msb }

// zeroBytes sets the high bit of each byte of x that is zero, and no other
// bit: unlike (x-lsb)&^x, no borrow runs from one byte into the next.
func zeroBytes(x uint64) uint64 { return ^((x&^msb + ^uint64(msb)) | x) & msb }

// gatherBits moves the high bit of byte k of m, whose other bits are
// clear, to bit k: the multiplier's bits at 56-7k move each to the top
// byte, on distinct positions, so no sum carries.
func gatherBits(m uint64) uint64 { return (m >> 7) * 0x0102040810204080 >> 56 }

// evenBits marks the even positions of a block.
const evenBits = 0x5555555555555555

// escapedBytes returns the positions of a block that a backslash escapes,
// given the block's backslashes: the byte after each run of an odd number
// of backslashes. carry is 1 when the blocks before ended with such a run
// (the block's first byte is escaped); next is that for the next block.
// This is simdjson's find_odd_backslash_sequences (Langdale and Lemire,
// "Parsing Gigabytes of JSON per Second", https://arxiv.org/abs/1902.08318):
// adding a run's first bit to the run carries past its end, and the parity
// of where a run starts and ends tells its length's. It stays small enough
// to be inlined, which matters most in WebAssembly.
func escapedBytes(backslash, carry uint64) (escaped, next uint64) {
	starts := backslash &^ (backslash << 1)
	evenStart := evenBits ^ carry // a run that goes on from the block before starts on the other parity
	oddCarries, next := bits.Add64(backslash, starts&^evenStart, 0)
	return (backslash+starts&evenStart)&^backslash&^evenBits | (oddCarries|carry)&^backslash&evenBits, next
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
	end, i := blocksEnd(b, i, carry)
	if end >= 0 {
		return end
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
		q, bs, ctl := stringMasks((*[64]byte)(b[i:]))
		var esc uint64
		esc, carry = escapedBytes(bs, carry)
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
