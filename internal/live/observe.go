package live

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/explain"
	"hubdoctor/internal/har"
)

// With DevTools closed, the extension's page observer records the calls of
// Control Hub's page that some rule reads (extension/observer.js), and the
// content script on Webex sites hands over a page that names an SSO error.
// Both come from the page: anything in the page (an XSS, another extension)
// can forge them. So a record is read strictly, its size and every field
// capped, its call checked against the rules' scopes, and what comes of it is
// at most a finding whose texts the extension shows as text.

// Caps on what a record may carry. The observer reads at most MaxRecordBody
// bytes of a body; the rest bounds a forged record.
const (
	MaxRecordBody    = 1 << 20
	MaxRecordBytes   = 3 * MaxRecordBody
	maxRecordHeaders = 8
	maxHeaderValue   = 1024
	maxURL           = 8 << 10
	maxPageHTML      = MaxRecordBody
)

// recordHeaders are the headers a record may carry, lower case: the tracking
// ID TAC asks for and the media types. The observer never reads any other
// (no Authorization, no cookies).
var recordHeaders = map[string]bool{"trackingid": true, "content-type": true}

// Record is one call the page observer saw, as it sends it (schema version 1).
type Record struct {
	V               int         `json:"v"`
	Via             string      `json:"via"` // "fetch" or "xhr"
	Method          string      `json:"method"`
	URL             string      `json:"url"`
	Started         string      `json:"started"` // RFC 3339, when the call was made
	Time            float64     `json:"time"`    // milliseconds until the response was read
	Status          int         `json:"status"`
	StatusText      string      `json:"statusText"`
	RequestHeaders  [][2]string `json:"requestHeaders"`
	RequestBody     *string     `json:"requestBody"`
	ResponseHeaders [][2]string `json:"responseHeaders"`
	MimeType        string      `json:"mimeType"`
	ResponseBody    *string     `json:"responseBody"`
	// BodySize is the body's whole size when the observer read only part of
	// it (BodyTruncated), else the size read.
	BodySize      int  `json:"bodySize"`
	BodyTruncated bool `json:"bodyTruncated"`
}

// ParseRecord reads a record strictly: a JSON object of exactly the schema's
// members, every value of its type and within its cap, an https URL, a
// known method, a real status and time. It errors, saying which member,
// otherwise.
func ParseRecord(raw []byte) (*Record, error) {
	if len(raw) > MaxRecordBytes {
		return nil, fmt.Errorf("record: %d bytes, over the %d-byte cap", len(raw), MaxRecordBytes)
	}
	var r Record
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("record: %v", err)
	}
	if dec.More() {
		return nil, errors.New("record: data after the object")
	}
	if err := r.check(); err != nil {
		return nil, fmt.Errorf("record: %v", err)
	}
	return &r, nil
}

func (r *Record) check() error {
	switch {
	case r.V != 1:
		return fmt.Errorf("schema version %d, want 1", r.V)
	case r.Via != "fetch" && r.Via != "xhr":
		return fmt.Errorf("via %q", clip(r.Via))
	case !isToken(r.Method):
		return fmt.Errorf("method %q", clip(r.Method))
	case len(r.URL) > maxURL || !strings.HasPrefix(strings.ToLower(r.URL), "https://") || har.NewRequest(r.Method, r.URL, 0, "").Host() == "":
		return fmt.Errorf("url %q: not an https URL", clip(r.URL))
	case r.Status < 100 || r.Status > 599:
		return fmt.Errorf("status %d", r.Status)
	case len(r.StatusText) > 128 || len(r.MimeType) > 256:
		return errors.New("statusText or mimeType too long")
	case r.Time < 0 || r.Time > 24*3600*1000:
		return fmt.Errorf("time %v", r.Time)
	case r.BodySize < 0:
		return fmt.Errorf("bodySize %d", r.BodySize)
	}
	if _, err := time.Parse(time.RFC3339Nano, r.Started); err != nil {
		return fmt.Errorf("started %q: not an RFC 3339 time", clip(r.Started))
	}
	for _, b := range []*string{r.RequestBody, r.ResponseBody} {
		if b != nil && len(*b) > MaxRecordBody {
			return fmt.Errorf("a body of %d bytes, over the %d-byte cap", len(*b), MaxRecordBody)
		}
	}
	for _, hs := range [][][2]string{r.RequestHeaders, r.ResponseHeaders} {
		if len(hs) > maxRecordHeaders {
			return fmt.Errorf("%d headers, at most %d", len(hs), maxRecordHeaders)
		}
		for _, h := range hs {
			if !recordHeaders[strings.ToLower(h[0])] || len(h[1]) > maxHeaderValue {
				return fmt.Errorf("header %q is not one a record carries", clip(h[0]))
			}
		}
	}
	return nil
}

