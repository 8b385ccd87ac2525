package engine

import (
	"strings"

	"hubdoctor/internal/har"
)

// What the extension's page observer may look at with DevTools closed. The
// observer runs inside Control Hub's page before any of its scripts and
// wraps fetch and XMLHttpRequest; it must decide in a few microseconds, with
// no engine at hand, which calls to record. These lists are what it decides
// from: they are written into the extension at build time (scripts/scopes),
// never kept by hand, and TestPageScopes keeps them true to the rules.

// RequestScope is a cheap test for a call that a page script makes and some
// rule may want: the method (upper case) and a lower-case substring of the
// URL. A call the observer records is checked again by the engine
// (Session.NeedsBody) before any rule reads it.
type RequestScope struct {
	Method string `json:"method"`
	Hint   string `json:"hint"`
}

// PageRequestScopes lists the calls the page observer records: the onboard
// and licence families' requests, which Control Hub makes with fetch or
// XMLHttpRequest. The SSO family is left out: its SAML POST and error page
// are navigations, which no fetch or XMLHttpRequest wrapper sees (the page's
// own text serves instead: PageErrorHints).
func PageRequestScopes() []RequestScope {
	var out []RequestScope
	for _, h := range onboardHints {
		out = append(out, RequestScope{Method: "POST", Hint: h})
	}
	for _, h := range licenseHints {
		out = append(out, RequestScope{Method: "PATCH", Hint: h})
	}
	return out
}

// InPageRequestScope reports whether a call passes one of
// PageRequestScopes, as the observer tests it.
func InPageRequestScope(method, rawURL string) bool {
	u := strings.ToLower(rawURL)
	for _, s := range PageRequestScopes() {
		if strings.EqualFold(method, s.Method) && strings.Contains(u, s.Hint) {
			return true
		}
	}
	return false
}

// InPageFailedScope reports whether a call the observer saw answered is a
// failed Webex call it records: a status of 400 or more on a host of
// WebexHosts. The observer reads such a call's body (capped) for the list of
// failed calls; the banner still shows findings only.
func InPageFailedScope(status int, rawURL string) bool {
	return isFailedCall(har.NewRequest("", rawURL, status, ""))
}

// PageErrorHints returns lower-case strings one of which the lower-cased
// text of every page that names a numbered SSO error contains: each
// error's wordings, the 'Error number "…" - N' form and the <federatedSSO>
// answer. The extension's content script on Webex sites hands a page to the
// engine only when its text carries one, so an ordinary page costs a
// substring search and nothing else.
func PageErrorHints() []string {
	out := []string{"error number", "federatedsso"}
	for _, sc := range ssoCodes {
		for _, p := range sc.phrases {
			out = append(out, strings.ToLower(p))
		}
	}
	return out
}
