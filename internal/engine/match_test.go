package engine

import (
	"fmt"
	"html"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"hubdoctor/internal/regexparity"
)

// The regular expressions the matchers of match.go stand for: the tests
// check each matcher against its expression (internal/regexparity). They
// live here only; the engine does not link package regexp.
var (
	reTrackingID    = regexp.MustCompile(`(?i)trackingid\s*[=:]\s*([A-Za-z0-9_\-.:]+)`)
	reErrorInText   = regexp.MustCompile(`\[Error (\d+)\]`)
	reTitle         = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	reMarkup        = regexp.MustCompile(`(?is)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)
	reOtherOrg      = regexp.MustCompile(`(?is)\b(user|account|e-?mail)\b.*\b(exists?|belongs?|already|member)\b.*\b(another|a different|other)\s+(organi[sz]ation|org)\b`)
	reFederatedSSO  = regexp.MustCompile(`(?is)<federatedSSO\b.*?</federatedSSO>`)
	reFedStatus     = regexp.MustCompile(`(?is)<status>\s*FAILURE\s*</status>`)
	reFedCode       = regexp.MustCompile(`(?is)<errorcode>\s*(\d{1,2})\s*</errorcode>`)
	reFedReason     = regexp.MustCompile(`(?is)<reason>(.*?)</reason>`)
	reTag           = regexp.MustCompile(`<[^>]*>`)
	reSpace         = regexp.MustCompile(`\s+`)
	reErrorNumber   = regexp.MustCompile(`(?i)error number\s*(?:"[^"]{0,20}"\s*)?-\s*(\d{1,2})\b`)
	rePhraseWithNum = func(phrase string) *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(phrase) + `\.?\s*\(?\s*(\d{1,2})\b\s*\)?`)
	}
)

// matcherCases are inputs for every matcher: each row says what it tries.
var matcherCases = []regexparity.Case{
	{Reason: "seed's description", Text: "request/response TrackingId = ROUTER_5f8a-1.2:3, errorCode = '5302' [Error 10991] Url already exists"},
	{Reason: "tracking ID without a value, then one", Text: "trackingid= , TRACKINGID : abc"},
	{Reason: "tracking ID word without separator", Text: "TrackingIdX = 1"},
	{Reason: "two error codes and a broken one", Text: "[Error 1] and [Error ] and [Error 22x] and [Error 333]"},
	{Reason: "HTML page with title and script", Text: "<html><head><TITLE lang=en>502 Bad\n Gateway</title></head><script>a<b</script><h1>x &amp; y</h1></html>"},
	{Reason: "style closed by script's end tag", Text: "<style type=x>a{}</SCRIPT>text<br/>"},
	{Reason: "script never closed", Text: "<script>var a = 1;<p>text</p>"},
	{Reason: "tag never closed", Text: "text < more text"},
	{Reason: "title never closed", Text: "<title>x"},
	{Reason: "title tag without '>'", Text: "<title"},
	{Reason: "user in another org", Text: "User already exists in a different organization"},
	{Reason: "e-mail belongs to another org", Text: "The e-mail a@x.com belongs to another organisation."},
	{Reason: "words glued to others", Text: "users already in another organization; useralready another org"},
	{Reason: "org word with a plural", Text: "User exists in other organizations"},
	{Reason: "org word on a new line", Text: "Account is member of another\n\torg"},
	{Reason: "other org words out of order", Text: "another organization: the user already exists"},
	{Reason: "federatedSSO answer", Text: "<federatedSSO><status> failure </status><errorcode>\n8 </errorcode><reason>Bad &quot;cert&quot;.</reason></federatedSSO>"},
	{Reason: "two federatedSSO answers, one without a code", Text: "<federatedSSOx/><federatedSSO a=1><errorcode>123</errorcode><errorcode>7</errorcode></federatedSSO> <federatedSSO><status>FAILURE</status><errorcode>31</errorcode></federatedSSO>"},
	{Reason: "federatedSSO never closed", Text: "<federatedSSO><status>FAILURE</status>"},
	{Reason: "reason element never closed", Text: "<reason>a</reasons>"},
	{Reason: "seed 003 error page", Text: "<p>Reason: Auto Account Creation failed (31).</p><span>Error number &quot;null&quot; - 31</span>"},
	{Reason: "phrase with dot and spaces before the code", Text: "auto account creation failed.  ( 31 ) then Untrusted Issuer3 and Untrusted Issuer 245"},
	{Reason: "phrase inside a word", Text: "XAuto Account Creation failed (31)"},
	{Reason: "error number with a long quoted part", Text: `Error number "123456789012345678901" - 31 error number "12345678901234567890" -7`},
	{Reason: "error number with multi-byte quoted part", Text: `error number "ééééééééééééééééééé€" - 2x error number - 12`},
	{Reason: "error number never finished", Text: `error number "null`},
	{Reason: "white space of every kind", Text: "a \t\n\f\r\v b"},
	{Reason: "invalid UTF-8", Text: "\xff<title>\xfe</title>\xc3 trackingid=\xff [Error 9]"},
	{Reason: "empty", Text: ""},
}

