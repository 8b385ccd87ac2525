package live

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/offline"
	"hubdoctor/internal/version"
)

// keptEntries returns the seeds' session as the devtools page keeps it for
// the export: each entry sanitized once, with its body, e-mail addresses
// kept, compact, one per element.
func keptEntries(t *testing.T) []string {
	t.Helper()
	s := NewSession()
	var kept []string
	for _, x := range fixture.SeedSession() {
		raw, body := devtoolsEntry(t, fixture.Chrome, x, false)
		out, err := s.SanitizeEntry(raw, body, false)
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, out)
	}
	return kept
}

// samePseudonyms numbers the pseudonyms of s in order of appearance: two
// exports of one session pseudonymize under different random keys.
func samePseudonyms(s string) string {
	seen := map[string]int{}
	return regexp.MustCompile(`user-[0-9a-f]{8}`).ReplaceAllStringFunc(s, func(p string) string {
		if _, ok := seen[p]; !ok {
			seen[p] = len(seen)
		}
		return fmt.Sprintf("user-%d", seen[p])
	})
}

// TestWrapHAR: wrapping the kept entries gives, byte for byte, the file that
// sanitizing the whole session a second time gave (what the devtools page
// did before: its entries spliced into a HAR, then SanitizeHAR), without
// that second pass; with pseudonymize the addresses are replaced all the
// same.
func TestWrapHAR(t *testing.T) {
	kept := keptEntries(t)
	for _, e := range kept {
		if strings.Contains(e, fixture.Token) {
			t.Fatal("the kept entries must be sanitized already")
		}
	}
	const comment = "Hub Doctor capture of 5 requests."
	arr := "[" + strings.Join(kept, ",") + "]"
	head, err := json.Marshal(map[string]any{"log": map[string]any{
		"version": "1.2", "creator": map[string]string{"name": "Hub Doctor", "version": version.Version},
		"pages": []any{}, "comment": comment, "entries": []any{},
	}})
	if err != nil {
		t.Fatal(err)
	}
	// The members in the order the devtools page wrote them.
	spliced := `{"log":{"version":"1.2","creator":` + gjson.GetBytes(head, "log.creator").Raw +
		`,"pages":[],"comment":` + gjson.GetBytes(head, "log.comment").Raw + `,"entries":[` + strings.Join(kept, ",") + `]}}`
	for _, pseudonymize := range []bool{false, true} {
		want, err := offline.SanitizeHAR([]byte(spliced), "capture", pseudonymize)
		if err != nil {
			t.Fatal(err)
		}
		got, err := WrapHAR([]byte(arr), comment, pseudonymize)
		if err != nil {
			t.Fatal(err)
		}
		if pseudonymize {
			if strings.Contains(got, fixture.CarrierEmail) || !strings.Contains(got, "@example.com") {
				t.Error("pseudonymized: the address must be replaced, its domain kept")
			}
			got, want = samePseudonyms(got), samePseudonyms(want)
		}
		if got != want {
			t.Errorf("pseudonymize %v: the wrapped file differs from the sanitized one:\n got %.400s\nwant %.400s", pseudonymize, got, want)
		}
		if n := gjson.Get(got, "log.entries.#").Int(); n != int64(len(kept)) {
			t.Errorf("pseudonymize %v: %d entries, want %d", pseudonymize, n, len(kept))
		}
	}
	if res := offline.AnalyzeHAR([]byte(must(WrapHAR([]byte(arr), comment, false))), "capture.har", "en"); len(res.Findings) != 1 || res.Error != nil {
		t.Errorf("the wrapped file does not show the finding: %+v", res)
	}
	if got := must(WrapHAR([]byte(`[]`), "none", false)); gjson.Get(got, "log.entries.#").Int() != 0 || !gjson.Get(got, "log._sanitizer").Exists() {
		t.Errorf("no entries: %s", got)
	}
	for _, bad := range []string{`{"entries":[]}`, `[{"request":{}},`, `[{"request":{}},"x"]`, `nope`} {
		for _, pseudonymize := range []bool{false, true} {
			if _, err := WrapHAR([]byte(bad), "c", pseudonymize); err == nil || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: %v, want a one-line error", bad, err)
			}
		}
	}
}

// TestEvidenceHARAsBefore: the evidence holds what sanitizing it a second
// time gave (the members may come in another order).
func TestEvidenceHARAsBefore(t *testing.T) {
	kept := keptEntries(t)
	got, err := EvidenceHAR([]byte("["+strings.Join(kept, ",")+"]"), false)
	if err != nil {
		t.Fatal(err)
	}
	file, err := json.Marshal(map[string]any{"log": map[string]any{
		"version": "1.2", "creator": map[string]any{"name": "Hub Doctor", "version": version.Version}, "pages": []any{},
		"comment": gjson.Get(got, "log.comment").String(), "entries": json.RawMessage("[" + strings.Join(kept, ",") + "]"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := offline.SanitizeHAR(file, "evidence", false)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("the evidence differs from the sanitized one:\n got %.400s\nwant %.400s", got, want)
	}
	if c := gjson.Get(got, "log.comment").String(); !strings.HasPrefix(c, fmt.Sprintf("Partial: the %d calls", len(kept))) {
		t.Errorf("comment %q: it must count the calls", c)
	}
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}
