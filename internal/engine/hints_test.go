package engine

import (
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// hinted is the extension's test: may a rule want this URL?
func hinted(rawURL string) bool {
	u := strings.ToLower(rawURL)
	if strings.Contains(u, "%") {
		return true // percent-encoded: only the engine can tell
	}
	for _, h := range ScopeHints() {
		if strings.Contains(u, h) {
			return true
		}
	}
	return false
}

// TestScopeHints: whenever a rule's scope accepts a request, its URL carries
// a hint, so the extension's shortcut never hides a request from the rules.
func TestScopeHints(t *testing.T) {
	var reqs []har.Request
	add := func(xs []fixture.Exchange) {
		for _, x := range xs {
			for _, mime := range []string{x.ResponseMime, "text/html", "application/json", ""} {
				reqs = append(reqs, har.NewRequest(x.Method, x.URL, x.Status, mime))
			}
		}
	}
	for _, s := range allSamples() {
		add(s.positive)
		add(s.negative)
	}
	add(fixture.SeedSession())
	for _, u := range []string{
		"https://LICENSE-A.WBX2.COM/license/api/v1/organization/X/users/onboard",
		"https://atlas-a.wbx2.com/admin/api/v1/organization/X/users/onboard/?x=1",
		"https://webexapis.com/v1/licenses/users/",
		"https://Example.WebEx.com/dispatcher/SAML2AuthService?siteurl=example",
		"https://sso.example.net/webappng/sites/x/dashboard",
		"https://example.webex.com/webappng/sites/example/dashboard?SAMLResponse=abc",
		"https://idp.example.net/dispatcher/saml2authservice",
		"https://example.webex.com/",
		"https://example.webex.com/mw3300/mywebex/default.do?siteurl=example",
		"https://license-a.wbx2.com/license/api/v1/organization/X/users%2Fonboard",
	} {
		for _, m := range []string{"GET", "POST", "PATCH"} {
			for _, mime := range []string{"text/html", "application/json", ""} {
				reqs = append(reqs, har.NewRequest(m, u, 200, mime))
			}
		}
	}
	wanted := 0
	for _, r := range reqs {
		for _, rule := range Catalog() {
			if rule.Scope(r) {
				wanted++
				if !hinted(r.URL) {
					t.Errorf("rule %s wants %s %s but no scope hint matches: the extension would never ask", rule.ID, r.Method, r.URL)
				}
			}
		}
	}
	if wanted == 0 {
		t.Fatal("no request was in any rule's scope: the test checks nothing")
	}
	for _, x := range fixture.Harmless() {
		if strings.Contains(x.URL, "wbx2.com") && hinted(x.URL) {
			t.Errorf("%s: a Control Hub API call that no rule wants matches a hint, so the shortcut saves nothing", x.URL)
		}
	}
}
