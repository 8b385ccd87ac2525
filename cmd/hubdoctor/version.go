package main

import (
	"fmt"
	"io"

	"hubdoctor/internal/version"
)

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("version", stderr)
	if pos, code, ok := parseFlags(fs, args); !ok || len(pos) > 0 {
		if ok {
			fmt.Fprintf(stderr, "hubdoctor version: unexpected argument %q\n", pos[0])
			return exitBad
		}
		return code
	}
	fmt.Fprintf(stdout, "hubdoctor %s\n", version.Version)
	return exitOK
}
