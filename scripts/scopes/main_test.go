package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"hubdoctor/internal/engine"
)

// TestShippedScriptsGetTheCatalogsScopes: the extension's page scripts carry
// the markers, and the build writes exactly the engine's lists into them.
func TestShippedScriptsGetTheCatalogsScopes(t *testing.T) {
	for _, row := range []struct {
		file, list string
	}{
		{"observer.js", "requests"},
		{"observer.js", "hosts"},
		{"observer.js", "failed"},
		{"content.js", "pages"},
	} {
		src, err := os.ReadFile(filepath.Join("..", "..", "extension", row.file))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(regexp.MustCompile(`/\*@scopes:`+row.list+`@\*/\[\]`).FindAll(src, -1)); n != 1 {
			t.Fatalf("%s: %d markers of the %s list, want 1", row.file, n, row.list)
		}
		out, err := fill(src)
		if err != nil {
			t.Fatal(err)
		}
		if marker.Match(out) {
			t.Errorf("%s: a marker is left after the build", row.file)
		}
		// The list as written must decode to the engine's.
		m := regexp.MustCompile(`(?s)const \w+ = (\[.*?\]);`).FindAllSubmatch(out, -1)
		found := false
		for _, g := range m {
			switch row.list {
			case "requests":
				var got []engine.RequestScope
				if json.Unmarshal(g[1], &got) == nil && len(got) > 0 && slices.Equal(got, engine.PageRequestScopes()) {
					found = true
				}
			case "failed":
				var got []int
				if json.Unmarshal(g[1], &got) == nil && slices.Equal(got, []int{engine.FailedStatus}) {
					found = true
				}
			case "pages", "hosts":
				want := engine.PageErrorHints()
				if row.list == "hosts" {
					want = engine.WebexHosts()
				}
				var got []string
				if json.Unmarshal(g[1], &got) == nil && len(got) > 0 && slices.Equal(got, want) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: the built script does not hold the engine's %s list", row.file, row.list)
		}
	}
	if _, err := fill([]byte("const X = [];")); err == nil {
		t.Error("a file without a marker must be an error")
	}
}
