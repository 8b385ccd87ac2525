package offline

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// splitSession returns a session of about 6 MiB shaped as b exports it,
// with onboard failures and failed calls, and an entry start near its
// middle, guessed as the browser guesses it.
func splitSession(t *testing.T, b fixture.Browser) ([]byte, int64) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := fixture.WriteLargeWith(&buf, b, 6<<20, 7, fixture.LargeOptions{Failed: 40}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	mid := len(data) / 2
	off := har.EntryStartIn(data[:1<<20], data[mid:])
	if off < 0 {
		t.Fatal("no entry start guessed after the middle")
	}
	return data, int64(mid + off)
}

// scanPart pushes data[start:] to a PartScan in chunks of size and returns
// the pieces it gives (a piece per push, the last from Finish), and
// Finish's error.
func scanPart(t *testing.T, data []byte, start int64, size int) ([][]byte, error) {
	t.Helper()
	ps := NewPartScan("s.har", start)
	var pieces [][]byte
	for _, c := range chunks(data[start:], size) {
		p, err := ps.Push(c)
		if err != nil {
			t.Fatalf("PartScan.Push: %v", err)
		}
		if p.Stopped {
			break
		}
		pieces = append(pieces, p.Piece)
	}
	last, err := ps.Finish()
	if err == nil {
		pieces = append(pieces, last)
	}
	return pieces, err
}

// TestSplitImportMatchesWholeFile: a file read by two engines, the import
// from its start taking over, piece by piece, the part another scanned
// from an entry near the middle, gives exactly what the whole-file call
// gives, in both browsers' shapes and for any chunk size; the findings and
// failed calls reported along the way, the handovers' included, add up to
// the final lists. When the part stops short (the file is cut in it), the
// import takes its pieces, then reads on past them. When the part cannot
// be used (nil) or the split was no entry's
// start, the import reads on alone, to the same result.
func TestSplitImportMatchesWholeFile(t *testing.T) {
	for _, b := range []fixture.Browser{fixture.Chrome, fixture.Firefox} {
		whole, start := splitSession(t, b)
		cut := whole[:len(whole)-len(whole)/8]
		for _, tt := range []struct {
			name   string
			data   []byte
			at     int64
			size   int
			noPart bool
		}{
			{"4 MiB chunks", whole, start, 4 << 20, false},
			{"64 KiB chunks", whole, start, 64 << 10, false},
			{"1 MiB chunks, no part", whole, start, 1 << 20, true},
			{"no entry starts at the split", whole, start + 1, 1 << 20, false},
			{"cut short in the part: its pieces, then reading on", cut, start, 256 << 10, false},
		} {
			t.Run(fmt.Sprintf("browser %d/%s", b, tt.name), func(t *testing.T) {
				want := AnalyzeHAR(tt.data, "s.har", "en")
				if len(want.Findings) == 0 || len(want.FailedCalls) < 20 {
					t.Fatalf("the session gives %d findings, %d failed calls: not a meaningful comparison", len(want.Findings), len(want.FailedCalls))
				}
				var pieces [][]byte
				complete := false
				if !tt.noPart {
					var err error
					pieces, err = scanPart(t, tt.data, tt.at, tt.size)
					complete = err == nil
					if tt.at == start && len(pieces) < 2 {
						t.Fatalf("%d pieces (%v)", len(pieces), err)
					}
				}
				im := NewImport("s.har", "en", tt.at)
				var pushed, calls []any
				note := func(p *ImportProgress) {
					for _, f := range p.Findings {
						pushed = append(pushed, f)
					}
					for _, c := range p.FailedCalls {
						calls = append(calls, c)
					}
				}
				handovers, missed := 0, false
				for _, c := range chunks(tt.data, tt.size) {
					p, err := im.Push(c)
					if err != nil {
						t.Fatalf("Push: %v", err)
					}
					note(p)
					missed = missed || p.SplitMissed
					for p.Handover {
						handovers++
						if _, err := im.Push(c); !errors.Is(err, errHolding) {
							t.Fatalf("Push while the import waits for the part: %v", err)
						}
						// One piece at a time, or all those scanned so far.
						var given [][]byte
						if n := min(len(pieces), 1+handovers%2*len(pieces)); n > 0 {
							given, pieces = pieces[:n], pieces[n:]
						}
						if p, err = im.Handover(given...); err != nil {
							t.Fatalf("Handover: %v", err)
						}
						note(p)
					}
					if p.Stopped {
						break
					}
				}
				got := im.Finish()
				if jsonOf(t, got) != jsonOf(t, want) {
					t.Fatalf("split import differs from the whole-file analysis:\n got %s\nwant %s", jsonOf(t, got), jsonOf(t, want))
				}
				if jsonOf(t, pushed) != jsonOf(t, got.Findings) || jsonOf(t, calls) != jsonOf(t, got.FailedCalls) {
					t.Errorf("findings or failed calls pushed along the way differ from the final ones")
				}
				if reached := tt.at == start; (handovers > 0) != reached || missed == reached {
					t.Errorf("%d handovers, split missed %v; want a handover: %v", handovers, missed, reached)
				}
				if complete && tt.at == start && len(pieces) > 0 {
					t.Errorf("%d pieces left untaken", len(pieces))
				}
			})
		}
	}
}

// TestSplitImportEnds: an import waiting for its part neither hangs when it
// is cancelled or finished instead, nor takes bytes that are not a part.
func TestSplitImportEnds(t *testing.T) {
	data, start := splitSession(t, fixture.Chrome)
	waiting := func() *Import {
		im := NewImport("s.har", "en", start)
		for _, c := range chunks(data, 1<<20) {
			p, err := im.Push(c)
			if err != nil {
				t.Fatal(err)
			}
			if p.Handover {
				return im
			}
		}
		t.Fatal("no handover")
		return nil
	}
	im := waiting()
	if _, err := im.Handover([]byte(`{"log":{}}`)); err == nil || !strings.HasPrefix(err.Error(), "piece 1 of 1: ") {
		t.Error("a HAR taken as a part")
	}
	im.Cancel()
	if _, err := im.Push(data[:10]); err == nil {
		t.Error("Push after Cancel")
	}
	im = waiting()
	if res := im.Finish(); res.Error == nil {
		t.Error("a file finished at the split, half read, gave no error")
	}
	im = NewImport("s.har", "en", 0)
	defer im.Cancel()
	if _, err := im.Handover(); !errors.Is(err, errNotHolding) {
		t.Errorf("Handover to an import not waiting: %v", err)
	}
}
