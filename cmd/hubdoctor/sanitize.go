package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"hubdoctor/internal/sanitize"
	"hubdoctor/internal/version"
)

// sanitizeCommand declares sanitize's flags and returns its body.
func sanitizeCommand(fs *flag.FlagSet) func(call) int {
	out := fs.String("o", "", "write the sanitized HAR to this file instead of standard output")
	pseudo := fs.Bool("pseudonymize-emails", false, "replace e-mail addresses with stable pseudonyms that keep the domain")
	return func(c call) int { return sanitizeFile(c, *out, *pseudo) }
}

// sanitizeFile writes the sanitized copy of the file c names to out, or to
// standard output when out is empty.
func sanitizeFile(c call, out string, pseudo bool) int {
	stdout, stderr := c.stdout, c.stderr
	in, name, err := openInput(c.args[0], c.stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hubdoctor: %v\n", err)
		return exitBad
	}
	defer in.Close()
	opts := sanitize.Options{PseudonymizeEmails: pseudo, Tool: "Hub Doctor", Version: version.Version}
	if out == "" {
		if _, err := sanitize.HAR(in, stdout, name, opts); err != nil {
			fmt.Fprintf(stderr, "hubdoctor: %v\n", err)
			return exitBad
		}
		return exitOK
	}
	// Write beside the target and rename, so a broken input never leaves a
	// half-written HAR that looks complete.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".hubdoctor-*.har")
	if err != nil {
		fmt.Fprintf(stderr, "hubdoctor: %v\n", err)
		return exitBad
	}
	defer os.Remove(tmp.Name())
	st, err := sanitize.HAR(in, tmp, name, opts)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hubdoctor: %v\n", err)
		return exitBad
	}
	total := 0
	for _, n := range st.Redactions {
		total += n
	}
	fmt.Fprintf(stderr, "hubdoctor: wrote %s: %d entries, %d values redacted\n", out, st.Entries, total)
	return exitOK
}
