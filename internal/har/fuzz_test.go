package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/fixture"
)

// fuzzSeeds are real-shaped files and the error cases of the tests.
func fuzzSeeds() [][]byte {
	small := fixture.HAR(fixture.Firefox, fixture.SeedSession()[8:]...)
	seeds := [][]byte{
		fixture.HAR(fixture.Chrome, fixture.SeedSession()[7:]...),
		small,
		minified(small),
		append([]byte("\xEF\xBB\xBF"), minified(small)...),
		small[:len(small)/2],
		[]byte(`{"log":{"entries":[` + tricky + `],"pages":[]},"x":1}`),
		[]byte(`{"log":{"entries":[` + oneEntry + oneEntry + `]}}`),
		[]byte(`{"log":{"entries":[{"a":[1}]}}`),
		[]byte(`{"log":{"version":1.2.3,"entries":[]}}`),
		[]byte(`{"log":{"entries":[]}}x`),
		[]byte(`{"log":[]}`), []byte(`{}`), []byte(`[`), []byte(""), []byte(" \n"),
		[]byte("<!DOCTYPE html>"), []byte("\xFF\xFE{"),
	}
	return seeds
}

// FuzzScanner: whatever the input, the scanner never panics and ends with
// either io.EOF or a one-line *Error naming the file; every item it yields
// is valid JSON at its Offset; and a file it accepts is valid JSON.
func FuzzScanner(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, uint8(0))
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, small uint8) {
		// Tiny buffers cross every boundary; otherwise one larger than fuzz
		// inputs, as in real use, but not bufSize: allocating 256 KiB per
		// run starves the fuzzer.
		size := 64 << 10
		if small > 0 {
			size = int(small)
		}
		s := newScanner(bytes.NewReader(data), "f.har", size, maxValue)
		entries := 0
		for {
			it, err := s.Next()
			if errors.Is(err, io.EOF) {
				if !json.Valid(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))) {
					t.Fatalf("accepted invalid JSON")
				}
				break
			}
			if err != nil {
				var he *Error
				if !errors.As(err, &he) {
					t.Fatalf("error %v is %T, want *Error", err, err)
				}
				if msg := err.Error(); !strings.HasPrefix(msg, "f.har: ") || strings.ContainsAny(msg, "\r\n") || he.Offset < 0 || he.Offset > int64(len(data)) {
					t.Fatalf("bad error %q (offset %d of %d)", msg, he.Offset, len(data))
				}
				break
			}
			if !gjson.ValidBytes(it.Raw) || !json.Valid(it.Raw) {
				t.Fatalf("item %q is not valid JSON", it.Raw)
			}
			if it.Offset < 0 || !bytes.Equal(data[it.Offset:it.Offset+int64(len(it.Raw))], it.Raw) {
				t.Fatalf("item at %d does not match the input", it.Offset)
			}
			if it.Kind == EntryItem {
				if it.Index != entries || it.Raw[0] != '{' {
					t.Fatalf("entry %d has index %d and starts %q", entries, it.Index, it.Raw[0])
				}
				entries++
			}
		}
		if s.Entries() != entries {
			t.Fatalf("Entries() = %d, yielded %d", s.Entries(), entries)
		}
	})
}

// FuzzParseEntry: ParseEntry never panics, and fails only with a one-line
// *Error for its index.
func FuzzParseEntry(f *testing.F) {
	for _, s := range fuzzSeeds() {
		gjson.GetBytes(s, "log.entries").ForEach(func(_, e gjson.Result) bool {
			f.Add([]byte(e.Raw))
			return true
		})
	}
	f.Add([]byte(`{"response":{"content":{"encoding":"base64","text":"iVBOR!!w0KGgo=","size":99}}}`))
	f.Add([]byte(`{"request":{"postData":{"params":[{"name":"a"}]},"headers":{}}}`))
	f.Add([]byte(`[1]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		e, err := ParseEntry(raw, 2)
		if err != nil {
			var he *Error
			if !errors.As(err, &he) || he.Entry != 2 || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		if e.Index != 2 || PeekRequest(raw) != e.Request {
			t.Fatalf("Index %d, PeekRequest %+v != %+v", e.Index, PeekRequest(raw), e.Request)
		}
	})
}
