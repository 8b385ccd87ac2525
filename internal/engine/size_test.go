package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestWasmLeavesOutHeavyPackages keeps out of the WebAssembly engine the
// standard packages that match.go and sanitize's match.go and pseudonym.go
// replace, each of which added tens of KB (gzip) for a little use
// (wasm/README.md, "Size").
func TestWasmLeavesOutHeavyPackages(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the engine's packages")
	}
	cmd := exec.Command(goTool, "list", "-deps", "hubdoctor/wasm")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps hubdoctor/wasm: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, heavy := range []struct{ prefix, why string }{
			{"regexp", "132 KB: use the matchers of match.go"},
			{"crypto", "61 KB: pseudonyms use SipHash (sanitize/pseudonym.go)"},
			{"html", "26 KB: use unescapeEntities"},
			{"runtime/debug", "rule failures are one line, without a stack"},
		} {
			if pkg == heavy.prefix || strings.HasPrefix(pkg, heavy.prefix+"/") {
				t.Errorf("the WebAssembly engine links %s (%s)", pkg, heavy.why)
			}
		}
	}
}
