package explain

import (
	"testing"

	"hubdoctor/internal/engine"
)

// TestShown: the views get a JSON response indented, as the TAC summary
// quotes it, and any other response (an HTML error page, a cut body) as it
// came, without a second copy.
func TestShown(t *testing.T) {
	for _, r := range []struct {
		response, want string
		reason         string
	}{
		{`{"userResponse":[{"email":"a@example.com","status":400}]}`, "{\n  \"userResponse\": [\n    {\n      \"email\": \"a@example.com\",\n      \"status\": 400\n    }\n  ]\n}", "JSON, indented two spaces"},
		{`{"a":"\u003cb\u003e","n":1.0}`, "{\n  \"a\": \"\\u003cb\\u003e\",\n  \"n\": 1.0\n}", "the tokens as they came"},
		{"\n<html><body>Auto Account Creation failed (31)</body></html>\n", "", "HTML: shown as it came"},
		{`{"userResponse":[{"email":`, "", "a cut body: shown as it came"},
		{"", "", "no body"},
	} {
		got := ForView(engine.Finding{Rule: "onboard/failed", Response: r.response}, "en")
		if got.ResponseDisplay != r.want {
			t.Errorf("%s: responseDisplay %q, want %q", r.reason, got.ResponseDisplay, r.want)
		}
		if got.Response != r.response || got.Title == "" {
			t.Errorf("%s: the finding is not explained as it was", r.reason)
		}
	}
}
