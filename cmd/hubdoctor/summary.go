package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"hubdoctor/internal/messages"
	"hubdoctor/internal/summary"
)

// summaryCommand declares summary's flags and returns its body.
func summaryCommand(fs *flag.FlagSet) func(call) int {
	format := fs.String("format", "markdown", "markdown, text or json")
	lang := fs.String("lang", "en", "language of the summary (TAC works in English): "+fmt.Sprint(messages.Languages()))
	harName := fs.String("har", "", "name of the sanitized HAR you attach (default: FILE-sanitized.har)")
	return func(c call) int { return writeSummary(c, *format, *lang, *harName) }
}

// writeSummary writes the TAC summary of the file c names.
func writeSummary(c call, format, lang, harName string) int {
	path, stdout, stderr := c.args[0], c.stdout, c.stderr
	if !validFormat(format) {
		fmt.Fprintf(stderr, "hubdoctor summary: unknown format %q (want %s)\n", format, strings.Join(summary.Formats, ", "))
		return exitBad
	}
	res, _, code := analyzeFile(path, c.stdin, stderr)
	if code != exitOK {
		// A summary built from part of a file would mislead TAC.
		return exitBad
	}
	name := harName
	if name == "" {
		name = sanitizedName(path)
	}
	in := summary.Input{Findings: res.Findings, FailedCalls: res.FailedCalls, Browser: res.Browser, HARName: name}
	if err := summary.Render(stdout, in, format, lang); err != nil {
		fmt.Fprintf(stderr, "hubdoctor summary: %v\n", err)
		return exitBad
	}
	return exitOK
}

func validFormat(f string) bool {
	for _, x := range summary.Formats {
		if f == x {
			return true
		}
	}
	return false
}

// sanitizedName is the file name suggested for the sanitized copy of path.
func sanitizedName(path string) string {
	if path == "-" {
		return "session-sanitized.har"
	}
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base)) + "-sanitized.har"
}
