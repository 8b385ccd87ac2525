//go:build js && wasm

package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hack-pad/safejs"

	"hubdoctor/internal/fixture"
)

// TestResponseDisplay: every call that gives findings to the extension's
// views gives the response ready to show (responseDisplay), pretty-printed
// by the engine as the TAC summary quotes it, so the views only show text.
func TestResponseDisplay(t *testing.T) {
	ns, entry, body := carrierNS(t)
	seed := fixture.HAR(fixture.Chrome, fixture.SeedSession()...)
	live, err := await(t, call(t, ns, "analyzeEntry", entry, body, "", "en"))
	if err != nil {
		t.Fatal(err)
	}
	file, err := await(t, call(t, ns, "analyzeHAR", string(seed), "seed.har", "en"))
	if err != nil {
		t.Fatal(err)
	}
	stored := jsonOf(t, get(t, file, "findings"))
	again, err := await(t, call(t, ns, "explain", stored, "fr"))
	if err != nil {
		t.Fatal(err)
	}
	for name, fs := range map[string]safejs.Value{"analyzeEntry": get(t, live, "findings"), "analyzeHAR": get(t, file, "findings"), "explain": again} {
		if n, _ := fs.Length(); n != 1 {
			t.Fatalf("%s: %d findings, want 1", name, n)
		}
		f, _ := fs.Index(0)
		response, _ := get(t, f, "response").String()
		shown, _ := get(t, f, "responseDisplay").String()
		var indented bytes.Buffer
		if err := json.Indent(&indented, []byte(response), "", "  "); err != nil || shown != indented.String() || !strings.Contains(shown, "\n  ") {
			t.Errorf("%s: responseDisplay is not the response pretty-printed:\n%s", name, shown)
		}
		var a, b any
		if json.Unmarshal([]byte(response), &a) != nil || json.Unmarshal([]byte(shown), &b) != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("%s: responseDisplay says something else than the response", name)
		}
	}
}
