package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in     string
		want   int64
		errs   bool
		reason string
	}{
		{"50MB", 50e6, false, "the bench's default: decimal megabytes, as MB/s"},
		{"500MB", 500e6, false, "the large size of issue 6"},
		{"1.5GB", 1.5e9, false, "fractions and gigabytes"},
		{"64kB", 64e3, false, "kilobytes for tests"},
		{"65536", 65536, false, "a plain byte count"},
		{" 2 MB ", 2e6, false, "spaces around the number and before the unit"},
		{"0MB", 0, true, "an empty session is not a benchmark"},
		{"-5MB", 0, true, "negative sizes"},
		{"50MiB", 0, true, "binary units are not accepted, to keep MB/s decimal"},
		{"fifty", 0, true, "not a number"},
		{"9e20", 0, true, "absurdly large: no disk holds it"},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if (err != nil) != tt.errs || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, error %t (%s)", tt.in, got, err, tt.want, tt.errs, tt.reason)
		}
		if err != nil && !strings.Contains(err.Error(), tt.in) {
			t.Errorf("parseSize(%q): error %q does not name the input", tt.in, err)
		}
	}
}

// TestRun writes small sessions and checks the summary describes the file
// written: the bench compares every tool's answer with it.
func TestRun(t *testing.T) {
	tests := []struct {
		args    []string
		browser string
		reason  string
	}{
		{[]string{"-size", "100kB"}, "chrome", "the default browser"},
		{[]string{"-size", "100kB", "-browser", "firefox", "-seed", "3"}, "firefox", "Firefox shape and another seed"},
	}
	for _, tt := range tests {
		out := filepath.Join(t.TempDir(), "s.har")
		var stdout bytes.Buffer
		if err := run(append(tt.args, "-o", out), &stdout); err != nil {
			t.Fatalf("%v: %v (%s)", tt.args, err, tt.reason)
		}
		var s summary
		if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
			t.Fatalf("%v: summary is not JSON: %v", tt.args, err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if s.Bytes != int64(len(data)) || s.Bytes < 100e3 || !json.Valid(data) {
			t.Errorf("%v: summary says %d bytes, file has %d (valid JSON: %t) (%s)", tt.args, s.Bytes, len(data), json.Valid(data), tt.reason)
		}
		if s.Browser != tt.browser || s.File != out || s.Onboards < 1 {
			t.Errorf("%v: summary %+v, want browser %s, file %s, at least one onboard batch (%s)", tt.args, s, tt.browser, out, tt.reason)
		}
		for _, u := range s.FailingUsers {
			if !bytes.Contains(data, []byte("Url already exists: "+u)) {
				t.Errorf("%v: failing user %s is not rejected in the file (%s)", tt.args, u, tt.reason)
			}
		}
		if len(s.FailingUsers) == 0 {
			t.Errorf("%v: no failing users: nothing for the bench to find (%s)", tt.args, tt.reason)
		}
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args   []string
		want   string
		reason string
	}{
		{[]string{"-size", "1MB"}, "usage", "no output file"},
		{[]string{"-size", "1MB", "-o", filepath.Join(dir, "x.har"), "extra"}, "usage", "stray argument"},
		{[]string{"-size", "big", "-o", filepath.Join(dir, "x.har")}, `-size "big"`, "bad size"},
		{[]string{"-browser", "safari", "-o", filepath.Join(dir, "x.har")}, `-browser "safari"`, "unknown browser"},
		{[]string{"-size", "1kB", "-o", filepath.Join(dir, "missing", "x.har")}, "x.har", "directory does not exist"},
	}
	for _, tt := range tests {
		err := run(tt.args, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%v) = %v, want an error containing %q (%s)", tt.args, err, tt.want, tt.reason)
		}
	}
}
