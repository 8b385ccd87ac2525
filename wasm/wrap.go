//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"hubdoctor/internal/live"
)

// wrapHAR(entriesJSON, comment, pseudonymize) → string: the devtools page's
// export buffer (entries the engine sanitized already) as a HAR file, not
// sanitized again.
func wrapHAR(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	entries, comment, pseudonymize := r.str(0, "entriesJSON"), r.optional(1, "comment"), r.flag(2)
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return stringResult(live.WrapHAR([]byte(entries), comment, pseudonymize))
}
