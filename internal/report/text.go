package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/explain"
	"hubdoctor/internal/messages"
)

// Meta describes what was analysed, for the report's header.
type Meta struct {
	// File names the input ("-" for standard input).
	File string
	// Err is the input error that stopped the analysis early, if any.
	Err error
}

// WriteText writes the readable CLI report of res in lang.
func WriteText(w io.Writer, res *engine.Result, meta Meta, lang string) error {
	bw := bufio.NewWriter(w)
	t := func(key string, args ...string) string { return messages.Localize(lang, key, args...) }
	fmt.Fprintf(bw, "Hub Doctor — %s", meta.File)
	if res.Browser != "" {
		fmt.Fprintf(bw, " (%s)", res.Browser)
	}
	bw.WriteString("\n")
	counts := []string{"entries", strconv.Itoa(res.Entries), "inspected", strconv.Itoa(res.Inspected), "count", strconv.Itoa(len(res.Findings))}
	if len(res.Findings) == 0 {
		if n := unexplainedCalls(res.FailedCalls); n > 0 {
			fmt.Fprintln(bw, t("report.none.calls", append(counts, "calls", strconv.Itoa(n))...))
		} else {
			fmt.Fprintln(bw, t("report.none", counts...))
		}
	} else {
		fmt.Fprintln(bw, t("report.found", counts...))
	}
	for _, f := range res.Findings {
		x := explain.Explain(f, lang)
		fmt.Fprintf(bw, "\n%s  %s  [%s]\n", strings.ToUpper(explain.SeverityLabel(f.Severity, lang)), x.Title, f.Rule)
		field := func(key, value string) {
			if value != "" {
				label := t(key) + ":"
				fmt.Fprintf(bw, "  %s%s %s\n", label, strings.Repeat(" ", labelWidth(lang)-cells(label)), value)
			}
		}
		field("field_email", f.Email)
		field("field_org", f.OrgID)
		field("field_tracking", f.TrackingID)
		field("field_codes", strings.Join(f.Codes, ", "))
		field("field_request", fmt.Sprintf("%s %s → %d (entry %d)", f.Method, f.URL, f.Status, f.Entry))
		field("field_time", f.Time)
		field("field_missing", strings.Join(f.MissingAttributes, ", "))
		field("field_unexpected", strings.Join(f.UnexpectedAttributes, ", "))
		field("field_notes", strings.Join(x.Notes, "; "))
		field("field_description", oneLine(f.Description))
		fmt.Fprintf(bw, "\n  %s\n", x.Cause)
		if f.BodyTruncated {
			fmt.Fprintf(bw, "  %s\n", t("report.truncated"))
		}
		fmt.Fprintf(bw, "  %s:\n", t("field_fix"))
		for i, s := range x.Steps {
			fmt.Fprintf(bw, "    %d. %s\n", i+1, s)
		}
		if len(x.Links) > 0 {
			fmt.Fprintf(bw, "  %s: %s\n", t("field_help"), strings.Join(x.Links, "  "))
		}
	}
	writeCalls(bw, res.FailedCalls, lang)
	if len(res.RuleErrors) > 0 {
		fmt.Fprintf(bw, "\n%s\n", t("report.rule-errors", "errors", strconv.Itoa(len(res.RuleErrors))))
	}
	if meta.Err != nil {
		fmt.Fprintf(bw, "\n%s\n", t("report.stopped", "error", meta.Err.Error()))
	}
	return bw.Flush()
}

// fieldKeys are the labels of a finding's fields, in the order shown.
var fieldKeys = []string{"field_email", "field_org", "field_tracking", "field_codes",
	"field_request", "field_time", "field_missing", "field_unexpected",
	"field_notes", "field_description"}

// labelWidth is the terminal width of the widest field label in lang, so
// values line up whatever the language.
func labelWidth(lang string) int {
	w := 0
	for _, k := range fieldKeys {
		w = max(w, cells(messages.Localize(lang, k)+":"))
	}
	return w
}

// cells is the width of s in terminal cells: East Asian wide characters
// (Hangul, CJK, full-width forms) take two.
func cells(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6:
			n += 2
		default:
			n++
		}
	}
	return n
}

// oneLine folds white space so a raw description stays on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
