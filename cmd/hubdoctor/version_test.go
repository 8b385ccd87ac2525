package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"hubdoctor/internal/version"
)

// TestVersionForms: version, --version and -v print the same line, naming
// the release and the commit; extra arguments are a usage error.
func TestVersionForms(t *testing.T) {
	var first string
	for _, form := range []string{"version", "--version", "-v"} {
		code, out, _ := runCLI("", form)
		if code != exitOK || !strings.HasPrefix(out, "hubdoctor "+version.Version+" (commit ") {
			t.Errorf("%s: exit %d, %q", form, code, out)
		}
		if first == "" {
			first = out
		} else if out != first {
			t.Errorf("%s says %q, version says %q", form, out, first)
		}
	}
	if code, _, errOut := runCLI("", "version", "extra"); code != exitBad || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Errorf("version extra: exit %d, %q", code, errOut)
	}
}

// TestCommit: the revision is cut to 12 characters and marked dirty; a build
// without VCS information says so.
func TestCommit(t *testing.T) {
	info := &debug.BuildInfo{Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"},
		{Key: "GOOS", Value: "windows"}, {Key: "GOARCH", Value: "arm64"},
	}}
	for _, r := range []struct {
		info   *debug.BuildInfo
		commit string
		reason string
	}{
		{info, "0123456789ab-dirty", "a build from a tree with changes"},
		{&debug.BuildInfo{Settings: info.Settings[:1]}, "0123456789ab", "a clean tree"},
		{&debug.BuildInfo{}, "unknown", "no VCS stamp (-buildvcs=false)"},
		{nil, "unknown", "no build information at all"},
	} {
		if got := commit(r.info); got != r.commit {
			t.Errorf("%s: commit %q, want %q", r.reason, got, r.commit)
		}
	}
	if got := platform(info); got != "windows/arm64" {
		t.Errorf("platform %q", got)
	}
}
