package main

import (
	"fmt"
	"io"
)

func runSanitize(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "hubdoctor sanitize: not built yet")
	return exitBad
}
