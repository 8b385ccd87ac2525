package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/fixture"
)

// bufSizes run every case with buffers so small that every token, escape
// and BOM crosses a buffer boundary somewhere, and with the real size.
var bufSizes = []int{1, 2, 3, 5, 7, 16, 64, bufSize}

type item struct {
	kind  Kind
	key   string
	raw   string
	index int
	off   int64
}

// scan reads data to the end with a buffer of size bytes and returns copies
// of the items and the final error (nil for io.EOF).
func scan(data []byte, size int) ([]item, *Scanner, error) {
	s := newScanner(bytes.NewReader(data), "t.har", size, maxValue)
	var items []item
	for {
		it, err := s.Next()
		if errors.Is(err, io.EOF) {
			return items, s, nil
		}
		if err != nil {
			return items, s, err
		}
		items = append(items, item{it.Kind, it.Key, string(it.Raw), it.Index, it.Offset})
	}
}

func seed(b fixture.Browser) []byte { return fixture.HAR(b, fixture.SeedSession()...) }

func minified(data []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, data); err != nil {
		panic(err)
	}
	return out.Bytes()
}

const oneEntry = `{"request":{"method":"GET","url":"https://admin.webex.com/"},"response":{"status":200}}`

// tricky has strings whose escapes end exactly where small buffers end:
// escaped quotes, escaped backslashes before a closing quote, brackets and
// braces inside strings, unicode escapes.
const tricky = `{"a":"\"","b":"\\","c":"\\\"","d":"x\\\\","e":"{[\"]}","f":"\u00e9\\u0022","g":["]","}"],"h":{"\\":"\\\\\""}}`

func TestScannerValid(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		members []string // member keys in file order; "^key" for Outer
		reason  string
	}{
		{"chrome seed", seed(fixture.Chrome), []string{"version", "creator", "pages"}, "Chrome export shape, pretty-printed, members before entries"},
		{"firefox seed", seed(fixture.Firefox), []string{"version", "creator", "browser", "pages"}, "Firefox export shape with log.browser"},
		{"minified", minified(seed(fixture.Chrome)), []string{"version", "creator", "pages"}, "tools that re-save HARs strip white space"},
		{"BOM", append([]byte("\xEF\xBB\xBF"), seed(fixture.Firefox)...), []string{"version", "creator", "browser", "pages"}, "Windows editors prepend a UTF-8 byte order mark"},
		{"members after entries", []byte(`{"log":{"entries":[` + oneEntry + `],"version":"1.2","creator":{"name":"x"}}}`), []string{"version", "creator"}, "HAR does not fix member order"},
		{"pages after entries", []byte(`{"log":{"version":"1.2","entries":[` + oneEntry + `,` + oneEntry + `],"pages":[{"id":"page_1"}]}}`), []string{"version", "pages"}, "some tools write pages last"},
		{"outer members", []byte(`{"comment":"saved by x","log":{"entries":[]},"n":1}`), []string{"^comment", "^n"}, "members beside log are yielded as Outer"},
		{"no entries", []byte(`{"log":{"entries":[]}}`), nil, "an empty capture is a valid HAR"},
		{"scalars", []byte(`{"log":{"a":true,"b":null,"c":-1.5e3,"d":"s","entries":[]}}`), []string{"a", "b", "c", "d"}, "scalar members end at ',' or '}'"},
		{"tricky strings", []byte(`{"log":{"k\"ey":"v\\","entries":[` + tricky + `,` + tricky + `]}}`), []string{"k\"ey"}, "escapes at every buffer boundary"},
		{"CRLF and tabs", []byte("{\r\n\t\"log\" :\t{\r\n\"entries\"\r\n:\r\n[\r\n" + oneEntry + "\r\n]\r\n}\r\n}\r\n"), nil, "JSON white space of Windows files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := bytes.TrimPrefix(tt.data, []byte("\xEF\xBB\xBF"))
			want := gjson.GetBytes(data, "log.entries").Array()
			bom := int64(len(tt.data) - len(data))
			for _, size := range bufSizes {
				items, s, err := scan(tt.data, size)
				if err != nil {
					t.Fatalf("buffer %d: %v", size, err)
				}
				var members []string
				n := 0
				for _, it := range items {
					if string(tt.data[it.off:it.off+int64(len(it.raw))]) != it.raw {
						t.Fatalf("buffer %d: item at %d: Offset does not point at Raw", size, it.off)
					}
					switch it.kind {
					case EntryItem:
						if it.index != n || it.raw != want[n].Raw || it.off != bom+int64(want[n].Index) {
							t.Fatalf("buffer %d: entry %d = %d %.40q at %d, want %.40q at %d", size, n, it.index, it.raw, it.off, want[n].Raw, want[n].Index)
						}
						n++
					case Member:
						members = append(members, it.key)
					case Outer:
						members = append(members, "^"+it.key)
					}
				}
				if n != len(want) || s.Entries() != n {
					t.Errorf("buffer %d: %d entries, Entries() = %d, want %d", size, n, s.Entries(), len(want))
				}
				if fmt.Sprint(members) != fmt.Sprint(tt.members) {
					t.Errorf("buffer %d: members %v, want %v", size, members, tt.members)
				}
				if s.Offset() != int64(len(tt.data)) {
					t.Errorf("buffer %d: Offset() = %d at EOF, want %d", size, s.Offset(), len(tt.data))
				}
			}
		})
	}
}

