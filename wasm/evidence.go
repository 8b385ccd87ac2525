//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"hubdoctor/internal/offline"
	"hubdoctor/internal/summary"
)

// sanitizeEntry(entryJSON, content, encoding, pseudonymize) → string: one
// entry, body inserted, sanitized for the export buffer.
func (a *api) sanitizeEntry(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	entry, content, pseudonymize := r.str(0, "entryJSON"), r.content(1), r.flag(3)
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return stringResult(a.session.SanitizeEntry([]byte(entry), content, pseudonymize))
}

// sanitizeHAR(harText, name, pseudonymize) → string: the whole file
// sanitized and stamped. harText may also be a Uint8Array or ArrayBuffer.
func sanitizeHAR(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	data, name, pseudonymize := r.bytes(0, "harText"), r.optional(1, "name"), r.flag(2)
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return stringResult(offline.SanitizeHAR(data, name, pseudonymize))
}

// summary(findingsJSON, optionsJSON) → string: the TAC case summary;
// options may carry the session's failedCalls.
var caseSummary = withOptions("findingsJSON", summary.FromJSON)

// failedCallSummary(callJSON, optionsJSON) → string: "Copy for TAC" on one
// failed call no rule knows.
var failedCallSummary = withOptions("callJSON", summary.CallFromJSON)

// withOptions adapts fn(jsonText, optionsJSON) → string: the first argument,
// named name in errors, is required; the options may be left out.
func withOptions(name string, fn func(text, options []byte) (string, error)) adapter {
	return func(args []safejs.Value) (safejs.Value, error) {
		r := readArgs(args)
		text, opts := r.str(0, name), r.optional(1, "optionsJSON")
		if r.err != nil {
			return safejs.Undefined(), r.err
		}
		return stringResult(fn([]byte(text), []byte(opts)))
	}
}
