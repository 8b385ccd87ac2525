package summary

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"hubdoctor/internal/messages"
)

// WriteMarkdown writes c as Markdown, ready to paste into a TAC case.
func WriteMarkdown(w io.Writer, c Case) error {
	bw := bufio.NewWriter(w)
	t := func(key string, args ...string) string { return messages.Localize(c.lang, key, args...) }
	fmt.Fprintf(bw, "# %s\n\n", c.Title)
	row := func(key, value string) {
		if value == "" {
			value = "_" + t("summary.fill-in") + "_"
		}
		// "Label:", or "Label :" in French typography.
		fmt.Fprintf(bw, "- **%s** %s\n", t("summary.label", "label", t(key)), value)
	}
	row("field_org", codeList(c.OrgIDs))
	row("summary.field.emails", strings.Join(c.Emails, ", "))
	row("summary.field.activity", c.Activity)
	row("summary.field.when", c.When)
	row("summary.field.tracking", codeList(c.TrackingIDs))
	row("summary.field.browser", c.Browser)
	row("summary.field.attachment", "`"+c.Attachment+"`")
	fmt.Fprintf(bw, "\n## %s\n\n%s\n", t("summary.section.description"), c.Description)
	if len(c.Errors) > 0 {
		fmt.Fprintf(bw, "\n## %s\n\n", t("summary.section.errors"))
		for _, e := range c.Errors {
			fmt.Fprintf(bw, "- %s", errorLine(c, e))
			if e.Description != "" {
				fmt.Fprintf(bw, "\n  > %s", strings.Join(strings.Fields(e.Description), " "))
			}
			bw.WriteString("\n")
		}
	}
	if len(c.FailedCalls) > 0 {
		fmt.Fprintf(bw, "\n## %s\n\n", t("summary.section.failed"))
		for _, fc := range c.FailedCalls {
			fmt.Fprintf(bw, "- %s", callLine(c, fc, "`"))
			if fc.Message != "" {
				fmt.Fprintf(bw, "\n  > %s", fc.Message)
			}
			bw.WriteString("\n")
		}
		if c.MoreCalls > 0 {
			fmt.Fprintf(bw, "- %s\n", t("summary.failed.more", "count", fmt.Sprint(c.MoreCalls)))
		}
	}
	if len(c.Diagnosis) > 0 {
		fmt.Fprintf(bw, "\n## %s\n", t("summary.section.diagnosis"))
		for _, d := range c.Diagnosis {
			fmt.Fprintf(bw, "\n**%s** (`%s`)\n\n%s\n\n%s\n\n", d.Title, d.Rule, d.Cause, t("summary.steps-suggested"))
			for i, s := range d.Steps {
				fmt.Fprintf(bw, "%d. %s\n", i+1, s)
			}
		}
	}
	if len(c.Responses) > 0 {
		fmt.Fprintf(bw, "\n## %s\n", t("summary.section.response"))
		for _, r := range c.Responses {
			fmt.Fprintf(bw, "\n`%s`\n", r.Request)
			if r.Sent != "" {
				fmt.Fprintf(bw, "\n%s\n\n%s\n", t("summary.label", "label", t("summary.request-sent")), fenced(r.Sent, "http"))
			}
			lang := ""
			if json.Valid([]byte(r.Body)) {
				lang = "json"
			}
			fmt.Fprintf(bw, "\n%s\n", fenced(r.Body, lang))
		}
	}
	fmt.Fprintf(bw, "\n---\n_%s_\n", t("summary.footer", "tool", c.GeneratedBy))
	return bw.Flush()
}

// fenced puts text in a Markdown code block of language lang, with a fence
// longer than any run of backticks inside.
func fenced(text, lang string) string {
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	return fence + lang + "\n" + text + "\n" + fence
}

func codeList(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return "`" + strings.Join(xs, "`, `") + "`"
}

// callLine says which call failed, when, with what status, from which
// service, with its tracking ID and codes; code quotes a value (Markdown's
// backtick, or nothing in plain text).
func callLine(c Case, fc CaseCall, code string) string {
	t := func(key string, args ...string) string { return messages.Localize(c.lang, key, args...) }
	line := fmt.Sprintf("%s %s → %d (%s)", fc.Method, fc.URL, fc.Status, fc.Service)
	if fc.Time != "" {
		line = fc.Time + " — " + line
	}
	parts := []string{line}
	fact := func(key, value string) {
		if value != "" {
			parts = append(parts, t("summary.label", "label", t(key))+" "+value)
		}
	}
	fact("summary.call.item", fc.Item)
	if fc.TrackingID != "" {
		fact("field_tracking", code+fc.TrackingID+code)
	}
	fact("field_codes", strings.Join(fc.Codes, ", "))
	return strings.Join(parts, " — ")
}

// errorLine says who failed with which codes and status.
func errorLine(c Case, e CaseError) string {
	t := func(key string, args ...string) string { return messages.Localize(c.lang, key, args...) }
	who := e.Email
	if who == "" {
		who = t("report.unknown-user")
	}
	parts := []string{who}
	// Each fact under the label the panel and the CLI give it.
	fact := func(key, value string) {
		if value != "" {
			parts = append(parts, t("summary.label", "label", t(key))+" "+value)
		}
	}
	if e.Status != 0 {
		fact("field_user_status", fmt.Sprint(e.Status))
	}
	fact("field_codes", strings.Join(e.Codes, ", "))
	fact("field_missing", strings.Join(e.Missing, ", "))
	fact("field_unexpected", strings.Join(e.Unexpected, ", "))
	fact("field_notes", strings.Join(e.Notes, "; "))
	return strings.Join(parts, " — ")
}
