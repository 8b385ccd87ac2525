package sanitize

import (
	"reflect"
	"regexp"
	"testing"

	"hubdoctor/internal/regexparity"
)

// The regular expressions the finders of match.go stand for: the tests
// check each finder against its expression (internal/regexparity). They
// live here only; the engine does not link package regexp.
var (
	reJWT   = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}`)
	reURL   = regexp.MustCompile(`(?i)\b(?:https?|wss?)://[^\s"'<>\\]+`)
	reEmail = regexp.MustCompile(`(?i)[a-z0-9._+-]+(?:@|%40)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}`)
)

// finderCases are inputs for every finder: each row says what it tries.
var finderCases = []regexparity.Case{
	{Reason: "JWS", Text: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x rest"},
	{Reason: "JWE, five parts, and a sixth", Text: "eyJhbGci.a.b.c.d.e.f"},
	{Reason: "JWT with empty parts", Text: "eyJab..;eyJab.."},
	{Reason: "too short a header, then a JWT inside", Text: "eyJa.eyJbb.c.d"},
	{Reason: "one part only", Text: "eyJabc.def"},
	{Reason: "URLs of every scheme and case", Text: "see HTTPS://a.example/x?code=1, http://b 'ws://c' <wss://d> https:// \\http://e"},
	{Reason: "URL glued to a word", Text: "xhttps://a.example/ and _http://b and 1ws://c"},
	{Reason: "URL inside a URL", Text: "https://a.example/?goto=https://b.example/?code=2"},
	{Reason: "scheme without slashes", Text: "https:/a mailto:a@b.co"},
	{Reason: "e-mails", Text: "alex@example.com, A.B+c@Sub.Example.ORG; x%40example.co.uk"},
	{Reason: "e-mail top-level domain with a digit", Text: "a@b.com2 a@b.c.x a@b.com.x"},
	{Reason: "e-mail right after another", Text: "a@b.com2x@c.com"},
	{Reason: "second @ inside the domain", Text: "x@y@b.com"},
	{Reason: "dots in a row", Text: "a@b..com a@.com @b.com a@b.c"},
	{Reason: "percent-encoded @ with lower and upper hex", Text: "alex%40example.com x%4Oy.com %40b.com"},
	{Reason: "invalid UTF-8 around matches", Text: "\xffa@b.com\xfe https://x\xff\xfe eyJab.c.d\xc3"},
	{Reason: "empty", Text: ""},
}

// finderChecks pairs every finder with its regular expression, both read
// through replaceEach as values.go uses them.
func finderChecks() []regexparity.Check {
	mark := func(m string) string { return "[" + m + "]" }
	var checks []regexparity.Check
	for _, f := range []struct {
		name string
		find finder
		re   *regexp.Regexp
	}{{"nextJWT", nextJWT, reJWT}, {"nextURL", nextURL, reURL}, {"nextEmail", nextEmail, reEmail}} {
		checks = append(checks, regexparity.Check{
			Name: f.name,
			Got:  func(s string) any { return replaceEach(s, f.find, mark) },
			Want: regexparity.ReplacedFunc(f.re, mark),
		})
	}
	return checks
}

// TestFindersAgreeWithRegexp checks every finder against its regular
// expression on the table's texts.
func TestFindersAgreeWithRegexp(t *testing.T) {
	regexparity.Table(t, finderCases, finderChecks())
}

// FuzzFindersAgreeWithRegexp: on any text, every finder finds what its
// regular expression finds (texts with the two runes (?i) folds beyond
// ASCII aside: regexparity.Fuzz).
func FuzzFindersAgreeWithRegexp(f *testing.F) {
	regexparity.Fuzz(f, finderCases, finderChecks())
}

// TestFinders pins the matches on the shapes sanitizing meets.
func TestFinders(t *testing.T) {
	all := func(s string, find finder) []string {
		var out []string
		replaceEach(s, find, func(m string) string { out = append(out, m); return m })
		return out
	}
	for _, tc := range []struct {
		reason string
		got    []string
		want   []string
	}{
		{"JWS in an Authorization value", all("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", nextJWT), []string{"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"}},
		{"two parts are no JWT", all("eyJhbGci.payload", nextJWT), nil},
		{"URL ends at a quote", all(`href="https://a.example/x?y=1" `, nextURL), []string{"https://a.example/x?y=1"}},
		{"scheme glued to a word is no URL", all("xhttps://a.example", nextURL), nil},
		{"percent-encoded address", all("users/alex%40Example.com/x", nextEmail), []string{"alex%40Example.com"}},
		{"top-level domain stops at a digit", all("a@b.com2", nextEmail), []string{"a@b.com"}},
		{"no dot in the domain", all("root@localhost", nextEmail), nil},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.reason, tc.got, tc.want)
		}
	}
}

// TestSipHash24 checks the reference vectors of the SipHash paper (key
// 00 01 … 0f, message 00 01 … n-1).
func TestSipHash24(t *testing.T) {
	const k0, k1 = 0x0706050403020100, 0x0f0e0d0c0b0a0908
	msg := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}
	for _, tc := range []struct {
		reason string
		n      int
		want   uint64
	}{
		{"empty message: only the length block", 0, 0x726fdb47dd0e0e31},
		{"one byte", 1, 0x74f839c593dc67fd},
		{"one whole block", 8, 0x93f5f5799a932462},
		{"a block and seven bytes (the paper's worked example)", 15, 0xa129ca6149be45e5},
	} {
		if got := sipHash24(k0, k1, msg[:tc.n]); got != tc.want {
			t.Errorf("%s: sipHash24(%d bytes) = %#x, want %#x", tc.reason, tc.n, got, tc.want)
		}
	}
}

// TestMayNeedWork: the one-pass checks that let most strings through
// undecoded say yes to every pattern scrubbing or the URL rules act on,
// wherever it lies in the string, and no to a plain name or value.
func TestMayNeedWork(t *testing.T) {
	plain, emails := New(Options{}), New(Options{PseudonymizeEmails: true})
	cases := []struct {
		in             string
		str, strEmails bool // mayNeedWork without and with pseudonyms
		url, urlEmails bool // urlMayNeedWork
	}{
		{"", false, false, false, false},
		{"application/json", false, false, false, false},
		{"https://a.example/p", true, true, false, false},
		{`https:\/\/a.example\/p`, true, true, true, true},
		{"a=b", true, true, false, false},
		{"x eyJ", true, true, true, true},
		{"ey", false, false, false, false},
		{"Bearer eyJhbGciOiJSUzI1NiJ9", true, true, true, true},
		{`{"a":1}`, true, true, false, false},
		{"[1]", true, true, false, false},
		{"user@example.com", false, true, false, true},
		{"user%40example.com", false, true, false, true},
		{"100%", false, true, false, false},
		{"%4", false, true, false, false},
		{`caf\u00e9`, false, true, true, true},
		{`a\`, false, false, true, true},
		{"/p?q=1", true, true, true, true},
		{"/p#f", false, false, true, true},
		{"a:/", false, false, false, false},
	}
	for _, c := range cases {
		b := []byte(c.in)
		got := [4]bool{plain.mayNeedWork(b), emails.mayNeedWork(b), plain.urlMayNeedWork(b), emails.urlMayNeedWork(b)}
		if want := [4]bool{c.str, c.strEmails, c.url, c.urlEmails}; got != want {
			t.Errorf("%q: mayNeedWork %v/%v, urlMayNeedWork %v/%v; want %v", c.in, got[0], got[1], got[2], got[3], want)
		}
	}
}
