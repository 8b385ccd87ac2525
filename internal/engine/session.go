package engine

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/har"
)

// Session runs the catalog over a sequence of entries and remembers what
// later entries need from earlier ones (the SAML response that preceded an
// SSO error page). One Session serves one HAR file or one live capture.
type Session struct {
	rules []*Rule
	// Seen counts entries offered; Inspected those some rule wanted.
	Seen, Inspected int
	sso             ssoState
}

// NewSession returns a Session running rules, or the whole Catalog when
// rules is nil.
func NewSession(rules []*Rule) *Session {
	if rules == nil {
		rules = Catalog()
	}
	return &Session{rules: rules}
}

// NeedsBody reports whether any rule wants this request, so that the live
// path fetches bodies only for those (onboard, licence, SSO).
func (s *Session) NeedsBody(r har.Request) bool {
	for _, rule := range s.rules {
		if rule.Scope(r) {
			return true
		}
	}
	return false
}

// Analyze runs every rule that wants e. A rule that panics is skipped and
// reported in the returned error; the other rules and later entries still
// run, so one faulty rule never silences the engine.
func (s *Session) Analyze(e *har.Entry) ([]Finding, error) {
	s.Seen++
	var out []Finding
	var errs []error
	ctx := &Context{Entry: e, Session: s, claimed: map[string]bool{}, cache: map[string]any{}}
	wanted := false
	for _, rule := range s.rules {
		if !rule.Scope(e.Request) {
			continue
		}
		wanted = true
		ctx.Rule = rule
		fs, err := runRule(rule, ctx)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, fs...)
	}
	if wanted {
		s.Inspected++
	}
	return out, errors.Join(errs...)
}

func runRule(rule *Rule, ctx *Context) (fs []Finding, err error) {
	defer func() {
		if r := recover(); r != nil {
			// One line naming the rule, the entry and the panic: what a
			// rule author needs to reproduce it with that entry. The stack
			// is left out (runtime/debug added to the engine's size, and a
			// rule's Check is short).
			msg := strings.Join(strings.Fields(fmt.Sprint(r)), " ")
			err = fmt.Errorf("rule %s failed on entry %d: %s", rule.ID, ctx.Entry.Index, msg)
		}
	}()
	return rule.Check(ctx), nil
}

// Result is the outcome of analysing a whole HAR file.
type Result struct {
	Findings []Finding `json:"findings"`
	// Entries is how many entries the file has; Inspected how many some rule read.
	Entries   int `json:"entries"`
	Inspected int `json:"inspected"`
	// Browser is the exporting browser ("Firefox 153.0"), from log.browser or log.creator.
	Browser string `json:"browser,omitempty"`
	// RuleErrors lists rules that failed on some entry (a bug in Hub Doctor).
	RuleErrors []string `json:"ruleErrors,omitempty"`
	userAgent  string
}

// AnalyzeHAR streams a HAR file through s. name is used in errors. On a read
// error it returns what was found before the break together with an
// *har.Error saying where the file broke.
func AnalyzeHAR(r io.Reader, name string, s *Session) (*Result, error) {
	res := &Result{Findings: []Finding{}}
	sc := har.NewScanner(r, name)
	// Only the entries a rule reads need their grammar checked; the scanner
	// still checks every entry's structure.
	sc.DeferEntryChecks()
	for {
		it, err := sc.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			res.finish(sc, s)
			return res, err
		}
		switch {
		case it.Kind == har.Member && (it.Key == "browser" || it.Key == "creator"):
			if b := browserName(it.Raw); b != "" && (res.Browser == "" || it.Key == "browser") {
				res.Browser = b
			}
		case it.Kind == har.EntryItem:
			req := har.PeekRequest(it.Raw)
			if !s.NeedsBody(req) {
				s.Seen++
				continue
			}
			if err := sc.CheckEntry(it); err != nil {
				res.finish(sc, s)
				return res, err
			}
			e, perr := har.ParseEntry(it.Raw, it.Index)
			if perr != nil {
				res.finish(sc, s)
				return res, &har.Error{File: name, Entry: it.Index, Offset: it.Offset, Msg: perr.(*har.Error).Msg}
			}
			if res.userAgent == "" {
				res.userAgent = e.RequestHeaders.Get("User-Agent")
			}
			fs, rerr := s.Analyze(e)
			if rerr != nil {
				res.RuleErrors = append(res.RuleErrors, rerr.Error())
			}
			res.Findings = append(res.Findings, fs...)
		}
	}
	res.finish(sc, s)
	return res, nil
}

func (res *Result) finish(sc *har.Scanner, s *Session) {
	res.Entries = sc.Entries()
	res.Inspected = s.Inspected
	// Chrome names only its DevTools ("WebInspector 537.36") in log.creator;
	// the User-Agent of a recorded request names the browser.
	if b := BrowserFromUserAgent(res.userAgent); b != "" && (res.Browser == "" || strings.HasPrefix(res.Browser, "WebInspector")) {
		res.Browser = b
	}
	SortFindings(res.Findings)
}

// browserName reads {"name": …, "version": …} as in log.browser and log.creator.
func browserName(raw []byte) string {
	r := gjson.GetManyBytes(raw, "name", "version")
	return strings.TrimSpace(r[0].String() + " " + r[1].String())
}

// SortFindings orders findings by entry, then severity, then rule and e-mail,
// so every output is deterministic.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Entry != b.Entry {
			return a.Entry < b.Entry
		}
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() < b.Severity.Rank()
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Email < b.Email
	})
}
