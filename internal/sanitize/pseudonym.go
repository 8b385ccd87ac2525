package sanitize

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
)

// Pseudonyms maps e-mail addresses to stable pseudonyms for one export: the
// same address (ignoring case) always gets the same pseudonym, the domain is
// kept, and the mapping cannot be reversed without the export's random key,
// which is never written out.
//
// The pseudonym is SipHash-2-4 of the lower-cased address under that key,
// cut to 32 bits. SipHash is a keyed pseudorandom function made for exactly
// this (short inputs, secret key): without the key a pseudonym tells nothing
// about its address, so nobody who reads the export can test a guessed
// address, and the pairs an export shows do not give the key away. The key
// (128 bits) comes from the Go runtime's ChaCha8 generator, which the
// runtime seeds from the system's cryptographic random source (the
// browser's crypto.getRandomValues in the extension), and lives only in
// memory. SipHash and math/rand/v2 replace HMAC-SHA256 and crypto/rand,
// which added 61 KB (gzip) to the WebAssembly engine.
type Pseudonyms struct {
	k0, k1 uint64
}

// NewPseudonyms returns a mapping with a fresh random key.
func NewPseudonyms() *Pseudonyms {
	return &Pseudonyms{k0: rand.Uint64(), k1: rand.Uint64()}
}

// Email returns the pseudonym of addr ("alex@example.com" →
// "user-1a2b3c4d@example.com"); a percent-encoded '@' stays encoded.
func (p *Pseudonyms) Email(addr string) string {
	sep := "@"
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		i = strings.LastIndex(strings.ToLower(addr), "%40")
		if i < 0 {
			return addr
		}
		sep = addr[i : i+3]
	}
	local, domain := addr[:i], addr[i+len(sep):]
	h := sipHash24(p.k0, p.k1, []byte(strings.ToLower(local)+"@"+strings.ToLower(domain)))
	return fmt.Sprintf("user-%08x%s%s", uint32(h>>32), sep, domain)
}

// sipHash24 is SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
// short-input PRF", 2012) of msg under the key k0 || k1 (little-endian
// halves of the 16-byte key).
func sipHash24(k0, k1 uint64, msg []byte) uint64 {
	v0 := k0 ^ 0x736f6d6570736575
	v1 := k1 ^ 0x646f72616e646f6d
	v2 := k0 ^ 0x6c7967656e657261
	v3 := k1 ^ 0x7465646279746573
	round := func() {
		v0 += v1
		v1 = bits.RotateLeft64(v1, 13) ^ v0
		v0 = bits.RotateLeft64(v0, 32)
		v2 += v3
		v3 = bits.RotateLeft64(v3, 16) ^ v2
		v0 += v3
		v3 = bits.RotateLeft64(v3, 21) ^ v0
		v2 += v1
		v1 = bits.RotateLeft64(v1, 17) ^ v2
		v2 = bits.RotateLeft64(v2, 32)
	}
	compress := func(m uint64) {
		v3 ^= m
		round()
		round()
		v0 ^= m
	}
	n := len(msg)
	for ; len(msg) >= 8; msg = msg[8:] {
		compress(binary.LittleEndian.Uint64(msg))
	}
	// The last block: the remaining bytes, and the length's low byte on top.
	var last [8]byte
	copy(last[:], msg)
	last[7] = byte(n)
	compress(binary.LittleEndian.Uint64(last[:]))
	v2 ^= 0xff
	for range 4 {
		round()
	}
	return v0 ^ v1 ^ v2 ^ v3
}
