// Package offline is the pure-Go side of a HAR file opened in the extension
// (panel or triage page): the whole file analysed or sanitized at once, or
// read chunk by chunk as the browser pushes it, never held whole. Findings
// come back explained for the views (explain.Shown).
package offline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/explain"
	"hubdoctor/internal/sanitize"
)

// A HAR file opened in the extension is read by the browser in chunks
// (File.slice) and pushed here one chunk at a time, so neither JavaScript
// nor Go ever holds the whole file: the engine's streaming scanner reads the
// chunks through a stream, in a goroutine, as if they were one file. Import
// analyses; SanitizeStream writes the sanitized copy.

// ErrCancelled is what the consumer of a cancelled stream reads.
var ErrCancelled = errors.New("import cancelled")

// errClosed is returned by Push after Finish or Cancel.
var errClosed = errors.New("the import is already finished or cancelled")

// ErrBusy is returned by Push while another Push of the same stream runs.
var ErrBusy = errors.New("the previous chunk is still being read")

// errNotHolding is returned by Handover when the import does not wait for
// a part, errHolding by Push when it does.
var (
	errNotHolding = errors.New("the import is not waiting for a part of the file")
	errHolding    = errors.New("the import waits for a part of the file, not for more of it")
)

// stream is the io.Reader between Push and a consumer goroutine (the
// engine's or the sanitizer's scanner). Push hands a chunk over and returns
// once the consumer has read all of it and asks for more, so everything the
// chunk completed has been processed; snapshot runs in the consumer's
// goroutine at that moment, so it may read the consumer's state without a
// lock.
type stream struct {
	chunks   chan []byte // Push → Read; closed by finish (end of file)
	wants    chan any    // Read → Push: the chunk is read; carries the snapshot
	cancel   chan struct{}
	done     chan struct{} // closed when the consumer returned
	snapshot func() any

	cur  []byte
	owed bool  // a chunk was handed over and not yet acknowledged
	read int64 // bytes the consumer read
	// resumes carries resume's value to a consumer in hold; holding is
	// set while one waits for it.
	resumes chan any
	holding atomic.Bool
	// push serializes Push and finish; ended is set under it by finish.
	push  sync.Mutex
	ended bool
	stop  sync.Once
}

// startStream runs consume(s) in a goroutine.
func startStream(consume func(io.Reader), snapshot func() any) *stream {
	s := &stream{
		chunks:   make(chan []byte),
		wants:    make(chan any),
		cancel:   make(chan struct{}),
		done:     make(chan struct{}),
		resumes:  make(chan any),
		snapshot: snapshot,
	}
	go func() {
		defer close(s.done)
		consume(s)
	}()
	return s
}

// Read serves the pushed chunks in order; io.EOF after finish, ErrCancelled
// after cancel.
func (s *stream) Read(p []byte) (int, error) {
	for len(s.cur) == 0 {
		if s.owed {
			s.owed = false
			select {
			case s.wants <- s.snapshot():
			case <-s.cancel:
				return 0, ErrCancelled
			}
		}
		select {
		case b, ok := <-s.chunks:
			if !ok {
				return 0, io.EOF
			}
			s.cur, s.owed = b, true
		case <-s.cancel:
			return 0, ErrCancelled
		}
	}
	n := copy(p, s.cur)
	s.cur = s.cur[n:]
	if len(s.cur) == 0 {
		s.cur = nil // let the pushed chunk go
	}
	s.read += int64(n)
	return n, nil
}

// send hands b to the consumer and waits until it has read it. It returns
// the consumer's snapshot, or stopped when the consumer returned (it gave up
// on a broken file) before reading all of b.
func (s *stream) send(b []byte) (snap any, stopped bool, err error) {
	if !s.push.TryLock() {
		return nil, false, ErrBusy
	}
	defer s.push.Unlock()
	select {
	case <-s.cancel:
		return nil, false, errClosed
	default:
	}
	if s.ended {
		return nil, false, errClosed
	}
	if s.holding.Load() {
		return nil, false, errHolding
	}
	if len(b) == 0 {
		// An empty chunk would look like no progress; nothing to hand over.
		b = nil
	}
	select {
	case s.chunks <- b:
	case <-s.done:
		return nil, true, nil
	}
	return s.answer()
}

// answer waits for the consumer's next snapshot (it has read what it was
// given, or holds), or for its return (stopped).
func (s *stream) answer() (snap any, stopped bool, err error) {
	select {
	case snap = <-s.wants:
		return snap, false, nil
	case <-s.done:
		return nil, true, nil
	}
}

