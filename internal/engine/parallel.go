package engine

import (
	"io"
	"sync/atomic"

	"hubdoctor/internal/har"
)

const (
	// minParallelSize is the smallest file AnalyzeFile splits: below it,
	// starting the parts costs more than it saves.
	minParallelSize = 16 << 20
	// maxParts bounds the parts, and so the memory they hold.
	maxParts = 8
	// maxPartHold bounds the bytes of parsed entries one part holds while
	// the parts before it are still being read; a part that needs more
	// gives up and is read in file order instead.
	maxPartHold = 16 << 20
)

// AnalyzeFile analyses a HAR file that can be read at any offset, with the
// same result and errors as AnalyzeHAR, using up to workers goroutines. The
// file is cut where entries seem to start (har.EntryStarts); every part
// after the first is scanned and prepared (which entries a rule wants,
// checked and parsed) in parallel, and used only once the scan of the parts
// before it has reached exactly its start, so a wrong guess costs time,
// never a different answer. The session's rules run in file order, in the
// calling goroutine. Parts that fail, or hold too much, are read again in
// file order, so errors name the same entry and byte as AnalyzeHAR's.
func AnalyzeFile(r io.ReaderAt, size int64, name string, s *Session, workers int) (*Result, error) {
	res, _, err := analyzeFile(r, size, name, s, workers, minParallelSize)
	return res, err
}

// analyzeFile is AnalyzeFile splitting files of minSize bytes or more; it
// also returns how many parts' prepared steps were used.
func analyzeFile(r io.ReaderAt, size int64, name string, s *Session, workers int, minSize int64) (*Result, int, error) {
	var parts []*part
	if size >= minSize {
		for _, start := range har.EntryStarts(r, size, min(workers, maxParts)) {
			parts = append(parts, &part{start: start, done: make(chan struct{})})
		}
	}
	for i, p := range parts {
		go p.prepare(r, size, name, s, parts, i)
	}
	defer func() {
		for _, p := range parts {
			p.cancel.Store(true)
			<-p.done
		}
	}()

	res := newResult()
	sc := har.NewScanner(io.NewSectionReader(r, 0, size), name)
	sc.DeferEntryChecks()
	next := 0         // the first part whose start the scan has not reached
	at, index := 0, 0 // the part the scan stopped at, and its first entry's index
	stop := func(it har.Item) bool {
		for next < len(parts) && parts[next].start < it.Offset {
			parts[next].cancel.Store(true) // not an entry start after all
			next++
		}
		if next < len(parts) && parts[next].start == it.Offset {
			at, index = next, it.Index
			next++
			return true
		}
		return false
	}
	used := 0
	for {
		at = -1
		if err := res.scan(sc, s, stop); err != nil || at < 0 {
			res.finish(sc.Entries(), s)
			return res, used, err
		}
		// The scan reached a part's start: take over what the part prepared,
		// and the parts it reached in turn.
		p := parts[at]
		<-p.done
		for p.ok {
			used++
			for _, st := range p.steps {
				res.apply(s, st, index)
			}
			if p.handover < 0 {
				res.finish(index+p.entries, s)
				return res, used, nil
			}
			for ; next < p.handover; next++ {
				parts[next].cancel.Store(true)
			}
			index += p.entries
			p = parts[p.handover]
			next++
			<-p.done
		}
		sc = har.ResumeScanner(io.NewSectionReader(r, p.start, size-p.start), name, p.start, index)
		sc.DeferEntryChecks()
	}
}

// part is one part of a file that AnalyzeFile prepares in parallel.
type part struct {
	start  int64 // offset of the entry the part starts with
	done   chan struct{}
	cancel atomic.Bool

	// Set before done is closed:
	// ok is set when the part was read to its end without error.
	ok    bool
	steps []step
	// entries counts the entries read (its first entry's index is 0).
	entries int
	// handover is the part whose start the part ended at, or -1 when it
	// ended at the end of the file.
	handover int
}

// prepare scans the file from p.start, the start of parts[self], until the
// start of a later part or the end of the file, keeping the prepared steps.
// It stops without ok when cancelled, on any error (the scan in file order
// will report it, with the entry's real index) and when it would hold more
// than maxPartHold bytes.
func (p *part) prepare(r io.ReaderAt, size int64, name string, s *Session, parts []*part, self int) {
	defer close(p.done)
	sc := har.ResumeScanner(io.NewSectionReader(r, p.start, size-p.start), name, p.start, 0)
	sc.DeferEntryChecks()
	next, held := self+1, 0
	for !p.cancel.Load() {
		it, err := sc.Next()
		if err == io.EOF {
			p.ok, p.entries, p.handover = true, sc.Entries(), -1
			return
		}
		if err != nil {
			return
		}
		if it.Kind == har.EntryItem && it.Index > 0 {
			for next < len(parts) && parts[next].start < it.Offset {
				next++
			}
			if next < len(parts) && parts[next].start == it.Offset {
				p.ok, p.entries, p.handover = true, it.Index, next
				return
			}
		}
		st, err := prepare(sc, it, s)
		if err != nil {
			return
		}
		if n := len(p.steps); st.skipped > 0 && n > 0 && p.steps[n-1].skipped > 0 {
			p.steps[n-1].skipped += st.skipped
			continue
		}
		if e := st.entry; e != nil {
			if held += len(it.Raw); held > maxPartHold {
				return
			}
		}
		p.steps = append(p.steps, st)
	}
}
