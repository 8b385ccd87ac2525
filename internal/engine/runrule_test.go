package engine

import (
	"testing"

	"hubdoctor/internal/har"
)

// TestRuleFailureIsOneLine: a rule that panics gives a one-line error naming
// the rule, the entry and the panic, and no findings.
func TestRuleFailureIsOneLine(t *testing.T) {
	for _, tc := range []struct {
		reason string
		check  func(*Context) []Finding
		want   string
	}{
		//lint:ignore SA5000 the rule's runtime panic is what the row tests
		{"runtime error", func(*Context) []Finding { var m map[string]int; m["x"] = 1; return nil },
			"rule test/panics failed on entry 7: assignment to entry in nil map"},
		{"panic value over several lines", func(*Context) []Finding { panic("first\n\tsecond") },
			"rule test/panics failed on entry 7: first second"},
	} {
		rule := &Rule{ID: "test/panics", Check: tc.check}
		fs, err := runRule(rule, &Context{Entry: &har.Entry{Index: 7}, Rule: rule})
		if err == nil || err.Error() != tc.want || fs != nil {
			t.Errorf("%s: runRule = %v, %v; want no findings and %q", tc.reason, fs, err, tc.want)
		}
	}
}
