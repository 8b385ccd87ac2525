//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/explain"
	"hubdoctor/internal/live"
	"hubdoctor/internal/messages"
	"hubdoctor/internal/offline"
	"hubdoctor/internal/version"
)

// api holds the one live session. JS calls into WebAssembly one at a time,
// so no lock is needed.
type api struct {
	session *live.Session
	// tabs are the background's sessions, one per tab, of what it sees with
	// DevTools closed.
	tabs *live.Tabs
}

// newNamespace builds the hubdoctor object with every function of the
// contract (wasm/README.md) and a fresh live session.
func newNamespace() (safejs.Value, error) {
	ns, err := construct("Object")
	if err != nil {
		return ns, err
	}
	a := &api{session: live.NewSession(), tabs: live.NewTabs()}
	// needsBody and sanitizeEntries, the devtools page's per-request hot
	// path, are //go:wasmexport functions on the same session (exchange.go).
	exchange.api = a
	if err := ns.Set("version", version.Version); err != nil {
		return ns, err
	}
	if err := ns.Set("languages", anys(messages.Languages())); err != nil {
		return ns, err
	}
	// The extension asks needsBody only about URLs that carry a hint, and
	// about any request whose status says it may be a failed call.
	if err := ns.Set("scopeHints", anys(engine.ScopeHints())); err != nil {
		return ns, err
	}
	if err := ns.Set("failedStatus", engine.FailedStatus); err != nil {
		return ns, err
	}
	if err := exportSync(ns, "pickLanguage", messages.Fallback, pickLanguage); err != nil {
		return ns, err
	}
	for _, f := range []struct {
		name string
		fn   adapter
	}{
		{"analyzeEntry", a.analyzeEntry},
		{"resetSession", a.resetSession},
		{"explain", explainStored},
		{"analyzeHAR", analyzeHAR},
		{"sanitizeEntry", a.sanitizeEntry},
		{"sanitizeHAR", sanitizeHAR},
		{"summary", caseSummary},
		{"failedCallSummary", failedCallSummary},
		{"observe", a.observe},
		{"observePage", a.observePage},
		{"forgetTab", a.forgetTab},
		{"evidenceHAR", evidenceHAR},
		{"wrapHAR", wrapHAR},
	} {
		if err := exportAsync(ns, f.name, f.fn); err != nil {
			return ns, err
		}
	}
	if err := registerImport(ns); err != nil {
		return ns, err
	}
	return ns, nil
}

// pickLanguage(uiLanguage) → string: the catalog language that serves the
// browser's UI language (messages.Match), for every text the engine writes.
func pickLanguage(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	ui := r.str(0, "uiLanguage")
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return safejs.ValueOf(messages.Match(ui))
}

// analyzeEntry(entryJSON, content, encoding, lang) → {findings, ruleErrors}.
// content null means getContent gave nothing: the entry is read as it is.
func (a *api) analyzeEntry(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	entry, content, lang := r.str(0, "entryJSON"), r.content(1), r.optional(3, "lang")
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return jsonResult(a.session.AnalyzeEntry([]byte(entry), content, lang))
}

// content reads (content, encoding) at arguments i and i+1; nil when
// content is null or undefined.
func (r *argReader) content(i int) *live.Content {
	if r.absent(i) {
		return nil
	}
	c := &live.Content{Text: r.str(i, "content"), Encoding: r.optional(i+1, "encoding")}
	if r.err != nil {
		return nil
	}
	return c
}

// resetSession() starts a new live session (Clear in the panel).
func (a *api) resetSession([]safejs.Value) (safejs.Value, error) {
	a.session = live.NewSession()
	return safejs.Undefined(), nil
}

// explain(findingsJSON, lang) → Explained[].
func explainStored(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	fs, lang := r.str(0, "findingsJSON"), r.optional(1, "lang")
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return jsonResult(explain.Stored([]byte(fs), lang))
}

// analyzeHAR(data, name, lang) → {findings, entries, inspected, browser,
// ruleErrors, error}. A broken file resolves; error says where it broke.
func analyzeHAR(args []safejs.Value) (safejs.Value, error) {
	r := readArgs(args)
	data, name, lang := r.bytes(0, "data"), r.optional(1, "name"), r.optional(2, "lang")
	if r.err != nil {
		return safejs.Undefined(), r.err
	}
	return toJS(offline.AnalyzeHAR(data, name, lang))
}

// anys turns strings into the []any that safejs turns into a JS array.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, x := range ss {
		out[i] = x
	}
	return out
}
