package engine

import (
	"html"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The regular expressions the matchers of match.go stand for: the tests
// check each matcher against its expression. They live here only; the
// engine does not link package regexp.
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
var matcherCases = []struct{ reason, text string }{
	{"seed's description", "request/response TrackingId = ROUTER_5f8a-1.2:3, errorCode = '5302' [Error 10991] Url already exists"},
	{"tracking ID without a value, then one", "trackingid= , TRACKINGID : abc"},
	{"tracking ID word without separator", "TrackingIdX = 1"},
	{"two error codes and a broken one", "[Error 1] and [Error ] and [Error 22x] and [Error 333]"},
	{"HTML page with title and script", "<html><head><TITLE lang=en>502 Bad\n Gateway</title></head><script>a<b</script><h1>x &amp; y</h1></html>"},
	{"style closed by script's end tag", "<style type=x>a{}</SCRIPT>text<br/>"},
	{"script never closed", "<script>var a = 1;<p>text</p>"},
	{"tag never closed", "text < more text"},
	{"title never closed", "<title>x"},
	{"title tag without '>'", "<title"},
	{"user in another org", "User already exists in a different organization"},
	{"e-mail belongs to another org", "The e-mail a@x.com belongs to another organisation."},
	{"words glued to others", "users already in another organization; useralready another org"},
	{"org word with a plural", "User exists in other organizations"},
	{"org word on a new line", "Account is member of another\n\torg"},
	{"other org words out of order", "another organization: the user already exists"},
	{"federatedSSO answer", "<federatedSSO><status> failure </status><errorcode>\n8 </errorcode><reason>Bad &quot;cert&quot;.</reason></federatedSSO>"},
	{"two federatedSSO answers, one without a code", "<federatedSSOx/><federatedSSO a=1><errorcode>123</errorcode><errorcode>7</errorcode></federatedSSO> <federatedSSO><status>FAILURE</status><errorcode>31</errorcode></federatedSSO>"},
	{"federatedSSO never closed", "<federatedSSO><status>FAILURE</status>"},
	{"reason element never closed", "<reason>a</reasons>"},
	{"seed 003 error page", "<p>Reason: Auto Account Creation failed (31).</p><span>Error number &quot;null&quot; - 31</span>"},
	{"phrase with dot and spaces before the code", "auto account creation failed.  ( 31 ) then Untrusted Issuer3 and Untrusted Issuer 245"},
	{"phrase inside a word", "XAuto Account Creation failed (31)"},
	{"error number with a long quoted part", `Error number "123456789012345678901" - 31 error number "12345678901234567890" -7`},
	{"error number with multi-byte quoted part", `error number "ééééééééééééééééééé€" - 2x error number - 12`},
	{"error number never finished", `error number "null`},
	{"white space of every kind", "a \t\n\f\r\v b"},
	{"invalid UTF-8", "\xff<title>\xfe</title>\xc3 trackingid=\xff [Error 9]"},
	{"empty", ""},
}

// ssoPhrases are the phrases of the SSO table.
func ssoPhrases() []string {
	var out []string
	for _, c := range ssoCodes {
		out = append(out, c.phrases...)
	}
	return out
}

// checkMatchers compares every matcher with its regular expression on s.
func checkMatchers(t *testing.T, reason, s string) {
	t.Helper()
	want := ""
	if m := reTrackingID.FindStringSubmatch(s); m != nil {
		want = m[1]
	}
	if got := trackingIDInText(s); got != want {
		t.Errorf("%s: trackingIDInText(%q) = %q, regexp %q", reason, s, got, want)
	}
	var codes []string
	for _, m := range reErrorInText.FindAllStringSubmatch(s, -1) {
		codes = append(codes, m[1])
	}
	if got := codesInText(s); !reflect.DeepEqual(got, codes) {
		t.Errorf("%s: codesInText(%q) = %q, regexp %q", reason, s, got, codes)
	}
	title, titled := "", false
	if m := reTitle.FindStringSubmatch(s); m != nil {
		title, titled = m[1], true
	}
	if got, ok := titleText(s); got != title || ok != titled {
		t.Errorf("%s: titleText(%q) = %q, %v; regexp %q, %v", reason, s, got, ok, title, titled)
	}
	if got, want := stripMarkup(s), reMarkup.ReplaceAllString(s, " "); got != want {
		t.Errorf("%s: stripMarkup(%q) = %q, regexp %q", reason, s, got, want)
	}
	if got, want := otherOrgWords(s), reOtherOrg.MatchString(s); got != want {
		t.Errorf("%s: otherOrgWords(%q) = %v, regexp %v", reason, s, got, want)
	}
	if got, want := federatedSSODocs(s), reFederatedSSO.FindAllString(s, -1); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: federatedSSODocs(%q) = %q, regexp %q", reason, s, got, want)
	}
	if got, want := hasFailureStatus(s), reFedStatus.MatchString(s); got != want {
		t.Errorf("%s: hasFailureStatus(%q) = %v, regexp %v", reason, s, got, want)
	}
	code := ""
	if m := reFedCode.FindStringSubmatch(s); m != nil {
		code = m[1]
	}
	if got := federatedCode(s); got != code {
		t.Errorf("%s: federatedCode(%q) = %q, regexp %q", reason, s, got, code)
	}
	elem, found := "", false
	if m := reFedReason.FindStringSubmatch(s); m != nil {
		elem, found = m[1], true
	}
	if got, ok := elementText(s, "reason"); got != elem || ok != found {
		t.Errorf("%s: elementText(%q, reason) = %q, %v; regexp %q, %v", reason, s, got, ok, elem, found)
	}
	if got, want := replaceTags(s), reTag.ReplaceAllString(s, " "); got != want {
		t.Errorf("%s: replaceTags(%q) = %q, regexp %q", reason, s, got, want)
	}
	if got, want := collapseSpace(s), reSpace.ReplaceAllString(s, " "); got != want {
		t.Errorf("%s: collapseSpace(%q) = %q, regexp %q", reason, s, got, want)
	}
	if got, want := errorNumbers(s), regexpCodes(reErrorNumber, s); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: errorNumbers(%q) = %q, regexp %q", reason, s, got, want)
	}
	for _, p := range ssoPhrases() {
		if got, want := phraseCodes(s, p), regexpCodes(rePhraseWithNum(p), s); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: phraseCodes(%q, %q) = %q, regexp %q", reason, s, p, got, want)
		}
	}
}

func regexpCodes(re *regexp.Regexp, s string) []codeMatch {
	var out []codeMatch
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		out = append(out, codeMatch{m[0], m[1]})
	}
	return out
}

// TestMatchersAgreeWithRegexp checks every matcher against its regular
// expression on the table's texts.
func TestMatchersAgreeWithRegexp(t *testing.T) {
	for _, tc := range matcherCases {
		checkMatchers(t, tc.reason, tc.text)
	}
}

// FuzzMatchersAgreeWithRegexp: on any text, every matcher finds what its
// regular expression finds. Texts with the two runes (?i) folds beyond
// ASCII are skipped (the difference match.go states).
func FuzzMatchersAgreeWithRegexp(f *testing.F) {
	for _, tc := range matcherCases {
		f.Add(tc.text)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "\u212a\u017f") {
			t.Skip()
		}
		checkMatchers(t, "fuzz", s)
	})
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
