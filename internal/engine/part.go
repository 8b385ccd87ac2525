package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"hubdoctor/internal/har"
)

// A browser reads a large HAR file with two engines, each in a worker of its
// own, as AnalyzeFile does with goroutines: one analyses the file from its
// start, the other scans it from an entry start further on (a Part), and
// the first, once its own scan reaches exactly that start, takes the part
// over (AnalyzeSplit) instead of reading on. The engines share no memory,
// so the part travels as bytes (MarshalBinary): the raw entries a rule may
// read and the counts of the others, in pieces (Cut) as the scan goes, so
// that the first engine takes each over while the second still scans. The
// analysis in file order checks and parses them itself, so findings, failed
// calls and errors are those of a single scan, and a part that cannot be
// used (its start was a wrong guess, the file breaks in it, it holds too
// much) only costs time: the first engine reads on, past the entries it
// took over.

// ErrPartTooLarge is the error of a Part that would hold more than
// maxPartHold bytes of entries: the analysis in file order reads the rest
// of the file itself.
var ErrPartTooLarge = errors.New("the part holds too many entries a rule reads to hand them over")

// Part is what a scan of a HAR file, from the start of an entry to the end
// of the file, keeps for the analysis in file order (AnalyzeSplit), or a
// piece of it (Cut).
type Part struct {
	// Start is the offset of the entry the whole part starts with.
	Start int64
	// First is the index, counted from Start, of the piece's first entry;
	// Entries counts the entries scanned up to the piece's end.
	First, Entries int
	// Last is set on the piece that ends with the file.
	Last  bool
	items []partItem
	// total is what the scan has held since Start, across pieces.
	total int
}

// partItem is one item of a Part: a run of entries no rule reads
// (skipped), or an entry one may read, or the log's browser or creator
// (key), with its raw JSON.
type partItem struct {
	skipped int
	key     string
	raw     []byte
	// index counts the part's entries before this one; offset is the
	// entry's in the file.
	index  int
	offset int64
}

// Scan reads r, the file from p.Start to its end, keeping what AnalyzeSplit
// needs: every entry s's rules may read, or a failed Webex call, raw. It
// returns the first error of the scan (where the file broke, named as
// name; the entry's index counts from the part's start) or ErrPartTooLarge;
// at the end of the file, the part is Last.
func (p *Part) Scan(r io.Reader, name string, s *Session) error {
	sc := har.ResumeScanner(r, name, p.Start, 0)
	sc.DeferEntryChecks()
	err := sc.Each(func(it har.Item) error {
		switch {
		case it.Kind == har.Member && (it.Key == "browser" || it.Key == "creator"):
			p.items = append(p.items, partItem{key: it.Key, raw: bytes.Clone(it.Raw)})
		case it.Kind == har.EntryItem:
			p.Entries = sc.Entries()
			if !s.NeedsBody(har.PeekRequest(it.Raw)) {
				if n := len(p.items); n > 0 && p.items[n-1].skipped > 0 {
					p.items[n-1].skipped++
				} else {
					p.items = append(p.items, partItem{skipped: 1})
				}
				return nil
			}
			if p.total += len(it.Raw); p.total > maxPartHold {
				return ErrPartTooLarge
			}
			p.items = append(p.items, partItem{raw: bytes.Clone(it.Raw), index: it.Index, offset: it.Offset})
		}
		return nil
	})
	p.Last = err == nil
	return err
}

// Cut returns what p holds as a piece of its own, from the end of the
// previous Cut (or Start) to the last item scanned, and empties p. Cut
// while Scan runs only from Scan's goroutine (between two reads).
func (p *Part) Cut() *Part {
	piece := &Part{Start: p.Start, First: p.First, Entries: p.Entries, Last: p.Last, items: p.items}
	p.First, p.items = p.Entries, nil
	return piece
}

// partMagic opens a Part's bytes, so that bytes of anything else are refused.
const partMagic = "hubdoctor part 2\n"

// Item kinds in a Part's bytes.
const (
	partSkipped = iota
	partEntry
	partMember
)

// MarshalBinary returns the part as bytes for UnmarshalBinary, in another
// engine built from the same source.
func (p *Part) MarshalBinary() ([]byte, error) {
	size := len(partMagic) + 32
	for _, it := range p.items {
		size += len(it.key) + len(it.raw) + 24
	}
	b := make([]byte, 0, size)
	b = append(b, partMagic...)
	b = binary.AppendVarint(b, p.Start)
	b = binary.AppendUvarint(b, uint64(p.First))
	b = binary.AppendUvarint(b, uint64(p.Entries))
	last := byte(0)
	if p.Last {
		last = 1
	}
	b = append(b, last)
	b = binary.AppendUvarint(b, uint64(len(p.items)))
	for _, it := range p.items {
		switch {
		case it.skipped > 0:
			b = append(b, partSkipped)
			b = binary.AppendUvarint(b, uint64(it.skipped))
			continue
		case it.key != "":
			b = append(b, partMember)
			b = binary.AppendUvarint(b, uint64(len(it.key)))
			b = append(b, it.key...)
		default:
			b = append(b, partEntry)
			b = binary.AppendUvarint(b, uint64(it.index))
			b = binary.AppendVarint(b, it.offset)
		}
		b = binary.AppendUvarint(b, uint64(len(it.raw)))
		b = append(b, it.raw...)
	}
	return b, nil
}

