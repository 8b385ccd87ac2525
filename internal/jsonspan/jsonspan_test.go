package jsonspan

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/fixture"
)

// shapes are small valid JSON texts that trip a hand-written walker.
var shapes = []string{
	`{"a":"\\\"}[","b\"":[1,-2.5e+3,true,false,null,{},[]],"c":{"d":{"e":[[{"f":"\\\\"}]]}}}`,
	" {\r\n\t\"k\" : \"v\" ,\n \"n\" :0 } ",
	`["\u00e9\ud83d\ude00\ud800x",{"\u0075rl":"\/"}, "", 0]`,
	// A high surrogate before an escape that is no low one: two characters.
	`["\ud800\u0100", "\udbff\ud800\udc00"]`,
	`"a string alone"`, `12`, `{}`, `[]`,
}

// documents are the shapes and whole HARs as Chrome and Firefox write
// them (pretty-printed, escapes in bodies).
func documents() [][]byte {
	var docs [][]byte
	for _, s := range shapes {
		docs = append(docs, []byte(s))
	}
	for _, b := range fixture.Browsers {
		docs = append(docs, fixture.HAR(b, fixture.SeedSession()...))
	}
	return docs
}

// walk checks the iterators against gjson on the value v of doc (at
// offset off) and on every value inside it.
func walk(t *testing.T, doc []byte, v gjson.Result) {
	t.Helper()
	off := v.Index
	v.Raw = strings.TrimRight(v.Raw, " \t\r\n") // gjson keeps a document's trailing space
	if end := ValueEnd(doc, off); end != off+len(v.Raw) {
		t.Fatalf("ValueEnd at %d = %d, gjson's value %q ends at %d", off, end, v.Raw, off+len(v.Raw))
	}
	switch {
	case v.IsObject():
		o := Members(doc, off)
		v.ForEach(func(k, val gjson.Result) bool {
			key, ok := o.Next()
			if !ok {
				t.Fatalf("object at %d: no member where gjson has %s", off, k.Raw)
			}
			if string(key) != k.Raw[1:len(k.Raw)-1] || o.Name() != k.Str || o.KeyStart() != k.Index {
				t.Fatalf("object at %d: member %q (%q at %d), gjson %s at %d", off, key, o.Name(), o.KeyStart(), k.Raw, k.Index)
			}
			if o.Value() != val.Index || o.ValueEnd() != val.Index+len(val.Raw) {
				t.Fatalf("member %s: value [%d, %d), gjson [%d, %d)", k.Raw, o.Value(), o.ValueEnd(), val.Index, val.Index+len(val.Raw))
			}
			walk(t, doc, val)
			return true
		})
		if key, ok := o.Next(); ok {
			t.Fatalf("object at %d: member %q after gjson's last", off, key)
		}
	case v.IsArray():
		a := Elements(doc, off)
		v.ForEach(func(_, val gjson.Result) bool {
			start, ok := a.Next()
			if !ok || start != val.Index || a.ValueEnd() != val.Index+len(val.Raw) {
				t.Fatalf("array at %d: element at %d (%v), gjson %q at %d", off, start, ok, val.Raw, val.Index)
			}
			walk(t, doc, val)
			return true
		})
		if start, ok := a.Next(); ok {
			t.Fatalf("array at %d: element at %d after gjson's last", off, start)
		}
	default:
		if o := Members(doc, off); func() bool { _, ok := o.Next(); return ok }() {
			t.Fatalf("Members of the scalar at %d iterates", off)
		}
		if v.Type == gjson.String {
			raw := doc[off : off+len(v.Raw)]
			if got := Unquote(raw); got != v.Str {
				t.Fatalf("Unquote(%s) = %q, gjson %q", raw, got, v.Str)
			}
			// encoding/json also turns invalid UTF-8 into U+FFFD; DecodedLen
			// counts it as its bytes, as gjson leaves it.
			want := v.Str
			if utf8.Valid(raw) {
				if err := json.Unmarshal(raw, &want); err != nil {
					t.Fatal(err)
				}
			}
			if end, n := DecodedLen(doc, off); end != off+len(raw) || n != len(want) {
				t.Fatalf("DecodedLen(%s) = %d, %d; want %d, %d", raw, end, n, off+len(raw), len(want))
			}
		}
	}
}

// TestWalkAgreesWithGJSON: on valid JSON every value, member and element
// is where gjson finds it, names and strings decode as gjson decodes them,
// and DecodedLen measures what encoding/json decodes (invalid UTF-8 aside).
func TestWalkAgreesWithGJSON(t *testing.T) {
	for _, doc := range documents() {
		walk(t, doc, gjson.ParseBytes(doc))
	}
}

