package main

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestDropKey(t *testing.T) {
	const in = `{"b": 1, "background": {"service_worker": "bg.js", "scripts": ["bg.js"], "type": "module"}, "a": ["x", {"z": true, "y": null}], "s": "<é>"}`
	tests := []struct {
		name, drop string
		want       string // JSON, compared as values; "" when dropKey must error
		wantErr    string
		reason     string
	}{
		{"chrome", "background.scripts",
			`{"b": 1, "background": {"service_worker": "bg.js", "type": "module"}, "a": ["x", {"z": true, "y": null}], "s": "<é>"}`, "",
			"Chrome's build drops the event-page scripts and keeps everything else"},
		{"firefox", "background.service_worker",
			`{"b": 1, "background": {"scripts": ["bg.js"], "type": "module"}, "a": ["x", {"z": true, "y": null}], "s": "<é>"}`, "",
			"Firefox's build drops the service worker"},
		{"absent", "background.page", "", `no key "background.page"`,
			"a build that drops nothing means the manifest changed under the Makefile"},
		{"through a scalar", "b.c", "", `"b" is not an object`, "a path through a number is an error, not a panic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dropKey([]byte(in), strings.Split(tt.drop, "."))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q (%s)", err, tt.wantErr, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v (%s)", err, tt.reason)
			}
			var g, w any
			if err := json.Unmarshal(got, &g); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, got)
			}
			_ = json.Unmarshal([]byte(tt.want), &w)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("got %s, want %s (%s)", got, tt.want, tt.reason)
			}
		})
	}
}

func TestDropKeyKeepsOrder(t *testing.T) {
	got, err := dropKey([]byte(`{"z": 1, "a": {"q": 2, "drop": 3, "b": 4}, "m": "<&>"}`), []string{"a", "drop"})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"z\": 1,\n  \"a\": {\n    \"q\": 2,\n    \"b\": 4\n  },\n  \"m\": \"<&>\"\n}\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s(keys keep the order of manifest.json, HTML characters are not escaped)", got, want)
	}
}

func TestDropKeyRejectsNonObjects(t *testing.T) {
	for _, in := range []string{`[1]`, `"x"`, `{"a":`, ``} {
		if _, err := dropKey([]byte(in), []string{"a"}); err == nil {
			t.Errorf("dropKey(%q) succeeded; a manifest that is not a JSON object must be an error", in)
		}
	}
}

// TestWithVersion: the built manifest gets the version from internal/version,
// before default_locale, and a manifest that carries its own is refused.
func TestWithVersion(t *testing.T) {
	got, err := withVersion([]byte(`{"name": "x", "description": "d", "default_locale": "en"}`), "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"name\": \"x\",\n  \"description\": \"d\",\n  \"version\": \"1.2.3\",\n  \"default_locale\": \"en\"\n}\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := withVersion([]byte(`{"version": "0.0.1"}`), "1.2.3"); err == nil || !strings.Contains(err.Error(), "internal/version") {
		t.Errorf("a manifest with its own version: %v, want refused", err)
	}
}

// TestSourceManifestHasNoVersion: manifest.json leaves the version to the build.
func TestSourceManifestHasNoVersion(t *testing.T) {
	raw, err := os.ReadFile("../../manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if v, ok := m["version"]; ok {
		t.Errorf("manifest.json has version %v: it comes from internal/version", v)
	}
}