// isToken reports whether m is an HTTP method: 1 to 16 ASCII letters.
func isToken(m string) bool {
	if m == "" || len(m) > 16 {
		return false
	}
	for i := 0; i < len(m); i++ {
		if c := m[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// clip shortens a forged value for an error message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// observerComment marks every entry the page observer made, so a reader of
// the evidence knows where it came from.
const observerComment = "Recorded by Hub Doctor's page observer with DevTools closed"

// Entry returns the record as a HAR 1.2 entry (JSON), in the shape
// DevTools' entries have, with the bodies as text.
func (r *Record) Entry() []byte {
	type nv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	pairs := func(hs [][2]string) []nv {
		out := make([]nv, 0, len(hs))
		for _, h := range hs {
			out = append(out, nv{h[0], h[1]})
		}
		return out
	}
	header := func(hs [][2]string, name string) string {
		for _, h := range hs {
			if strings.EqualFold(h[0], name) {
				return h[1]
			}
		}
		return ""
	}
	request := map[string]any{
		"method": strings.ToUpper(r.Method), "url": r.URL, "httpVersion": "",
		"headers": pairs(r.RequestHeaders), "queryString": []any{}, "cookies": []any{},
		"headersSize": -1, "bodySize": 0,
	}
	if r.RequestBody != nil {
		request["bodySize"] = len(*r.RequestBody)
		request["postData"] = map[string]any{"mimeType": header(r.RequestHeaders, "content-type"), "text": *r.RequestBody}
	}
	content := map[string]any{"size": r.BodySize, "mimeType": r.MimeType}
	if r.ResponseBody != nil {
		content["text"] = *r.ResponseBody
		if !r.BodyTruncated && r.BodySize < len(*r.ResponseBody) {
			content["size"] = len(*r.ResponseBody)
		}
	}
	entry := map[string]any{
		"startedDateTime": r.Started,
		"time":            r.Time,
		"request":         request,
		"response": map[string]any{
			"status": r.Status, "statusText": r.StatusText, "httpVersion": "",
			"headers": pairs(r.ResponseHeaders), "cookies": []any{}, "content": content,
			"redirectURL": "", "headersSize": -1, "bodySize": -1,
		},
		"cache":   map[string]any{},
		"timings": map[string]any{"send": 0, "wait": r.Time, "receive": 0},
		"comment": observerComment + " (" + r.Via + ")",
	}
	out, err := json.Marshal(entry)
	if err != nil {
		panic(err) // strings, numbers and maps of them always encode
	}
	return out
}

// Keyed is an explained finding with the key that names it across the
// extension's two ways of seeing a call (DevTools and the page observer):
// the same call seen by both gives the same key, so it is one finding.
type Keyed struct {
	explain.Shown
	Key string `json:"key"`
}

// findingKey names f, found in e: the rule, the user, and the call. Control
// Hub sends a TrackingID header, unique per call, with every API call, and
// both ways of seeing the call read it; a call without one (a page) is
// named by its method, URL and start time.
func findingKey(f engine.Finding, e *har.Entry) string {
	return f.Rule + "\x1f" + f.Email + "\x1f" + callKey(e)
}

// callKey names e's call as DevTools and the page observer both see it: its
// TrackingID request header, else its method, URL and start.
func callKey(e *har.Entry) string {
	if id := e.RequestHeaders.Get("TrackingID"); id != "" {
		return id
	}
	return e.Request.Method + " " + e.URL + " " + e.Started
}

// KeyedCall is a failed call explained for the views, with the key that
// names it whichever way it was seen (DevTools or the page observer): its
// call (callKey) and its failed item.
type KeyedCall struct {
	engine.FailedCall
	Key string `json:"key"`
}

// keyedCalls explains e's failed calls in lang, each with its key.
func keyedCalls(calls []engine.FailedCall, e *har.Entry, lang string) []KeyedCall {
	out := make([]KeyedCall, len(calls))
	for i, c := range explain.Calls(calls, lang) {
		out[i] = KeyedCall{FailedCall: c, Key: callKey(e) + "\x1f" + c.Item}
	}
	return out
}

// keyed explains fs, found in e, in lang, each with its key.
func keyed(fs []engine.Finding, e *har.Entry, lang string) []Keyed {
	out := make([]Keyed, len(fs))
	for i, f := range fs {
		out[i] = Keyed{Shown: explain.ForView(f, lang), Key: findingKey(f, e)}
	}
	return out
}

// Observed is what one record or page produced for a tab.
type Observed struct {
	Findings []Keyed `json:"findings"`
	// FailedCalls are the call's failed Webex calls, as EntryResult's.
	FailedCalls []KeyedCall `json:"failedCalls"`
	RuleErrors  []string    `json:"ruleErrors"`
	// Entry is the call as a sanitized HAR entry, for the evidence export.
	Entry string `json:"entry"`
}

// Tabs holds one live session per browser tab, for what the extension's
// background sees with DevTools closed.
type Tabs struct {
	sessions map[int]*Session
}

// NewTabs returns an empty set of tab sessions.
func NewTabs() *Tabs {
	return &Tabs{sessions: map[int]*Session{}}
}

// session returns tab's session, starting it on first use.
func (t *Tabs) session(tab int) *Session {
	s := t.sessions[tab]
	if s == nil {
		s = NewSession()
		t.sessions[tab] = s
	}
	return s
}

// Forget drops tab's session (the tab closed).
func (t *Tabs) Forget(tab int) {
	delete(t.sessions, tab)
}

// Observe analyses a page observer record seen in tab and explains the
// findings and failed calls in lang. It errors when the record is malformed
// (ParseRecord) or when its call is neither one a rule reads nor a failed
// Webex call (engine.InPageFailedScope): a record outside the scopes is
// refused, whatever it says.
func (t *Tabs) Observe(tab int, raw []byte, lang string) (*Observed, error) {
	r, err := ParseRecord(raw)
	if err != nil {
		return nil, err
	}
	s := t.session(tab)
	ruled := engine.InPageRequestScope(r.Method, r.URL) && s.NeedsBody(r.Method, r.URL, r.Status, r.MimeType)
	if !ruled && !engine.InPageFailedScope(r.Status, r.URL) {
		return nil, fmt.Errorf("record: %s %s is neither a call any rule reads nor a failed Webex call", r.Method, clip(r.URL))
	}
	return s.observe(r.Entry(), lang)
}

// ObservePage analyses a Webex site page that shows an error, as the content
// script read it with DevTools closed: html is the page's markup, loaded the
// time it loaded (RFC 3339). No SAML response is seen that way, so an SSO
// finding says the sign-in must be repeated with DevTools open for the
// attribute checks. It errors when the URL is not https or the markup is
// over the cap.
func (t *Tabs) ObservePage(tab int, pageURL, html, loaded, lang string) (*Observed, error) {
	r := Record{V: 1, Via: "fetch", Method: "GET", URL: pageURL, Started: loaded, Status: 200, StatusText: "OK", MimeType: "text/html", ResponseBody: &html, BodySize: len(html)}
	if err := r.check(); err != nil {
		return nil, fmt.Errorf("page: %v", err)
	}
	if len(html) > maxPageHTML {
		return nil, fmt.Errorf("page: %d bytes, over the %d-byte cap", len(html), maxPageHTML)
	}
	entry := bytes.Replace(r.Entry(), []byte(`(fetch)`), []byte(`(page text)`), 1)
	return t.session(tab).observe(entry, lang)
}

// observe analyses one entry the page gave and keeps its sanitized copy.
func (s *Session) observe(entry []byte, lang string) (*Observed, error) {
	e, err := har.ParseEntry(entry, s.next)
	if err != nil {
		return nil, err
	}
	s.next++
	fs, rerr := s.engine.Analyze(e)
	out := &Observed{Findings: keyed(fs, e, lang), FailedCalls: keyedCalls(s.engine.FailedCalls(e, fs), e, lang), RuleErrors: []string{}}
	if rerr != nil {
		out.RuleErrors = append(out.RuleErrors, rerr.Error())
	}
	if out.Entry, err = s.SanitizeEntry(entry, nil, false); err != nil {
		return nil, err
	}
	return out, nil
}

// EvidenceHAR returns the entries a tab's page observer recorded (a JSON
// array of the sanitized entries Observe and ObservePage gave) as a HAR 1.2
// file (WrapHAR), marked as partial, with how to record the whole session.
// It errors when entriesJSON is not an array of entries.
func EvidenceHAR(entriesJSON []byte, pseudonymize bool) (string, error) {
	return wrapHAR(entriesJSON, func(n int) string {
		return fmt.Sprintf("Partial: the %d calls Hub Doctor's rules read or that failed, recorded with DevTools closed. "+
			"If TAC asks for the full HAR: open DevTools (F12) > Network, tick Preserve log, repeat the step, then Export HAR.", n)
	}, pseudonymize)
}
