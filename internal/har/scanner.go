// Package har reads HTTP Archive (HAR 1.2) files as Chrome and Firefox export them.
//
// A Scanner streams a file entry by entry, so memory stays bounded by the
// largest single entry whatever the file size. ParseEntry turns one entry's raw
// JSON (from a file or from the DevTools live path) into an Entry.
package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/jsonspan"
)

// Kind tells what a scanned Item holds.
type Kind int

const (
	// Member is a member of the "log" object other than "entries"
	// (version, creator, browser, pages, comment…), with its raw value.
	Member Kind = iota
	// EntryItem is one element of "log.entries".
	EntryItem
	// Outer is a top-level member beside "log"; HAR files rarely have any.
	Outer
)

// Item is one piece of a HAR file yielded by Scanner.Next.
type Item struct {
	Kind Kind
	// Key is the member name (empty for entries).
	Key string
	// Raw is the member's or entry's JSON text, always valid JSON. It is only
	// valid until the next call to Next; copy it to keep it.
	Raw []byte
	// Index is the entry's position in log.entries (0-based); -1 for members.
	Index int
	// Offset is the byte offset of Raw in the input.
	Offset int64
}

// Error is a HAR reading failure with its position.
type Error struct {
	// File names the input ("-" for standard input); empty when unknown, as
	// for ParseEntry.
	File string
	// Entry is the index of the entry being read, or -1.
	Entry int
	// Offset is the byte offset where reading broke, or -1 when unknown.
	Offset int64
	// Msg says what is wrong.
	Msg string
}

// Error formats the failure as one line: "file: entry N at byte B: msg",
// "file: byte B: msg", or without the parts that are unknown ("entry N: msg").
func (e *Error) Error() string {
	var b []byte
	if e.File != "" {
		b = append(b, e.File...)
		b = append(b, ": "...)
	}
	switch {
	case e.Entry >= 0 && e.Offset >= 0:
		b = fmt.Appendf(b, "entry %d at byte %d: ", e.Entry, e.Offset)
	case e.Entry >= 0:
		b = fmt.Appendf(b, "entry %d: ", e.Entry)
	case e.Offset >= 0:
		b = fmt.Appendf(b, "byte %d: ", e.Offset)
	}
	return string(append(b, e.Msg...))
}

// Scanner streams the top-level structure of a HAR file. Create it with
// NewScanner and call Next until it returns io.EOF.
type Scanner struct {
	r    io.Reader
	name string
	buf  []byte
	pos  int   // read position in buf
	end  int   // end of valid data in buf
	base int64 // input offset of buf[0]
	eof  bool
	rerr error

	limit int    // largest value accepted, in bytes
	stack []byte // closing brackets expected while skipping a value, reused

	state   int
	first   bool // no member or element read yet in the current object or array
	entries int
	// deferChecks leaves entries' grammar check to CheckEntry.
	deferChecks bool
	sawLog      bool
	sawEnts     bool
	err         error
}

const (
	stTop = iota
	stTopMembers
	stLogMembers
	stEntries
	stDone
)

const (
	// maxValue bounds one entry's (or member's) size so a broken file cannot
	// exhaust memory; Firefox caps bodies at 1 MiB and Chrome's largest
	// bundles are tens of MB, far below it.
	maxValue = 1 << 30
	// maxDepth bounds nesting as encoding/json does: gjson validates
	// recursively, and a file of a million '[' must not overflow the stack.
	maxDepth = 10000
	// bufSize is the initial read buffer; it grows to hold the largest entry.
	bufSize = 256 << 10
)

// NewScanner returns a Scanner reading r; name is used in error messages.
func NewScanner(r io.Reader, name string) *Scanner {
	return newScanner(r, name, bufSize, maxValue)
}

// ResumeScanner returns a Scanner that reads r from inside log.entries: r's
// first byte is the '{' of the entry with index index, at input offset base
// (a start EntryStarts guessed and a scan up to it confirmed). From there it
// yields, checks and reports exactly what a Scanner reading the whole file
// does, entry indexes and offsets included.
func ResumeScanner(r io.Reader, name string, base int64, index int) *Scanner {
	s := NewScanner(r, name)
	s.base, s.entries = base, index
	s.state, s.first, s.sawLog, s.sawEnts = stEntries, true, true, true
	return s
}

// newScanner lets tests use a tiny buffer, so that every token crosses a
// buffer boundary somewhere, and a small value limit.
func newScanner(r io.Reader, name string, size, limit int) *Scanner {
	return &Scanner{r: r, name: name, buf: make([]byte, size), limit: limit}
}

