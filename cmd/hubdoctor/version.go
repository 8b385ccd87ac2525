package main

import (
	"flag"
	"fmt"
	"runtime/debug"

	"hubdoctor/internal/version"
)

// versionCommand returns version's body, which has no flags: the release
// version and the commit the binary was built from ("hubdoctor 0.1.0
// (commit 3e095fe5a1c2, linux/amd64)").
func versionCommand(*flag.FlagSet) func(call) int {
	return func(c call) int {
		info, _ := debug.ReadBuildInfo()
		fmt.Fprintf(c.stdout, "hubdoctor %s (commit %s, %s)\n", version.Version, commit(info), platform(info))
		return exitOK
	}
}

// commit is the VCS revision Go stamped into the binary (go build in a git
// checkout does), cut to 12 characters, "-dirty" when the tree had
// uncommitted changes; "unknown" when the build had no VCS information.
func commit(info *debug.BuildInfo) string {
	rev := setting(info, "vcs.revision")
	if rev == "" {
		return "unknown"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if setting(info, "vcs.modified") == "true" {
		rev += "-dirty"
	}
	return rev
}

// platform is the GOOS/GOARCH the binary was built for.
func platform(info *debug.BuildInfo) string {
	return setting(info, "GOOS") + "/" + setting(info, "GOARCH")
}

// setting returns the build setting key, or "" when the binary has none.
func setting(info *debug.BuildInfo, key string) string {
	if info != nil {
		for _, s := range info.Settings {
			if s.Key == key {
				return s.Value
			}
		}
	}
	return ""
}
