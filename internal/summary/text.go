package summary

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"hubdoctor/internal/messages"
)

// WriteText writes c as plain text, for case forms that do not render Markdown.
func WriteText(w io.Writer, c Case) error {
	bw := bufio.NewWriter(w)
	t := func(key string, args ...string) string { return messages.Localize(c.lang, key, args...) }
	fmt.Fprintf(bw, "%s\n%s\n\n", c.Title, strings.Repeat("=", len([]rune(c.Title))))
	row := func(key, value string) {
		if value == "" {
			value = "[" + t("summary.fill-in") + "]"
		}
		fmt.Fprintf(bw, "%s %s\n", t("summary.label", "label", t(key)), value)
	}
	row("field_org", strings.Join(c.OrgIDs, ", "))
	row("summary.field.emails", strings.Join(c.Emails, ", "))
	row("summary.field.activity", c.Activity)
	row("summary.field.when", c.When)
	row("summary.field.tracking", strings.Join(c.TrackingIDs, ", "))
	row("summary.field.browser", c.Browser)
	row("summary.field.attachment", c.Attachment)
	fmt.Fprintf(bw, "\n%s\n%s\n", strings.ToUpper(t("summary.section.description")), c.Description)
	if len(c.Errors) > 0 {
		fmt.Fprintf(bw, "\n%s\n", strings.ToUpper(t("summary.section.errors")))
		for _, e := range c.Errors {
			fmt.Fprintf(bw, "- %s\n", errorLine(c, e))
			if e.Description != "" {
				fmt.Fprintf(bw, "  %s\n", strings.Join(strings.Fields(e.Description), " "))
			}
		}
	}
	if len(c.FailedCalls) > 0 {
		fmt.Fprintf(bw, "\n%s\n", strings.ToUpper(t("summary.section.failed")))
		for _, fc := range c.FailedCalls {
			fmt.Fprintf(bw, "- %s\n", callLine(c, fc, ""))
			if fc.Message != "" {
				fmt.Fprintf(bw, "  %s\n", fc.Message)
			}
		}
		if c.MoreCalls > 0 {
			fmt.Fprintf(bw, "- %s\n", t("summary.failed.more", "count", fmt.Sprint(c.MoreCalls)))
		}
	}
	for _, d := range c.Diagnosis {
		fmt.Fprintf(bw, "\n%s %s [%s]\n%s\n%s\n", t("summary.label", "label", strings.ToUpper(t("summary.section.diagnosis"))), d.Title, d.Rule, d.Cause, t("summary.steps-suggested"))
		for i, s := range d.Steps {
			fmt.Fprintf(bw, "  %d. %s\n", i+1, s)
		}
	}
	for _, r := range c.Responses {
		if r.Sent != "" {
			fmt.Fprintf(bw, "\n%s\n%s\n", strings.ToUpper(t("summary.request-sent")), r.Sent)
		}
		fmt.Fprintf(bw, "\n%s (%s)\n%s\n", strings.ToUpper(t("summary.section.response")), r.Request, r.Body)
	}
	fmt.Fprintf(bw, "\n-- %s\n", t("summary.footer", "tool", c.GeneratedBy))
	return bw.Flush()
}