// TestScannerHugeEntry: one entry far larger than the buffer (a JS bundle or
// an image of several MB) grows the buffer and comes back whole.
func TestScannerHugeEntry(t *testing.T) {
	body := strings.Repeat(`var s="a\"b\\c";`+"\n", 400_000) // 6.8 MB, escapes throughout
	data := fixture.HAR(fixture.Chrome,
		fixture.Exchange{Method: "GET", URL: "https://admin.webex.com/main.js", Status: 200, ResponseMime: "text/javascript", ResponseBody: body},
		fixture.Exchange{Method: "GET", URL: "https://admin.webex.com/logo.png", Status: 200, ResponseMime: "image/png", ResponseBody: body[:3<<20], Base64: true})
	for _, size := range []int{1 << 10, bufSize} {
		items, _, err := scan(data, size)
		if err != nil {
			t.Fatal(err)
		}
		var bodies []string
		for _, it := range items {
			if it.kind == EntryItem {
				e, err := ParseEntry([]byte(it.raw), it.index)
				if err != nil {
					t.Fatal(err)
				}
				bodies = append(bodies, string(e.ResponseBody))
			}
		}
		if len(bodies) != 2 || bodies[0] != body || bodies[1] != body[:3<<20] {
			t.Errorf("buffer %d: %d entries, bodies do not round-trip", size, len(bodies))
		}
	}
	// The limit stops a runaway value instead of growing the buffer forever.
	s := newScanner(bytes.NewReader(data), "big.har", 1<<10, 1<<20)
	var err error
	for err == nil {
		_, err = s.Next()
	}
	checkError(t, "big.har", err, 0, "value larger than 1048576 bytes")
}

// lineRE is the one-line error format the CLI and the panel show.
var lineRE = regexp.MustCompile(`^t\.har: (entry \d+ at )?byte \d+: [^\n]+$`)

// checkError asserts err is an *Error about entry (or -1) whose one-line
// message names the file and contains want.
func checkError(t *testing.T, file string, err error, entry int, want string) {
	t.Helper()
	var he *Error
	if !errors.As(err, &he) {
		t.Fatalf("error %v (%T), want *Error", err, err)
	}
	msg := he.Error()
	if he.File != file || !strings.HasPrefix(msg, file+": ") || strings.ContainsAny(msg, "\n\r") {
		t.Errorf("message %q: want one line starting with %q", msg, file+": ")
	}
	if file == "t.har" && !lineRE.MatchString(msg) {
		t.Errorf("message %q does not read FILE: [entry N at ]byte B: msg", msg)
	}
	if he.Entry != entry {
		t.Errorf("message %q: entry %d, want %d", msg, he.Entry, entry)
	}
	if !strings.Contains(msg, want) {
		t.Errorf("message %q does not say %q", msg, want)
	}
}