// hold, in the consumer goroutine, answers the Push waiting for the
// current chunk with snap before the chunk is read, and waits for resume's
// value. ok is false, and nothing is sent, when no Push waits (the file
// has ended); err is ErrCancelled after abort.
func (s *stream) hold(snap any) (v any, ok bool, err error) {
	if !s.owed {
		return nil, false, nil
	}
	s.holding.Store(true)
	defer s.holding.Store(false)
	select {
	case s.wants <- snap:
	case <-s.cancel:
		return nil, false, ErrCancelled
	}
	select {
	case v = <-s.resumes:
		// The chunk is still owed: its caller is now resume's.
		return v, true, nil
	case <-s.cancel:
		return nil, false, ErrCancelled
	}
}

// resume hands v to the consumer in hold and, as send does, waits until it
// has read the rest of the chunk it held in, or returned. It errors when
// the consumer does not hold, and as send does.
func (s *stream) resume(v any) (snap any, stopped bool, err error) {
	if !s.push.TryLock() {
		return nil, false, ErrBusy
	}
	defer s.push.Unlock()
	if !s.holding.Load() {
		return nil, false, errNotHolding
	}
	select {
	case s.resumes <- v:
	case <-s.done:
		return nil, true, nil
	case <-s.cancel:
		return nil, false, errClosed
	}
	return s.answer()
}

// finish tells the consumer the file ends here and waits for it to return.
func (s *stream) finish() {
	s.push.Lock()
	defer s.push.Unlock()
	if !s.ended {
		s.ended = true
		close(s.chunks)
	}
	for {
		select {
		case <-s.done:
			return
		case s.resumes <- nil: // a consumer in hold reads on alone
		case <-s.wants: // the snapshot it then owes nobody waits for
		}
	}
}

// abort makes the consumer's next read fail with ErrCancelled and waits for
// it to return.
func (s *stream) abort() {
	s.stop.Do(func() { close(s.cancel) })
	<-s.done
}

// Import is one HAR file analysed as it is read, chunk by chunk, in a fresh
// session (the live one is left alone). Push the file's bytes in order, then
// call Finish, or Cancel to stop early. Memory stays bounded by the largest
// entry, whatever the file size. One Push at a time.
type Import struct {
	lang string
	st   *stream
	// found collects the findings of entries analysed since the last
	// snapshot; only the consumer goroutine touches it.
	found []engine.Finding
	// calls collects the failed calls found since the last snapshot, as
	// found: consumer goroutine only.
	calls []engine.FailedCall
	// missed is set when the scan passed the split without an entry
	// starting there: consumer goroutine only.
	missed  bool
	session *engine.Session
	res     *engine.Result
	err     error
}

// ImportProgress is where an Import stands after a Push.
type ImportProgress struct {
	// Bytes the engine has read, Entries it has seen (every entry, wanted
	// by a rule or not) and Inspected (read by some rule).
	Bytes     int64 `json:"bytes"`
	Entries   int   `json:"entries"`
	Inspected int   `json:"inspected"`
	// Findings are the ones found since the previous Push, explained, in the
	// order of the final result.
	Findings []explain.Shown `json:"findings"`
	// FailedCalls are the failed calls found since the previous Push, in
	// entry order: appended to those of earlier Pushes, they are the final
	// result's, so a view appends each batch and never re-renders the list.
	FailedCalls []engine.FailedCall `json:"failedCalls"`
	// Stopped means the engine stopped reading: the file is broken there
	// (Finish says where), or the part handed over ended it. Pushing more
	// is pointless.
	Stopped bool `json:"stopped"`
	// Handover means the engine has reached the entry the import was split
	// at and waits for Handover before going on; SplitMissed that it passed
	// that byte without an entry starting there, so no part will be taken.
	Handover    bool `json:"handover,omitempty"`
	SplitMissed bool `json:"splitMissed,omitempty"`
}

// NewImport starts analysing a HAR file named name (used in the error that
// says where a broken file broke), explaining findings in lang. When split
// is above 0, another engine scans the file from the entry starting at
// that byte (PartScan): on reaching it, a Push answers Handover, and the
// import waits for that part (Handover) rather than reading on.
func NewImport(name, lang string, split int64) *Import {
	im := &Import{lang: lang}
	im.session = engine.NewSession(im.observed())
	im.session.OnFailedCalls(func(calls []engine.FailedCall) { im.calls = append(im.calls, calls...) })
	im.st = startStream(func(r io.Reader) {
		if split <= 0 {
			im.res, im.err = engine.AnalyzeHAR(r, name, im.session)
			return
		}
		im.res, im.err = engine.AnalyzeSplit(r, name, im.session, engine.Split{At: split, Take: im.take})
	}, func() any { return im.progress() })
	return im
}

