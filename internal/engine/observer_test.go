package engine

import (
	"regexp"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// TestPageScopes: every call of the onboard and licence families that a rule
// wants passes the page observer's test, and the SSO pages that name an
// error carry a page hint; the seeds' harmless calls pass neither.
func TestPageScopes(t *testing.T) {
	wanted, pages := 0, 0
	for _, s := range allSamples() {
		for _, x := range append(append([]fixture.Exchange{}, s.positive...), s.negative...) {
			r := har.NewRequest(x.Method, x.URL, x.Status, x.ResponseMime)
			if inOnboardScope(r) || inLicenseScope(r) {
				wanted++
				if !InPageRequestScope(x.Method, x.URL) {
					t.Errorf("%s: %s %s is wanted by a rule but the page observer would not record it", s.rule, x.Method, x.URL)
				}
			}
		}
		if !strings.HasPrefix(s.rule, "sso/") {
			continue
		}
		for _, x := range s.positive {
			if len(ssoErrors([]byte(x.ResponseBody))) == 0 {
				continue
			}
			pages++
			if !pageHinted(x.ResponseBody) {
				t.Errorf("%s: the page names an SSO error but carries no page hint:\n%.300s", s.rule, x.ResponseBody)
			}
		}
	}
	if wanted == 0 || pages == 0 {
		t.Fatalf("%d calls, %d pages checked: the test checks nothing", wanted, pages)
	}
	for _, x := range fixture.Harmless() {
		if InPageRequestScope(x.Method, x.URL) {
			t.Errorf("%s %s: a harmless call the page observer would record", x.Method, x.URL)
		}
	}
	for _, p := range []string{"<p>Welcome to your Webex site</p>", "<h1>Meetings</h1>"} {
		if pageHinted(p) {
			t.Errorf("%q: an ordinary page carries a page hint", p)
		}
	}
}

var space = regexp.MustCompile(`\s+`)

// pageHinted is the content script's test: does the page's text, lower-cased
// with white space collapsed, carry a page hint?
func pageHinted(html string) bool {
	text := space.ReplaceAllString(strings.ToLower(html), " ")
	for _, h := range PageErrorHints() {
		if strings.Contains(text, h) {
			return true
		}
	}
	return false
}
