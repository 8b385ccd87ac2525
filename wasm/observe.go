//go:build js && wasm

package main

import (
	"fmt"

	"github.com/hack-pad/safejs"

	"hubdoctor/internal/live"
)

// The background's calls: what the page observer and the content script
// saw in a tab with DevTools closed (internal/live/observe.go).

// tabID reads a tab ID (an integer ≥ 0) at argument i.
func (r *argReader) tabID(i int) int {
	id := r.optionalInt(i, "tabId")
	if r.err == nil && (r.absent(i) || id < 0) {
		r.err = fmt.Errorf("argument %d (tabId): want a tab ID, an integer ≥ 0", i+1)
	}
	return id
}

// observe(tabId, recordJSON, lang) → {findings, ruleErrors, entry}.
func (a *api) observe(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	tab, record, lang := r.tabID(0), r.str(1, "recordJSON"), r.optional(2, "lang")
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return jsonResult(a.tabs.Observe(tab, []byte(record), lang))
}

// observePage(tabId, url, html, loaded, lang) → {findings, ruleErrors, entry}.
func (a *api) observePage(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	tab, url, html, loaded, lang := r.tabID(0), r.str(1, "url"), r.str(2, "html"), r.str(3, "loaded"), r.optional(4, "lang")
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return jsonResult(a.tabs.ObservePage(tab, url, html, loaded, lang))
}

// forgetTab(tabId) drops the tab's session (the tab closed).
func (a *api) forgetTab(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	tab := r.tabID(0)
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	a.tabs.Forget(tab)
	return safejs.Undefined(), nil
}

// evidenceHAR(entriesJSON, pseudonymize) → string: the page observer's
// sanitized entries of a tab as a partial HAR file.
func evidenceHAR(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	entries, pseudonymize := r.str(0, "entriesJSON"), r.flag(1)
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return stringResult(live.EvidenceHAR([]byte(entries), pseudonymize))
}
