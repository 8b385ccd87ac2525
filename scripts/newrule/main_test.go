package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScaffold(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "internal", "engine"), 0o755)
	os.MkdirAll(filepath.Join(root, "internal", "messages", "locales", "en"), 0o755)
	out, err := scaffold(root, "sso/example-check")
	if err != nil {
		t.Fatal(err)
	}
	code, err := os.ReadFile(filepath.Join(root, "internal", "engine", "sso_example_check.go"))
	if err != nil || !strings.Contains(string(code), "var exampleCheck = &Rule{") || !strings.Contains(string(code), `ID:       "sso/example-check"`) {
		t.Errorf("rule file: %v\n%s", err, code)
	}
	texts, _ := os.ReadFile(filepath.Join(root, "internal", "messages", "locales", "en", "sso.json"))
	for _, k := range []string{"title", "cause", "fix"} {
		if !strings.Contains(string(texts), `"sso/example-check.`+k+`"`) {
			t.Errorf("texts lack %s: %s", k, texts)
		}
	}
	if !strings.Contains(out, "ssoSamples()") {
		t.Errorf("instructions: %s", out)
	}
	for _, bad := range []struct{ id, reason string }{
		{"sso/example-check", "taken: the file exists"},
		{"Onboard/X", "not kebab case"},
		{"misc/thing", "unknown family"},
	} {
		if _, err := scaffold(root, bad.id); err == nil {
			t.Errorf("%s: want an error (%s)", bad.id, bad.reason)
		}
	}
}