type brokenReader struct {
	data []byte
	err  error
}

func (r *brokenReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestScannerErrors(t *testing.T) {
	entries := func(s ...string) string { return `{"log":{"version":"1.2","entries":[` + strings.Join(s, ",") + `]}}` }
	tests := []struct {
		name   string
		data   string
		entry  int
		want   string
		reason string
	}{
		{"empty", ``, -1, "byte 0: file is empty", "an empty upload"},
		{"white space", " \n\t\r\n", -1, "byte 5: file holds only white space", "an empty file saved by an editor"},
		{"HTML", "<!DOCTYPE html><html><body>Sign in</body></html>", -1, "byte 0: not JSON: starts with '<' (an HTML or XML page?)", "a login page saved instead of the HAR"},
		{"array", `[`, -1, "expected '{' but found '['", "JSON, but not a HAR object"},
		{"UTF-16", "\xFF\xFE{\x00", -1, "save the HAR as UTF-8", "Windows tools saving UTF-16"},
		{"no log", `{"version":"1.2"}`, -1, "no log object: not a HAR file", "some other JSON object"},
		{"log not object", `{"log":[]}`, -1, "log is not an object (found '[')", "wrong type for log"},
		{"no log.entries", `{"log":{"version":"1.2","pages":[]}}`, -1, "no log.entries: not a HAR file", "log without entries"},
		{"entries not array", `{"log":{"entries":{}}}`, -1, "log.entries is not an array (found '{')", "wrong type for entries"},
		{"entries null", `{"log":{"entries":null}}`, -1, "log.entries is not an array (found 'n')", "null entries"},
		{"entry not object", entries(`1`), 0, "entry 0 at byte 35: entry is not an object (found '1')", "a scalar entry"},
		{"second entry not object", entries(oneEntry, `"x"`), 1, "entry is not an object (found '\"')", "the index counts entries before it"},
		{"missing comma", entries(oneEntry + oneEntry), 1, "expected ',' or ']' after entry 0 but found '{'", "two entries glued together"},
		{"invalid JSON in entry", entries(`{"request":tru}`), 0, "entry 0 at byte 49: entry is not valid JSON: invalid character '}' in literal true (expecting 'e')", "byte points at the fault, not the entry start"},
		{"unquoted key in entry", entries(oneEntry, `{request:1}`), 1, "entry is not valid JSON: invalid character 'r' looking for beginning of object key string", "JavaScript object literal, not JSON"},
		{"mismatched bracket", entries(`{"a":[1}`), 0, "found '}' where ']' was expected", "caught while skipping, before reading to the end of the file"},
		{"too deep", entries(`{"a":` + strings.Repeat("[", maxDepth+1)), 0, "nested deeper than 10000 levels", "gjson validates recursively"},
		{"bad member", `{"log":{"version":1.2.3,"entries":[]}}`, -1, "log.version is not valid JSON", "members are validated like entries"},
		{"bad member name", `{"log":{"a\x01":1,"entries":[]}}`, -1, "member name is not valid JSON", "control character in a key"},
		{"odd member name", "{\"\\n\":A", -1, `byte 6: "\n" is not valid JSON: invalid character 'A' looking for beginning of value`, "found by FuzzScanner: a name from the file is quoted so the message stays one line"},
		{"missing colon", `{"log":{"entries" []}}`, -1, `expected ':' after "entries" but found '['`, "broken member"},
		{"trailing garbage", entries() + "\nx", -1, "unexpected 'x' after the end of the HAR", "junk after the HAR"},
		{"two HARs", entries() + entries(), -1, "unexpected '{' after the end of the HAR", "two files concatenated"},
		{"BOM after space", " \xEF\xBB\xBF{}", -1, "expected '{' but found byte 0xef", "a byte order mark only starts a file"},
		{"truncated after log", `{"log":`, -1, "byte 7: unexpected end of file (truncated HAR?)", "cut right after the key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range bufSizes {
				_, s, err := scan([]byte(tt.data), size)
				checkError(t, "t.har", err, tt.entry, tt.want)
				if _, again := s.Next(); again != err {
					t.Errorf("Next after an error returned %v, want the same error", again)
				}
			}
		})
	}
}