// ssoPhrases are the phrases of the SSO table.
func ssoPhrases() []string {
	var out []string
	for _, c := range ssoCodes {
		out = append(out, c.phrases...)
	}
	return out
}

// matcherChecks pairs every matcher with its regular expression.
func matcherChecks() []regexparity.Check {
	checks := []regexparity.Check{
		{Name: "trackingIDInText", Got: func(s string) any { return trackingIDInText(s) }, Want: regexparity.Group(reTrackingID, 1)},
		{Name: "codesInText", Got: func(s string) any { return codesInText(s) }, Want: regexparity.Groups(reErrorInText, 1)},
		{Name: "titleText", Got: func(s string) any { t, ok := titleText(s); return regexparity.Found{Text: t, OK: ok} }, Want: regexparity.GroupFound(reTitle, 1)},
		{Name: "stripMarkup", Got: func(s string) any { return stripMarkup(s) }, Want: regexparity.Replaced(reMarkup, " ")},
		{Name: "otherOrgWords", Got: func(s string) any { return otherOrgWords(s) }, Want: regexparity.Matches(reOtherOrg)},
		{Name: "federatedSSODocs", Got: func(s string) any { return federatedSSODocs(s) }, Want: regexparity.All(reFederatedSSO)},
		{Name: "hasFailureStatus", Got: func(s string) any { return hasFailureStatus(s) }, Want: regexparity.Matches(reFedStatus)},
		{Name: "federatedCode", Got: func(s string) any { return federatedCode(s) }, Want: regexparity.Group(reFedCode, 1)},
		{Name: "elementText(reason)", Got: func(s string) any { t, ok := elementText(s, "reason"); return regexparity.Found{Text: t, OK: ok} }, Want: regexparity.GroupFound(reFedReason, 1)},
		{Name: "replaceTags", Got: func(s string) any { return replaceTags(s) }, Want: regexparity.Replaced(reTag, " ")},
		{Name: "collapseSpace", Got: func(s string) any { return collapseSpace(s) }, Want: regexparity.Replaced(reSpace, " ")},
		{Name: "errorNumbers", Got: func(s string) any { return errorNumbers(s) }, Want: regexpCodes(reErrorNumber)},
	}
	for _, p := range ssoPhrases() {
		checks = append(checks, regexparity.Check{
			Name: fmt.Sprintf("phraseCodes(%q)", p),
			Got:  func(s string) any { return phraseCodes(s, p) },
			Want: regexpCodes(rePhraseWithNum(p)),
		})
	}
	return checks
}

// regexpCodes reads every match of re as a codeMatch: the words and the
// number (submatch 1), as phraseCodes and errorNumbers answer.
func regexpCodes(re *regexp.Regexp) func(string) any {
	return func(s string) any {
		var out []codeMatch
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			out = append(out, codeMatch{m[0], m[1]})
		}
		return out
	}
}

// TestMatchersAgreeWithRegexp checks every matcher against its regular
// expression on the table's texts.
func TestMatchersAgreeWithRegexp(t *testing.T) {
	regexparity.Table(t, matcherCases, matcherChecks())
}

// FuzzMatchersAgreeWithRegexp: on any text, every matcher finds what its
// regular expression finds (texts with the two runes (?i) folds beyond
// ASCII aside: regexparity.Fuzz).
func FuzzMatchersAgreeWithRegexp(f *testing.F) {
	regexparity.Fuzz(f, matcherCases, matcherChecks())
}

