package engine

import "hubdoctor/internal/har"

// Rule is one entry of the catalog: metadata plus its check.
//
// A rule's title, cause and fix live in the message catalog under
// "<ID>.title", "<ID>.cause" and "<ID>.fix" (steps separated by newlines).
type Rule struct {
	// ID is stable and never reused ("onboard/carrier-email-exists").
	ID       string
	Severity Severity
	// Since is the Hub Doctor version that introduced the rule.
	Since string
	// Source names the public source of the fact the rule relies on.
	Source string
	// Links are public help articles shown to the admin with the fix.
	Links []string
	// Scope says, from the request alone, whether the rule wants the entry;
	// entries no rule wants are never parsed and their bodies never fetched.
	Scope func(har.Request) bool
	// Check inspects one entry in scope and returns its findings.
	Check func(*Context) []Finding
}

// Context is what a rule's Check sees: the entry, the session's memory of
// earlier entries, and parses shared by the rules of one family.
type Context struct {
	Entry   *har.Entry
	Rule    *Rule
	Session *Session
	claimed map[string]bool
	cache   map[string]any
}

// Finding returns a Finding prefilled from the rule and the entry: rule ID,
// severity, entry index, time, method, URL, status, org ID and tracking ID.
func (c *Context) Finding() Finding {
	e := c.Entry
	return Finding{
		Rule:          c.Rule.ID,
		Severity:      c.Rule.Severity,
		Entry:         e.Index,
		Time:          e.Started,
		Method:        e.Method,
		URL:           e.URL,
		Status:        e.Status,
		OrgID:         OrgID(e.URL),
		TrackingID:    TrackingID(e),
		BodyTruncated: e.BodyTruncated,
	}
}

// Claim marks key (say, one user of an onboard batch) as explained by the
// current rule. It reports false when an earlier rule claimed it already, so
// a catch-all rule never repeats what a specific rule said.
func (c *Context) Claim(key string) bool {
	if c.claimed[key] {
		return false
	}
	c.claimed[key] = true
	return true
}

// Cached returns the value stored under key, computing it once per entry
// with parse; rules of one family share a body parse this way.
func (c *Context) Cached(key string, parse func() any) any {
	if v, ok := c.cache[key]; ok {
		return v
	}
	v := parse()
	c.cache[key] = v
	return v
}