// take is the split's Take, in the consumer goroutine: at the split, it
// returns the pieces of the part as Handover gives them, answering the
// waiting Push (then each Handover) with Handover until the last.
func (im *Import) take(reached bool) func() *engine.Part {
	if !reached {
		im.missed = true
		return nil
	}
	var given []*engine.Part // pieces one Handover gave, not yet taken
	return func() *engine.Part {
		if len(given) == 0 {
			snap := im.progress()
			snap.Handover = true
			v, ok, err := im.st.hold(snap)
			if !ok || err != nil {
				return nil // the file had ended, or the import is cancelled: read on
			}
			given, _ = v.([]*engine.Part)
			if len(given) == 0 {
				return nil // the part stopped short: read on
			}
		}
		p := given[0]
		given = given[1:]
		return p
	}
}

// observed returns the catalog with each check wrapped to also collect its
// findings, so a Push can report them while engine.AnalyzeHAR, which returns
// them only at the end, still reads the file. A check that panics collects
// nothing: the panic reaches the session, which skips the rule as usual.
func (im *Import) observed() []*engine.Rule {
	catalog := engine.Catalog()
	rules := make([]*engine.Rule, len(catalog))
	for i, r := range catalog {
		w := *r
		check := r.Check
		w.Check = func(ctx *engine.Context) []engine.Finding {
			fs := check(ctx)
			im.found = append(im.found, fs...)
			return fs
		}
		rules[i] = &w
	}
	return rules
}

// progress runs in the consumer goroutine (stream.snapshot).
func (im *Import) progress() *ImportProgress {
	fs := im.found
	im.found = nil
	// Batches come in entry order; sorting each makes their concatenation
	// the final, sorted list.
	engine.SortFindings(fs)
	calls := im.calls
	im.calls = nil
	return &ImportProgress{
		Bytes:       im.st.read,
		Entries:     im.session.Seen,
		Inspected:   im.session.Inspected,
		Findings:    explain.ForViews(fs, im.lang),
		FailedCalls: explain.Calls(calls, im.lang),
		SplitMissed: im.missed,
	}
}

// Push hands the next chunk of the file to the engine and returns once the
// engine has read it. It errors after Finish or Cancel, or while another
// Push runs.
func (im *Import) Push(b []byte) (*ImportProgress, error) {
	return im.answer(im.st.send(b))
}

// Handover gives the import that waits for it (a Push, or the previous
// Handover, answered Handover) the next pieces of the part of the file
// from the split on, in order, as PartScan's Push and Finish wrote them. It
// returns once the import has taken them over: Handover again (it waits
// for more), or Stopped after the last (Finish gives the result). With no
// piece (the other engine could not scan further), the import reads on,
// past the entries the pieces held: it returns once it has read the rest
// of the last chunk pushed; push the rest of the file. It errors when the
// import does not wait for a piece, and on bytes that are not one.
func (im *Import) Handover(pieces ...[]byte) (*ImportProgress, error) {
	parts := make([]*engine.Part, len(pieces))
	for i, b := range pieces {
		parts[i] = new(engine.Part)
		if err := parts[i].UnmarshalBinary(b); err != nil {
			return nil, fmt.Errorf("piece %d of %d: %w", i+1, len(pieces), err)
		}
	}
	return im.answer(im.st.resume(parts))
}

// answer turns what the consumer answered a Push or Handover into progress.
func (im *Import) answer(snap any, stopped bool, err error) (*ImportProgress, error) {
	if err != nil {
		return nil, err
	}
	if stopped {
		// The consumer has returned: its state is final and safe to read.
		p := im.progress()
		p.Entries, p.Inspected, p.Stopped = im.res.Entries, im.res.Inspected, true
		return p, nil
	}
	return snap.(*ImportProgress), nil
}

// Finish ends the file and returns the whole result: every finding (the
// ones Push reported, then the rest), the counts, and in Error where a
// broken (truncated, not JSON, empty) file broke, one line naming the file,
// the entry and the byte; the findings before the break are kept.
func (im *Import) Finish() *FileResult {
	im.st.finish()
	return fileResult(im.res, im.err, im.lang)
}

// FinishCounts is Finish for a caller that kept what the Pushes (and
// Handover) reported: their findings and failed calls add up to the
// result's, so these are left out (nil), sparing their explanation and
// transfer a second time; the counts, the browser, the rule errors and the
// error are there.
func (im *Import) FinishCounts() *FileResult {
	im.st.finish()
	res := *im.res
	res.Findings, res.FailedCalls = nil, nil
	out := fileResult(&res, im.err, im.lang)
	out.Findings, out.FailedCalls = nil, nil
	return out
}

// Cancel stops the analysis and waits for the engine to let go of the
// stream; later Pushes error.
func (im *Import) Cancel() {
	im.st.abort()
}

