package jsonspan

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// notJSON are texts gjson.Valid rejects, one per way a validator can be
// wrong, and a few it accepts that a stricter one would not.
var notJSON = []struct {
	reason string
	text   string
}{
	{"empty", ``},
	{"white space only", " \r\n\t"},
	{"form feed is no white space", "\f1"},
	{"two values", `1 2`},
	{"text after the value", `{}x`},
	{"object not closed", `{"a":1`},
	{"array not closed", `[1,2`},
	{"trailing comma in an object", `{"a":1,}`},
	{"trailing comma in an array", `[1,]`},
	{"leading comma", `[,1]`},
	{"missing colon", `{"a" 1}`},
	{"missing value", `{"a":}`},
	{"name not a string", `{a:1}`},
	{"wrong closing bracket", `{"a":[1}`},
	{"control character in a string", "\"a\tb\""},
	{"newline in a string", "\"a\nb\""},
	{"unknown escape", `"\x41"`},
	{"short unicode escape", `"\u12"`},
	{"unicode escape not hexadecimal", `"\u12g4"`},
	{"escape at the end", `"\`},
	{"string not closed", `"abc`},
	{"leading zero", `01`},
	{"plus sign", `+1`},
	{"minus alone", `-`},
	{"dot without digits", `1.`},
	{"dot first", `.5`},
	{"exponent without digits", `1e`},
	{"exponent sign without digits", `1e+`},
	{"literal cut", `tru`},
	{"literal glued", `truex`},
	{"capital literal", `True`},
	{"NaN", `NaN`},
	{"single quotes", `'a'`},
	{"comment", `{} // c`},
	{"a long string not closed", `["` + strings.Repeat("x", 100)},
	{"a control character far into a long string", `"` + strings.Repeat("y", 77) + "\x01" + `"`},
}

// valid are texts gjson.Valid accepts beyond the walker's shapes.
var valid = []string{
	`"` + "\x7f\xff\xfe not UTF-8 \xc3" + `"`, // gjson does not check UTF-8
	`-0.5e-10`, `0`, `-0`, `1E+2`, `[[[[[]]]]]`, `{"":{"":[]}}`,
	` [ 1 , "a" , { "b" : null } ] `,
	`"\"\\\/\b\f\n\r\t\u00aF"`,
	`{"long":"` + strings.Repeat(`ab\"cd`, 30) + `","n":[` + strings.Repeat(`{"x":1},`, 20) + `{}]}`,
}

// TestValidateAgreesWithGJSON: Validate accepts exactly what gjson.Valid
// accepts, on every shape, on every document, on the texts above and on
// every prefix of them.
func TestValidateAgreesWithGJSON(t *testing.T) {
	texts := append([]string{}, valid...)
	for _, tc := range notJSON {
		texts = append(texts, tc.text)
	}
	for _, doc := range documents() {
		texts = append(texts, string(doc))
	}
	for _, s := range texts {
		check(t, []byte(s))
		for cut := range min(len(s), 400) {
			check(t, []byte(s[:cut]))
		}
	}
	for _, tc := range notJSON {
		if Validate([]byte(tc.text), nil) {
			t.Errorf("%s: %q accepted", tc.reason, tc.text)
		}
	}
}

// check compares Validate with gjson.Valid on b and, when b is valid,
// checks the Index: every value of indexMin bytes or more is there with
// its end, and nothing else is.
func check(t *testing.T, b []byte) {
	t.Helper()
	var x Index
	got, want := Validate(b, &x), gjson.ValidBytes(b)
	if got != want {
		t.Fatalf("Validate(%q) = %v, gjson.Valid %v", b, got, want)
	}
	if !got {
		return
	}
	long := 0
	var visit func(v gjson.Result)
	visit = func(v gjson.Result) {
		raw := strings.TrimRight(v.Raw, " \t\r\n")
		if (v.Type == gjson.String || v.IsObject() || v.IsArray()) && len(raw) >= indexMin {
			long++
			if end := x.End(v.Index); end != v.Index+len(raw) {
				t.Fatalf("Index.End(%d) = %d, want %d (%q)", v.Index, end, v.Index+len(raw), b)
			}
		}
		if v.IsObject() || v.IsArray() {
			v.ForEach(func(_, val gjson.Result) bool { visit(val); return true })
		}
	}
	visit(gjson.ParseBytes(b))
	if len(x.starts) != long {
		t.Fatalf("Index holds %d values, want %d (%q)", len(x.starts), long, b)
	}
	// End answers alike at any offset, asked in text order (as a walk
	// asks), backwards or skipping.
	endAt := func(k int) int {
		if s, ok := slices.BinarySearch(x.starts, int32(k)); ok {
			return int(x.ends[s])
		}
		return -1
	}
	for _, step := range []int{1, -1, 7, -3} {
		for k := range len(b) {
			if step < 0 {
				k = len(b) - 1 - k
			}
			if k%step != 0 {
				continue
			}
			if got, want := x.End(k), endAt(k); got != want {
				t.Fatalf("Index.End(%d) = %d, want %d, asked by steps of %d (%q)", k, got, want, step, b)
			}
		}
	}
}

// TestIndexedWalk: a walk with the index finds every value where the walk
// without it does.
func TestIndexedWalk(t *testing.T) {
	for _, doc := range documents() {
		var x Index
		if !Validate(doc, &x) {
			t.Fatal("a document is not valid")
		}
		var visit func(i int)
		visit = func(i int) {
			o, p := Members(doc, i), x.Members(doc, i)
			for k, ok := o.Next(); ok; k, ok = o.Next() {
				if k2, ok2 := p.Next(); !ok2 || string(k2) != string(k) || p.ValueEnd() != o.ValueEnd() {
					t.Fatalf("member %q at %d: the indexed walk differs", k, o.Value())
				}
				visit(o.Value())
			}
			a, e := Elements(doc, i), x.Elements(doc, i)
			for s, ok := a.Next(); ok; s, ok = a.Next() {
				if s2, ok2 := e.Next(); !ok2 || s2 != s || e.ValueEnd() != a.ValueEnd() {
					t.Fatalf("element at %d: the indexed walk differs", s)
				}
				visit(s)
			}
		}
		visit(SkipSpace(doc, 0))
	}
	var nilIndex *Index
	if nilIndex.End(0) != -1 {
		t.Error("a nil Index holds a value")
	}
}

// unquoteShapes are string contents Unquote decodes a run at a time, or
// leaves to gjson.
var unquoteShapes = []string{
	`plain`, `a\"b\\c\/d\be\ff\ng\rh\ti`, `\u00e9\u4e2D`, `\ud83d\ude00`, `\ud800`, `\ud800x`,
	`\udc00\ud800`, `\ud800\u0041`, `\ud800\u`, `\ud800\uZZZZ`, `\x`, `\u12`, `a\`, "a\n\x01b", `a"b\n`,
	"\xff\xfe\\n\xc3",
}

// TestUnquoteAgreesWithGJSON: Unquote decodes a string token as gjson
// does, and one with a backslash whatever it holds.
func TestUnquoteAgreesWithGJSON(t *testing.T) {
	for _, s := range unquoteShapes {
		checkUnquote(t, []byte(s))
	}
}

func checkUnquote(t *testing.T, inner []byte) {
	t.Helper()
	str := append(append([]byte{'"'}, inner...), '"')
	if !Validate(str, nil) && bytes.IndexByte(inner, '\\') < 0 {
		return // copied as it is: no token, and no escape to decode
	}
	if got, want := Unquote(str), gjson.ParseBytes(str).Str; got != want {
		t.Fatalf("Unquote(%q) = %q, gjson %q", str, got, want)
	}
}

// FuzzValidate: Validate and gjson.Valid agree on any text, and the index
// of a valid one holds exactly its long values; Unquote and gjson decode
// the text as a string's contents alike.
func FuzzValidate(f *testing.F) {
	for _, s := range unquoteShapes {
		f.Add([]byte(s))
	}
	for _, s := range append(append([]string{}, shapes...), valid...) {
		f.Add([]byte(s))
	}
	for _, tc := range notJSON {
		f.Add([]byte(tc.text))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		check(t, b)
		checkUnquote(t, b)
	})
}
