package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/messages"
)

// Meta describes what was analysed, for the report's header.
type Meta struct {
	// File names the input ("-" for standard input).
	File string
	// Err is the input error that stopped the analysis early, if any.
	Err error
}

// Text writes the readable CLI report of res in lang.
func Text(w io.Writer, res *engine.Result, meta Meta, lang string) error {
	bw := bufio.NewWriter(w)
	t := func(key string, args ...string) string { return messages.Text(lang, key, args...) }
	fmt.Fprintf(bw, "Hub Doctor — %s", meta.File)
	if res.Browser != "" {
		fmt.Fprintf(bw, " (%s)", res.Browser)
	}
	bw.WriteString("\n")
	counts := []string{"entries", strconv.Itoa(res.Entries), "inspected", strconv.Itoa(res.Inspected), "count", strconv.Itoa(len(res.Findings))}
	if len(res.Findings) == 0 {
		fmt.Fprintln(bw, t("report.none", counts...))
	} else {
		fmt.Fprintln(bw, t("report.found", counts...))
	}
	for _, f := range res.Findings {
		x := Explain(f, lang)
		fmt.Fprintf(bw, "\n%s  %s  [%s]\n", strings.ToUpper(t("report.severity."+string(f.Severity))), x.Title, f.Rule)
		field := func(key, value string) {
			if value != "" {
				fmt.Fprintf(bw, "  %-18s %s\n", t(key)+":", value)
			}
		}
		field("report.field.email", f.Email)
		field("report.field.org", f.OrgID)
		field("report.field.tracking", f.TrackingID)
		field("report.field.codes", strings.Join(f.Codes, ", "))
		field("report.field.request", fmt.Sprintf("%s %s → %d (entry %d)", f.Method, f.URL, f.Status, f.Entry))
		field("report.field.time", f.Time)
		field("report.field.missing", strings.Join(f.MissingAttributes, ", "))
		field("report.field.unexpected", strings.Join(f.UnexpectedAttributes, ", "))
		field("report.field.notes", strings.Join(f.AttributeNotes, "; "))
		field("report.field.description", oneLine(f.Description))
		fmt.Fprintf(bw, "\n  %s\n", x.Cause)
		if f.BodyTruncated {
			fmt.Fprintf(bw, "  %s\n", t("report.truncated"))
		}
		fmt.Fprintf(bw, "  %s:\n", t("report.field.fix"))
		for i, s := range x.Steps {
			fmt.Fprintf(bw, "    %d. %s\n", i+1, s)
		}
		if len(x.Links) > 0 {
			fmt.Fprintf(bw, "  %s: %s\n", t("report.field.links"), strings.Join(x.Links, "  "))
		}
	}
	if len(res.RuleErrors) > 0 {
		fmt.Fprintf(bw, "\n%s\n", t("report.rule-errors", "errors", strconv.Itoa(len(res.RuleErrors))))
	}
	if meta.Err != nil {
		fmt.Fprintf(bw, "\n%s\n", t("report.stopped", "error", meta.Err.Error()))
	}
	return bw.Flush()
}

// oneLine folds white space so a raw description stays on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