// TestMatchers pins what the matchers read on the shapes the rules meet.
func TestMatchers(t *testing.T) {
	for _, tc := range []struct {
		reason string
		got    any
		want   any
	}{
		{"tracking ID after '='", trackingIDInText("x TrackingId = ATLAS_1-2.3:4, y"), "ATLAS_1-2.3:4"},
		{"first tracking ID word has no value", trackingIDInText("trackingId: , trackingid=B"), "B"},
		{"error codes in a description", codesInText("[Error 10991] Url already exists [Error x] [Error 5]"), []string{"10991", "5"}},
		{"no error code", codesInText("[error 1]"), []string(nil)},
		{"title of a page", mustTitle(t, "<html><Title id=t>502</TITLE>"), "502"},
		{"markup and script removed", stripMarkup("<p>a</p><script>x<y</script>b"), " a  b"},
		{"other org words", otherOrgWords("E-mail already exists in another org."), true},
		{"other org words without the user", otherOrgWords("already in another org"), false},
		{"federatedSSO answer", federatedSSODocs("x<federatedSSO>a</federatedSSO>y"), []string{"<federatedSSO>a</federatedSSO>"}},
		{"FAILURE status", hasFailureStatus("<status>\n FAILURE\n</status>"), true},
		{"SUCCESS status", hasFailureStatus("<status>SUCCESS</status>"), false},
		{"one-digit code", federatedCode("<errorcode> 8 </errorcode>"), "8"},
		{"three-digit code", federatedCode("<errorcode>100</errorcode>"), ""},
		{"tags to spaces", replaceTags("a<b>c</b>d"), "a c d"},
		{"white space collapsed", collapseSpace("a \n\t b\u00a0c"), "a b\u00a0c"},
		{"phrase and code", phraseCodes("Reason: Untrusted Issuer (24). ", "Untrusted Issuer"), []codeMatch{{"Untrusted Issuer (24)", "24"}}},
		{"phrase and a long number", phraseCodes("Untrusted Issuer 245", "Untrusted Issuer"), []codeMatch(nil)},
		{"error number with quoted part", errorNumbers(`Error number "null" - 31.`), []codeMatch{{`Error number "null" - 31`, "31"}}},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.reason, tc.got, tc.want)
		}
	}
}

func mustTitle(t *testing.T, s string) string {
	t.Helper()
	title, ok := titleText(s)
	if !ok {
		t.Errorf("titleText(%q): no title", s)
	}
	return title
}

// TestUnescapeEntities checks unescapeEntities against html.UnescapeString
// on the references it knows and on broken ones; names it does not know
// stay as written.
func TestUnescapeEntities(t *testing.T) {
	for _, tc := range []struct{ reason, text string }{
		{"the five of markup", "&lt;b&gt; &amp; &quot;q&quot; &apos;a&apos;"},
		{"legacy names without ';'", "&amp &lt3 &ampx &nbsp;&nbspx &copy2026"},
		{"typographic names", "&hellip;&ndash;&mdash;&lsquo;&rsquo;&ldquo;&rdquo;&bull;&trade;&laquo;&raquo;&middot;&reg;"},
		{"decimal and hexadecimal", "&#39; &#x27; &#X4A; &#8217 &#65;x"},
		{"Windows-1252 range", "&#150; &#x80; &#x9F;"},
		{"invalid code points", "&#0; &#xD800; &#x110000; &#99999999999;"},
		{"numeric without digits", "&#; &#x; &#xg; &#5 &#5x"},
		{"bare ampersands", "a & b && &; &"},
		{"a name with ';' needs it", "&hellip &apos"},
	} {
		if got, want := unescapeEntities(tc.text), html.UnescapeString(tc.text); got != want {
			t.Errorf("%s: unescapeEntities(%q) = %q, html %q", tc.reason, tc.text, got, want)
		}
	}
	for _, s := range []string{"&eacute;", "&notanentity;", "&Amp;"} {
		if got := unescapeEntities(s); got != s {
			t.Errorf("unescapeEntities(%q) = %q, want it as written (a name it does not know)", s, got)
		}
	}
}

// benchPage is a sign-in result page as large as Webex's (scripts, styles
// and markup around the error), with the words every matcher looks for.
func benchPage() string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Webex</title><style>.a{color:red}</style></head><body>`)
	for i := range 400 {
		fmt.Fprintf(&b, `<script type="text/javascript">var s%d = "a < b && c > d"; if (x<y) { trackingId = "WEBEX_%d"; }</script>`, i, i)
		fmt.Fprintf(&b, `<div class="row"><span>Account %d is a member</span> <a href="/x?%d">link</a></div>`+"\n", i, i)
	}
	b.WriteString(`<p class="error-number">Error number &quot;null&quot; - 31</p><p class="error-reason">Reason: Auto Account Creation failed (31).</p>`)
	b.WriteString(`<federatedSSO><status>FAILURE</status><errorcode>31</errorcode><reason>x</reason></federatedSSO>`)
	b.WriteString(`<p>request/response TrackingId = ROUTER_5f8a-1.2:3 [Error 10991] Url already exists. User already exists in another organization</p></body></html>`)
	return b.String()
}

// BenchmarkMatchers runs every matcher of match.go over one large page, as
// the SSO and onboarding rules read it.
func BenchmarkMatchers(b *testing.B) {
	page := benchPage()
	phrases := ssoPhrases()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		trackingIDInText(page)
		codesInText(page)
		titleText(page)
		text := collapseSpace(unescapeEntities(replaceTags(stripMarkup(page))))
		otherOrgWords(text)
		for _, doc := range federatedSSODocs(page) {
			federatedCode(doc)
			hasFailureStatus(doc)
			elementText(doc, "reason")
		}
		for _, p := range phrases {
			phraseCodes(text, p)
		}
		errorNumbers(text)
	}
}
