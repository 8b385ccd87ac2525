package engine

import (
	"strings"
	"unicode/utf8"

	"hubdoctor/internal/ascii"
)

// The matchers in this file find the few fixed shapes the rules read in
// service answers. They stand in for regular expressions: package regexp
// added 132 KB (gzip) to the WebAssembly engine for a dozen simple
// patterns. Each matcher names the expression it replaces, and
// match_test.go checks it against that expression on table cases and by
// fuzzing (internal/regexparity). Bytes are classed (\s, \d, \w, \b) and
// compared by package ascii, whose contract states the one deliberate
// difference: letters compare in ASCII case only, where (?i) also lets 'k'
// match the Kelvin sign (U+212A) and 's' the long s (U+017F).

// smallNumber reads \d{1,2}\b at s[i]: it returns the end of the number, or
// -1 when s[i] starts no number of one or two digits ending a word.
func smallNumber(s string, i int) int {
	e := ascii.SkipDigits(s, i)
	if e == i || e-i > 2 || !ascii.Boundary(s, e) {
		return -1
	}
	return e
}

// wordAt returns the end of the first of words that s has at i as a whole
// word (\b on both sides, ASCII case ignored), or -1.
func wordAt(s string, i int, words ...string) int {
	if !ascii.Boundary(s, i) {
		return -1
	}
	for _, w := range words {
		if ascii.HasPrefixFold(s[i:], w) && ascii.Boundary(s, i+len(w)) {
			return i + len(w)
		}
	}
	return -1
}

// nextWord returns the end of the first of words that s has as a whole word
// at or after from, or -1.
func nextWord(s string, from int, words ...string) int {
	for i := from; i < len(s); i++ {
		if ascii.IsWord(s[i]) {
			if e := wordAt(s, i, words...); e >= 0 {
				return e
			}
		}
	}
	return -1
}

// trackingIDInText stands for (?i)trackingid\s*[=:]\s*([A-Za-z0-9_\-.:]+).
func trackingIDInText(s string) string {
	const word = "trackingid"
	for i := ascii.IndexFold(s, word, 0); i >= 0; i = ascii.IndexFold(s, word, i+1) {
		j := ascii.SkipSpace(s, i+len(word))
		if j == len(s) || s[j] != '=' && s[j] != ':' {
			continue
		}
		j = ascii.SkipSpace(s, j+1)
		e := j
		for e < len(s) && (ascii.IsWord(s[e]) || s[e] == '-' || s[e] == '.' || s[e] == ':') {
			e++
		}
		if e > j {
			return s[j:e]
		}
	}
	return ""
}

// codesInText stands for every match of \[Error (\d+)\]: it returns the
// numbers of "[Error 10991]" as embedded in descriptions.
func codesInText(s string) []string {
	const open = "[Error "
	var out []string
	for i := strings.Index(s, open); i >= 0; {
		j := i + len(open)
		e := ascii.SkipDigits(s, j)
		if e > j && e < len(s) && s[e] == ']' {
			out = append(out, s[j:e])
			j = e + 1
		}
		k := strings.Index(s[j:], open)
		if k < 0 {
			break
		}
		i = j + k
	}
	return out
}

// titleText stands for (?is)<title[^>]*>(.*?)</title>: the content of the
// first title element, and whether there is one.
func titleText(s string) (string, bool) {
	i := ascii.IndexFold(s, "<title", 0)
	if i < 0 {
		return "", false
	}
	gt := strings.IndexByte(s[i:], '>')
	if gt < 0 {
		return "", false
	}
	start := i + gt + 1
	end := ascii.IndexFold(s, "</title>", start)
	if end < 0 {
		return "", false
	}
	return s[start:end], true
}

// stripMarkup stands for replacing every match of
// (?is)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*> with a space: tags
// go, and so do scripts and styles with their content.
func stripMarkup(s string) string { return replaceMarkup(s, true) }

// replaceTags stands for replacing every match of <[^>]*> with a space.
func replaceTags(s string) string { return replaceMarkup(s, false) }

