package sanitize

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"testing"

	"hubdoctor/internal/fixture"
)

// pseudonym matches the pseudonyms Pseudonyms.Email writes.
var pseudonym = regexp.MustCompile(`user-[0-9a-f]{8}`)

// numbered replaces each pseudonym by its rank of first appearance, so two
// exports, each with its own random key, compare equal when they gave
// the same addresses the same pseudonyms in the same places.
func numbered(b []byte) []byte {
	rank := map[string]int{}
	return pseudonym.ReplaceAllFunc(b, func(p []byte) []byte {
		n, ok := rank[string(p)]
		if !ok {
			n = len(rank)
			rank[string(p)] = n
		}
		return fmt.Appendf(nil, "user-#%d", n)
	})
}

// TestPartsSameOutput: the sanitized file is the same byte for byte
// whatever the number of workers, and each entry in it is what the
// sequential walk without the validator's index (the live path's
// AppendEntry, which sanitized files before) gives, on large generated
// sessions and the canary corpus in both browsers' shapes, with and
// without pseudonyms (the same addresses get the same pseudonyms, in the
// same order).
func TestPartsSameOutput(t *testing.T) {
	for _, b := range fixture.Browsers {
		var large bytes.Buffer
		if _, err := fixture.WriteLarge(&large, b, 6<<20, 3); err != nil {
			t.Fatal(err)
		}
		for name, in := range map[string][]byte{"large": large.Bytes(), "canary": canaryHAR(t, b)} {
			for _, pseudo := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/pseudonyms=%v", b, name, pseudo), func(t *testing.T) {
					opts := Options{PseudonymizeEmails: pseudo, Version: "test"}
					var want bytes.Buffer
					wantStats, err := sanitizeHAR(bytes.NewReader(in), &want, "in.har", opts, 1)
					if err != nil {
						t.Fatal(err)
					}
					if pseudo && !pseudonym.Match(want.Bytes()) {
						t.Fatal("no pseudonym in the output: the test would prove nothing")
					}
					for _, workers := range []int{2, 3, 8} {
						var got bytes.Buffer
						st, err := sanitizeHAR(bytes.NewReader(in), &got, "in.har", opts, workers)
						if err != nil {
							t.Fatal(err)
						}
						if !bytes.Equal(numbered(got.Bytes()), numbered(want.Bytes())) {
							t.Errorf("%d workers: output differs from one worker's", workers)
						}
						if st.Entries != wantStats.Entries || !maps.Equal(st.Redactions, wantStats.Redactions) {
							t.Errorf("%d workers: stats %+v, one worker %+v", workers, st, wantStats)
						}
					}
					raws, err := entriesOf(in)
					if err != nil {
						t.Fatal(err)
					}
					outs, err := entriesOf(want.Bytes())
					if err != nil {
						t.Fatal(err)
					}
					if len(outs) != len(raws) {
						t.Fatalf("%d entries out, %d in", len(outs), len(raws))
					}
					ref := New(opts)
					var refAll, outAll []byte
					for i, raw := range raws {
						if refAll, err = ref.AppendEntry(refAll, raw); err != nil {
							t.Fatalf("entry %d: %v", i, err)
						}
						outAll = append(outAll, outs[i]...)
					}
					if !bytes.Equal(numbered(outAll), numbered(refAll)) {
						t.Error("entries differ from the walk without the index")
					}
				})
			}
		}
	}
}