// UnmarshalBinary reads a part written by MarshalBinary; it refuses bytes
// that are not one, saying at which byte. The part keeps slices of b.
func (p *Part) UnmarshalBinary(b []byte) error {
	d := partDecoder{b: b}
	if !bytes.HasPrefix(b, []byte(partMagic)) {
		return errors.New("not a part of a HAR file written by this engine")
	}
	d.at = len(partMagic)
	*p = Part{}
	p.Start = d.varint()
	p.First = d.count(math.MaxInt32)
	p.Entries = d.count(math.MaxInt32)
	switch d.byte() {
	case 0:
	case 1:
		p.Last = true
	default:
		d.fail("a broken end mark")
	}
	if p.First > p.Entries {
		d.fail("a piece that ends before it starts")
	}
	n := d.count(len(b))
	for i := 0; i < n && d.err == nil; i++ {
		var it partItem
		switch kind := d.byte(); kind {
		case partSkipped:
			it.skipped = d.count(math.MaxInt32)
			if it.skipped == 0 {
				d.fail("an empty run of entries")
			}
			p.items = append(p.items, it)
			continue
		case partMember:
			it.key = string(d.bytes())
		case partEntry:
			it.index = d.count(math.MaxInt32)
			it.offset = d.varint()
		default:
			d.fail(fmt.Sprintf("unknown item kind %d", kind))
		}
		it.raw = d.bytes()
		p.items = append(p.items, it)
	}
	if d.err == nil && d.at != len(b) {
		d.fail("bytes after the last item")
	}
	return d.err
}

// partDecoder reads a Part's bytes; its first error sticks, and later reads
// return zero values.
type partDecoder struct {
	b   []byte
	at  int
	err error
}

func (d *partDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("broken part of a HAR file at byte %d: %s", d.at, what)
	}
}

func (d *partDecoder) byte() byte {
	if d.err != nil || d.at >= len(d.b) {
		d.fail("cut short")
		return 0
	}
	d.at++
	return d.b[d.at-1]
}

func (d *partDecoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.at:])
	if n <= 0 {
		d.fail("a broken number")
		return 0
	}
	d.at += n
	return v
}

// count reads a number from 0 to most.
func (d *partDecoder) count(most int) int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.at:])
	if n <= 0 || v > uint64(most) {
		d.fail("a broken count")
		return 0
	}
	d.at += n
	return int(v)
}

func (d *partDecoder) bytes() []byte {
	n := d.count(len(d.b))
	if d.err != nil || n > len(d.b)-d.at {
		d.fail("cut short")
		return nil
	}
	d.at += n
	return d.b[d.at-n : d.at]
}

// Split is where AnalyzeSplit may hand the rest of the file over to a Part.
type Split struct {
	// At is the offset of the entry the part starts with.
	At int64
	// Take is called once, when the scan reaches At (reached) or passes it
	// without an entry starting there. It returns nil to read on, or a
	// function giving the part's pieces in order (Cut), one per call, then
	// nil if the part stops short of its Last piece: the analysis then reads
	// on, past the entries the pieces held.
	Take func(reached bool) (next func() *Part)
}

// AnalyzeSplit is AnalyzeHAR for a file another engine scans from split.At
// on (Part.Scan): once the scan in file order reaches that entry, it
// applies the pieces of the part split.Take gives, checking and parsing
// their entries as if it had read them, and stops reading at the last. The
// result and errors are AnalyzeHAR's.
func AnalyzeSplit(r io.Reader, name string, s *Session, split Split) (*Result, error) {
	res := newResult()
	sc := har.NewScanner(r, name)
	sc.DeferEntryChecks()
	var next func() *Part
	var at har.Item // the entry at the split
	asked := false
	err := res.scan(sc, s, func(it har.Item) bool {
		if asked || it.Offset < split.At {
			return false
		}
		asked = true
		next, at = split.Take(it.Offset == split.At), it
		return next != nil
	})
	if err != nil || next == nil {
		res.finish(sc.Entries(), s)
		return res, err
	}
	took := 0 // entries of the part taken over
	for p := next(); p != nil; p = next() {
		if p.Start != split.At || p.First != took {
			res.finish(at.Index+took, s)
			return res, fmt.Errorf("a piece of the part handed over starts at entry %d of byte %d, not %d of %d", p.First, p.Start, took, split.At)
		}
		n, err := res.applyPart(sc, s, p, at.Index)
		if err != nil || p.Last {
			res.finish(n, s)
			return res, err
		}
		took = p.Entries
	}
	// The part stopped short: read on, past what it gave.
	from := at.Index + took
	err = res.read(sc, s, at, from)
	if err == nil {
		err = sc.Each(func(it har.Item) error { return res.read(sc, s, it, from) })
	}
	res.finish(sc.Entries(), s)
	return res, err
}

// read applies the item it, unless it is an entry before index from.
func (res *Result) read(sc *har.Scanner, s *Session, it har.Item, from int) error {
	if it.Kind == har.EntryItem && it.Index < from {
		return nil
	}
	st, err := prepare(sc, it, s)
	if err != nil {
		return err
	}
	res.apply(s, st, 0)
	return nil
}

// applyPart runs the items of part, whose entries are counted from base,
// through s as scan would have. It returns the entries read, and the error
// of the first entry a rule reads that is not valid JSON (as scan would
// have, with its index and offset in the file).
func (res *Result) applyPart(sc *har.Scanner, s *Session, part *Part, base int) (int, error) {
	for _, it := range part.items {
		var st step
		switch {
		case it.skipped > 0:
			st.skipped = it.skipped
		case it.key != "":
			st.browserKey, st.browser = it.key, browserName(it.raw)
		default:
			var err error
			st, err = prepare(sc, har.Item{Kind: har.EntryItem, Raw: it.raw, Index: base + it.index, Offset: it.offset}, s)
			if err != nil {
				return base + it.index + 1, err
			}
		}
		res.apply(s, st, 0)
	}
	return base + part.Entries, nil
}