// replaceMarkup replaces every tag with a space and, with scripts set, a
// script or style element whole.
func replaceMarkup(s string, scripts bool) string {
	var b strings.Builder
	copied := 0
	closing := closers{s: s, script: -2, style: -2}
	for i := strings.IndexByte(s, '<'); i >= 0; {
		gt := strings.IndexByte(s[i:], '>')
		if gt < 0 {
			break // no later '<' has a '>' either
		}
		end := i + gt + 1
		if scripts && (ascii.HasPrefixFold(s[i+1:], "script") || ascii.HasPrefixFold(s[i+1:], "style")) {
			if e := closing.after(end); e >= 0 {
				end = e
			}
		}
		b.WriteString(s[copied:i])
		b.WriteByte(' ')
		copied = end
		k := strings.IndexByte(s[end:], '<')
		if k < 0 {
			break
		}
		i = end + k
	}
	if copied == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

// closers finds the end of the first "</script>" or "</style>" after
// positions that only grow, as replaceMarkup moves on through s. Each is
// searched for again only once passed: a page of many scripts and no style
// is not searched to its end for "</style>" at every script.
type closers struct {
	s string
	// script and style are the indexes last found, -1 when there is none
	// further, -2 before the first search.
	script, style int
}

// after returns the end of the first "</script>" or "</style>" at or after
// from, or -1; from is never less than at the previous call.
func (c *closers) after(from int) int {
	c.script = c.next("</script>", from, c.script)
	c.style = c.next("</style>", from, c.style)
	switch {
	case c.script >= 0 && (c.style < 0 || c.script < c.style):
		return c.script + len("</script>")
	case c.style >= 0:
		return c.style + len("</style>")
	}
	return -1
}

// next is ascii.IndexFold(c.s, sub, from), knowing that it was at for an
// earlier from.
func (c *closers) next(sub string, from, at int) int {
	if at == -1 || at >= from {
		return at
	}
	return ascii.IndexFold(c.s, sub, from)
}

// otherOrgWords stands for
// (?is)\b(user|account|e-?mail)\b.*\b(exists?|belongs?|already|member)\b.*\b(another|a different|other)\s+(organi[sz]ation|org)\b:
// a word of each group in this order, the last followed by an org word.
// Taking the earliest word of each group leaves the most room for the next.
func otherOrgWords(s string) bool {
	i := nextWord(s, 0, "user", "account", "email", "e-mail")
	if i < 0 {
		return false
	}
	i = nextWord(s, i, "exists", "exist", "belongs", "belong", "already", "member")
	for i >= 0 {
		i = nextWord(s, i, "another", "a different", "other")
		if i < 0 {
			return false
		}
		if j := ascii.SkipSpace(s, i); j > i && wordAt(s, j, "organization", "organisation", "org") >= 0 {
			return true
		}
	}
	return false
}

// federatedSSODocs stands for every match of (?is)<federatedSSO\b.*?</federatedSSO>.
func federatedSSODocs(s string) []string {
	const open, end = "<federatedSSO", "</federatedSSO>"
	var out []string
	for i := ascii.IndexFold(s, open, 0); i >= 0; i = ascii.IndexFold(s, open, i+1) {
		if !ascii.Boundary(s, i+len(open)) {
			continue
		}
		c := ascii.IndexFold(s, end, i+len(open))
		if c < 0 {
			break // no later one is closed either
		}
		out = append(out, s[i:c+len(end)])
		i = c + len(end) - 1
	}
	return out
}

// hasFailureStatus stands for (?is)<status>\s*FAILURE\s*</status>.
func hasFailureStatus(doc string) bool {
	const open = "<status>"
	for i := ascii.IndexFold(doc, open, 0); i >= 0; i = ascii.IndexFold(doc, open, i+1) {
		j := ascii.SkipSpace(doc, i+len(open))
		if ascii.HasPrefixFold(doc[j:], "FAILURE") && ascii.HasPrefixFold(doc[ascii.SkipSpace(doc, j+len("FAILURE")):], "</status>") {
			return true
		}
	}
	return false
}

// federatedCode stands for (?is)<errorcode>\s*(\d{1,2})\s*</errorcode>: the
// first such code, or "".
func federatedCode(doc string) string {
	const open = "<errorcode>"
	for i := ascii.IndexFold(doc, open, 0); i >= 0; i = ascii.IndexFold(doc, open, i+1) {
		j := ascii.SkipSpace(doc, i+len(open))
		e := ascii.SkipDigits(doc, j)
		if e > j && e-j <= 2 && ascii.HasPrefixFold(doc[ascii.SkipSpace(doc, e):], "</errorcode>") {
			return doc[j:e]
		}
	}
	return ""
}

// elementText stands for (?is)<NAME>(.*?)</NAME>: the content of the first
// element without attributes, and whether there is one.
func elementText(s, name string) (string, bool) {
	open, end := "<"+name+">", "</"+name+">"
	i := ascii.IndexFold(s, open, 0)
	if i < 0 {
		return "", false
	}
	c := ascii.IndexFold(s, end, i+len(open))
	if c < 0 {
		return "", false
	}
	return s[i+len(open) : c], true
}

// collapseSpace stands for replacing every match of \s+ with one space.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if !ascii.IsSpace(s[i]) {
			b.WriteByte(s[i])
			continue
		}
		b.WriteByte(' ')
		i = ascii.SkipSpace(s, i) - 1
	}
	return b.String()
}

// codeMatch is one numbered error found in a text: the words as matched
// and the number.
type codeMatch struct {
	text, code string
}