// DeferEntryChecks makes Next yield entries once their structure is read
// (brackets balanced, strings closed, the file not cut short) and leaves the
// full grammar check to CheckEntry. A caller that reads only some entries,
// as analysis does, then validates only those: the check is about half of
// the scanning time.
func (s *Scanner) DeferEntryChecks() { s.deferChecks = true }

// CheckEntry validates an entry's full JSON grammar, as Next does unless
// DeferEntryChecks was called, and returns the same positioned *Error.
func (s *Scanner) CheckEntry(it Item) error {
	return s.check(it.Raw, it.Index, it.Offset, "entry")
}

// Name returns the input's name, as errors give it.
func (s *Scanner) Name() string { return s.name }

// Entries reports how many entries have been yielded so far.
func (s *Scanner) Entries() int { return s.entries }

// Offset reports how many input bytes have been consumed.
func (s *Scanner) Offset() int64 { return s.base + int64(s.pos) }

// EachEntry reads the rest of the file, calling fn with each entry item in
// order. It returns nil at the end of the file, else the first error of the
// scanner (where the file broke) or of fn, which stops it.
func (s *Scanner) EachEntry(fn func(Item) error) error {
	for {
		it, err := s.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if it.Kind == EntryItem {
			if err := fn(it); err != nil {
				return err
			}
		}
	}
}

// Next returns the next item. It returns io.EOF after the whole file has been
// read and checked, and an *Error when the input is not a well-formed HAR
// (empty, not JSON, truncated, no log.entries, entries not an array, an entry
// that is not a valid JSON object, or text after the end). After an error,
// Next keeps returning it.
func (s *Scanner) Next() (Item, error) {
	if s.err != nil {
		return Item{}, s.err
	}
	it, err := s.next()
	if err != nil {
		s.err = err
	}
	return it, err
}

func (s *Scanner) fail(entry int, msg string, args ...any) error {
	return s.failAt(entry, s.Offset(), msg, args...)
}

func (s *Scanner) failAt(entry int, off int64, msg string, args ...any) error {
	return &Error{File: s.name, Entry: entry, Offset: off, Msg: fmt.Sprintf(msg, args...)}
}

func (s *Scanner) next() (Item, error) {
	for {
		switch s.state {
		case stTop:
			if err := s.start(); err != nil {
				return Item{}, err
			}
		case stTopMembers, stLogMembers:
			inLog := s.state == stLogMembers
			key, done, err := s.memberKey()
			if err != nil {
				return Item{}, err
			}
			if done && inLog {
				if !s.sawEnts {
					return Item{}, s.fail(-1, "no log.entries: not a HAR file")
				}
				s.state, s.first = stTopMembers, false
				continue
			}
			if done {
				return Item{}, s.finish()
			}
			if !inLog && key == "log" {
				if err := s.open('{', "log"); err != nil {
					return Item{}, err
				}
				s.sawLog = true
				s.state, s.first = stLogMembers, true
				continue
			}
			if inLog && key == "entries" {
				if err := s.open('[', "log.entries"); err != nil {
					return Item{}, err
				}
				s.sawEnts = true
				s.state, s.first = stEntries, true
				continue
			}
			s.skipSpace() // so that off is where the value starts
			off := s.Offset()
			raw, err := s.value(-1)
			if err == nil {
				err = s.check(raw, -1, off, memberName(inLog, key))
			}
			if err != nil {
				return Item{}, err
			}
			kind := Member
			if !inLog {
				kind = Outer
			}
			return Item{Kind: kind, Key: key, Raw: raw, Index: -1, Offset: off}, nil
		case stEntries:
			c, ok := s.skipSpace()
			if !ok {
				return Item{}, s.truncated(s.entries)
			}
			if c == ']' {
				s.pos++
				s.state, s.first = stLogMembers, false
				continue
			}
			if !s.first {
				if c != ',' {
					return Item{}, s.fail(s.entries, "expected ',' or ']' after entry %d but found %s", s.entries-1, quoteByte(c))
				}
				s.pos++
				if c, ok = s.skipSpace(); !ok {
					return Item{}, s.truncated(s.entries)
				}
			}
			s.first = false
			if c != '{' {
				return Item{}, s.fail(s.entries, "entry is not an object (found %s)", quoteByte(c))
			}
			idx := s.entries
			off := s.Offset()
			raw, err := s.value(idx)
			if err == nil && !s.deferChecks {
				err = s.check(raw, idx, off, "entry")
			}
			if err != nil {
				return Item{}, err
			}
			s.entries++
			return Item{Kind: EntryItem, Raw: raw, Index: idx, Offset: off}, nil
		case stDone:
			return Item{}, io.EOF
		}
	}
}

