package engine

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// onboardCallFailed reports whether the onboard call failed as a whole: an
// error status with no per-user result, or an answer in neither body shape
// (an HTML error page from a proxy, a JSON error envelope). An empty body
// with status 0 is a request the browser never finished: nothing to read.
func onboardCallFailed(c *Context) bool {
	users, ok := onboardUsers(c)
	e := c.Entry
	if e.Status >= 400 && len(users) == 0 {
		return true
	}
	return e.Status > 0 && !ok && len(bytes.TrimSpace(e.ResponseBody)) > 0
}

// callFinding fills a finding for a failed call that names no user: the
// e-mail comes from the request when it names exactly one.
func callFinding(c *Context) Finding {
	f := c.Finding()
	f.Flow = flowOf(c.Entry)
	f.Email = requestEmail(c.Entry)
	f.Codes = envelopeCodes(c.Entry.ResponseBody)
	f.Description = failureText(c.Entry.ResponseBody)
	f.Response = Verbatim(c.Entry.ResponseBody)
	return f
}

// accessDenied: a user refused with 403 and a code no other rule knows, or
// the whole call refused with 403 (the admin's role does not allow adding
// users). The web client shows "access denied" for any other 403.
var accessDenied = &Rule{
	ID:       "onboard/access-denied",
	Severity: Error,
	Since:    "0.1.0",
	Source:   collabUISource,
	Links:    []string{helpAddUsers},
	Scope:    inOnboardScope,
	Check: func(c *Context) []Finding {
		out := perUser(func(u onboardUser) bool { return u.Status == 403 })(c)
		if c.Entry.Status == 403 && onboardCallFailed(c) && c.Claim("call") {
			out = append(out, callFinding(c))
		}
		return out
	},
}

// onboardFailed is the family's catch-all, run last: any user that failed
// for a reason no specific rule explained, or the call failing outright. It
// shows the service's own words and prepares a TAC case, as the seeds advise
// for any other message.
var onboardFailed = &Rule{
	ID:       "onboard/failed",
	Severity: Error,
	Since:    "0.1.0",
	Source:   tacStatus400Source + "; " + collabUISource,
	Links:    []string{helpHAR, helpAddUsers},
	Scope:    inOnboardScope,
	Check: func(c *Context) []Finding {
		out := perUser(func(u onboardUser) bool { return u.Status >= 400 })(c)
		if onboardCallFailed(c) && c.Claim("call") {
			out = append(out, callFinding(c))
		}
		return out
	},
}

// maxExcerpt caps the description taken from a body that is not an error
// envelope; the whole body is kept in Finding.Response anyway.
const maxExcerpt = 200

// failureText says in one line why a call failed: the service's error text
// from a JSON envelope (ErrorText), else an HTML page's title, else the
// start of the body with tags and runs of white space removed.
func failureText(body []byte) string {
	return failureTextOf(body, parseBody(body))
}

// failureTextOf is failureText with the body parsed as b.
func failureTextOf(body []byte, b jsonBody) string {
	if s := errorTextOf(b); s != "" {
		return s
	}
	s, _ := titleText(string(body))
	if strings.TrimSpace(s) == "" {
		s = stripMarkup(string(body))
	}
	s = strings.Join(strings.Fields(unescapeEntities(s)), " ")
	if utf8.RuneCountInString(s) > maxExcerpt {
		s = string([]rune(s)[:maxExcerpt]) + "…"
	}
	return s
}