// phraseCodes stands for every match of
// (?i)\bPHRASE\.?\s*\(?\s*(\d{1,2})\b\s*\)?, the phrase taken literally.
func phraseCodes(text, phrase string) []codeMatch {
	var out []codeMatch
	for i := ascii.IndexFold(text, phrase, 0); i >= 0; i = ascii.IndexFold(text, phrase, i+1) {
		if !ascii.Boundary(text, i) {
			continue
		}
		j := i + len(phrase)
		if j < len(text) && text[j] == '.' {
			j++
		}
		if j = ascii.SkipSpace(text, j); j < len(text) && text[j] == '(' {
			j++
		}
		j = ascii.SkipSpace(text, j)
		e := smallNumber(text, j)
		if e < 0 {
			continue
		}
		end := ascii.SkipSpace(text, e)
		if end < len(text) && text[end] == ')' {
			end++
		}
		out = append(out, codeMatch{text[i:end], text[j:e]})
		i = end - 1
	}
	return out
}

// errorNumbers stands for every match of
// (?i)error number\s*(?:"[^"]{0,20}"\s*)?-\s*(\d{1,2})\b, as in
// 'Error number "null" - 31'.
func errorNumbers(text string) []codeMatch {
	const words = "error number"
	var out []codeMatch
	for i := ascii.IndexFold(text, words, 0); i >= 0; i = ascii.IndexFold(text, words, i+1) {
		j := ascii.SkipSpace(text, i+len(words))
		if j < len(text) && text[j] == '"' {
			k, runes := j+1, 0
			for k < len(text) && text[k] != '"' && runes <= 20 {
				_, w := utf8.DecodeRuneInString(text[k:])
				k += w
				runes++
			}
			if k == len(text) || text[k] != '"' || runes > 20 {
				continue
			}
			j = ascii.SkipSpace(text, k+1)
		}
		if j == len(text) || text[j] != '-' {
			continue
		}
		j = ascii.SkipSpace(text, j+1)
		e := smallNumber(text, j)
		if e < 0 {
			continue
		}
		out = append(out, codeMatch{text[i:e], text[j:e]})
		i = e - 1
	}
	return out
}

// entities are the named character references unescapeEntities knows: the
// ones error pages use. Package html knows all 2,231, and its table added
// 26 KB (gzip) to the engine. A name with ';' needs it; one without is
// also a legacy name that HTML reads without the ';' (as package html does).
var entities = map[string]rune{
	"amp;": '&', "amp": '&', "lt;": '<', "lt": '<', "gt;": '>', "gt": '>',
	"quot;": '"', "quot": '"', "apos;": '\'', "nbsp;": '\u00a0', "nbsp": '\u00a0',
	"copy;": '©', "copy": '©', "reg;": '®', "reg": '®', "laquo;": '«', "laquo": '«',
	"raquo;": '»', "raquo": '»', "middot;": '·', "middot": '·',
	"hellip;": '…', "ndash;": '–', "mdash;": '—', "lsquo;": '‘', "rsquo;": '’',
	"ldquo;": '“', "rdquo;": '”', "bull;": '•', "trade;": '™',
}

// windows1252 is what numeric references to 0x80–0x9F stand for, as HTML
// reads them (&#150; is '–').
var windows1252 = []rune("€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ")

// unescapeEntities does what html.UnescapeString does for numeric
// references and the names in entities; other names stay as written.
func unescapeEntities(s string) string {
	i := strings.IndexByte(s, '&')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i:]
		r, n := entityAt(s)
		if n == 0 {
			b.WriteByte('&')
			n = 1
		} else {
			b.WriteRune(r)
		}
		s = s[n:]
		i = strings.IndexByte(s, '&')
	}
	b.WriteString(s)
	return b.String()
}

// entityAt reads the character reference at s[0] == '&' as html reads it:
// the character and the bytes it takes, or 0 bytes when there is none.
func entityAt(s string) (rune, int) {
	if len(s) > 1 && s[1] == '#' {
		return numericEntityAt(s)
	}
	i := 1
	for i < len(s) && ascii.IsWord(s[i]) && s[i] != '_' {
		i++
	}
	if i < len(s) && s[i] == ';' {
		i++
	}
	name := s[1:i]
	if r, ok := entities[name]; ok {
		return r, i
	}
	// A legacy name may end without ';' inside a longer word: "&ltx" is "<x".
	for j := min(len(name)-1, 6); j > 1; j-- {
		if r, ok := entities[name[:j]]; ok {
			return r, j + 1
		}
	}
	return 0, 0
}

// numericEntityAt reads "&#NNN;" or "&#xHHH;" (';' optional) at s[0], with
// html's replacements for 0, surrogates, values past Unicode and 0x80–0x9F.
func numericEntityAt(s string) (rune, int) {
	if len(s) <= 3 {
		return 0, 0
	}
	i, base := 2, rune(10)
	if s[i] == 'x' || s[i] == 'X' {
		i, base = 3, 16
	}
	var x rune
	for ; i < len(s); i++ {
		d := rune(ascii.HexDigit(s[i]))
		if d >= base {
			if s[i] == ';' {
				i++
			}
			break
		}
		x = base*x + d
	}
	if i <= 3 {
		return 0, 0 // no digit
	}
	switch {
	case 0x80 <= x && x <= 0x9f:
		x = windows1252[x-0x80]
	case x == 0 || 0xd800 <= x && x <= 0xdfff || x > 0x10ffff:
		x = utf8.RuneError
	}
	return x, i
}
