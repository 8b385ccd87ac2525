package main

import (
	"fmt"
	"io"
)

func runSummary(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "hubdoctor summary: not built yet")
	return exitBad
}
