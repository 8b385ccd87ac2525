//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/live"
	"hubdoctor/internal/messages"
	"hubdoctor/internal/version"
)

// api holds the one live session. JS calls into WebAssembly one at a time,
// so no lock is needed.
type api struct {
	session *live.Session
}

// newNamespace builds the hubdoctor object with every function of the
// contract (wasm/README.md) and a fresh live session.
func newNamespace() (safejs.Value, error) {
	ns, err := construct("Object")
	if err != nil {
		return ns, err
	}
	a := &api{session: live.NewSession()}
	if err := ns.Set("version", version.Version); err != nil {
		return ns, err
	}
	if err := ns.Set("languages", anys(messages.Languages())); err != nil {
		return ns, err
	}
	// The extension asks needsBody only about URLs that carry a hint.
	if err := ns.Set("scopeHints", anys(engine.ScopeHints())); err != nil {
		return ns, err
	}
	if err := exportSync(ns, "needsBody", false, a.needsBody); err != nil {
		return ns, err
	}
	for _, f := range []struct {
		name string
		fn   adapter
	}{
		{"analyzeEntry", a.analyzeEntry},
		{"resetSession", a.resetSession},
		{"explain", explain},
		{"analyzeHAR", analyzeHAR},
		{"sanitizeEntry", a.sanitizeEntry},
		{"sanitizeEntries", a.sanitizeEntries},
		{"sanitizeHAR", sanitizeHAR},
		{"summary", summary},
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

// needsBody(method, url, status, mimeType) → boolean. status may be null
// (a request still without a response).
func (a *api) needsBody(args []safejs.Value) (safejs.Value, error) {
	method, err := stringArg(args, 0, "method")
	if err != nil {
		return safejs.Undefined(), err
	}
	url, err := stringArg(args, 1, "url")
	if err != nil {
		return safejs.Undefined(), err
	}
	status := 0
	if v := arg(args, 2); !v.IsNull() && !v.IsUndefined() {
		if v.Type() != safejs.TypeNumber {
			return safejs.Undefined(), errArgType(3, "status", "a number", v)
		}
		if status, err = v.Int(); err != nil {
			return safejs.Undefined(), err
		}
	}
	mime, err := optionalString(args, 3, "mimeType")
	if err != nil {
		return safejs.Undefined(), err
	}
	return safejs.ValueOf(a.session.NeedsBody(method, url, status, mime))
}

// analyzeEntry(entryJSON, content, encoding, lang) → {findings, ruleErrors}.
// content null means getContent gave nothing: the entry is read as it is.
func (a *api) analyzeEntry(args []safejs.Value) (safejs.Value, error) {
	entry, err := stringArg(args, 0, "entryJSON")
	if err != nil {
		return safejs.Undefined(), err
	}
	content, err := contentArgs(args, 1)
	if err != nil {
		return safejs.Undefined(), err
	}
	lang, err := optionalString(args, 3, "lang")
	if err != nil {
		return safejs.Undefined(), err
	}
	res, err := a.session.AnalyzeEntry([]byte(entry), content, lang)
	if err != nil {
		return safejs.Undefined(), err
	}
	return toJS(res)
}

// contentArgs reads (content, encoding) at args[i], args[i+1]; nil when
// content is null or undefined.
func contentArgs(args []safejs.Value, i int) (*live.Content, error) {
	if v := arg(args, i); v.IsNull() || v.IsUndefined() {
		return nil, nil
	}
	text, err := stringArg(args, i, "content")
	if err != nil {
		return nil, err
	}
	enc, err := optionalString(args, i+1, "encoding")
	if err != nil {
		return nil, err
	}
	return &live.Content{Text: text, Encoding: enc}, nil
}

// resetSession() starts a new live session (Clear in the panel).
func (a *api) resetSession([]safejs.Value) (safejs.Value, error) {
	a.session = live.NewSession()
	return safejs.Undefined(), nil
}

// explain(findingsJSON, lang) → Explained[].
func explain(args []safejs.Value) (safejs.Value, error) {
	fs, err := stringArg(args, 0, "findingsJSON")
	if err != nil {
		return safejs.Undefined(), err
	}
	lang, err := optionalString(args, 1, "lang")
	if err != nil {
		return safejs.Undefined(), err
	}
	xs, err := live.Explain([]byte(fs), lang)
	if err != nil {
		return safejs.Undefined(), err
	}
	return toJS(xs)
}

// analyzeHAR(data, name, lang) → {findings, entries, inspected, browser,
// ruleErrors, error}. A broken file resolves; error says where it broke.
func analyzeHAR(args []safejs.Value) (safejs.Value, error) {
	data, err := bytesArg(args, 0, "data")
	if err != nil {
		return safejs.Undefined(), err
	}
	name, err := optionalString(args, 1, "name")
	if err != nil {
		return safejs.Undefined(), err
	}
	lang, err := optionalString(args, 2, "lang")
	if err != nil {
		return safejs.Undefined(), err
	}
	return toJS(live.AnalyzeHAR(data, name, lang))
}

// anys turns strings into the []any that safejs turns into a JS array.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, x := range ss {
		out[i] = x
	}
	return out
}
