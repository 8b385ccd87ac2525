// Package har reads HTTP Archive (HAR 1.2) files as Chrome and Firefox export them.
//
// A Scanner streams a file entry by entry, so memory stays bounded by the
// largest single entry whatever the file size. ParseEntry turns one entry's raw
// JSON (from a file or from the DevTools live path) into an Entry.
package har

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/tidwall/gjson"
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
	// Raw is the member's or entry's JSON text. It is only valid until the
	// next call to Next; copy it to keep it.
	Raw []byte
	// Index is the entry's position in log.entries (0-based); -1 for members.
	Index int
	// Offset is the byte offset of Raw in the input.
	Offset int64
}

// Error is a HAR reading failure with its position.
type Error struct {
	// File names the input ("-" for standard input).
	File string
	// Entry is the index of the entry being read, or -1.
	Entry int
	// Offset is the byte offset where reading broke.
	Offset int64
	// Msg says what is wrong.
	Msg string
}

// Error formats the failure as one line: "file: entry N at byte B: msg".
func (e *Error) Error() string {
	where := fmt.Sprintf("byte %d", e.Offset)
	if e.Entry >= 0 {
		where = fmt.Sprintf("entry %d at byte %d", e.Entry, e.Offset)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, where, e.Msg)
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

	state   int
	first   bool // no member or element read yet in the current object or array
	entries int
	sawLog  bool
	sawEnts bool
	err     error
}

const (
	stTop = iota
	stTopMembers
	stLogMembers
	stEntries
	stDone
)

// maxEntry bounds one entry's size so a broken file cannot exhaust memory.
const maxEntry = 1 << 30

// NewScanner returns a Scanner reading r; name is used in error messages.
func NewScanner(r io.Reader, name string) *Scanner {
	return &Scanner{r: r, name: name, buf: make([]byte, 256<<10)}
}

// Entries reports how many entries have been yielded so far.
func (s *Scanner) Entries() int { return s.entries }

// Offset reports how many input bytes have been consumed.
func (s *Scanner) Offset() int64 { return s.base + int64(s.pos) }

// Next returns the next item. It returns io.EOF after the whole file has been
// read and checked, and an *Error when the input is not a well-formed HAR
// (empty, not JSON, truncated, no log.entries, entries not an array, or an
// entry that is not a valid JSON object).
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
	return &Error{File: s.name, Entry: entry, Offset: s.Offset(), Msg: fmt.Sprintf(msg, args...)}
}

func (s *Scanner) next() (Item, error) {
	for {
		switch s.state {
		case stTop:
			c, ok := s.skipSpace()
			if !ok {
				if s.rerr != nil {
					return Item{}, s.fail(-1, "read error: %v", s.rerr)
				}
				return Item{}, s.fail(-1, "file is empty")
			}
			if c == 0xEF && s.fill(3) >= 3 && bytes.Equal(s.buf[s.pos:s.pos+3], []byte{0xEF, 0xBB, 0xBF}) {
				s.pos += 3 // UTF-8 byte order mark, as some tools write
				continue
			}
			if c != '{' {
				return Item{}, s.fail(-1, "not JSON: expected '{' but found %s", quoteByte(c))
			}
			s.pos++
			s.state, s.first = stTopMembers, true
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
				if c, _ := s.skipSpace(); c != '{' {
					return Item{}, s.fail(-1, "log is not an object")
				}
				s.pos++
				s.sawLog = true
				s.state, s.first = stLogMembers, true
				continue
			}
			if inLog && key == "entries" {
				c, ok := s.skipSpace()
				if !ok {
					return Item{}, s.truncated(-1)
				}
				if c != '[' {
					return Item{}, s.fail(-1, "log.entries is not an array")
				}
				s.pos++
				s.sawEnts = true
				s.state, s.first = stEntries, true
				continue
			}
			off := s.Offset()
			raw, err := s.value(-1)
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
					return Item{}, s.fail(s.entries, "expected ',' or ']' between entries but found %s", quoteByte(c))
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
			if err != nil {
				return Item{}, err
			}
			if !gjson.ValidBytes(raw) {
				return Item{}, &Error{File: s.name, Entry: idx, Offset: off, Msg: "entry is not valid JSON"}
			}
			s.entries++
			return Item{Kind: EntryItem, Raw: raw, Index: idx, Offset: off}, nil
		case stDone:
			return Item{}, io.EOF
		}
	}
}

// finish checks what follows the closing brace of the top-level object.
func (s *Scanner) finish() error {
	if !s.sawLog {
		return s.fail(-1, "no log object: not a HAR file")
	}
	if c, ok := s.skipSpace(); ok {
		return s.fail(-1, "unexpected %s after the end of the HAR", quoteByte(c))
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
	raw, err := s.value(-1)
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
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return c, true
			}
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
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.rerr = err
			}
		}
	}
	return s.end - s.pos
}

// value consumes one JSON value starting at s.pos and returns its raw bytes.
// Only nesting and string quoting are tracked here; callers validate the
// grammar of what they keep with gjson.ValidBytes. Offsets are kept relative
// to s.pos because fill may move the buffered data.
func (s *Scanner) value(entry int) ([]byte, error) {
	if _, ok := s.skipSpace(); !ok {
		return nil, s.truncated(entry)
	}
	n, depth := 0, 0
	for {
		if s.pos+n >= s.end {
			if n >= maxEntry {
				return nil, s.fail(entry, "value larger than %d bytes", maxEntry)
			}
			if s.fill(n+1) <= n {
				if depth == 0 && n > 0 {
					return s.take(n), nil // a scalar ending the input
				}
				s.pos += n
				return nil, s.truncated(entry)
			}
		}
		switch c := s.buf[s.pos+n]; c {
		case '"':
			m, err := s.stringEnd(n+1, entry)
			if err != nil {
				return nil, err
			}
			n = m
			if depth == 0 {
				return s.take(n), nil
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				if n == 0 {
					return nil, s.fail(entry, "unexpected %s", quoteByte(c))
				}
				return s.take(n), nil // a scalar ending its object or array
			}
			depth--
			if depth == 0 {
				return s.take(n + 1), nil
			}
		case ',', ' ', '\n', '\r', '\t', ':':
			if depth == 0 {
				if n == 0 {
					return nil, s.fail(entry, "expected a value but found %s", quoteByte(c))
				}
				return s.take(n), nil
			}
		}
		n++
	}
}

// stringEnd returns the offset, relative to s.pos, just past the closing
// quote of a string whose contents start at relative offset n.
func (s *Scanner) stringEnd(n, entry int) (int, error) {
	for {
		if s.pos+n >= s.end && s.fill(n+1) <= n {
			s.pos = s.end
			return 0, s.truncated(entry)
		}
		seg := s.buf[s.pos+n : s.end]
		q := bytes.IndexByte(seg, '"')
		lim := len(seg)
		if q >= 0 {
			lim = q
		}
		if bs := bytes.IndexByte(seg[:lim], '\\'); bs >= 0 {
			n += bs + 2 // skip the escape pair; fill brings its second byte if unread
			continue
		}
		if q < 0 {
			n += len(seg)
			continue
		}
		return n + q + 1, nil
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