// start reads up to the opening brace of the file, saying what the file is
// when it is plainly not a HAR.
func (s *Scanner) start() error {
	if s.fill(3) >= 3 && bytes.HasPrefix(s.buf[s.pos:s.end], []byte{0xEF, 0xBB, 0xBF}) {
		s.pos += 3 // UTF-8 byte order mark, as some Windows tools write
	}
	c, ok := s.skipSpace()
	switch {
	case !ok && s.rerr != nil:
		return s.fail(-1, "read error: %v", s.rerr)
	case !ok && s.Offset() > 0:
		return s.fail(-1, "file holds only white space: not a HAR file")
	case !ok:
		return s.fail(-1, "file is empty")
	case c == 0xFF || c == 0xFE:
		return s.fail(-1, "not UTF-8 (a UTF-16 byte order mark?): save the HAR as UTF-8")
	case c == '<':
		return s.fail(-1, "not JSON: starts with '<' (an HTML or XML page?)")
	case c != '{':
		return s.fail(-1, "not a HAR file: expected '{' but found %s", quoteByte(c))
	}
	s.pos++
	s.state, s.first = stTopMembers, true
	return nil
}

// open consumes the opening bracket of log or log.entries.
func (s *Scanner) open(want byte, what string) error {
	c, ok := s.skipSpace()
	if !ok {
		return s.truncated(-1)
	}
	if c != want {
		kind := "an object"
		if want == '[' {
			kind = "an array"
		}
		return s.fail(-1, "%s is not %s (found %s)", what, kind, quoteByte(c))
	}
	s.pos++
	return nil
}

// check validates a value's full grammar: skipping it only tracked brackets
// and quotes. The slow path finds where and why with encoding/json.
func (s *Scanner) check(raw []byte, entry int, off int64, what string) error {
	if gjson.ValidBytes(raw) {
		return nil
	}
	var se *json.SyntaxError
	if err := json.Unmarshal(raw, new(json.RawMessage)); errors.As(err, &se) {
		return s.failAt(entry, off+se.Offset-1, "%s is not valid JSON: %s", what, se.Error())
	}
	return s.failAt(entry, off, "%s is not valid JSON", what)
}

// finish checks what follows the closing brace of the top-level object.
func (s *Scanner) finish() error {
	if !s.sawLog {
		return s.fail(-1, "no log object: not a HAR file")
	}
	if c, ok := s.skipSpace(); ok {
		return s.fail(-1, "unexpected %s after the end of the HAR", quoteByte(c))
	}
	if s.rerr != nil {
		return s.fail(-1, "read error: %v", s.rerr)
	}
	s.state = stDone
	return io.EOF
}

func (s *Scanner) truncated(entry int) error {
	if s.rerr != nil {
		return s.fail(entry, "read error: %v", s.rerr)
	}
	return s.fail(entry, "unexpected end of file (truncated HAR?)")
}

// memberKey reads `"key":` (preceded by ',' after the first member) or the
// closing '}'.
func (s *Scanner) memberKey() (key string, done bool, err error) {
	c, ok := s.skipSpace()
	if !ok {
		return "", false, s.truncated(-1)
	}
	if c == '}' {
		s.pos++
		return "", true, nil
	}
	if !s.first {
		if c != ',' {
			return "", false, s.fail(-1, "expected ',' or '}' but found %s", quoteByte(c))
		}
		s.pos++
		if c, ok = s.skipSpace(); !ok {
			return "", false, s.truncated(-1)
		}
	}
	s.first = false
	if c != '"' {
		return "", false, s.fail(-1, "expected a member name but found %s", quoteByte(c))
	}
	off := s.Offset()
	raw, err := s.value(-1)
	if err == nil {
		err = s.check(raw, -1, off, "member name")
	}
	if err != nil {
		return "", false, err
	}
	key = gjson.ParseBytes(raw).String()
	if c, ok = s.skipSpace(); !ok {
		return "", false, s.truncated(-1)
	}
	if c != ':' {
		return "", false, s.fail(-1, "expected ':' after %q but found %s", key, quoteByte(c))
	}
	s.pos++
	return key, false, nil
}

// skipSpace skips JSON white space and returns the next byte without consuming it.
func (s *Scanner) skipSpace() (byte, bool) {
	for {
		if s.pos = jsonspan.SkipSpace(s.buf[:s.end], s.pos); s.pos < s.end {
			return s.buf[s.pos], true
		}
		if s.fill(1) == 0 {
			return 0, false
		}
	}
}

