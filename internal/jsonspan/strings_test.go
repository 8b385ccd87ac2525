package jsonspan

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestStringsAgreeWithPortable: validString and StringEndFrom (64 bytes at
// a time on amd64) agree with the portable code on strings made of what
// matters to them (quotes, runs of backslashes, escapes, control bytes),
// long enough to cross several blocks, read whole and in pieces.
func TestStringsAgreeWithPortable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{`"`, `\`, `\\`, `\"`, `\\\"`, `\n`, `\u00e9`, `\u12`, `\x`, "\x01", "\n", "a", "bcdefgh", "é", `/`, "0123456789abcdef"}
	for range 20000 {
		var b []byte
		for n := r.IntN(120); len(b) < n; {
			b = append(b, pieces[r.IntN(len(pieces))]...)
			if r.IntN(4) == 0 {
				b = append(b, bytes.Repeat([]byte("x"), r.IntN(70))...)
			}
		}
		checkStrings(t, b)
	}
}

// FuzzStrings: validString and StringEndFrom agree with the portable code
// on any text.
func FuzzStrings(f *testing.F) {
	f.Add([]byte(`abc\"def\\"`))
	f.Add(bytes.Repeat([]byte(`\`), 130))
	f.Add(append(bytes.Repeat([]byte(`\`), 63), `"abc"`...))
	f.Add(append(bytes.Repeat([]byte(`x\"`), 40), `\u00zz"`...))
	f.Fuzz(checkStrings)
}

// checkStrings compares on b, the contents of a string and what follows,
// and on b read from every offset and with every quote of it as a cut.
func checkStrings(t *testing.T, b []byte) {
	t.Helper()
	for i := range min(len(b), 70) + 1 {
		if got, want := validString(b, i), validStringPortable(b, i); got != want {
			t.Fatalf("validString(%q, %d) = %d, portable %d", b, i, got, want)
		}
		if got, want := StringEndFrom(b, 0, i), stringEndPortable(b, 0, i); got != want {
			t.Fatalf("StringEndFrom(%q, 0, %d) = %d, portable %d", b, i, got, want)
		}
	}
	// A string read in pieces: the search goes on from where a piece ended.
	for cut := 0; cut <= len(b); cut += 1 + cut/8 {
		got := StringEndFrom(b[:cut], 0, 0)
		if got < 0 {
			got = StringEndFrom(b, 0, cut)
		}
		if want := stringEndPortable(b, 0, 0); got != want {
			t.Fatalf("StringEndFrom(%q) cut at %d = %d, portable %d", b, cut, got, want)
		}
	}
}
