package har

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

func TestValid(t *testing.T) {
	tests := []struct {
		in     string
		reason string
	}{
		{`{}`, "empty object"}, {` [ ] `, "empty array with space"}, {`{"a":[1,-0.5e+3,true,false,null,"x"]}`, "every kind"},
		{`"\u00e9\"\\\/\b\f\n\r\t"`, "every escape"}, {`"0123456789abcdef\"0123456789abcdef"`, "escape after an 8-byte block"},
		{`"abc` + "\x01" + `defghijkl"`, "control character inside a string"}, {`"\x"`, "bad escape"}, {`"\u12G4"`, "bad unicode escape"},
		{`"\u12"`, "short unicode escape at the end"}, {`"abcdefghijklmnop`, "unterminated long string"}, {`"abc\`, "backslash at the end"},
		{`{"a":1,}`, "trailing comma"}, {`[1,]`, "trailing comma in array"}, {`{"a" 1}`, "missing colon"}, {`{a:1}`, "unquoted key"},
		{`{"a":1]`, "wrong closing bracket"}, {`[1}`, "wrong closing brace"}, {`[1 2]`, "missing comma"}, {`01`, "leading zero"},
		{`-`, "lone minus"}, {`1.`, "no fraction digits"}, {`1e`, "no exponent digits"}, {`1e+5`, "signed exponent"}, {`.5`, "no integer part"},
		{`tru`, "short literal"}, {`nulls`, "literal with a tail"}, {`{} {}`, "two values"}, {``, "nothing"}, {`   `, "only space"},
		{`{"a":{"b":[{"c":[]}]}}`, "nesting closes in order"}, {"\"\xff\xfe\"", "invalid UTF-8 is accepted, as encoding/json does"},
		{strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth), "as deep as allowed"},
	}
	for _, tt := range tests {
		if got, want := valid([]byte(tt.in)), json.Valid([]byte(tt.in)); got != want {
			t.Errorf("%s: valid(%.40q) = %v, encoding/json says %v", tt.reason, tt.in, got, want)
		}
	}
	if deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1); valid([]byte(deep)) {
		t.Error("deeper than maxDepth accepted")
	}
}

// FuzzValid checks valid against encoding/json and gjson on any input.
func FuzzValid(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	for _, s := range []string{`"\u00e9"`, `-0.5e+3`, `[1,]`, `{"a" 1}`, `"\x"`, "\"a\x01\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := valid(data)
		if want := json.Valid(data); got != want {
			t.Fatalf("valid = %v, encoding/json = %v", got, want)
		}
		if got && !gjson.ValidBytes(data) {
			t.Fatal("valid accepts what gjson rejects: ParseEntry would misread it")
		}
	})
}