// fill makes at least n unread bytes available if the input has them and
// returns how many are available. It may move buffered data, so offsets into
// buf must be relative to s.pos across calls.
func (s *Scanner) fill(n int) int {
	empty := 0
	for s.end-s.pos < n && !s.eof {
		if s.pos > 0 && s.pos == s.end {
			s.base += int64(s.pos)
			s.pos, s.end = 0, 0
		}
		if s.end == len(s.buf) {
			if s.pos > 0 {
				copy(s.buf, s.buf[s.pos:s.end])
				s.base += int64(s.pos)
				s.end -= s.pos
				s.pos = 0
			} else {
				nb := make([]byte, 2*len(s.buf))
				copy(nb, s.buf[:s.end])
				s.buf = nb
			}
		}
		m, err := s.r.Read(s.buf[s.end:])
		s.end += m
		if m == 0 && err == nil {
			// A reader that never returns data nor error would spin forever.
			if empty++; empty >= 100 {
				err = io.ErrNoProgress
			}
		}
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.rerr = err
			}
		}
	}
	return s.end - s.pos
}

// value consumes one JSON value starting at the next non-space byte and
// returns its raw bytes. Only brackets and string quoting are tracked here;
// callers validate the full grammar of what they keep with check.
func (s *Scanner) value(entry int) ([]byte, error) {
	c, ok := s.skipSpace()
	if !ok {
		return nil, s.truncated(entry)
	}
	switch c {
	case '"':
		n, err := s.stringEnd(1, entry)
		if err != nil {
			return nil, err
		}
		return s.take(n), nil
	case '{', '[':
		return s.composite(entry)
	case '}', ']', ',', ':':
		return nil, s.fail(entry, "expected a value but found %s", quoteByte(c))
	}
	// A number or literal (or garbage, which check rejects). One ending the
	// input is returned too: the caller then reports the truncation.
	n := 0
	for {
		if s.pos+n >= s.end && s.fill(n+1) <= n {
			break
		}
		if jsonspan.EndsScalar(s.buf[s.pos+n]) {
			break
		}
		if n++; n > s.limit {
			return nil, s.fail(entry, "value larger than %d bytes", s.limit)
		}
	}
	return s.take(n), nil
}

// composite consumes an object or array starting at s.pos. Offsets are kept
// relative to s.pos because fill may move the buffered data.
func (s *Scanner) composite(entry int) ([]byte, error) {
	stack := s.stack[:0]
	defer func() { s.stack = stack[:0] }()
	n := 0
	for {
		if s.pos+n >= s.end {
			if n > s.limit {
				return nil, s.fail(entry, "value larger than %d bytes", s.limit)
			}
			if s.fill(n+1) <= n {
				s.pos = s.end
				return nil, s.truncated(entry)
			}
		}
		seg := s.buf[s.pos+n : s.end]
		i := jsonspan.NextStructural(seg, 0)
		n += i
		if i == len(seg) {
			continue
		}
		switch c := seg[i]; c {
		case '"':
			m, err := s.stringEnd(n+1, entry)
			if err != nil {
				return nil, err
			}
			n = m
			continue
		case '{', '[':
			if len(stack) >= maxDepth {
				return nil, s.failAt(entry, s.Offset()+int64(n), "nested deeper than %d levels", maxDepth)
			}
			stack = append(stack, c+2) // '{'+2 == '}', '['+2 == ']'
		default:
			if want := stack[len(stack)-1]; c != want {
				return nil, s.failAt(entry, s.Offset()+int64(n), "found %s where %s was expected", quoteByte(c), quoteByte(want))
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return s.take(n + 1), nil
			}
		}
		n++
	}
}

// stringEnd returns the offset, relative to s.pos, just past the closing
// quote of a string whose contents start at relative offset start, reading
// more input as long as the buffered part holds no closing quote
// (jsonspan.StringEndFrom: each byte is looked at about once, so long
// bodies full of escapes scan in linear time).
func (s *Scanner) stringEnd(start, entry int) (int, error) {
	n := start // b[start:n] holds no closing quote
	for {
		if s.pos+n >= s.end {
			if n > s.limit {
				return 0, s.fail(entry, "value larger than %d bytes", s.limit)
			}
			if s.fill(n+1) <= n {
				s.pos = s.end
				return 0, s.truncated(entry)
			}
		}
		b := s.buf[s.pos:s.end]
		if end := jsonspan.StringEndFrom(b, start, n); end >= 0 {
			return end, nil
		}
		n = len(b)
	}
}

// take consumes n bytes from s.pos and returns them.
func (s *Scanner) take(n int) []byte {
	raw := s.buf[s.pos : s.pos+n]
	s.pos += n
	return raw
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("'%c'", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// memberName is how errors name a member: "log.version", "comment" beside
// log, or a quoted name when the file's key is not a plain word, so that
// whatever the key holds the message stays one line.
func memberName(inLog bool, key string) string {
	plain := key != ""
	for _, c := range key {
		plain = plain && (c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
	}
	if !plain {
		key = strconv.Quote(key)
	}
	if inLog {
		return "log." + key
	}
	return key
}
