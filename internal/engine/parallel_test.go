package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// rulesSession is one HAR holding every entry of the rules' fixtures (both
// browsers, positive and negative: SAML posts followed by SSO error pages,
// onboard batches, licence calls), pretty-printed as browsers export, with
// pages before or after the entries; keep > 0 keeps only the first keep
// entries (and all the pages).
func rulesSession(t *testing.T, pagesAfter bool, indent string, keep int) []byte {
	t.Helper()
	files, err := filepath.Glob("testdata/rules/*/*.har")
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule fixtures: %v", err)
	}
	var entries, pages []json.RawMessage
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range gjson.GetBytes(b, "log.entries").Array() {
			entries = append(entries, json.RawMessage(e.Raw))
			// A page for each entry: with pages after the entries, lines
			// that look like entry starts follow the last entry.
			pages = append(pages, json.RawMessage(fmt.Sprintf(`{"startedDateTime":"2026-11-20T09:15:00.000Z","id":"page_%d","title":"t","pageTimings":{}}`, len(pages))))
		}
	}
	if keep > 0 {
		entries = entries[:keep]
	}
	type log struct {
		Version string            `json:"version"`
		Creator map[string]string `json:"creator"`
		Pages   []json.RawMessage `json:"pages,omitempty"`
		Entries []json.RawMessage `json:"entries"`
		After   []json.RawMessage `json:"pages_after,omitempty"`
	}
	l := log{Version: "1.2", Creator: map[string]string{"name": "WebInspector", "version": "537.36"}, Pages: pages, Entries: entries}
	if pagesAfter {
		l.Pages, l.After = nil, pages
	}
	var out []byte
	if indent == "" {
		out, err = json.Marshal(map[string]log{"log": l})
	} else {
		out, err = json.MarshalIndent(map[string]log{"log": l}, "", indent)
	}
	if err != nil {
		t.Fatal(err)
	}
	if pagesAfter {
		out = bytes.Replace(out, []byte(`"pages_after"`), []byte(`"pages"`), 1)
	}
	return out
}

// Whether the parts read beside the scan in file order were used
// (partCases): some, none, or either.
const (
	someUsed = "some"
	noneUsed = "none"
	anyUsed  = "any"
)

// partCase is a file read in parts, and whether the parts must be used by
// AnalyzeFile (used) and by AnalyzeSplit (split).
type partCase struct {
	reason      string
	har         []byte
	used, split string
}

// partCases are the files the analyses in parts must read as AnalyzeHAR
// does: both browsers' layouts, guesses that are no entry, files cut short
// or broken in their last part.
func partCases(t *testing.T) []partCase {
	pretty := rulesSession(t, false, "  ", 0)
	return []partCase{
		{"Chrome's layout", pretty, someUsed, someUsed},
		{"CRLF line ends", bytes.ReplaceAll(pretty, []byte("\n"), []byte("\r\n")), someUsed, someUsed},
		{"tab indentation", rulesSession(t, false, "\t", 0), someUsed, someUsed},
		{"pages after the entries", rulesSession(t, true, "  ", 0), someUsed, someUsed},
		{"every guess is a page, after a few entries", rulesSession(t, true, "  ", 3), noneUsed, noneUsed},
		{"one line: no guess", rulesSession(t, false, "", 0), noneUsed, noneUsed},
		{"cut in the middle", pretty[:len(pretty)/2], anyUsed, anyUsed},
		{"cut near the end", pretty[:len(pretty)-200], anyUsed, anyUsed},
		// The part is taken over, and the break found in it.
		{"broken grammar in the last part", breakLast(t, pretty, `"status": 400`, `"status": 4OO`), anyUsed, someUsed},
		{"broken structure in the last part", breakLast(t, pretty, `"method": "POST"`, `"method": ["POST"}`), anyUsed, noneUsed},
		{"text after the end", append(bytes.Clone(pretty), " x"...), anyUsed, noneUsed},
	}
}

// TestAnalyzeFileSameAsAnalyzeHAR: whatever the number of parts, and
// whether the guessed starts are right or not, AnalyzeFile gives what
// AnalyzeHAR gives, findings, counts and errors alike; on well-formed,
// pretty-printed files it does use the parts it prepared in parallel.
func TestAnalyzeFileSameAsAnalyzeHAR(t *testing.T) {
	tests := partCases(t)
	for _, tt := range tests {
		want, wantErr := AnalyzeHAR(bytes.NewReader(tt.har), "s.har", NewSession(nil))
		used := 0
		for workers := 2; workers <= 8; workers++ {
			got, n, err := analyzeFile(bytes.NewReader(tt.har), int64(len(tt.har)), "s.har", NewSession(nil), workers, 0)
			used += n
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("%s, %d workers: error %v, want %v", tt.reason, workers, err, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %d workers: result differs:\n got %+v\nwant %+v", tt.reason, workers, got, want)
			}
		}
		if tt.used == someUsed && used == 0 || tt.used == noneUsed && used > 0 {
			t.Errorf("%s: %d parts prepared in parallel were used, want %s", tt.reason, used, tt.used)
		}
		if tt.reason == "Chrome's layout" && (len(want.Findings) < 30 || wantErr != nil) {
			t.Fatalf("the combined session gives %d findings (%v): not a meaningful comparison", len(want.Findings), wantErr)
		}
	}
}

// breakLast replaces the last occurrence of old in b with new.
func breakLast(t *testing.T, b []byte, old, new string) []byte {
	t.Helper()
	i := bytes.LastIndex(b, []byte(old))
	if i < len(b)/2 {
		t.Fatalf("%q is not in the second half", old)
	}
	return []byte(string(b[:i]) + new + strings.TrimPrefix(string(b[i:]), old))
}
