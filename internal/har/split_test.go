package har

import (
	"bytes"
	"io"
	"testing"

	"hubdoctor/internal/fixture"
)

// TestEntryStartsAndResume: on large sessions as both browsers export
// them, every guessed start is a real entry's offset, and a ResumeScanner
// there yields exactly what the whole-file Scanner yields from that entry
// on (kinds, keys, indexes, offsets, bytes, the end). A one-line file gets
// no guess.
func TestEntryStartsAndResume(t *testing.T) {
	for _, b := range []fixture.Browser{fixture.Chrome, fixture.Firefox} {
		var buf bytes.Buffer
		if _, err := fixture.WriteLarge(&buf, b, 6<<20, 7); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		all := scanAll(t, NewScanner(bytes.NewReader(data), "s.har"))
		index := map[int64]int{} // entry offset → position in all
		for i, it := range all {
			if it.Kind == EntryItem {
				index[it.Offset] = i
			}
		}
		starts := EntryStarts(bytes.NewReader(data), int64(len(data)), 4)
		if len(starts) != 3 {
			t.Fatalf("%s: %d starts guessed, want 3", b, len(starts))
		}
		for _, off := range starts {
			i, ok := index[off]
			if !ok {
				t.Fatalf("%s: guess %d is not an entry's offset", b, off)
			}
			got := scanAll(t, ResumeScanner(bytes.NewReader(data[off:]), "s.har", off, all[i].Index))
			if len(got) != len(all)-i {
				t.Fatalf("%s: resumed at %d: %d items, want %d", b, off, len(got), len(all)-i)
			}
			for j, it := range got {
				w := all[i+j]
				if it.Kind != w.Kind || it.Key != w.Key || it.Index != w.Index || it.Offset != w.Offset || !bytes.Equal(it.Raw, w.Raw) {
					t.Fatalf("%s: resumed at %d, item %d: %v %q #%d @%d, want %v %q #%d @%d", b, off, j, it.Kind, it.Key, it.Index, it.Offset, w.Kind, w.Key, w.Index, w.Offset)
				}
			}
		}
	}
	oneLine := []byte(`{"log":{"version":"1.2","entries":[{"request":{}},{"request":{}}]}}`)
	if got := EntryStarts(bytes.NewReader(oneLine), int64(len(oneLine)), 2); got != nil {
		t.Errorf("one-line file: guesses %v", got)
	}
}

// scanAll returns copies of every item s yields, failing on a read error.
func scanAll(t *testing.T, s *Scanner) []Item {
	t.Helper()
	var out []Item
	for {
		it, err := s.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		it.Raw = bytes.Clone(it.Raw)
		out = append(out, it)
	}
}
