// Package summary writes the prefilled Cisco TAC case summary: what TAC asks
// for (organization ID, affected e-mail, a description of the problem, the
// HAR to attach, the POST response content) filled in from the findings.
// One Case model, one renderer per format (Markdown, text, JSON).
package summary

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/explain"
	"hubdoctor/internal/messages"
	"hubdoctor/internal/sanitize"
	"hubdoctor/internal/version"
)

// Input is what a summary is made from.
type Input struct {
	Findings []engine.Finding
	// FailedCalls are the session's failed calls (engine.FailedCalls, as
	// recorded or as explain.Call readied them): the summary lists the
	// unexpected ones no finding explains.
	FailedCalls []engine.FailedCall
	// Browser is the browser and version that recorded the session.
	Browser string
	// HARName is the file name of the sanitized HAR to attach.
	HARName string
}

// Case is the summary's content, independent of format.
type Case struct {
	Title       string      `json:"title"`
	Found       bool        `json:"found"`
	OrgIDs      []string    `json:"orgIds"`
	Emails      []string    `json:"emails"`
	Activity    string      `json:"activity"`
	When        string      `json:"when,omitempty"`
	Description string      `json:"description"`
	Errors      []CaseError `json:"errors"`
	TrackingIDs []string    `json:"trackingIds"`
	Diagnosis   []Diagnosis `json:"diagnosis"`
	Browser     string      `json:"browser,omitempty"`
	// FailedCalls are the session's unexpected failed calls that no
	// finding explains, the first maxCalls of them; MoreCalls counts the
	// rest.
	FailedCalls []CaseCall `json:"failedCalls"`
	MoreCalls   int        `json:"moreFailedCalls,omitempty"`
	Responses   []Response `json:"responses"`
	Attachment  string     `json:"attachment"`
	GeneratedBy string     `json:"generatedBy"`
	lang        string
}

// CaseError is one error as the service reported it.
type CaseError struct {
	Email       string   `json:"email,omitempty"`
	Codes       []string `json:"codes,omitempty"`
	Status      int      `json:"status,omitempty"`
	Description string   `json:"description,omitempty"`
	// Missing and Unexpected are SAML attributes auto account creation
	// lacked or must not get.
	Missing    []string `json:"missingAttributes,omitempty"`
	Unexpected []string `json:"unexpectedAttributes,omitempty"`
	// Notes are the observations on SAML attribute values (a value longer
	// than Webex accepts), worded in the summary's language.
	Notes []string `json:"notes,omitempty"`
}

// CaseCall is one failed call as the summary lists it, sanitized.
type CaseCall struct {
	// Time is when the call was made, in UTC.
	Time       string   `json:"time,omitempty"`
	Method     string   `json:"method"`
	URL        string   `json:"url"`
	Path       string   `json:"path"`
	Status     int      `json:"status"`
	Service    string   `json:"service"`
	Item       string   `json:"item,omitempty"`
	TrackingID string   `json:"trackingId,omitempty"`
	Codes      []string `json:"codes,omitempty"`
	Message    string   `json:"message,omitempty"`
}

// maxCalls bounds the failed calls a summary lists, and maxCallResponses
// the responses it quotes for them: a session with thousands of failures
// gives TAC a readable case, and the attached HAR holds the rest.
const (
	maxCalls         = 25
	maxCallResponses = 3
)

// Diagnosis is Hub Doctor's reading of one finding and the steps it
// already suggested to the admin.
type Diagnosis struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Title    string   `json:"title"`
	Cause    string   `json:"cause"`
	Steps    []string `json:"steps"`
}

// Response is the verbatim content of one failing response, pretty-printed.
type Response struct {
	Request string `json:"request"`
	// Sent is the whole request, sanitized (a one-call summary gives it).
	Sent string `json:"sent,omitempty"`
	Body string `json:"body"`
}

