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
	// onCalls, when set, is told the failed calls of each entry as a
	// whole-file analysis finds them (OnFailedCalls).
	onCalls func([]FailedCall)
	// org is the last organization ID an entry named (FailedCalls).
	org string
}

// OnFailedCalls makes a whole-file analysis through s (AnalyzeHAR,
// AnalyzeFile) call fn with the failed calls of each entry that has some,
// in file order, as it finds them: an import reports them while the file
// is still being read.
func (s *Session) OnFailedCalls(fn func([]FailedCall)) {
	s.onCalls = fn
}

// NewSession returns a Session running rules, or the whole Catalog when
// rules is nil.
func NewSession(rules []*Rule) *Session {
	if rules == nil {
		rules = Catalog()
	}
	return &Session{rules: rules}
}

// NeedsBody reports whether any rule wants this request or it is a failed
// Webex call (FailedCalls), so that the live path fetches bodies only for
// those (onboard, licence, SSO, a status of 400 or more on a Webex host).
func (s *Session) NeedsBody(r har.Request) bool {
	if isFailedCall(r) {
		return true
	}
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
	// FailedCalls are the session's failed Webex calls, in entry order
	// (FailedCalls), those a finding explains included.
	FailedCalls []FailedCall `json:"failedCalls"`
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
	res := newResult()
	sc := har.NewScanner(r, name)
	// Only the entries a rule reads need their grammar checked; the scanner
	// still checks every entry's structure.
	sc.DeferEntryChecks()
	err := res.scan(sc, s, nil)
	res.finish(sc.Entries(), s)
	return res, err
}

// scan applies every item sc yields to res and s until the end of the file
// or a read error. When stop is set, it returns early, without applying it,
// at the first entry for which stop says so (a start another part of the
// analysis has read).
func (res *Result) scan(sc *har.Scanner, s *Session, stop func(har.Item) bool) error {
	err := sc.Each(func(it har.Item) error {
		if stop != nil && it.Kind == har.EntryItem && stop(it) {
			return errStopped
		}
		return res.read(sc, s, it, 0)
	})
	if err == errStopped {
		return nil
	}
	return err
}

// errStopped ends scan's walk where stop says so.
var errStopped = errors.New("stopped at the start of another part")

// step is what the analysis keeps of one scanned item: prepared without
// touching the session's state (so a part of the file can be prepared in
// parallel with the part before it), applied in file order.
type step struct {
	// skipped counts entries no rule wants (consecutive ones share a step).
	skipped int
	// entry is an entry some rule wants, or a failed Webex call, parsed;
	// calls are its failed calls as failedCalls read them.
	entry *har.Entry
	calls []FailedCall
	// browser is the name and version in log.browser or log.creator
	// (browserKey), when the item is one of these.
	browserKey, browser string
}

// prepare reads one item: whether a rule wants the entry or it is a failed
// Webex call, and if so its checked and parsed form. It only reads s's rules.
func prepare(sc *har.Scanner, it har.Item, s *Session) (step, error) {
	switch {
	case it.Kind == har.Member && (it.Key == "browser" || it.Key == "creator"):
		return step{browserKey: it.Key, browser: browserName(it.Raw)}, nil
	case it.Kind == har.EntryItem:
		if !s.NeedsBody(har.PeekRequest(it.Raw)) {
			return step{skipped: 1}, nil
		}
		if err := sc.CheckEntry(it); err != nil {
			return step{}, err
		}
		e, err := har.ParseEntry(it.Raw, it.Index)
		if err != nil {
			return step{}, &har.Error{File: sc.Name(), Entry: it.Index, Offset: it.Offset, Msg: err.(*har.Error).Msg}
		}
		return step{entry: e, calls: failedCalls(e)}, nil
	}
	return step{}, nil
}

// apply runs a prepared step through s; base is added to the entry's index
// (a part prepared in parallel numbers its entries from 0).
func (res *Result) apply(s *Session, st step, base int) {
	s.Seen += st.skipped
	if b := st.browser; b != "" && (res.Browser == "" || st.browserKey == "browser") {
		res.Browser = b
	}
	e := st.entry
	if e == nil {
		return
	}
	e.Index += base
	if res.userAgent == "" {
		res.userAgent = e.RequestHeaders.Get("User-Agent")
	}
	fs, err := s.Analyze(e)
	if err != nil {
		res.RuleErrors = append(res.RuleErrors, err.Error())
	}
	res.Findings = append(res.Findings, fs...)
	if calls := s.linkCalls(e, st.calls, fs); len(calls) > 0 {
		res.FailedCalls = append(res.FailedCalls, calls...)
		if s.onCalls != nil {
			s.onCalls(calls)
		}
	}
}

// newResult returns an empty Result whose lists encode as [], not null.
func newResult() *Result {
	return &Result{Findings: []Finding{}, FailedCalls: []FailedCall{}}
}

func (res *Result) finish(entries int, s *Session) {
	res.Entries = entries
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
