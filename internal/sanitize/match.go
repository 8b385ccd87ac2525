package sanitize

import (
	"strings"

	"hubdoctor/internal/ascii"
)

// The finders in this file find JWTs, URLs and e-mail addresses in free
// text. They stand in for regular expressions: package regexp added 132 KB
// (gzip) to the WebAssembly engine. Each names the expression it replaces,
// and match_test.go checks it against that expression on table cases and by
// fuzzing (internal/regexparity). Bytes are classed and compared by package
// ascii, whose contract states the one deliberate difference: letters
// compare in ASCII case only, where (?i) also lets 'k' match the Kelvin
// sign (U+212A) and 's' the long s (U+017F).

// A finder returns the first match in s that starts at or after from, as
// [start, end), or -1, -1. Like a regular expression it may look at the
// bytes before from (for \b).
type finder func(s string, from int) (int, int)

// replaceEach replaces each match of find, left to right and without
// overlap, with what repl returns for it (Regexp.ReplaceAllStringFunc).
func replaceEach(s string, find finder, repl func(string) string) string {
	var b strings.Builder
	copied := 0
	for from := 0; from < len(s); {
		i, j := find(s, from)
		if i < 0 {
			break
		}
		b.WriteString(s[copied:i])
		b.WriteString(repl(s[i:j]))
		copied, from = j, j
	}
	if copied == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

// isBase64URL is [A-Za-z0-9_-].
func isBase64URL(c byte) bool { return ascii.IsWord(c) || c == '-' }

func skipBase64URL(s string, i int) int {
	for i < len(s) && isBase64URL(s[i]) {
		i++
	}
	return i
}

// nextJWT stands for eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}: a JSON
// Web Token (JWS: three dot-separated base64url parts; JWE: five). Every
// JWT header starts with `{"`, base64 "eyJ".
func nextJWT(s string, from int) (int, int) {
	for {
		k := strings.Index(s[from:], "eyJ")
		if k < 0 {
			return -1, -1
		}
		i := from + k
		end := skipBase64URL(s, i+3)
		if end-(i+3) >= 2 {
			parts := 0
			for parts < 4 && end < len(s) && s[end] == '.' {
				end = skipBase64URL(s, end+1)
				parts++
			}
			if parts >= 2 {
				return i, end
			}
		}
		from = i + 1
	}
}

// inURL is [^\s"'<>\\]: what a URL in free text runs over.
func inURL(c byte) bool {
	switch c {
	case '"', '\'', '<', '>', '\\':
		return false
	}
	return !ascii.IsSpace(c)
}

// nextURL stands for (?i)\b(?:https?|wss?)://[^\s"'<>\\]+: a URL in free text.
func nextURL(s string, from int) (int, int) {
	for {
		k := strings.Index(s[from:], "://")
		if k < 0 {
			return -1, -1
		}
		colon := from + k
		end := colon + 3
		for end < len(s) && inURL(s[end]) {
			end++
		}
		if end > colon+3 {
			for _, scheme := range []string{"https", "http", "wss", "ws"} {
				i := colon - len(scheme)
				if i >= from && ascii.HasPrefixFold(s[i:], scheme) && (i == 0 || !ascii.IsWord(s[i-1])) {
					return i, end
				}
			}
		}
		from = colon + 1
	}
}

// isLocal is [a-z0-9._+-] under (?i): what the local part of an address runs over.
func isLocal(c byte) bool {
	return isBase64URL(c) || c == '.' || c == '+'
}

// isLabel is [a-z0-9-] under (?i): what a domain label runs over.
func isLabel(c byte) bool { return ascii.IsAlnum(c) || c == '-' }

// nextEmail stands for
// (?i)[a-z0-9._+-]+(?:@|%40)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}: an
// e-mail address, also with a percent-encoded '@'. The local part runs to
// the separator, so a match starts where a run of local bytes starts.
func nextEmail(s string, from int) (int, int) {
	for i := from; i < len(s); {
		if !isLocal(s[i]) {
			i++
			continue
		}
		sep := i
		for sep < len(s) && isLocal(s[sep]) {
			sep++
		}
		if end := domainEnd(s, sep); end >= 0 {
			return i, end
		}
		i = sep
	}
	return -1, -1
}

// domainEnd reads (?:@|%40)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,} at s[i]
// as the expression does: as many labels as leave a last one that starts
// with two letters, the top-level domain being those letters. It returns
// the end, or -1.
func domainEnd(s string, i int) int {
	switch {
	case i < len(s) && s[i] == '@':
		i++
	case strings.HasPrefix(s[i:], "%40"):
		i += 3
	default:
		return -1
	}
	end := -1
	for {
		label := i
		for i < len(s) && isLabel(s[i]) {
			i++
		}
		if i == label {
			return end
		}
		// s[label:i] is a label; as the last one it ends the match when it
		// starts with two letters and is not the first.
		if label > 0 && s[label-1] == '.' {
			tld := label
			for tld < i && ascii.IsLetter(s[tld]) {
				tld++
			}
			if tld-label >= 2 {
				end = tld
			}
		}
		if i == len(s) || s[i] != '.' {
			return end
		}
		i++
	}
}
