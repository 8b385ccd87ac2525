// Package ascii is the byte-level text toolkit of the rules (engine) and of
// the sanitizer: the byte classes of Go's regular expressions (\s, \d, \w,
// \b) and searches and comparisons that ignore case. It stands in for
// package regexp, which added 132 KB (gzip) to the WebAssembly engine, and
// for strings.EqualFold, whose Unicode folding the matchers must not have.
//
// The contract, the same for every function: text is bytes, any bytes
// (valid UTF-8 or not). Case folds in ASCII only, on both sides of a
// comparison: 'A'–'Z' equal 'a'–'z', and every other byte, including each
// byte of a multi-byte UTF-8 character, equals only itself. Neither
// argument needs to be lower case. So 'k' never matches the Kelvin sign
// (U+212A) nor 's' the long s (U+017F), as they do under (?i) and in
// strings.EqualFold: that is the one difference the matchers' regexp-parity
// tests allow (internal/regexparity).
package ascii

import "strings"

// lower maps each byte to its ASCII lower case: one load instead of two
// compares and a branch in the search loops.
var lower = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c) + 'a' - 'A'
	}
	return t
}()

// Lower returns c in lower case when it is an ASCII capital, else c.
func Lower(c byte) byte { return lower[c] }

// Upper returns c in upper case when it is an ASCII small letter, else c.
func Upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// IsSpace reports whether c is \s: ASCII white space as Go's regular
// expressions read it ([\t\n\f\r ], without \v). JSON's white space has no
// \f: see jsonspan.IsSpace.
func IsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// IsDigit reports whether c is \d: [0-9].
func IsDigit(c byte) bool { return '0' <= c && c <= '9' }

// HexDigit returns c's value as a hexadecimal digit ([0-9A-Fa-f]), or 16
// when it is none.
func HexDigit(c byte) byte {
	switch {
	case IsDigit(c):
		return c - '0'
	case 'a' <= c|0x20 && c|0x20 <= 'f':
		return c | 0x20 - 'a' + 10
	}
	return 16
}

// IsLetter reports whether c is [A-Za-z].
func IsLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// IsAlnum reports whether c is [A-Za-z0-9].
func IsAlnum(c byte) bool { return IsDigit(c) || IsLetter(c) }

// IsWord reports whether c is \w: [A-Za-z0-9_], the bytes on one side of a
// \b word boundary.
func IsWord(c byte) bool { return c == '_' || IsAlnum(c) }

// Boundary reports whether s has \b at i: a word byte on exactly one side.
func Boundary(s string, i int) bool {
	return (i > 0 && IsWord(s[i-1])) != (i < len(s) && IsWord(s[i]))
}

// SkipSpace returns the index of the first byte at or after i that is not
// \s, or len(s).
func SkipSpace(s string, i int) int {
	for i < len(s) && IsSpace(s[i]) {
		i++
	}
	return i
}

// SkipDigits returns the index of the first byte at or after i that is not
// \d, or len(s).
func SkipDigits(s string, i int) int {
	for i < len(s) && IsDigit(s[i]) {
		i++
	}
	return i
}

// EqualFold reports whether a and b are equal, ignoring ASCII case. a may
// be a string or bytes (a raw JSON key).
func EqualFold[T ~string | ~[]byte](a T, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if lower[a[i]] != lower[b[i]] {
			return false
		}
	}
	return true
}

// HasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func HasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && EqualFold(s[:len(prefix)], prefix)
}

// IndexFold returns the first index at or after from where s has sub,
// ignoring ASCII case, or -1. An empty sub is found at from (at len(s) when
// from is past it).
func IndexFold(s, sub string, from int) int {
	if sub == "" {
		return min(from, len(s))
	}
	c, rest := sub[0], sub[1:]
	last := len(s) - len(sub) // the last index sub can start at
	if Lower(c) == Upper(c) {
		// Not a letter ('<' of a tag, '[' of "[Error"): memchr to each
		// candidate.
		for i := from; i <= last; i++ {
			k := strings.IndexByte(s[i:last+1], c)
			if k < 0 {
				return -1
			}
			if i += k; EqualFold(s[i+1:i+len(sub)], rest) {
				return i
			}
		}
		return -1
	}
	lo := Lower(c)
	for i := from; i <= last; i++ {
		if lower[s[i]] == lo && EqualFold(s[i+1:i+len(sub)], rest) {
			return i
		}
	}
	return -1
}
