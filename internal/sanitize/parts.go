package sanitize

import (
	"hubdoctor/internal/har"
	"hubdoctor/internal/jsonspan"
)

// inFlight bounds the items read and not yet written, so memory stays
// bounded by a few entries whatever the file: each holds one entry and its
// sanitized copy.
const inFlight = 8

// job is one item of the file on its way from the reader, through a
// worker when it is an entry, to the writer.
type job struct {
	item har.Item // Raw is raw below: the job's own copy
	err  error    // the scanner's, or the worker's (a positioned *har.Error)
	raw  []byte
	out  []byte         // the sanitized entry
	ix   jsonspan.Index // the entry's
	// counts are the redactions made in the entry.
	counts map[string]int
	ready  chan struct{} // receives once the job is done
}

// pipeline reads a HAR in one goroutine, sanitizes its entries in workers
// goroutines, and hands the items back in file order: on two cores,
// scanning, validating and sanitizing overlap, and entries are sanitized
// two at a time, while the sanitized file stays the same byte for byte.
// Entries are validated by the workers (jsonspan.Validate, which indexes
// them for the walk in the same pass) rather than by the scanner; members
// of the log are left to the writer. Pseudonyms are a keyed hash of the
// address, so a worker gives an address the same one as any other would.
type pipeline struct {
	order chan *job // every item, in file order
	free  chan *job // jobs written, to reuse
	stop  chan struct{}
}

// startPipeline starts reading sc, sanitizing its entries with workers
// Sanitizers sharing s's options and pseudonyms. Take the items with next,
// in order, and give each back with done once written; call close when
// finished (the reader then stops at its next item).
func startPipeline(sc *har.Scanner, s *Sanitizer, workers int) *pipeline {
	p := &pipeline{order: make(chan *job, inFlight), free: make(chan *job, inFlight), stop: make(chan struct{})}
	for range inFlight {
		p.free <- &job{counts: map[string]int{}, ready: make(chan struct{}, 1)}
	}
	work := make(chan *job, inFlight)
	sc.DeferEntryChecks()
	go p.read(sc, work)
	for range max(workers, 1) {
		go sanitizeEntries(sc, s.newSharing(), work)
	}
	return p
}

// read scans items into free jobs and sends them in order to the writer
// and, for entries, to the workers.
func (p *pipeline) read(sc *har.Scanner, work chan<- *job) {
	defer close(work)
	for {
		var j *job
		select {
		case j = <-p.free:
		case <-p.stop:
			return
		}
		j.item, j.err = sc.Next()
		if j.err == nil {
			j.raw = append(j.raw[:0], j.item.Raw...)
			j.item.Raw = j.raw
		}
		entry := j.err == nil && j.item.Kind == har.EntryItem
		if !entry {
			j.ready <- struct{}{} // nothing more to do: the writer sanitizes members
		}
		select {
		case p.order <- j:
		case <-p.stop:
			return
		}
		if j.err != nil {
			return
		}
		if entry {
			work <- j // never blocks: it holds as many as there are jobs
		}
	}
}

// sanitizeEntries validates and sanitizes the entries of jobs from work
// with s, whose counts are each job's.
func sanitizeEntries(sc *har.Scanner, s *Sanitizer, work <-chan *job) {
	for j := range work {
		clear(j.counts)
		s.stats.Redactions = j.counts
		j.out, j.err = sanitizeEntry(sc, s, j)
		j.ready <- struct{}{}
	}
}

// sanitizeEntry validates and sanitizes the entry of j into j.out, or
// returns the positioned error the scanner gives an entry that is not
// valid JSON, or one that cannot be sanitized.
func sanitizeEntry(sc *har.Scanner, s *Sanitizer, j *job) ([]byte, error) {
	it := j.item
	ix := &j.ix
	if !jsonspan.Validate(it.Raw, ix) {
		if err := sc.CheckEntry(it); err != nil {
			return j.out[:0], err
		}
		ix = nil // Validate and gjson agree (FuzzValidate); were they not to, gjson's verdict stands
	}
	out, err := s.entry(j.out[:0], it.Raw, ix)
	if err != nil {
		err = &har.Error{File: sc.Name(), Entry: it.Index, Offset: it.Offset, Msg: err.Error()}
	}
	return out, err
}

// next returns the next item in file order once it is done: its error is
// the scanner's (io.EOF at the end) or the worker's.
func (p *pipeline) next() *job {
	j := <-p.order
	<-j.ready
	return j
}

// done gives a written job back.
func (p *pipeline) done(j *job) { p.free <- j }

// close tells the reader to stop; workers end once the entries sent to
// them are done.
func (p *pipeline) close() { close(p.stop) }
