package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/messages"
)

// rulesCommand declares rules' flags and returns its body: the catalog, one
// rule a line, or the README's Markdown table.
func rulesCommand(fs *flag.FlagSet) func(call) int {
	md := fs.Bool("markdown", false, "write the Markdown table the README carries")
	return func(c call) int {
		if *md {
			io.WriteString(c.stdout, rulesMarkdown())
		} else {
			listRules(c.stdout)
		}
		return exitOK
	}
}

// listRules writes the catalog, one rule a line.
func listRules(stdout io.Writer) {
	for _, r := range engine.Catalog() {
		fmt.Fprintf(stdout, "%-44s %-8s %s\n", r.ID, r.Severity, messages.Localize("en", r.ID+".title"))
	}
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
