//go:build js && wasm

package main

import (
	"fmt"

	"github.com/hack-pad/safejs"

	"hubdoctor/internal/live"
)

// streams holds the imports and sanitized exports in progress, by handle.
// Every call touches the maps inside a JS call, one at a time; the
// goroutines of exportBackground only use the *live values they were given.
type streams struct {
	next      int
	imports   map[int]*live.Import
	sanitizes map[int]*live.SanitizeStream
}

// registerImport adds the streaming import and export functions to ns.
func registerImport(ns safejs.Value) error {
	s := &streams{imports: map[int]*live.Import{}, sanitizes: map[int]*live.SanitizeStream{}}
	for _, f := range []struct {
		name string
		fn   adapter
	}{
		{"importStart", s.importStart},
		{"sanitizeStart", s.sanitizeStart},
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

// importStart(name, lang) → handle: a HAR file analysed as it is pushed.
func (s *streams) importStart(args []safejs.Value) (safejs.Value, error) {
	name, err := optionalString(args, 0, "name")
	if err != nil {
		return safejs.Undefined(), err
	}
	lang, err := optionalString(args, 1, "lang")
	if err != nil {
		return safejs.Undefined(), err
	}
	s.next++
	s.imports[s.next] = live.NewImport(name, lang)
	return safejs.ValueOf(s.next)
}

// sanitizeStart(name, pseudonymize) → handle: a HAR file sanitized as it is
// pushed.
func (s *streams) sanitizeStart(args []safejs.Value) (safejs.Value, error) {
	name, err := optionalString(args, 0, "name")
	if err != nil {
		return safejs.Undefined(), err
	}
	s.next++
	s.sanitizes[s.next] = live.NewSanitizeStream(name, truthy(arg(args, 1)))
	return safejs.ValueOf(s.next)
}

// handle reads argument 0 as a handle of table; it errors when it is not
// one (never started, or already finished or cancelled).
func handle[T any](args []safejs.Value, table map[int]T, what string) (int, T, error) {
	var zero T
	v := arg(args, 0)
	if v.Type() != safejs.TypeNumber {
		return 0, zero, errArgType(1, "id", "a number", v)
	}
	id, err := v.Int()
	if err != nil {
		return 0, zero, err
	}
	t, ok := table[id]
	if !ok {
		return 0, zero, fmt.Errorf("no %s with id %d (finished, cancelled or never started)", what, id)
	}
	return id, t, nil
}

// importPush(id, bytes) → {bytes, entries, inspected, findings, stopped}:
// findings are the new ones since the previous push.
func (s *streams) importPush(args []safejs.Value) (work, error) {
	_, im, err := handle(args, s.imports, "import")
	if err != nil {
		return nil, err
	}
	b, err := bytesArg(args, 1, "bytes")
	if err != nil {
		return nil, err
	}
	return func() (safejs.Value, error) {
		p, err := im.Push(b)
		if err != nil {
			return safejs.Undefined(), err
		}
		return toJS(p)
	}, nil
}

// importFinish(id) → {findings, entries, inspected, browser, ruleErrors,
// error}, as analyzeHAR: every finding, and where a broken file broke.
func (s *streams) importFinish(args []safejs.Value) (work, error) {
	id, im, err := handle(args, s.imports, "import")
	if err != nil {
		return nil, err
	}
	delete(s.imports, id)
	return func() (safejs.Value, error) { return toJS(im.Finish()) }, nil
}

// importCancel(id) → undefined, once the engine has stopped reading.
// Cancelling an unknown or finished import is not an error: Cancel and the
// end of the file may cross.
func (s *streams) importCancel(args []safejs.Value) (work, error) {
	id, im, err := handle(args, s.imports, "import")
	if err != nil {
		return func() (safejs.Value, error) { return safejs.Undefined(), nil }, nil
	}
	delete(s.imports, id)
	return func() (safejs.Value, error) {
		im.Cancel()
		return safejs.Undefined(), nil
	}, nil
}

// sanitizePush(id, bytes) → Uint8Array: the sanitized output produced since
// the previous push. It rejects, saying where, when the file is broken; the
// caller then calls sanitizeCancel.
func (s *streams) sanitizePush(args []safejs.Value) (work, error) {
	_, ss, err := handle(args, s.sanitizes, "sanitized export")
	if err != nil {
		return nil, err
	}
	b, err := bytesArg(args, 1, "bytes")
	if err != nil {
		return nil, err
	}
	return func() (safejs.Value, error) {
		out, err := ss.Push(b)
		if err != nil {
			return safejs.Undefined(), err
		}
		return uint8Array(out)
	}, nil
}

// sanitizeFinish(id) → Uint8Array: the rest of the output. It rejects,
// saying where, when the file was broken.
func (s *streams) sanitizeFinish(args []safejs.Value) (work, error) {
	id, ss, err := handle(args, s.sanitizes, "sanitized export")
	if err != nil {
		return nil, err
	}
	delete(s.sanitizes, id)
	return func() (safejs.Value, error) {
		out, err := ss.Finish()
		if err != nil {
			return safejs.Undefined(), err
		}
		return uint8Array(out)
	}, nil
}

// sanitizeCancel(id) → undefined; like importCancel.
func (s *streams) sanitizeCancel(args []safejs.Value) (work, error) {
	id, ss, err := handle(args, s.sanitizes, "sanitized export")
	if err != nil {
		return func() (safejs.Value, error) { return safejs.Undefined(), nil }, nil
	}
	delete(s.sanitizes, id)
	return func() (safejs.Value, error) {
		ss.Cancel()
		return safejs.Undefined(), nil
	}, nil
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
