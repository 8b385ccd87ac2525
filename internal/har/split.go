package har

import (
	"bytes"
	"io"
)

// splitWindow is how far past each even split EntryStarts looks for an
// entry start, in reads of splitChunk; headWindow how far into the file
// it looks for the first entry.
const (
	splitWindow = 8 << 20
	splitChunk  = 256 << 10
	headWindow  = 1 << 20
)

// EntryStarts guesses the offsets of up to n-1 entries that split a HAR file
// of size bytes into n parts of about equal size, so that the parts can be
// scanned in parallel (ResumeScanner). It relies on how Chrome and Firefox
// export: pretty-printed, each entry's '{' alone on its line after the
// previous entry's "},", at the indentation of the first entry. A raw line
// break never occurs inside a JSON string, so in a well-formed file such a
// line is never inside a body or header; it could still be an element of
// another array at the same depth, so every guess must be confirmed by
// scanning up to it. It returns nil for a file written on one line, and
// fewer starts when it finds none near a split.
func EntryStarts(r io.ReaderAt, size int64, n int) []int64 {
	if n < 2 {
		return nil
	}
	head := make([]byte, min(size, headWindow))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil
	}
	pattern := entryPattern(head)
	if pattern == nil {
		return nil
	}
	var starts []int64
	buf := make([]byte, splitChunk)
	for i := 1; i < n; i++ {
		from := size * int64(i) / int64(n)
		if len(starts) > 0 && from <= starts[len(starts)-1] {
			continue
		}
		if off := nextEntryStart(r, from, min(size, from+splitWindow), pattern, buf); off >= 0 {
			starts = append(starts, off)
		}
	}
	return starts
}

// EntryStartIn guesses, as EntryStarts does, the first entry start in
// window, a piece of the file whose first bytes are head: it returns its
// offset in window, or -1 when window shows none (or head shows no
// line-broken entries). A reader without random access (a browser's File
// read slice by slice) splits a file with it; the guess must be confirmed
// the same way.
func EntryStartIn(head, window []byte) int {
	pattern := entryPattern(head)
	if pattern == nil {
		return -1
	}
	return findEntryStart(window, pattern)
}

// entryPattern returns what precedes each entry's '{' in a file whose first
// bytes are head, "\n" + indent + "{" (a "\r\n" line end is matched by its
// "\n"), or nil when head shows no line-broken entries.
func entryPattern(head []byte) []byte {
	indent := entryIndent(head)
	if indent == nil {
		return nil
	}
	pattern := append([]byte("\n"), indent...)
	return append(pattern, '{')
}

// nextEntryStart reads r from from to end in chunks the size of buf and
// returns the offset of the first entry start (see findEntryStart), or -1.
// Consecutive chunks overlap so that no match straddling two is missed.
func nextEntryStart(r io.ReaderAt, from, end int64, pattern, buf []byte) int64 {
	overlap := int64(len(pattern) + 3) // "},\r" before the pattern
	for at := from; at < end; at += int64(len(buf)) - overlap {
		m, err := r.ReadAt(buf[:min(int64(len(buf)), end-at)], at)
		if err != nil && err != io.EOF {
			return -1
		}
		if off := findEntryStart(buf[:m], pattern); off >= 0 {
			return at + int64(off)
		}
		if m < len(buf) {
			return -1
		}
	}
	return -1
}

// entryIndent returns the white space before the first entry's '{' on its
// line, or nil when the head of the file shows no line-broken entries.
func entryIndent(head []byte) []byte {
	i := bytes.Index(head, []byte(`"entries"`))
	if i < 0 {
		return nil
	}
	rest := bytes.TrimLeft(head[i+len(`"entries"`):], " \t\r\n")
	if len(rest) == 0 || rest[0] != ':' {
		return nil
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || rest[0] != '[' {
		return nil
	}
	brace := len(head) - len(bytes.TrimLeft(rest[1:], " \t\r\n"))
	if brace >= len(head) || head[brace] != '{' {
		return nil
	}
	nl := bytes.LastIndexByte(head[:brace], '\n')
	if nl < 0 || len(bytes.Trim(head[nl+1:brace], " \t")) != 0 {
		return nil
	}
	return head[nl+1 : brace]
}

// findEntryStart returns the offset in b of the '{' of the first
// occurrence of pattern ("\n" + indent + "{") that follows "}," (with an
// optional '\r' before the line break), or -1.
func findEntryStart(b, pattern []byte) int {
	for from := 0; ; {
		i := bytes.Index(b[from:], pattern)
		if i < 0 {
			return -1
		}
		at := from + i
		before := bytes.TrimSuffix(b[:at], []byte("\r"))
		if bytes.HasSuffix(before, []byte("},")) {
			return at + len(pattern) - 1
		}
		from = at + 1
	}
}
