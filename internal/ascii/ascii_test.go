package ascii

import (
	"regexp"
	"strings"
	"testing"
)

// TestClasses checks every byte's class against the class of Go's regular
// expressions it stands for. A byte of 0x80 or more is invalid UTF-8 alone,
// which regexp reads as U+FFFD: in no class, as here.
func TestClasses(t *testing.T) {
	for _, tc := range []struct {
		class string
		is    func(byte) bool
	}{
		{`\s`, IsSpace},
		{`\d`, IsDigit},
		{`\w`, IsWord},
		{`[A-Za-z]`, IsLetter},
		{`[A-Za-z0-9]`, IsAlnum},
		{`[0-9A-Fa-f]`, func(c byte) bool { return HexDigit(c) < 16 }},
	} {
		re := regexp.MustCompile(`^` + tc.class + `$`)
		for c := 0; c < 256; c++ {
			if got, want := tc.is(byte(c)), re.MatchString(string([]byte{byte(c)})); got != want {
				t.Errorf("%s of byte %#x: %v, regexp %v", tc.class, c, got, want)
			}
		}
	}
	for c, want := range map[byte]byte{'0': 0, '9': 9, 'a': 10, 'F': 15, 'g': 16, '/': 16, ':': 16, '@': 16, '`': 16, 0xc1: 16} {
		if got := HexDigit(c); got != want {
			t.Errorf("HexDigit(%q) = %d, want %d", c, got, want)
		}
	}
	for c := 0; c < 256; c++ {
		if got, want := string([]byte{Lower(byte(c))}), strings.ToLower(string([]byte{byte(c)})); c < 0x80 && got != want {
			t.Errorf("Lower(%#x) = %q, want %q", c, got, want)
		}
		if got, want := string([]byte{Upper(byte(c))}), strings.ToUpper(string([]byte{byte(c)})); c < 0x80 && got != want {
			t.Errorf("Upper(%#x) = %q, want %q", c, got, want)
		}
		if c >= 0x80 && (Lower(byte(c)) != byte(c) || Upper(byte(c)) != byte(c)) {
			t.Errorf("byte %#x changes case: only ASCII letters do", c)
		}
	}
}

// TestBoundary checks \b at every position of texts against regexp, which
// matches `\b` (empty) at each boundary.
func TestBoundary(t *testing.T) {
	re := regexp.MustCompile(`\b`)
	for _, s := range []string{"", "a", " ", "ab cd", "_x-1.y", "é a", "a\xffb", "--", "x_"} {
		at := map[int]bool{}
		for _, m := range re.FindAllStringIndex(s, -1) {
			at[m[0]] = true
		}
		for i := 0; i <= len(s); i++ {
			if got := Boundary(s, i); got != at[i] {
				t.Errorf("Boundary(%q, %d) = %v, regexp %v", s, i, got, at[i])
			}
		}
	}
}

// TestSkip pins SkipSpace and SkipDigits, at the end of the text too.
func TestSkip(t *testing.T) {
	for _, tc := range []struct {
		reason    string
		got, want int
	}{
		{"space of every kind, not \\v", SkipSpace(" \t\n\f\r\vx", 0), 5},
		{"no space", SkipSpace("x ", 0), 0},
		{"space to the end", SkipSpace("a  ", 1), 3},
		{"digits", SkipDigits("x123y", 1), 4},
		{"no digit", SkipDigits("x1", 0), 0},
		{"digits to the end", SkipDigits("12", 0), 2},
		{"from the end", SkipDigits("12", 2), 2},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %d, want %d", tc.reason, tc.got, tc.want)
		}
	}
}

// TestFoldContract pins the contract: ASCII letters fold on both sides,
// every other byte equals only itself, where strings.EqualFold folds
// Unicode (the Kelvin sign is 'k' to it).
func TestFoldContract(t *testing.T) {
	for _, tc := range []struct {
		reason string
		a, b   string
		want   bool
	}{
		{"ASCII case on both sides", "TrackingID", "trackingid", true},
		{"upper-case second argument", "trackingid", "TRACKINGID", true},
		{"different letters", "url", "uri", false},
		{"lengths differ", "url", "urls", false},
		{"not letters: '@' and '`' are 0x40 and 0x60", "@", "`", false},
		{"'[' and '{' are 0x5b and 0x7b", "[", "{", false},
		{"the Kelvin sign is not k", "\u212a", "k", false},
		{"the long s is not s", "\u017f", "s", false},
		{"non-ASCII letters compare as bytes", "É", "é", false},
		{"invalid UTF-8 equals itself", "\xff", "\xff", true},
		{"empty", "", "", true},
	} {
		if got := EqualFold(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: EqualFold(%q, %q) = %v, want %v", tc.reason, tc.a, tc.b, got, tc.want)
		}
		if got := EqualFold([]byte(tc.a), tc.b); got != tc.want {
			t.Errorf("%s: EqualFold([]byte(%q), %q) = %v, want %v", tc.reason, tc.a, tc.b, got, tc.want)
		}
	}
	if !strings.EqualFold("\u212a", "k") {
		t.Errorf("strings.EqualFold no longer folds the Kelvin sign: update package ascii's doc")
	}
}

// naiveIndexFold is IndexFold by definition: the first i at or after from
// where the ASCII-lowered texts agree.
func naiveIndexFold(s, sub string, from int) int {
	if sub == "" {
		return min(from, len(s))
	}
	lower := func(s string) string {
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	for i := from; i+len(sub) <= len(s); i++ {
		if lower(s[i:i+len(sub)]) == lower(sub) {
			return i
		}
	}
	return -1
}

// TestIndexFold compares IndexFold and HasPrefixFold with their definition
// on every text of up to five bytes and every sub of up to three over an
// alphabet with a letter in both cases, a byte that is no letter (the
// memchr path) and one the others are not, from every start, past the end
// too.
func TestIndexFold(t *testing.T) {
	const alphabet = "aA<b"
	var texts func(n int) []string
	texts = func(n int) []string {
		if n == 0 {
			return []string{""}
		}
		shorter := texts(n - 1)
		out := shorter
		for _, s := range shorter {
			if len(s) == n-1 {
				for _, c := range alphabet {
					out = append(out, s+string(c))
				}
			}
		}
		return out
	}
	subs := texts(3)
	for _, s := range texts(5) {
		for _, sub := range subs {
			for from := 0; from <= len(s)+1; from++ {
				if got, want := IndexFold(s, sub, from), naiveIndexFold(s, sub, from); got != want {
					t.Fatalf("IndexFold(%q, %q, %d) = %d, want %d", s, sub, from, got, want)
				}
			}
			if got, want := HasPrefixFold(s, sub), naiveIndexFold(s[:min(len(s), len(sub))], sub, 0) == 0; got != want {
				t.Fatalf("HasPrefixFold(%q, %q) = %v, want %v", s, sub, got, want)
			}
		}
	}
	if got := IndexFold("x</SCRIPT>", "</script>", 0); got != 1 {
		t.Errorf("closing tag in upper case: %d, want 1", got)
	}
}
