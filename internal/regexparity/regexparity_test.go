package regexparity

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// recorder stands in for a *testing.T and keeps what Agree reports.
type recorder struct{ errors []string }

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

var reDigits = regexp.MustCompile(`\d+`)

// firstDigits is a hand-written \d+ (first match), right or off by one.
func firstDigits(s string, short bool) string {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return ""
	}
	e := i
	for e < len(s) && '0' <= s[e] && s[e] <= '9' {
		e++
	}
	if short && e-i > 1 {
		e--
	}
	return s[i:e]
}

// TestAgree: a matcher that agrees with its expression is not reported; one
// that disagrees is, once per text, with the reason, its name, the text and
// both answers.
func TestAgree(t *testing.T) {
	want := func(s string) any { return reDigits.FindString(s) }
	right := Check{Name: "firstDigits", Got: func(s string) any { return firstDigits(s, false) }, Want: want}
	wrong := Check{Name: "shortDigits", Got: func(s string) any { return firstDigits(s, true) }, Want: want}
	cases := []Case{{Reason: "two digits", Text: "a 42 b"}, {Reason: "one digit", Text: "7"}, {Reason: "none", Text: "x"}}

	var r recorder
	Table(&r, cases, []Check{right})
	if len(r.errors) != 0 {
		t.Errorf("a matcher that agrees was reported: %q", r.errors)
	}
	r = recorder{}
	Table(&r, cases, []Check{right, wrong})
	reports := []string{`two digits: shortDigits on "a 42 b" = "4", regexp "42"`}
	if !reflect.DeepEqual(r.errors, reports) {
		t.Errorf("reported %q, want %q", r.errors, reports)
	}
}

// TestReaders pins what each reader answers, found or not: nothing found
// is a nil slice, "" or a zero Found, so that a matcher answering an empty
// slice where the expression finds nothing is a disagreement, as it is to
// reflect.DeepEqual.
func TestReaders(t *testing.T) {
	re := regexp.MustCompile(`<(\w*)>`)
	for _, tc := range []struct {
		reason string
		got    any
		want   any
	}{
		{"Group, found", Group(re, 1)("a<b><c>"), "b"},
		{"Group, none", Group(re, 1)("a"), ""},
		{"GroupFound, empty but found", GroupFound(re, 1)("<>"), Found{"", true}},
		{"GroupFound, none", GroupFound(re, 1)("a"), Found{}},
		{"Groups, every match", Groups(re, 1)("<b><c>"), []string{"b", "c"}},
		{"Groups, none", Groups(re, 1)("a"), []string(nil)},
		{"All, every match", All(re)("<b>x<c>"), []string{"<b>", "<c>"}},
		{"All, none", All(re)("a"), []string(nil)},
		{"Matches", Matches(re)("<b>"), true},
		{"Matches, none", Matches(re)("b"), false},
		{"Replaced, literally", Replaced(re, "$1")("a<b>c"), "a$1c"},
		{"ReplacedFunc", ReplacedFunc(re, strings.ToUpper)("a<b>c"), "a<B>c"},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.reason, tc.got, tc.want)
		}
	}
}