// TestStringEnd: a quote after an odd run of backslashes is escaped, and
// a string read in pieces ends where the whole string does, wherever the
// pieces are cut.
func TestStringEnd(t *testing.T) {
	for _, tc := range []struct {
		reason string
		text   string
		want   int
	}{
		{"plain", `"abc",`, 5},
		{"escaped quote", `"a\"b"x`, 6},
		{"escaped backslash before the quote", `"a\\"x`, 5},
		{"three backslashes", `"a\\\"b"`, 8},
		{"empty", `""`, 2},
		{"not closed", `"abc`, -1},
		{"not closed, escaped quote last", `"a\"`, -1},
		{"the opening quote alone", `"`, -1},
	} {
		b := []byte(tc.text)
		if got := StringEnd(b, 0); got != tc.want {
			t.Errorf("%s: StringEnd(%s) = %d, want %d", tc.reason, b, got, tc.want)
		}
		for cut := 1; cut <= len(b); cut++ {
			got := StringEndFrom(b[:cut], 1, 1)
			if got < 0 {
				got = StringEndFrom(b, 1, cut)
			}
			if got != tc.want {
				t.Errorf("%s: read in pieces cut at %d: %d, want %d", tc.reason, cut, got, tc.want)
			}
		}
	}
}

// TestNotJSON: where the text stops being JSON, the iterators stop and
// ValueEnd says the value does not end, without panicking or looping.
func TestNotJSON(t *testing.T) {
	for _, tc := range []struct {
		reason string
		text   string
		names  string // the members Members yields, joined by ','
	}{
		{"cut after a member", `{"a":1,`, "a"},
		{"cut in a value", `{"a":{"b":`, "a"},
		{"string not closed", `{"a":"x`, "a"},
		{"no colon", `{"a" 1}`, ""},
		{"no comma", `{"a":1 "b":2}`, "a"},
		{"name not a string", `{a:1}`, ""},
		{"not an object", `[{"a":1}]`, ""},
		{"empty text", ``, ""},
		{"white space only", " \n", ""},
		{"closing brace as a value", `{"a":}`, "a"},
	} {
		b := []byte(tc.text)
		var names []string
		o := Members(b, 0)
		for key, ok := o.Next(); ok; key, ok = o.Next() {
			names = append(names, string(key))
			if end := o.ValueEnd(); end < o.Value() || end > len(b) {
				t.Errorf("%s: value end %d out of [%d, %d]", tc.reason, end, o.Value(), len(b))
			}
		}
		if got := strings.Join(names, ","); got != tc.names {
			t.Errorf("%s: members %q, want %q", tc.reason, got, tc.names)
		}
	}
	for _, tc := range []struct {
		reason string
		text   string
		want   int
	}{
		{"object not closed", `{"a":[1]`, 0},
		{"string not closed inside", `["a`, 0},
		{"string not closed", `"a`, 0},
		{"number to the end", `123`, 3},
		{"literal before a comma", `true,`, 4},
		{"past the end", ``, 0},
	} {
		if got := ValueEnd([]byte(tc.text), 0); got != tc.want {
			t.Errorf("%s: ValueEnd(%q) = %d, want %d", tc.reason, tc.text, got, tc.want)
		}
	}
	a := Elements([]byte(`[1,2 3]`), 0)
	n := 0
	for _, ok := a.Next(); ok; _, ok = a.Next() {
		n++
	}
	if n != 2 {
		t.Errorf("array without a comma: %d elements, want 2 (the second stops it)", n)
	}
}

// FuzzWalk: on any text the walk never panics or loops and stays within
// the text; on valid JSON it agrees with gjson (TestWalkAgreesWithGJSON's
// checks).
func FuzzWalk(f *testing.F) {
	for _, s := range shapes {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"a":"\`))
	f.Add([]byte(`[}{]`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if gjson.ValidBytes(doc) && json.Valid(doc) {
			walk(t, doc, gjson.ParseBytes(doc))
			return
		}
		var visit func(i, depth int)
		visit = func(i, depth int) {
			if end := ValueEnd(doc, i); end < i || end > max(i, len(doc)) {
				t.Fatalf("ValueEnd(%d) = %d out of range", i, end)
			}
			if depth > 64 {
				return
			}
			o := Members(doc, i)
			for _, ok := o.Next(); ok; _, ok = o.Next() {
				visit(o.Value(), depth+1)
			}
			a := Elements(doc, i)
			for start, ok := a.Next(); ok; start, ok = a.Next() {
				visit(start, depth+1)
			}
		}
		visit(0, 0)
		if i := bytes.IndexByte(doc, '"'); i >= 0 {
			if end, n := DecodedLen(doc, i); end <= i || end > len(doc) || n < 0 {
				t.Fatalf("DecodedLen(%d) = %d, %d", i, end, n)
			}
		}
	})
}
