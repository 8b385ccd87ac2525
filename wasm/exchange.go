//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"unsafe"
)

// The per-request hot path of the devtools page crosses into Go through
// //go:wasmexport functions instead of syscall/js: the decision for a
// request whose URL carries a scope hint (needsBody) and the export copy of
// a batch of requests no rule reads (sanitizeEntries). A syscall/js call
// costs 35–60 µs in the devtools page, mostly not the work: syscall/js
// attaches a Go finalizer to every JS value it receives (the arguments, the
// event, the Promise), and the runtime's cost of keeping them grows with the
// live references. These functions take and return only numbers: JS writes
// the UTF-8 input into a buffer Go owns (hubdoctorBuffer), calls the
// function with the input's lengths, and reads the output back at
// hubdoctorResult. They touch no JS value, so safejs has nothing to wrap.
// The JS side of this protocol is the one helper in extension/engine.js.
//
// Each call returns a status: n ≥ 0 is the output's length (needsBody: 1 or
// 0), n < 0 means an error whose one-line message ("hubdoctor.<function>:
// …", as oneLine writes it) is the output, -n bytes long. A panic is
// recovered into such an error; the Go program keeps serving calls.

// exchange is what the exported functions share with JS. JS calls into
// WebAssembly one at a time, so one of each is enough.
var exchange struct {
	// in is the input buffer JS writes into; it only grows.
	in []byte
	// out is the last call's output, kept referenced until the next call
	// so that JS can read it.
	out string
	// api is the namespace's state (the live session), set by newNamespace.
	api *api
}

// errNotReady is the status of a call made before the namespace exists.
var errNotReady = errors.New("the engine is not ready")

// exchangeBuffer returns the address of the input buffer, grown to hold at
// least n bytes. The address changes when it grows, and JS must re-read the
// memory after every call (growing the memory detaches its old ArrayBuffer).
//
//go:wasmexport hubdoctorBuffer
func exchangeBuffer(n int32) uint32 {
	if n < 0 {
		n = 0
	}
	if int(n) > cap(exchange.in) {
		exchange.in = make([]byte, max(int(n), 2*cap(exchange.in)))
	}
	exchange.in = exchange.in[:cap(exchange.in)]
	if len(exchange.in) == 0 {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(&exchange.in[0])))
}

// exchangeResult returns the address of the last call's output (0 when it
// is empty).
//
//go:wasmexport hubdoctorResult
func exchangeResult() uint32 {
	if exchange.out == "" {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(unsafe.StringData(exchange.out))))
}

// exchangeNeedsBody is needsBody(method, url, status, mimeType): the three
// strings lie one after the other in the input buffer, with these byte
// lengths. The output is empty; the status is 1 when some rule wants the
// body, 0 when none does.
//
//go:wasmexport hubdoctorNeedsBody
func exchangeNeedsBody(methodLen, urlLen, mimeLen, status int32) int32 {
	return cross("needsBody", func(a *api, in [][]byte) (string, int32, error) {
		if a.session.NeedsBody(string(in[0]), string(in[1]), int(status), string(in[2])) {
			return "", 1, nil
		}
		return "", 0, nil
	}, methodLen, urlLen, mimeLen)
}

// exchangeSanitizeEntries is sanitizeEntries(entriesJSON, pseudonymize): the
// array lies in the input buffer, n bytes long; pseudonymize is 0 or 1. The
// output is the sanitized entries, one per line.
//
//go:wasmexport hubdoctorSanitizeEntries
func exchangeSanitizeEntries(n, pseudonymize int32) int32 {
	return cross("sanitizeEntries", func(a *api, in [][]byte) (string, int32, error) {
		s, err := a.session.SanitizeEntries(in[0], pseudonymize != 0)
		return s, int32(len(s)), err
	}, n)
}

// crossing is an exported function's work on its inputs (the input
// buffer's pieces): its output, its status when it succeeds, or an error.
type crossing func(a *api, in [][]byte) (out string, status int32, err error)

// cross runs fn on the input buffer cut into pieces of the given lengths,
// recovers a panic into an error, and returns the status JS reads: fn's, or
// the negated length of the one-line message it leaves as the output.
func cross(name string, fn crossing, lengths ...int32) (status int32) {
	defer func() {
		if r := recover(); r != nil {
			status = fail(name, fmt.Errorf("internal error: %v", r))
		}
	}()
	exchange.out = ""
	if exchange.api == nil {
		return fail(name, errNotReady)
	}
	in := make([][]byte, len(lengths))
	at := 0
	for i, n := range lengths {
		if n < 0 || int(n) > len(exchange.in)-at {
			return fail(name, fmt.Errorf("input %d: %d bytes past the end of the %d-byte buffer", i+1, n, len(exchange.in)))
		}
		in[i] = exchange.in[at : at+int(n) : at+int(n)]
		at += int(n)
	}
	out, status, err := fn(exchange.api, in)
	if err != nil {
		return fail(name, err)
	}
	exchange.out = out
	return status
}

// fail leaves err's one-line message as the output and returns its status.
func fail(name string, err error) int32 {
	exchange.out = oneLine(name, err)
	return -int32(len(exchange.out))
}
