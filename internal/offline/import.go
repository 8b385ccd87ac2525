// Package offline is the pure-Go side of a HAR file opened in the extension
// (panel or triage page): the whole file analysed or sanitized at once, or
// read chunk by chunk as the browser pushes it, never held whole. Findings
// come back explained for the views (explain.Shown).
package offline

import (
	"bytes"
	"errors"
	"io"
	"sync"

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

// errBusy is returned by Push while another Push of the same stream runs.
var errBusy = errors.New("the previous chunk is still being read")

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
		return nil, false, errBusy
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
	if len(b) == 0 {
		// An empty chunk would look like no progress; nothing to hand over.
		b = nil
	}
	select {
	case s.chunks <- b:
	case <-s.done:
		return nil, true, nil
	}
	select {
	case snap = <-s.wants:
		return snap, false, nil
	case <-s.done:
		return nil, true, nil
	}
}

// finish tells the consumer the file ends here and waits for it to return.
func (s *stream) finish() {
	s.push.Lock()
	defer s.push.Unlock()
	if !s.ended {
		s.ended = true
		close(s.chunks)
	}
	<-s.done
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
	calls   []engine.FailedCall
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
	// Stopped means the engine stopped reading (the file is broken there):
	// pushing more is pointless; Finish says where it broke.
	Stopped bool `json:"stopped"`
}

// NewImport starts analysing a HAR file named name (used in the error that
// says where a broken file broke), explaining findings in lang.
func NewImport(name, lang string) *Import {
	im := &Import{lang: lang}
	im.session = engine.NewSession(im.observed())
	im.session.OnFailedCalls(func(calls []engine.FailedCall) { im.calls = append(im.calls, calls...) })
	im.st = startStream(func(r io.Reader) {
		im.res, im.err = engine.AnalyzeHAR(r, name, im.session)
	}, func() any { return im.progress() })
	return im
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
	}
}

// Push hands the next chunk of the file to the engine and returns once the
// engine has read it. It errors after Finish or Cancel, or while another
// Push runs.
func (im *Import) Push(b []byte) (*ImportProgress, error) {
	snap, stopped, err := im.st.send(b)
	if err != nil {
		return nil, err
	}
	if stopped {
		// The consumer has returned: its state is final and safe to read.
		return &ImportProgress{Bytes: im.st.read, Entries: im.res.Entries, Inspected: im.res.Inspected,
			Findings: []explain.Shown{}, FailedCalls: []engine.FailedCall{}, Stopped: true}, nil
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
