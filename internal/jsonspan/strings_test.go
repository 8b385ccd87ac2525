package jsonspan

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestStringsAgreeWithPortable: validString and StringEndFrom (64 bytes at
// a time on amd64) agree with the portable code on strings made of what
// matters to them (quotes, runs of backslashes, escapes, control bytes),
// long enough to cross several blocks, read whole and in pieces.
func TestStringsAgreeWithPortable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{`"`, `\`, `\\`, `\"`, `\\\"`, `\n`, `\u00e9`, `\u12`, `\x`, "\x01", "\n", "a", "bcdefgh", "é", `/`, "0123456789abcdef"}
	for range 20000 {
		checkStrings(t, pieced(r, pieces, r.IntN(120), 70))
	}
}

// pieced returns at least n bytes of pieces drawn at random, with runs of
// up to pad plain bytes between some of them (so that blocks of 64 bytes
// start anywhere).
func pieced(r *rand.Rand, pieces []string, n, pad int) []byte {
	var b []byte
	for len(b) < n {
		b = append(b, pieces[r.IntN(len(pieces))]...)
		if r.IntN(4) == 0 {
			b = append(b, bytes.Repeat([]byte("x"), r.IntN(pad))...)
		}
	}
	return b
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

// TestBlocksEndAgree: the closing quote is found in whole blocks at the
// same place whichever way their masks are found (SSE2 on amd64, eight
// bytes to a word elsewhere), whether the first byte is escaped or not.
func TestBlocksEndAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{`"`, `\`, `\\`, `\"`, `\\\"`, "a", "bcdefgh", "é", "0123456789abcdef"}
	for range 20000 {
		b := pieced(r, pieces, r.IntN(300), 90)
		for _, carry := range []uint64{0, 1} {
			i := r.IntN(len(b) + 1)
			end, next := blocksEnd(b, i, carry)
			end2, next2 := swarBlocksEnd(b, i, carry)
			if end != end2 || next != next2 {
				t.Fatalf("blocksEnd(%q, %d, %d) = %d, %d; swarBlocksEnd %d, %d", b, i, carry, end, next, end2, next2)
			}
		}
	}
}

// TestMasksAgree: the masks of a block are the same whichever way they are
// found (SSE2 on amd64, eight bytes to a word elsewhere), and bit k
// says what byte k is.
func TestMasksAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte{'"', '\\', 0, 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0x9f, 0xa0, 0xdc, 0xe2, 0xff, 'a'}
	for range 20000 {
		var p [64]byte
		for k := range p {
			p[k] = alphabet[r.IntN(len(alphabet))]
			if r.IntN(3) == 0 {
				p[k] = byte(r.IntN(256))
			}
		}
		q, bs, ctl := swarStringMasks(&p)
		for k, c := range p {
			if q>>k&1 == 1 != (c == '"') || bs>>k&1 == 1 != (c == '\\') || ctl>>k&1 == 1 != (c < 0x20) {
				t.Fatalf("swarStringMasks(%q): byte %d (%#x) misread: %064b %064b %064b", p, k, c, q, bs, ctl)
			}
		}
		if q2, bs2, ctl2 := stringMasks(&p); q2 != q || bs2 != bs || ctl2 != ctl {
			t.Fatalf("stringMasks(%q) = %#x %#x %#x, swar %#x %#x %#x", p, q2, bs2, ctl2, q, bs, ctl)
		}
	}
}

// escapedBody is the contents of a JSON string holding a JSON document, as
// a HAR holds a response body: an escaped quote every few bytes.
func escapedBody() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, `{\"id\":\"%08x-4f1c\",\"email\":\"user%d@example.com\",\"status\":400,\"message\":[\"[Error 10991] Url already exists\"]},`, i, i)
	}
	b.WriteString(`"`)
	return b.Bytes()
}

// BenchmarkStrings crosses and checks a long escaped string 64 bytes at a
// time, and reports how many times faster that is than the portable code
// in the same run (x-portable); on WebAssembly the blocks are read eight
// bytes to a word: GOOS=js GOARCH=wasm go test -bench Strings -run NONE,
// with $(go env GOROOT)/lib/wasm on PATH.
func BenchmarkStrings(b *testing.B) {
	body := escapedBody()
	for _, f := range []struct {
		name           string
		blocks, simple func() int
	}{
		{"end", func() int { return StringEndFrom(body, 0, 0) }, func() int { return stringEndPortable(body, 0, 0) }},
		{"valid", func() int { return validString(body, 0) }, func() int { return validStringPortable(body, 0) }},
	} {
		b.Run(f.name, func(b *testing.B) {
			if f.blocks() != len(body) || f.simple() != len(body) {
				b.Fatalf("the string's end was not found at %d", len(body))
			}
			b.SetBytes(int64(len(body)))
			start := time.Now()
			for range b.N {
				f.simple()
			}
			simple := time.Since(start)
			b.ResetTimer()
			start = time.Now()
			for range b.N {
				f.blocks()
			}
			blocks := time.Since(start)
			b.ReportMetric(float64(simple)/float64(blocks), "x-portable")
		})
	}
}
