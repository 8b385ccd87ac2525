package sanitize

import (
	"bytes"
	"strings"
	"testing"
)

// TestEntries: a batch gives, in order, what Entry gives for each entry
// alone, whatever sits between the elements; errors name the entry.
func TestEntries(t *testing.T) {
	h := fuzzSeeds(t)[0]
	es, err := entriesOf(h)
	if err != nil || len(es) < 2 {
		t.Fatalf("%d entries, %v", len(es), err)
	}
	one := New(Options{})
	var want [][]byte
	for _, e := range es {
		out, err := one.Entry(e)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, out)
	}
	array := []byte(" [ " + string(bytes.Join(es, []byte(" ,\n "))) + " ] ")
	var got [][]byte
	n, err := New(Options{}).Entries(array, func(i int, out []byte) error {
		if i != len(got) {
			t.Errorf("entry %d handed over as %d", len(got), i)
		}
		got = append(got, bytes.Clone(out))
		return nil
	})
	if err != nil || n != len(es) {
		t.Fatalf("%d of %d entries, %v", n, len(es), err)
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("entry %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
	for _, r := range []struct{ array, err, reason string }{
		{`{"entries":[]}`, "not a JSON array", "an object"},
		{`[{"request":{}},`, "not a JSON array", "cut short"},
		{`[{"response":[]},"x"]`, "entry 1 is not a JSON object", "a string among entries"},
		{``, "not a JSON array", "nothing"},
	} {
		_, err := New(Options{}).Entries([]byte(r.array), func(int, []byte) error { return nil })
		if err == nil || !strings.Contains(err.Error(), r.err) {
			t.Errorf("%s: %v, want %q", r.reason, err, r.err)
		}
	}
}
