package sanitize

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// fuzzSeeds are whole HARs from the fixtures and the canary corpus; FuzzEntry
// takes their entries.
func fuzzSeeds(tb testing.TB) [][]byte {
	var hars [][]byte
	for _, b := range fixture.Browsers {
		hars = append(hars, fixture.HAR(b, fixture.SeedSession()...), canaryHAR(tb, b))
	}
	return hars
}

// entriesOf returns the raw entries of a HAR, or how far the scanner got.
func entriesOf(data []byte) ([][]byte, error) {
	var out [][]byte
	sc := har.NewScanner(bytes.NewReader(data), "fuzz")
	for {
		it, err := sc.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if it.Kind == har.EntryItem {
			out = append(out, bytes.Clone(it.Raw))
		}
	}
}

// addEntrySeeds adds the seed sessions' entries, with and without
// pseudonyms, and a malformed one to f's corpus.
func addEntrySeeds(f *testing.F) {
	for _, h := range fuzzSeeds(f) {
		es, _ := entriesOf(h)
		for _, e := range es {
			f.Add(e, false)
			f.Add(e, true)
		}
	}
	f.Add([]byte(`{"request":{"headers":{"name":"Cookie"}},"response":{"content":{"text":5,"encoding":"base64"}}}`), true)
}

// FuzzEntry checks that any entry either sanitizes to valid JSON or fails
// with a one-line error, and never panics.
func FuzzEntry(f *testing.F) {
	addEntrySeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte, pseudo bool) {
		out, err := New(Options{PseudonymizeEmails: pseudo}).Entry(raw)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error: %q", err)
			}
			return
		}
		if !gjson.ValidBytes(out) || (json.Valid(raw) && !json.Valid(out)) {
			t.Fatalf("invalid output for %q:\n%s", raw, out)
		}
	})
}

// FuzzEntries checks the batch path, whose copies finish does not check
// again (Entries): an array of entries either sanitizes to entries that are
// each valid JSON, one per element, or fails with a one-line error.
func FuzzEntries(f *testing.F) {
	addEntrySeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte, pseudo bool) {
		array := append(append(append([]byte("["), raw...), ','), append(raw, ']')...)
		var outs [][]byte
		_, err := New(Options{PseudonymizeEmails: pseudo}).Entries(array, func(_ int, out []byte) error {
			outs = append(outs, bytes.Clone(out))
			return nil
		})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error: %q", err)
			}
			return
		}
		for i, out := range outs {
			if !gjson.ValidBytes(out) {
				t.Fatalf("entry %d: invalid output for %q:\n%s", i, raw, out)
			}
		}
		if json.Valid(array) && len(outs) != 2 {
			t.Fatalf("%d entries out of 2", len(outs))
		}
	})
}

// FuzzHAR checks that a whole file either sanitizes to valid JSON with the
// same number of entries or fails with the scanner's error.
func FuzzHAR(f *testing.F) {
	// Small files: the fuzzer mutates faster and reaches as far.
	for _, b := range fixture.Browsers {
		f.Add(fixture.HAR(b, fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail), "["+fixture.CarrierUserResult(fixture.CarrierEmail)+"]")))
	}
	for _, e := range canaryRawEntries {
		f.Add([]byte(`{"log":{"version":"1.2","pages":[{"title":"https://a/?code=1"}],"entries":[` + e + `]}}`))
	}
	f.Add([]byte(`{"x":1,"log":{"entries":[]},"y":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		st, err := HAR(bytes.NewReader(data), &out, "fuzz.har", Options{})
		if err != nil {
			if _, ok := err.(*har.Error); !ok || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q is not a one-line *har.Error", err)
			}
			return
		}
		if !gjson.ValidBytes(out.Bytes()) {
			t.Fatalf("invalid output for %q:\n%s", data, out.Bytes())
		}
		in, _ := entriesOf(data)
		got, err := entriesOf(out.Bytes())
		if err != nil || len(got) != len(in) || st.Entries != len(in) {
			t.Fatalf("entries: in %d, out %d, stats %d (err %v)", len(in), len(got), st.Entries, err)
		}
	})
}
