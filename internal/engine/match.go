package engine

import (
	"strings"
	"unicode/utf8"
)

// The matchers in this file find the few fixed shapes the rules read in
// service answers. They stand in for regular expressions: package regexp
// added 132 KB (gzip) to the WebAssembly engine for a dozen simple
// patterns. Each matcher names the expression it replaces, and
// match_test.go checks it against that expression on table cases and by
// fuzzing. One deliberate difference: letters compare in ASCII case only,
// where (?i) also lets 'k' match the Kelvin sign (U+212A) and 's' the long
// s (U+017F).

// isSpace is \s of Go's regular expressions: ASCII white space, without \v.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// isWord is \w: the bytes on one side of a \b word boundary.
func isWord(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z'
}

// boundary is \b at s[i]: a word byte on exactly one side.
func boundary(s string, i int) bool {
	return (i > 0 && isWord(s[i-1])) != (i < len(s) && isWord(s[i]))
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerByte(s[i]) != lowerByte(prefix[i]) {
			return false
		}
	}
	return true
}

// indexFold returns the first index at or after from where s has sub,
// ignoring ASCII case, or -1.
func indexFold(s, sub string, from int) int {
	if sub == "" {
		return min(from, len(s))
	}
	first := lowerByte(sub[0])
	for i := from; i+len(sub) <= len(s); i++ {
		if lowerByte(s[i]) == first && hasPrefixFold(s[i:], sub) {
			return i
		}
	}
	return -1
}

// skipSpace returns the index of the first byte at or after i that is not \s.
func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// skipDigits returns the index of the first byte at or after i that is not \d.
func skipDigits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// smallNumber reads \d{1,2}\b at s[i]: it returns the end of the number, or
// -1 when s[i] starts no number of one or two digits ending a word.
func smallNumber(s string, i int) int {
	e := skipDigits(s, i)
	if e == i || e-i > 2 || !boundary(s, e) {
		return -1
	}
	return e
}

// wordAt returns the end of the first of words that s has at i as a whole
// word (\b on both sides, ASCII case ignored), or -1.
func wordAt(s string, i int, words ...string) int {
	if !boundary(s, i) {
		return -1
	}
	for _, w := range words {
		if hasPrefixFold(s[i:], w) && boundary(s, i+len(w)) {
			return i + len(w)
		}
	}
	return -1
}

// nextWord returns the end of the first of words that s has as a whole word
// at or after from, or -1.
func nextWord(s string, from int, words ...string) int {
	for i := from; i < len(s); i++ {
		if isWord(s[i]) {
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
	for i := indexFold(s, word, 0); i >= 0; i = indexFold(s, word, i+1) {
		j := skipSpace(s, i+len(word))
		if j == len(s) || s[j] != '=' && s[j] != ':' {
			continue
		}
		j = skipSpace(s, j+1)
		e := j
		for e < len(s) && (isWord(s[e]) || s[e] == '-' || s[e] == '.' || s[e] == ':') {
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
		e := skipDigits(s, j)
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
	i := indexFold(s, "<title", 0)
	if i < 0 {
		return "", false
	}
	gt := strings.IndexByte(s[i:], '>')
	if gt < 0 {
		return "", false
	}
	start := i + gt + 1
	end := indexFold(s, "</title>", start)
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
	for i := strings.IndexByte(s, '<'); i >= 0; {
		gt := strings.IndexByte(s[i:], '>')
		if gt < 0 {
			break // no later '<' has a '>' either
		}
		end := i + gt + 1
		if scripts && (hasPrefixFold(s[i+1:], "script") || hasPrefixFold(s[i+1:], "style")) {
			if e := closingScriptOrStyle(s, end); e >= 0 {
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

// closingScriptOrStyle returns the end of the first "</script>" or
// "</style>" at or after from, or -1.
func closingScriptOrStyle(s string, from int) int {
	script, style := indexFold(s, "</script>", from), indexFold(s, "</style>", from)
	switch {
	case script >= 0 && (style < 0 || script < style):
		return script + len("</script>")
	case style >= 0:
		return style + len("</style>")
	}
	return -1
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
		if j := skipSpace(s, i); j > i && wordAt(s, j, "organization", "organisation", "org") >= 0 {
			return true
		}
	}
	return false
}

// federatedSSODocs stands for every match of (?is)<federatedSSO\b.*?</federatedSSO>.
func federatedSSODocs(s string) []string {
	const open, end = "<federatedSSO", "</federatedSSO>"
	var out []string
	for i := indexFold(s, open, 0); i >= 0; i = indexFold(s, open, i+1) {
		if !boundary(s, i+len(open)) {
			continue
		}
		c := indexFold(s, end, i+len(open))
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
	for i := indexFold(doc, open, 0); i >= 0; i = indexFold(doc, open, i+1) {
		j := skipSpace(doc, i+len(open))
		if hasPrefixFold(doc[j:], "FAILURE") && hasPrefixFold(doc[skipSpace(doc, j+len("FAILURE")):], "</status>") {
			return true
		}
	}
	return false
}

// federatedCode stands for (?is)<errorcode>\s*(\d{1,2})\s*</errorcode>: the
// first such code, or "".
func federatedCode(doc string) string {
	const open = "<errorcode>"
	for i := indexFold(doc, open, 0); i >= 0; i = indexFold(doc, open, i+1) {
		j := skipSpace(doc, i+len(open))
		e := skipDigits(doc, j)
		if e > j && e-j <= 2 && hasPrefixFold(doc[skipSpace(doc, e):], "</errorcode>") {
			return doc[j:e]
		}
	}
	return ""
}

// elementText stands for (?is)<NAME>(.*?)</NAME>: the content of the first
// element without attributes, and whether there is one.
func elementText(s, name string) (string, bool) {
	open, end := "<"+name+">", "</"+name+">"
	i := indexFold(s, open, 0)
	if i < 0 {
		return "", false
	}
	c := indexFold(s, end, i+len(open))
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
		if !isSpace(s[i]) {
			b.WriteByte(s[i])
			continue
		}
		b.WriteByte(' ')
		i = skipSpace(s, i) - 1
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
	for i := indexFold(text, phrase, 0); i >= 0; i = indexFold(text, phrase, i+1) {
		if !boundary(text, i) {
			continue
		}
		j := i + len(phrase)
		if j < len(text) && text[j] == '.' {
			j++
		}
		if j = skipSpace(text, j); j < len(text) && text[j] == '(' {
			j++
		}
		j = skipSpace(text, j)
		e := smallNumber(text, j)
		if e < 0 {
			continue
		}
		end := skipSpace(text, e)
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
	for i := indexFold(text, words, 0); i >= 0; i = indexFold(text, words, i+1) {
		j := skipSpace(text, i+len(words))
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
			j = skipSpace(text, k+1)
		}
		if j == len(text) || text[j] != '-' {
			continue
		}
		j = skipSpace(text, j+1)
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
	for i < len(s) && isWord(s[i]) && s[i] != '_' {
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
		d := rune(digitValue(s[i]))
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

// digitValue is c's value as a hexadecimal digit, or 16 when it is none.
func digitValue(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c|0x20 && c|0x20 <= 'f':
		return c | 0x20 - 'a' + 10
	}
	return 16
}