// TestScannerReadError: an I/O failure is reported as such, with the entry
// being read, not as a truncated file.
func TestScannerReadError(t *testing.T) {
	data := seed(fixture.Chrome)
	cut := gjson.GetBytes(data, "log.entries.3").Index + 10
	s := NewScanner(&brokenReader{data: data[:cut], err: errors.New("connection reset")}, "t.har")
	n := 0
	var err error
	for err == nil {
		var it Item
		if it, err = s.Next(); err == nil && it.Kind == EntryItem {
			n++
		}
	}
	checkError(t, "t.har", err, 3, "read error: connection reset")
	if n != 3 {
		t.Errorf("%d entries before the break, want 3", n)
	}
}

// TestScannerTruncated cuts real files at many offsets. Each cut must give a
// one-line *Error naming the file, the entry being read when the cut is
// inside log.entries, and every entry that ended before the cut.
func TestScannerTruncated(t *testing.T) {
	files := []struct {
		name string
		data []byte
		step int
	}{
		{"chrome pretty", seed(fixture.Chrome), 7},
		{"firefox pretty", seed(fixture.Firefox), 7},
		{"chrome minified", minified(fixture.HAR(fixture.Chrome, fixture.SeedSession()[:3]...)), 1},
		{"tricky", []byte(`{"log":{"entries":[` + tricky + `,` + tricky + `],"pages":[]}}`), 1},
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			ents := gjson.GetBytes(f.data, "log.entries")
			open, close := ents.Index, ents.Index+len(ents.Raw) // the array's brackets
			type span struct{ start, end int }
			var spans []span
			for _, e := range ents.Array() {
				spans = append(spans, span{e.Index, e.Index + len(e.Raw)})
			}
			for cut := 0; cut < len(f.data)-1; cut += f.step {
				for _, size := range []int{3, bufSize} {
					items, _, err := scan(f.data[:cut], size)
					n := 0
					for _, it := range items {
						if it.kind == EntryItem {
							n++
						}
					}
					ended, entry := 0, -1
					for i, sp := range spans {
						if sp.end <= cut {
							ended = i + 1
						}
						if sp.start <= cut && cut < sp.end {
							entry = i
						}
					}
					if entry < 0 && cut > open && cut < close {
						entry = ended // between entries: the next one is awaited
					}
					if n != ended {
						t.Fatalf("cut %d: %d entries yielded, %d ended before the cut", cut, n, ended)
					}
					var he *Error
					if !errors.As(err, &he) {
						t.Fatalf("cut %d: error %v, want *Error", cut, err)
					}
					if !lineRE.MatchString(he.Error()) || he.Entry != entry || he.Offset > int64(cut) {
						t.Fatalf("cut %d: %q: want one line, entry %d, byte <= %d", cut, he.Error(), entry, cut)
					}
				}
			}
		})
	}
}

// TestErrorFormat pins the one-line format, including the parts ParseEntry
// leaves unknown.
func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err    Error
		want   string
		reason string
	}{
		{Error{File: "a.har", Entry: 3, Offset: 120, Msg: "m"}, "a.har: entry 3 at byte 120: m", "inside an entry"},
		{Error{File: "a.har", Entry: -1, Offset: 0, Msg: "m"}, "a.har: byte 0: m", "outside entries"},
		{Error{Entry: 3, Offset: -1, Msg: "m"}, "entry 3: m", "ParseEntry knows neither file nor offset"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.reason, got, tt.want)
		}
	}
}
