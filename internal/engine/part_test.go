package engine

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"hubdoctor/internal/har"
)

// TestAnalyzeSplitSameAsAnalyzeHAR: a file read by two engines, the second
// scanning from an entry start EntryStartIn guesses and handing its part
// over as bytes, gives what AnalyzeHAR gives, findings, counts and errors
// alike, whether the guess is right, wrong, or the part cannot be used; on
// well-formed, pretty-printed files the part is used.
func TestAnalyzeSplitSameAsAnalyzeHAR(t *testing.T) {
	tests := partCases(t)
	for _, tt := range tests {
		want, wantErr := AnalyzeHAR(bytes.NewReader(tt.har), "s.har", NewSession(nil))
		head := tt.har[:min(len(tt.har), 1<<20)]
		var starts []int64
		for i := 1; i < 4; i++ {
			from := len(tt.har) * i / 4
			if off := har.EntryStartIn(head, tt.har[from:]); off >= 0 {
				starts = append(starts, int64(from+off))
			}
		}
		if tt.reason == "one line: no guess" && len(starts) > 0 {
			t.Errorf("%s: guessed %v", tt.reason, starts)
		}
		used := 0
		for _, start := range starts {
			for _, at := range []int64{start, start - 1, start + 1} {
				for _, read := range []int{1 << 30, 4 << 10} {
					pieces, taken := splitPieces(t, tt.har, at, read), false
					got, err := AnalyzeSplit(bytes.NewReader(tt.har), "s.har", NewSession(nil), Split{At: at, Take: func(reached bool) func() *Part {
						if taken {
							t.Errorf("%s, split at %d: Take called twice", tt.reason, at)
						}
						taken = true
						if !reached {
							return nil
						}
						if len(pieces) > 0 && pieces[len(pieces)-1].Last {
							used++
						}
						return func() *Part {
							if len(pieces) == 0 {
								return nil
							}
							p := pieces[0]
							pieces = pieces[1:]
							return p
						}
					}})
					if fmt.Sprint(err) != fmt.Sprint(wantErr) {
						t.Errorf("%s, split at %d, reads of %d: error %v, want %v", tt.reason, at, read, err, wantErr)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s, split at %d, reads of %d: result differs:\n got %+v\nwant %+v", tt.reason, at, read, got, want)
					}
				}
			}
		}
		if tt.split == someUsed && used == 0 || tt.split == noneUsed && used > 0 {
			t.Errorf("%s: %d parts were used, want %s", tt.reason, used, tt.split)
		}
		if tt.reason == "Chrome's layout" && (len(want.Findings) < 30 || wantErr != nil || len(starts) < 3) {
			t.Fatalf("the combined session gives %d findings (%v), %d guessed starts: not a meaningful comparison", len(want.Findings), wantErr, len(starts))
		}
	}
}

// splitPieces scans b from at as the second engine does, cutting a piece
// after each read of up to read bytes, and returns the pieces as the first
// engine reads them back from their bytes: all of them, the last one Last,
// or those cut before the scan failed.
func splitPieces(t *testing.T, b []byte, at int64, read int) []*Part {
	t.Helper()
	p := &Part{Start: at}
	var pieces []*Part
	keep := func(piece *Part) {
		enc, err := piece.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Part
		if err := back.UnmarshalBinary(enc); err != nil {
			t.Fatalf("a piece's own bytes: %v", err)
		}
		if !reflect.DeepEqual(back, *piece) {
			t.Fatalf("a piece read back from its bytes differs")
		}
		pieces = append(pieces, &back)
	}
	r := &cutReader{r: bytes.NewReader(b[at:]), n: read, cut: func() { keep(p.Cut()) }}
	if err := p.Scan(r, "s.har", NewSession(nil)); err == nil {
		keep(p.Cut())
	}
	return pieces
}

// cutReader reads up to n bytes at a time from r, calling cut before each
// read but the first, as the second engine cuts a piece after each chunk.
type cutReader struct {
	r       *bytes.Reader
	n       int
	cut     func()
	started bool
}

func (c *cutReader) Read(b []byte) (int, error) {
	if c.started {
		c.cut()
	}
	c.started = true
	return c.r.Read(b[:min(len(b), c.n)])
}

// TestPartTooLarge: a part holding more entries a rule reads than
// maxPartHold refuses to be handed over.
func TestPartTooLarge(t *testing.T) {
	body := strings.Repeat("x", 1<<20)
	entry := `{"request":{"method":"POST","url":"https://atlas-a.wbx2.com/admin/api/v1/organizations/o/users/onboard","headers":[]},"response":{"status":400,"headers":[],"content":{"mimeType":"application/json","text":"` + body + `"}}}`
	var b strings.Builder
	b.WriteString(entry)
	for range maxPartHold >> 20 {
		b.WriteString(",\n" + entry)
	}
	b.WriteString("]}}")
	p := &Part{}
	if err := p.Scan(strings.NewReader(b.String()), "s.har", NewSession(nil)); err != ErrPartTooLarge {
		t.Fatalf("Scan: %v, want ErrPartTooLarge", err)
	}
}

// TestPartBytesRefused: bytes that are not a whole part, cut short (at
// every length of the first hundred bytes, then more sparsely) or with a
// byte changed, are refused or read back without a
// panic, never read past their end.
func TestPartBytesRefused(t *testing.T) {
	pretty := rulesSession(t, false, "  ", 0)
	at := int64(len(pretty) / 2)
	at += int64(har.EntryStartIn(pretty, pretty[at:]))
	pieces := splitPieces(t, pretty, at, 1<<30)
	enc, err := pieces[len(pieces)-1].MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(enc); n += 1 + n/64 {
		if err := new(Part).UnmarshalBinary(enc[:n]); err == nil {
			t.Fatalf("bytes cut at %d of %d were read as a part", n, len(enc))
		}
	}
	for i := range min(len(enc), 4096) {
		b := bytes.Clone(enc)
		b[i] ^= 0x80
		_ = new(Part).UnmarshalBinary(b) // must not panic
	}
	if err := new(Part).UnmarshalBinary([]byte(`{"log":{}}`)); err == nil || !strings.Contains(err.Error(), "not a part") {
		t.Errorf("a HAR read as a part: %v", err)
	}
}
