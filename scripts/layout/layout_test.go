// Package layout holds the tests that keep the repository's shape: internal/
// is pure Go and knows nothing of JavaScript, wasm/ is the only door to the
// browser, and the extension's pages run under the strict CSP that
// WebAssembly needs. It has no code of its own.
package layout

import (
	"encoding/json"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// root is the module root, from this package's directory.
const root = "../.."

func goFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no Go files under %s", dir)
	}
	return files
}

// TestWasmFilesTagged: every file under wasm/ builds only for js/wasm, so
// `go test ./...` and `go vet ./...` never compile JavaScript glue natively.
func TestWasmFilesTagged(t *testing.T) {
	for _, p := range goFiles(t, "wasm") {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(src), "\n")
		expr, err := constraint.Parse(first)
		if err != nil || expr.String() != "js && wasm" {
			t.Errorf("%s: first line is %q, want //go:build js && wasm", p, first)
		}
	}
}

// TestInternalIsPureGo: no package under internal/ touches JavaScript.
func TestInternalIsPureGo(t *testing.T) {
	for _, p := range goFiles(t, "internal") {
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == "syscall/js" || strings.HasPrefix(path, "github.com/hack-pad/safejs") {
				t.Errorf("%s imports %s: JavaScript belongs in wasm/ only", p, path)
			}
		}
	}
}

// TestManifest: the extension's pages may run WebAssembly but no other code
// than their own files. (The version is the build's: scripts/manifest writes
// internal/version into each browser's manifest, and its tests check it.)
func TestManifest(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		CSP struct {
			ExtensionPages string `json:"extension_pages"`
		} `json:"content_security_policy"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	// The policy plus connect-src 'self': stricter, not looser. The
	// browser itself then refuses any fetch, XHR or WebSocket from an
	// extension page to anywhere but the extension's own files.
	const csp = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'; connect-src 'self'"
	if m.CSP.ExtensionPages != csp {
		t.Errorf("manifest.json content_security_policy.extension_pages = %q, want %q", m.CSP.ExtensionPages, csp)
	}
}