// SanitizeStream writes the sanitized copy of a HAR file as it is read,
// chunk by chunk, so an export of any size passes through bounded memory:
// each Push returns the sanitized bytes produced so far. One Push at a time.
type SanitizeStream struct {
	st  *stream
	out bytes.Buffer // written by the consumer, drained by its snapshots
	err error
}

// NewSanitizeStream starts sanitizing a HAR file named name (used in errors).
// pseudonymize replaces e-mail addresses with stable pseudonyms.
func NewSanitizeStream(name string, pseudonymize bool) *SanitizeStream {
	ss := &SanitizeStream{}
	ss.st = startStream(func(r io.Reader) {
		_, ss.err = sanitize.HAR(r, &ss.out, name, sanitize.Options{PseudonymizeEmails: pseudonymize})
	}, func() any { return ss.drain() })
	return ss
}

// drain returns and forgets the output so far (consumer goroutine only,
// or after it returned).
func (ss *SanitizeStream) drain() []byte {
	b := bytes.Clone(ss.out.Bytes())
	ss.out.Reset()
	return b
}

// Push hands the next chunk of the file to the sanitizer and returns the
// sanitized output produced since the previous Push (possibly none: output
// is written entry by entry). It errors after Finish or Cancel, while
// another Push runs, or when the file broke (saying where): the output is
// then unusable.
func (ss *SanitizeStream) Push(b []byte) ([]byte, error) {
	snap, stopped, err := ss.st.send(b)
	if err != nil {
		return nil, err
	}
	if stopped {
		if ss.err != nil {
			return nil, ss.err
		}
		return ss.drain(), nil
	}
	return snap.([]byte), nil
}

// Finish ends the file and returns the rest of the output. It errors, saying
// where, when the file was broken; the output is then unusable.
func (ss *SanitizeStream) Finish() ([]byte, error) {
	ss.st.finish()
	if ss.err != nil {
		return nil, ss.err
	}
	return ss.drain(), nil
}

// Cancel stops the sanitizer; later Pushes error.
func (ss *SanitizeStream) Cancel() {
	ss.st.abort()
}

// PartScan is the other engine's side of a split import (NewImport): the
// file from the start of an entry to its end, scanned as it is pushed
// (engine.Part.Scan), cut into pieces for the import reading the file from
// its start to take over (Import.Handover). One Push at a time.
type PartScan struct {
	st   *stream
	part *engine.Part
	err  error
}

// PartProgress is where a PartScan stands after a Push: the bytes read and
// the entries scanned, the piece scanned since the previous Push (bytes
// for Import.Handover), and Stopped when the scan gave up (Finish says
// why).
type PartProgress struct {
	Bytes   int64  `json:"bytes"`
	Entries int    `json:"entries"`
	Piece   []byte `json:"-"`
	Stopped bool   `json:"stopped"`
}

// NewPartScan starts scanning the part of the HAR file named name (used in
// errors) that starts with the entry at byte start: push the file's bytes
// from there.
func NewPartScan(name string, start int64) *PartScan {
	ps := &PartScan{part: &engine.Part{Start: start}}
	session := engine.NewSession(nil)
	ps.st = startStream(func(r io.Reader) {
		ps.err = ps.part.Scan(r, name, session)
	}, func() any { return ps.progress(false) })
	return ps
}

// progress cuts a piece; it runs in the consumer goroutine, or after it
// returned.
func (ps *PartScan) progress(stopped bool) *PartProgress {
	p := &PartProgress{Bytes: ps.st.read, Entries: ps.part.Entries, Stopped: stopped}
	if !stopped {
		// A piece of bytes marshalled from memory cannot fail to encode.
		p.Piece, _ = ps.part.Cut().MarshalBinary()
	}
	return p
}

// Push hands the next chunk of the part to the scan and returns once it has
// read it, with the piece it scanned. It errors after Finish or Cancel, or
// while another Push runs.
func (ps *PartScan) Push(b []byte) (*PartProgress, error) {
	snap, stopped, err := ps.st.send(b)
	if err != nil {
		return nil, err
	}
	if stopped {
		return ps.progress(true), nil
	}
	return snap.(*PartProgress), nil
}

// Finish ends the file and returns the last piece, or the error that stops
// the part short (the file breaks in it, its start was no entry's, it holds
// too much): the import then reads on, past the pieces it took, and reports
// a break with the entry's index in the whole file.
func (ps *PartScan) Finish() ([]byte, error) {
	ps.st.finish()
	if ps.err != nil {
		return nil, ps.err
	}
	return ps.part.Cut().MarshalBinary()
}

// Cancel stops the scan; later Pushes error.
func (ps *PartScan) Cancel() {
	ps.st.abort()
}
