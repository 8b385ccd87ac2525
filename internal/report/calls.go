package report

import (
	"bufio"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/explain"
	"hubdoctor/internal/messages"
)

// callKeys are the labels of a failed call's fields, in the order shown.
var callKeys = []string{"report.call.service", "field_tracking", "field_codes", "report.call.item", "field_time", "field_description"}

// unexplainedCalls counts the calls neither expected nor explained by a
// finding.
func unexplainedCalls(calls []engine.FailedCall) int {
	n := 0
	for _, c := range calls {
		if !c.Expected && c.Rule == "" {
			n++
		}
	}
	return n
}

// writeCalls writes the failed calls after the findings: each one no
// finding explains and not known to be harmless, in full; those a finding
// explains as one line naming the rules (the finding above says it all);
// the expected ones folded, by call, with why they are harmless.
func writeCalls(bw *bufio.Writer, calls []engine.FailedCall, lang string) {
	if len(calls) == 0 {
		return
	}
	t := func(key string, args ...string) string { return messages.Localize(lang, key, args...) }
	var unexplained []engine.FailedCall
	var rules []string
	explained := 0
	type fold struct {
		call  engine.FailedCall
		count int
	}
	var expected []*fold
	for _, c := range calls {
		switch {
		case c.Rule != "":
			explained++
			if !slices.Contains(rules, c.Rule) {
				rules = append(rules, c.Rule)
			}
		case c.Expected:
			i := slices.IndexFunc(expected, func(f *fold) bool {
				return f.call.Method == c.Method && f.call.Path == c.Path && f.call.Status == c.Status
			})
			if i < 0 {
				expected = append(expected, &fold{call: explain.Call(c, lang)})
				i = len(expected) - 1
			}
			expected[i].count++
		default:
			unexplained = append(unexplained, c)
		}
	}
	fmt.Fprintf(bw, "\n%s\n", t("report.calls", "count", strconv.Itoa(len(unexplained)), "total", strconv.Itoa(len(calls))))
	width := 0
	for _, k := range callKeys {
		width = max(width, cells(t(k)+":"))
	}
	for _, c := range unexplained {
		c = explain.Call(c, lang)
		fmt.Fprintf(bw, "\n%d  %s %s  (entry %d)\n", c.Status, c.Method, c.URL, c.Entry)
		field := func(key, value string) {
			if value != "" {
				label := t(key) + ":"
				fmt.Fprintf(bw, "  %s%s %s\n", label, strings.Repeat(" ", width-cells(label)), value)
			}
		}
		field("report.call.service", c.Service)
		field("field_tracking", c.TrackingID)
		field("field_codes", strings.Join(c.Codes, ", "))
		field("report.call.item", c.Item)
		field("field_time", c.Time)
		field("field_description", oneLine(c.Message))
	}
	if explained > 0 {
		fmt.Fprintf(bw, "\n%s\n", t("report.calls.explained", "count", strconv.Itoa(explained), "rules", strings.Join(rules, ", ")))
	}
	if len(expected) > 0 {
		n := 0
		for _, f := range expected {
			n += f.count
		}
		fmt.Fprintf(bw, "\n%s\n", t("report.calls.expected", "count", strconv.Itoa(n)))
		for _, f := range expected {
			fmt.Fprintf(bw, "  %d × %s %s → %d: %s\n      %s\n", f.count, f.call.Method, f.call.Path, f.call.Status, f.call.Reason, f.call.Source)
		}
	}
}
