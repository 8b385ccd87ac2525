//go:build js && wasm

package main

import (
	"fmt"
	"sync"

	"github.com/hack-pad/safejs"

	"hubdoctor/internal/har"
	"hubdoctor/internal/offline"
)

// streams holds the imports and sanitized exports in progress, by handle.
// Every call touches the maps inside a JS call, one at a time; the
// goroutines of exportBackground only use the *live values they were given.
type streams struct {
	next      int
	imports   map[int]*open[*offline.Import]
	sanitizes map[int]*open[*offline.SanitizeStream]
	parts     map[int]*open[*offline.PartScan]
}

// open is a stream in progress and the Go copy of the chunk pushed to it.
// The copy's storage is reused from push to push: a fresh 4 MB slice per
// push made the collector run every other chunk, some fifty times over a
// 200 MB file. pushing is held from the copy until the stream has read the
// chunk, so a push that does not wait for the previous one is refused
// before it overwrites the chunk being read.
type open[T any] struct {
	stream  T
	chunk   []byte
	pushing sync.Mutex
}

// registerImport adds the streaming import and export functions to ns.
func registerImport(ns safejs.Value) error {
	s := &streams{
		imports:   map[int]*open[*offline.Import]{},
		sanitizes: map[int]*open[*offline.SanitizeStream]{},
		parts:     map[int]*open[*offline.PartScan]{},
	}
	for _, f := range []struct {
		name string
		fn   adapter
	}{
		{"importStart", s.importStart},
		{"sanitizeStart", s.sanitizeStart},
		{"partStart", s.partStart},
		{"entryStart", entryStart},
	} {
		if err := exportAsync(ns, f.name, f.fn); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		name string
		fn   background
	}{
		{"importPush", s.importPush},
		{"importFinish", s.importFinish},
		{"importCancel", s.importCancel},
		{"importHandover", s.importHandover},
		{"partPush", s.partPush},
		{"partFinish", s.partFinish},
		{"partCancel", s.partCancel},
		{"sanitizePush", s.sanitizePush},
		{"sanitizeFinish", s.sanitizeFinish},
		{"sanitizeCancel", s.sanitizeCancel},
	} {
		if err := exportBackground(ns, f.name, f.fn); err != nil {
			return err
		}
	}
	return nil
}

// importStart(name, lang, split) → handle: a HAR file analysed as it is
// pushed. With split (a byte offset > 0), another engine scans the file
// from the entry starting there (partStart): a push that reaches it
// answers {handover: true}, and the import waits for importHandover.
func (s *streams) importStart(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	name, lang, split := r.optional(0, "name"), r.optional(1, "lang"), r.optionalInt(2, "split")
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	s.next++
	s.imports[s.next] = &open[*offline.Import]{stream: offline.NewImport(name, lang, int64(split))}
	return safejs.ValueOf(s.next)
}

// importHandover(id, pieces) → progress, as importPush: the import waiting
// at its split takes over the part's next pieces (an array of partPush's
// and partFinish's bytes, in order) and waits for more ({handover: true}),
// or stops after the last ({stopped: true}: importFinish gives the
// result); with no piece (null or [], the part stopped short), it reads on
// past the pieces it took: push the rest of the file.
func (s *streams) importHandover(args []safejs.Value) (work, error) {
	_, t, err := handle(args, s.imports, "import")
	if err != nil {
		return nil, err
	}
	pieces, err := byteArrays(arg(args, 1), 2, "pieces")
	if err != nil {
		return nil, err
	}
	return func() (safejs.Value, error) { return jsonResult(t.stream.Handover(pieces...)) }, nil
}