// Build makes the Case for in, with its words in lang. Free text taken from
// the session (descriptions, bodies) goes through the sanitizer's text
// scrubbing, so no credential reaches a summary.
func Build(in Input, lang string) Case {
	t := func(key string, args ...string) string { return messages.Localize(lang, key, args...) }
	c := Case{
		Found:       len(in.Findings) > 0,
		Browser:     in.Browser,
		Attachment:  in.HARName,
		GeneratedBy: "Hub Doctor " + version.Version,
		Errors:      []CaseError{},
		Diagnosis:   []Diagnosis{},
		Responses:   []Response{},
		FailedCalls: []CaseCall{},
		OrgIDs:      []string{},
		Emails:      []string{},
		TrackingIDs: []string{},
		lang:        lang,
	}
	if c.Attachment == "" {
		c.Attachment = t("summary.attachment.default")
	}
	fs := append([]engine.Finding(nil), in.Findings...)
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity.Rank() < fs[j].Severity.Rank() })
	seenResp := map[string]bool{}
	seenDiag := map[string]bool{}
	var earliest string
	for _, f := range fs {
		c.OrgIDs = addOnce(c.OrgIDs, f.OrgID)
		c.Emails = addOnce(c.Emails, f.Email)
		c.TrackingIDs = addOnce(c.TrackingIDs, f.TrackingID)
		if f.Time != "" && (earliest == "" || f.Time < earliest) {
			earliest = f.Time
		}
		x := explain.Explain(f, lang)
		c.Errors = append(c.Errors, CaseError{Email: f.Email, Codes: f.Codes, Status: f.UserStatus,
			Description: sanitize.Quoted(f.Description), Missing: f.MissingAttributes, Unexpected: f.UnexpectedAttributes, Notes: x.Notes})
		if key := f.Rule + "\x00" + x.Cause; !seenDiag[key] {
			seenDiag[key] = true
			c.Diagnosis = append(c.Diagnosis, Diagnosis{Rule: f.Rule, Severity: string(f.Severity), Title: x.Title,
				Cause: sanitize.Quoted(x.Cause), Steps: x.Steps})
		}
		if f.Response != "" && !seenResp[fmt.Sprint(f.Entry)] {
			seenResp[fmt.Sprint(f.Entry)] = true
			c.Responses = append(c.Responses, Response{
				Request: fmt.Sprintf("%s %s → %d", f.Method, sanitize.Quoted(f.URL), f.Status),
				Body:    explain.Pretty(sanitize.Quoted(f.Response)),
			})
		}
	}
	calls := unexplained(in.FailedCalls)
	for i, call := range calls {
		if i == maxCalls {
			c.MoreCalls = len(calls) - maxCalls
			break
		}
		call = explain.Call(call, lang)
		c.FailedCalls = append(c.FailedCalls, caseCall(call))
		c.TrackingIDs = addOnce(c.TrackingIDs, call.TrackingID)
		c.OrgIDs = addOnce(c.OrgIDs, orgOf(call))
		if strings.Contains(call.Item, "@") {
			c.Emails = addOnce(c.Emails, call.Item)
		}
		if call.Time != "" && (earliest == "" || call.Time < earliest) {
			earliest = call.Time
		}
		// Without a finding, the failed calls' answers are the evidence.
		if len(fs) == 0 && i < maxCallResponses && call.Response != "" {
			c.Responses = append(c.Responses, Response{Request: requestLine(call), Body: call.Response})
		}
	}
	c.When = utc(earliest)
	c.Activity = activity(fs, lang)
	c.Title, c.Description = headline(c, fs, lang)
	if len(fs) == 0 && len(calls) > 0 {
		c.Title, c.Description = callsHeadline(calls[0], len(calls), lang)
	}
	return c
}

// unexplained returns the calls that are neither expected nor explained by
// a finding, in their order.
func unexplained(calls []engine.FailedCall) []engine.FailedCall {
	var out []engine.FailedCall
	for _, c := range calls {
		if !c.Expected && c.Rule == "" {
			out = append(out, c)
		}
	}
	return out
}

// caseCall is a sanitized call (explain.Call) as the summary lists it.
func caseCall(c engine.FailedCall) CaseCall {
	return CaseCall{Time: utc(c.Time), Method: c.Method, URL: c.URL, Path: c.Path, Status: c.Status, Service: c.Service,
		Item: c.Item, TrackingID: c.TrackingID, Codes: c.Codes, Message: oneLine(c.Message)}
}

// orgOf is a call's organization ID, else the one in its URL (a call
// stored before calls carried one).
func orgOf(c engine.FailedCall) string {
	if c.OrgID != "" {
		return c.OrgID
	}
	return engine.OrgID(c.URL)
}

// requestLine is "METHOD URL → status" of a sanitized call.
func requestLine(c engine.FailedCall) string {
	return fmt.Sprintf("%s %s → %d", c.Method, c.URL, c.Status)
}

// callsHeadline writes the title and description of a session whose only
// failures are calls no rule knows, first being the first of count.
func callsHeadline(first engine.FailedCall, count int, lang string) (string, string) {
	t := func(key string, args ...string) string { return messages.Localize(lang, key, args...) }
	first = explain.Call(first, lang)
	return t("summary.title.failed", "count", fmt.Sprint(count)),
		t("summary.description.failed", "count", fmt.Sprint(count), "method", first.Method, "path", first.Path,
			"service", first.Service, "status", fmt.Sprint(first.Status), "message", quotedMessage(first, lang))
}

