package main

import (
	"fmt"
	"io"
	"strings"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/messages"
)

func runRules(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("rules", stderr)
	md := fs.Bool("markdown", false, "write the Markdown table the README carries")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "hubdoctor rules: unexpected argument %q\n", pos[0])
		return exitBad
	}
	if *md {
		io.WriteString(stdout, rulesMarkdown())
		return exitOK
	}
	for _, r := range engine.Catalog() {
		fmt.Fprintf(stdout, "%-44s %-8s %s\n", r.ID, r.Severity, messages.Localize("en", r.ID+".title"))
	}
	return exitOK
}

// rulesMarkdown renders the catalog as the README's table.
func rulesMarkdown() string {
	var b strings.Builder
	b.WriteString("| Rule | Severity | What it finds | Source |\n|---|---|---|---|\n")
	for _, r := range engine.Catalog() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Severity,
			strings.ReplaceAll(messages.Localize("en", r.ID+".title"), "|", "\\|"), strings.ReplaceAll(r.Source, "|", "\\|"))
	}
	return b.String()
}