// byteArrays reads v, argument n named name, as an array of bytes (each a
// Uint8Array or ArrayBuffer); null or undefined is none.
func byteArrays(v safejs.Value, n int, name string) ([][]byte, error) {
	if v.IsNull() || v.IsUndefined() {
		return nil, nil
	}
	isArray, err := safejs.Global().Get("Array")
	if err == nil {
		isArray, err = isArray.Get("isArray")
	}
	if err != nil {
		return nil, err
	}
	if ok, err := isArray.Invoke(v); err != nil {
		return nil, err
	} else if b, _ := ok.Bool(); !b {
		return nil, errArgType(n, name, "an array of Uint8Array or ArrayBuffer", v)
	}
	count, err := v.Length()
	if err != nil {
		return nil, err
	}
	out := make([][]byte, count)
	for i := range out {
		item, err := v.Index(i)
		if err != nil {
			return nil, err
		}
		b, ok, err := bytesOf(item, nil)
		if err == nil && !ok {
			err = errArgType(n, fmt.Sprintf("%s[%d]", name, i), "a Uint8Array or ArrayBuffer", item)
		}
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// partStart(name, start) → handle: the part of a HAR file from the entry
// starting at byte start to its end, scanned as it is pushed for an import
// split there (importStart) to take over.
func (s *streams) partStart(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	name, start := r.optional(0, "name"), r.optionalInt(1, "start")
	if r.err == nil && start <= 0 {
		r.err = errArgType(2, "start", "a byte offset > 0", arg(args, 1))
	}
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	s.next++
	s.parts[s.next] = &open[*offline.PartScan]{stream: offline.NewPartScan(name, int64(start))}
	return safejs.ValueOf(s.next)
}

// partPush(id, bytes) → {bytes, entries, stopped, piece}: piece (a
// Uint8Array, for importHandover) is the part scanned since the previous
// push; stopped when the scan gave up (partFinish says why).
func (s *streams) partPush(args []safejs.Value) (work, error) {
	return push(args, s.parts, "part", func(ps *offline.PartScan, b []byte) (safejs.Value, error) {
		p, err := ps.Push(b)
		if err != nil {
			return safejs.Undefined(), err
		}
		v, err := toJS(p)
		if err != nil || p.Piece == nil {
			return v, err
		}
		piece, err := uint8Array(p.Piece)
		if err != nil {
			return v, err
		}
		return v, v.Set("piece", piece)
	})
}

// partFinish(id) → Uint8Array: the part's last piece, for importHandover.
// It rejects, saying why, when the part stops short; the import then reads
// on past the pieces it took.
func (s *streams) partFinish(args []safejs.Value) (work, error) {
	return finish(args, s.parts, "part", func(ps *offline.PartScan) (safejs.Value, error) {
		return bytesResult(ps.Finish())
	})
}

// partCancel(id) → undefined; like importCancel.
func (s *streams) partCancel(args []safejs.Value) (work, error) {
	return cancel(args, s.parts, "part", (*offline.PartScan).Cancel)
}

// entryStart(head, window) → the offset in window of the first entry that
// starts there, or -1 (har.EntryStartIn): head is the file's first bytes
// (a megabyte), window a piece further on, where an import may be split.
func entryStart(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	head, window := r.bytes(0, "head"), r.bytes(1, "window")
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return safejs.ValueOf(har.EntryStartIn(head, window))
}

// sanitizeStart(name, pseudonymize) → handle: a HAR file sanitized as it is
// pushed.
func (s *streams) sanitizeStart(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	name, pseudonymize := r.optional(0, "name"), r.flag(1)
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	s.next++
	s.sanitizes[s.next] = &open[*offline.SanitizeStream]{stream: offline.NewSanitizeStream(name, pseudonymize)}
	return safejs.ValueOf(s.next)
}

// handle reads argument 0 as a handle of table; it errors when it is not
// one (never started, or already finished or cancelled).
func handle[T any](args []safejs.Value, table map[int]*open[T], what string) (int, *open[T], error) {
	v := arg(args, 0)
	if v.Type() != safejs.TypeNumber {
		return 0, nil, errArgType(1, "id", "a number", v)
	}
	id, err := v.Int()
	if err != nil {
		return 0, nil, err
	}
	t, ok := table[id]
	if !ok {
		return 0, nil, fmt.Errorf("no %s with id %d (finished, cancelled or never started)", what, id)
	}
	return id, t, nil
}

// importPush(id, bytes) → {bytes, entries, inspected, findings, stopped}:
// findings are the new ones since the previous push.
func (s *streams) importPush(args []safejs.Value) (work, error) {
	return push(args, s.imports, "import", func(im *offline.Import, b []byte) (safejs.Value, error) {
		return jsonResult(im.Push(b))
	})
}

// importFinish(id, counts) → {findings, failedCalls, entries, inspected,
// browser, ruleErrors, error}, as analyzeHAR: every finding and failed
// call, and where a broken file broke. With counts, findings and
// failedCalls are null: the caller kept those the pushes gave, which add
// up to them.
func (s *streams) importFinish(args []safejs.Value) (work, error) {
	counts := readArgs(args).flag(1)
	return finish(args, s.imports, "import", func(im *offline.Import) (safejs.Value, error) {
		if counts {
			return toJS(im.FinishCounts())
		}
		return toJS(im.Finish())
	})
}

// importCancel(id) → undefined, once the engine has stopped reading.
// Cancelling an unknown or finished import is not an error: Cancel and the
// end of the file may cross.
func (s *streams) importCancel(args []safejs.Value) (work, error) {
	return cancel(args, s.imports, "import", (*offline.Import).Cancel)
}

// sanitizePush(id, bytes) → Uint8Array: the sanitized output produced since
// the previous push. It rejects, saying where, when the file is broken; the
// caller then calls sanitizeCancel.
func (s *streams) sanitizePush(args []safejs.Value) (work, error) {
	return push(args, s.sanitizes, "sanitized export", func(ss *offline.SanitizeStream, b []byte) (safejs.Value, error) {
		return bytesResult(ss.Push(b))
	})
}

// sanitizeFinish(id) → Uint8Array: the rest of the output. It rejects,
// saying where, when the file was broken.
func (s *streams) sanitizeFinish(args []safejs.Value) (work, error) {
	return finish(args, s.sanitizes, "sanitized export", func(ss *offline.SanitizeStream) (safejs.Value, error) {
		return bytesResult(ss.Finish())
	})
}

// sanitizeCancel(id) → undefined; like importCancel.
func (s *streams) sanitizeCancel(args []safejs.Value) (work, error) {
	return cancel(args, s.sanitizes, "sanitized export", (*offline.SanitizeStream).Cancel)
}

// push is the body of the push adapters: the stream args[0] names gets the
// bytes of args[1], in the background. It errors while the previous push
// to the same stream runs.
func push[T any](args []safejs.Value, table map[int]*open[T], what string, do func(T, []byte) (safejs.Value, error)) (work, error) {
	_, t, err := handle(args, table, what)
	if err != nil {
		return nil, err
	}
	if !t.pushing.TryLock() {
		return nil, offline.ErrBusy
	}
	r := readArgs(args)
	t.chunk = r.bytesInto(1, "bytes", t.chunk)
	if r.err != nil {
		t.pushing.Unlock()
		return nil, r.err
	}
	return func() (safejs.Value, error) {
		defer t.pushing.Unlock()
		return do(t.stream, t.chunk)
	}, nil
}

// finish is the body of the finish adapters: the stream is forgotten, then
// finished in the background.
func finish[T any](args []safejs.Value, table map[int]*open[T], what string, do func(T) (safejs.Value, error)) (work, error) {
	id, t, err := handle(args, table, what)
	if err != nil {
		return nil, err
	}
	delete(table, id)
	return func() (safejs.Value, error) { return do(t.stream) }, nil
}

// cancel is the body of the cancel adapters; an unknown or finished stream
// is not an error.
func cancel[T any](args []safejs.Value, table map[int]*open[T], what string, stop func(T)) (work, error) {
	id, t, err := handle(args, table, what)
	if err != nil {
		return func() (safejs.Value, error) { return safejs.Undefined(), nil }, nil
	}
	delete(table, id)
	return func() (safejs.Value, error) {
		stop(t.stream)
		return safejs.Undefined(), nil
	}, nil
}

// bytesResult turns a chunk of output, or the error that stopped it, into a
// Uint8Array or a rejection.
func bytesResult(out []byte, err error) (safejs.Value, error) {
	if err != nil {
		return safejs.Undefined(), err
	}
	return uint8Array(out)
}

// uint8Array copies b into a new Uint8Array.
func uint8Array(b []byte) (safejs.Value, error) {
	u, err := construct("Uint8Array", len(b))
	if err != nil {
		return u, err
	}
	_, err = safejs.CopyBytesToJS(u, b)
	return u, err
}
