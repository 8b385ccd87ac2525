//go:build js && wasm

package main

import (
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/fixture"
)

// TestWrapHAR: the devtools page's export buffer, entries sanitizeEntry
// gave, becomes a stamped HAR 1.2 with the page's comment; pseudonymize
// replaces the addresses the kept entries still carry.
func TestWrapHAR(t *testing.T) {
	ns, entry, body := carrierNS(t)
	kept, err := await(t, call(t, ns, "sanitizeEntry", entry, body, "", false))
	if err != nil {
		t.Fatal(err)
	}
	k, _ := kept.String()
	entries := "[" + k + "," + k + "]"
	const comment = "Hub Doctor capture of 2 requests."
	for _, pseudonymize := range []bool{false, true} {
		v, err := await(t, call(t, ns, "wrapHAR", entries, comment, pseudonymize))
		if err != nil {
			t.Fatalf("pseudonymize %v: %v", pseudonymize, err)
		}
		har, _ := v.String()
		switch {
		case !gjson.Valid(har) || gjson.Get(har, "log.version").String() != "1.2":
			t.Errorf("pseudonymize %v: not a HAR 1.2: %.300s", pseudonymize, har)
		case gjson.Get(har, "log.entries.#").Int() != 2 || gjson.Get(har, "log.comment").String() != comment:
			t.Errorf("pseudonymize %v: want the 2 entries and the comment: %.300s", pseudonymize, har)
		case gjson.Get(har, "log._sanitizer.tool").String() != "Hub Doctor":
			t.Errorf("pseudonymize %v: not stamped", pseudonymize)
		case strings.Contains(har, fixture.Token):
			t.Errorf("pseudonymize %v: the token is there", pseudonymize)
		case strings.Contains(har, fixture.CarrierEmail) == pseudonymize:
			t.Errorf("pseudonymize %v: the address is there: %v", pseudonymize, !pseudonymize)
		}
	}
	for _, r := range []struct {
		args []any
		err  string
	}{
		{[]any{entry}, ""}, // one entry, not an array
		{[]any{"[1]", "c", false}, "hubdoctor.wrapHAR: entries: entry 0 is not a JSON object"},
		{[]any{[]any{}, "c", false}, "hubdoctor.wrapHAR: argument 1 (entriesJSON) must be a string, got object"},
		{[]any{"[]", 7, false}, "hubdoctor.wrapHAR: argument 2 (comment) must be a string, got number"},
	} {
		want := r.err
		if want == "" {
			want = "hubdoctor.wrapHAR: entries: not a JSON array"
		}
		if _, err := await(t, call(t, ns, "wrapHAR", r.args...)); err == nil || err.Error() != want {
			t.Errorf("wrapHAR(%v): rejection %v, want %q", r.args, err, want)
		}
	}
}
