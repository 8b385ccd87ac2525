//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"hubdoctor/internal/live"
)

// sanitizeEntry(entryJSON, content, encoding, pseudonymize) → string: one
// entry, body inserted, sanitized for the export buffer.
func (a *api) sanitizeEntry(args []safejs.Value) (safejs.Value, error) {
	entry, err := stringArg(args, 0, "entryJSON")
	if err != nil {
		return safejs.Undefined(), err
	}
	content, err := contentArgs(args, 1)
	if err != nil {
		return safejs.Undefined(), err
	}
	out, err := a.session.SanitizeEntry([]byte(entry), content, truthy(arg(args, 3)))
	if err != nil {
		return safejs.Undefined(), err
	}
	return jsString(out)
}

// sanitizeEntries(entriesJSON, pseudonymize) → string: a JSON array of
// entries without bodies, sanitized for the export buffer, one per line.
func (a *api) sanitizeEntries(args []safejs.Value) (safejs.Value, error) {
	entries, err := stringArg(args, 0, "entriesJSON")
	if err != nil {
		return safejs.Undefined(), err
	}
	out, err := a.session.SanitizeEntries([]byte(entries), truthy(arg(args, 1)))
	if err != nil {
		return safejs.Undefined(), err
	}
	return jsString(out)
}

// sanitizeHAR(harText, name, pseudonymize) → string: the whole file
// sanitized and stamped. harText may also be a Uint8Array or ArrayBuffer.
func sanitizeHAR(args []safejs.Value) (safejs.Value, error) {
	data, err := bytesArg(args, 0, "harText")
	if err != nil {
		return safejs.Undefined(), err
	}
	name, err := optionalString(args, 1, "name")
	if err != nil {
		return safejs.Undefined(), err
	}
	out, err := live.SanitizeHAR(data, name, truthy(arg(args, 2)))
	if err != nil {
		return safejs.Undefined(), err
	}
	return jsString(out)
}

// summary(findingsJSON, optionsJSON) → string: the TAC case summary.
func summary(args []safejs.Value) (safejs.Value, error) {
	fs, err := stringArg(args, 0, "findingsJSON")
	if err != nil {
		return safejs.Undefined(), err
	}
	opts, err := optionalString(args, 1, "optionsJSON")
	if err != nil {
		return safejs.Undefined(), err
	}
	out, err := live.Summary([]byte(fs), []byte(opts))
	if err != nil {
		return safejs.Undefined(), err
	}
	return jsString(out)
}

// truthy reads a flag as JS would (undefined, null, false, 0 and "" are false).
func truthy(v safejs.Value) bool {
	b, err := v.Truthy()
	return err == nil && b
}
