// Package regexparity checks hand-written matchers against the regular
// expressions they stand for. The engine's matchers (internal/engine,
// match.go) and the sanitizer's finders (internal/sanitize, match.go)
// replace package regexp, which added 132 KB (gzip) to the WebAssembly
// engine; each names its expression, and its package's tests compare the
// two here, on a table of texts and by fuzzing.
//
// Only tests import this package, so regexp stays out of the engine
// (TestWasmLeavesOutHeavyPackages in internal/engine).
package regexparity

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// Case is one text to try, with what it tries.
type Case struct{ Reason, Text string }

// Check is one matcher and its expression, each read as a value of the
// same shape: Got is what the matcher says of a text, Want what the
// expression says (one of the readers below, or the package's own). They
// agree when reflect.DeepEqual says so, so a nil slice and an empty one
// differ.
type Check struct {
	Name      string
	Got, Want func(s string) any
}

// Found is a matcher's answer that can be empty and still found, as with
// a title element that has no text.
type Found struct {
	Text string
	OK   bool
}

// Reporter is what Agree reports through: a *testing.T, or a stand-in in
// this package's own test.
type Reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// Agree runs every check on s and reports each disagreement with reason,
// the matcher's name, the text and both answers.
func Agree(t Reporter, reason, s string, checks []Check) {
	t.Helper()
	for _, c := range checks {
		if got, want := c.Got(s), c.Want(s); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s on %q = %#v, regexp %#v", reason, c.Name, s, got, want)
		}
	}
}

// Table runs every check on every case.
func Table(t Reporter, cases []Case, checks []Check) {
	t.Helper()
	for _, tc := range cases {
		Agree(t, tc.Reason, tc.Text, checks)
	}
}

// Fuzz seeds f with the cases' texts and runs every check on each text the
// fuzzer makes. A text with either of the two runes that (?i) folds beyond
// ASCII (the Kelvin sign U+212A, the long s U+017F) is skipped: matching
// them is the one difference package ascii's contract allows.
func Fuzz(f *testing.F, cases []Case, checks []Check) {
	for _, tc := range cases {
		f.Add(tc.Text)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "\u212a\u017f") {
			t.Skip()
		}
		Agree(t, "fuzz", s, checks)
	})
}

// Group reads the submatch n of re's first match in s, "" when none.
func Group(re *regexp.Regexp, n int) func(string) any {
	return func(s string) any {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[n]
		}
		return ""
	}
}

// GroupFound reads the submatch n of re's first match in s, and whether
// there is one.
func GroupFound(re *regexp.Regexp, n int) func(string) any {
	return func(s string) any {
		if m := re.FindStringSubmatch(s); m != nil {
			return Found{m[n], true}
		}
		return Found{}
	}
}

// Groups reads the submatch n of every match of re in s, nil when none.
func Groups(re *regexp.Regexp, n int) func(string) any {
	return func(s string) any {
		var out []string
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			out = append(out, m[n])
		}
		return out
	}
}

// All reads every match of re in s, nil when none.
func All(re *regexp.Regexp) func(string) any {
	return func(s string) any { return re.FindAllString(s, -1) }
}

// Matches reads whether re matches s.
func Matches(re *regexp.Regexp) func(string) any {
	return func(s string) any { return re.MatchString(s) }
}

// Replaced reads s with every match of re replaced by repl, taken
// literally.
func Replaced(re *regexp.Regexp, repl string) func(string) any {
	return func(s string) any { return re.ReplaceAllLiteralString(s, repl) }
}

// ReplacedFunc reads s with every match m of re replaced by repl(m).
func ReplacedFunc(re *regexp.Regexp, repl func(string) string) func(string) any {
	return func(s string) any { return re.ReplaceAllStringFunc(s, repl) }
}