// quotedMessage is a call's message in quotes, or words saying there was none.
func quotedMessage(c engine.FailedCall, lang string) string {
	if m := oneLine(c.Message); m != "" {
		return "\"" + m + "\""
	}
	return messages.Localize(lang, "summary.no-message")
}

// BuildCall makes the Case of one failed call that no rule knows ("Copy for
// TAC"): the organization ID from its URL, its user if any, its tracking ID,
// the call and its response verbatim, sanitized, its time, and browser.
func BuildCall(call engine.FailedCall, browser, harName, lang string) Case {
	c := Build(Input{FailedCalls: []engine.FailedCall{call}, Browser: browser, HARName: harName}, lang)
	call = explain.Call(call, lang)
	if len(c.FailedCalls) == 0 {
		// An expected call, or one a finding explains: still the call asked for.
		c.FailedCalls = []CaseCall{caseCall(call)}
		c.TrackingIDs = addOnce(c.TrackingIDs, call.TrackingID)
		c.OrgIDs = addOnce(c.OrgIDs, orgOf(call))
		c.When = utc(call.Time)
	}
	t := func(key string, args ...string) string { return messages.Localize(lang, key, args...) }
	c.Title = t("summary.title.call", "method", call.Method, "path", call.Path, "status", fmt.Sprint(call.Status), "service", call.Service)
	c.Description = t("summary.description.call", "method", call.Method, "path", call.Path, "service", call.Service,
		"status", fmt.Sprint(call.Status), "message", quotedMessage(call, lang))
	c.Responses = []Response{{Request: requestLine(call), Sent: call.Request, Body: call.Response}}
	return c
}

// activity names what the admin was doing, from the first finding's flow.
func activity(fs []engine.Finding, lang string) string {
	var flow engine.Flow
	if len(fs) > 0 {
		flow = fs[0].Flow
	}
	return messages.Localize(lang, "summary.flow."+flowName(flow))
}

// flowName is the message key suffix for a flow.
func flowName(f engine.Flow) string {
	if f == "" {
		return "unknown"
	}
	return string(f)
}

// headline writes the one-line title and the problem description.
func headline(c Case, fs []engine.Finding, lang string) (string, string) {
	t := func(key string, args ...string) string { return messages.Localize(lang, key, args...) }
	if len(fs) == 0 {
		return t("summary.title.none"), t("summary.description.none")
	}
	f := fs[0]
	x := explain.Explain(f, lang)
	who := f.Email
	if who == "" {
		who = t("report.unknown-user")
	}
	codes := strings.Join(f.Codes, ", ")
	short := t("summary.activity." + flowName(f.Flow))
	codesPart := ""
	if codes != "" && !strings.Contains(x.Title, codes) {
		codesPart = t("summary.title.codes", "codes", codes)
	}
	title := t("summary.title", "activity", short, "email", who, "title", x.Title, "codes", codesPart)
	if n := len(c.Emails); n > 1 {
		title += " " + t("summary.title.more", "count", fmt.Sprint(n-1))
	}
	desc := t("summary.description", "activity", c.Activity, "email", who,
		"method", f.Method, "path", pathOf(f.URL), "status", fmt.Sprint(f.Status),
		"codes", codes, "description", oneLine(sanitize.Quoted(f.Description)), "cause", sanitize.Quoted(x.Cause))
	return title, desc
}

func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.IndexByte(u[i+3:], '/'); j >= 0 {
			u = u[i+3+j:]
		}
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return u
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func addOnce(list []string, v string) []string {
	if v == "" {
		return list
	}
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// utc formats a HAR startedDateTime in UTC ("2026-11-20 09:15:02 UTC").
func utc(s string) string {
	if s == "" {
		return ""
	}
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return tm.UTC().Format("2006-01-02 15:04:05 UTC")
}

// Formats lists the renderers by name.
var Formats = []string{"markdown", "text", "json"}

// Render writes the summary of in in format ("markdown", "text" or "json")
// and lang. It errors on an unknown format or a failed write.
func Render(w io.Writer, in Input, format, lang string) error {
	return Write(w, Build(in, lang), format)
}

// Write writes c in format ("markdown", "text" or "json"). It errors on an
// unknown format or a failed write.
func Write(w io.Writer, c Case, format string) error {
	switch format {
	case "markdown", "md", "":
		return WriteMarkdown(w, c)
	case "text", "txt":
		return WriteText(w, c)
	case "json":
		return WriteJSON(w, c)
	}
	return fmt.Errorf("unknown summary format %q (want markdown, text or json)", format)
}
