// Package golden is the tests' golden files: output compared with a file
// under testdata, rewritten when the test runs with -update. Test-only.
package golden

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// File returns the file at path (under testdata); with update it first
// writes data there. A missing file fails t, saying how to write it (pkg,
// as go test takes it).
func File(t testing.TB, path string, data []byte, update bool, pkg string) []byte {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test %s -update)", err, pkg)
	}
	return b
}

// Compare fails t when got differs from the golden file at path, saying
// what the output is and how to rewrite the file (pkg, as go test takes
// it). With update it first writes got to path.
func Compare(t testing.TB, path string, got []byte, update bool, pkg, what string) {
	t.Helper()
	if want := File(t, path, got, update, pkg); !bytes.Equal(want, got) {
		t.Errorf("%s (%s) differs from golden (go test %s -update, then review):\n%s", path, what, pkg, got)
	}
}
