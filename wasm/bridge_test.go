//go:build js && wasm

package main

import (
	"bytes"
	"encoding/base64"
	"errors"
	"hubdoctor/internal/engine"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
	"hubdoctor/internal/version"
)

// These tests run under Node (make test-wasm) and call the namespace's
// functions as JavaScript does: through JS function values, awaiting the
// returned Promises.

// call invokes ns[name](args...) from the JS side.
func call(t *testing.T, ns safejs.Value, name string, args ...any) safejs.Value {
	t.Helper()
	f, err := ns.Get(name)
	if err != nil || f.Type() != safejs.TypeFunction {
		t.Fatalf("hubdoctor.%s is not a function (%v)", name, err)
	}
	v, err := f.Invoke(args...)
	if err != nil {
		t.Fatalf("hubdoctor.%s threw: %v", name, err)
	}
	return v
}

// await waits for the Promise p and returns its value, or the rejection's
// message as an error.
func await(t *testing.T, p safejs.Value) (safejs.Value, error) {
	t.Helper()
	promise, _ := safejs.Global().Get("Promise")
	if ok, _ := p.InstanceOf(promise); !ok {
		t.Fatalf("not a Promise: %s", p.Type())
	}
	type outcome struct {
		v   safejs.Value
		err error
	}
	done := make(chan outcome, 1)
	resolve, _ := safejs.FuncOf(func(_ safejs.Value, a []safejs.Value) any {
		done <- outcome{v: arg(a, 0)}
		return nil
	})
	reject, _ := safejs.FuncOf(func(_ safejs.Value, a []safejs.Value) any {
		msg, _ := arg(a, 0).Get("message")
		s, _ := msg.String()
		done <- outcome{err: errors.New(s)}
		return nil
	})
	defer resolve.Release()
	defer reject.Release()
	if _, err := p.Call("then", resolve, reject); err != nil {
		t.Fatal(err)
	}
	select {
	case o := <-done:
		return o.v, o.err
	case <-time.After(10 * time.Second):
		t.Fatal("the Promise never settled")
		return safejs.Undefined(), nil
	}
}

// jsonOf returns JSON.stringify(v).
func jsonOf(t *testing.T, v safejs.Value) string {
	t.Helper()
	j, _ := safejs.Global().Get("JSON")
	s, err := j.Call("stringify", v)
	if err != nil {
		t.Fatal(err)
	}
	str, _ := s.String()
	return str
}

func get(t *testing.T, v safejs.Value, path ...string) safejs.Value {
	t.Helper()
	for _, p := range path {
		var err error
		if v, err = v.Get(p); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	return v
}

func newNS(t *testing.T) safejs.Value {
	t.Helper()
	ns, err := newNamespace()
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

var carrierOnboard = fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail), "["+fixture.CarrierUserResult(fixture.CarrierEmail)+"]")

// carrierNS is a fresh namespace and the onboard call whose user failed
// with the carrier error, as the devtools page hands it over.
func carrierNS(t *testing.T) (ns safejs.Value, entry, body string) {
	t.Helper()
	entry, body = devtoolsEntry(t, carrierOnboard)
	return newNS(t), entry, body
}

// devtoolsEntry returns x's HAR entry without its body, as onRequestFinished
// hands it over, and the body apart.
func devtoolsEntry(t *testing.T, x fixture.Exchange) (string, string) {
	t.Helper()
	body := x.ResponseBody
	x.ResponseBody = ""
	sc := har.NewScanner(bytes.NewReader(fixture.HAR(fixture.Chrome, x)), "fixture")
	for {
		it, err := sc.Next()
		if err == io.EOF || err != nil {
			t.Fatalf("fixture entry: %v", err)
		}
		if it.Kind == har.EntryItem {
			return string(it.Raw), body
		}
	}
}

// resolved checks how a call settled: with reject, a rejection saying
// exactly want; else no rejection. It reports whether the call resolved as
// the row wants, so that its value is worth checking.
func resolved(t *testing.T, err error, reject bool, want, reason string) bool {
	t.Helper()
	switch {
	case reject:
		if err == nil || err.Error() != want {
			t.Errorf("%s: rejection %v, want %q", reason, err, want)
		}
		return false
	case err != nil:
		t.Errorf("%s: %v", reason, err)
		return false
	}
	return true
}

func TestNamespace(t *testing.T) {
	ns := newNS(t)
	if v, _ := get(t, ns, "version").String(); v != version.Version {
		t.Errorf("version %q, want %q", v, version.Version)
	}
	if n, _ := get(t, ns, "languages").Length(); n == 0 {
		t.Error("no languages")
	}
	hints := get(t, ns, "scopeHints")
	if n, _ := hints.Length(); n != len(engine.ScopeHints()) {
		t.Errorf("scopeHints has %d entries, the engine %d", n, len(engine.ScopeHints()))
	}
	if h, _ := hints.Index(0); h.Type() != safejs.TypeString {
		t.Error("scopeHints[0] is not a string")
	}
	if n, err := get(t, ns, "failedStatus").Int(); err != nil || n != engine.FailedStatus {
		t.Errorf("failedStatus is %d (%v), the engine's %d", n, err, engine.FailedStatus)
	}
	for _, name := range []string{"analyzeEntry", "resetSession", "explain", "analyzeHAR", "sanitizeEntry", "sanitizeHAR", "summary", "failedCallSummary", "observe", "observePage", "forgetTab", "evidenceHAR"} {
		if get(t, ns, name).Type() != safejs.TypeFunction {
			t.Errorf("hubdoctor.%s missing", name)
		}
	}
}

func TestPublish(t *testing.T) {
	g := safejs.Global()
	called := make(chan bool, 1)
	ready, _ := safejs.FuncOf(func(safejs.Value, []safejs.Value) any { called <- true; return nil })
	defer ready.Release()
	_ = g.Set("__hubdoctorReady", ready)
	defer g.Delete("__hubdoctorReady")
	if err := publish(); err != nil {
		t.Fatal(err)
	}
	defer g.Delete("hubdoctor")
	if ok, _ := get(t, g, "hubdoctor", "ready").Bool(); !ok {
		t.Error("hubdoctor.ready is not true")
	}
	select {
	case <-called:
	default:
		t.Error("__hubdoctorReady was not called")
	}
}

func TestAnalyzeEntry(t *testing.T) {
	ns, entry, body := carrierNS(t)
	b64 := base64.StdEncoding.EncodeToString([]byte(body))
	rows := []struct {
		args   []any
		want   int // findings; -1 for a rejection
		err    string
		reason string
	}{
		{[]any{entry, body, "", "en"}, 1, "", "getContent text"},
		{[]any{entry, b64, "base64", "fr"}, 1, "", "getContent base64, another language"},
		{[]any{entry, nil, nil, nil}, 0, "", "no content: nothing to read"},
		{[]any{`{"request":`, body, "", "en"}, -1, "hubdoctor.analyzeEntry: entry 3: not valid JSON", "bad JSON rejects with where"},
		{[]any{map[string]any{}, body}, -1, "hubdoctor.analyzeEntry: argument 1 (entryJSON) must be a string, got object", "an object instead of JSON text"},
		{[]any{entry, b64, "base64", 7}, -1, "hubdoctor.analyzeEntry: argument 4 (lang) must be a string, got number", "lang of the wrong type"},
		{[]any{entry, body}, 1, "", "after rejections the session still serves"},
	}
	for _, r := range rows {
		v, err := await(t, call(t, ns, "analyzeEntry", r.args...))
		if !resolved(t, err, r.want < 0, r.err, r.reason) {
			continue
		}
		if n, _ := get(t, v, "findings").Length(); n != r.want {
			t.Errorf("%s: %d findings, want %d: %s", r.reason, n, r.want, jsonOf(t, v))
			continue
		}
		// The user's failure is also a failed call, linked to its finding.
		calls := jsonOf(t, get(t, v, "failedCalls"))
		if r.want > 0 && (!strings.Contains(calls, `"item":"`+fixture.CarrierEmail) || !strings.Contains(calls, `"rule":"onboard/carrier-email-exists"`)) ||
			r.want == 0 && calls != "[]" {
			t.Errorf("%s: failedCalls %s", r.reason, calls)
		}
		if r.want > 0 {
			f := jsonOf(t, get(t, v, "findings"))
			for _, want := range []string{`"rule":"onboard/carrier-email-exists"`, `"email":"` + fixture.CarrierEmail, `"orgId":"` + fixture.OrgID, `"trackingId":"` + fixture.CarrierTrackingID, `"title":`, `"steps":[`} {
				if !strings.Contains(f, want) {
					t.Errorf("%s: %s missing from %s", r.reason, want, f)
				}
			}
		}
	}
}

func TestResetSession(t *testing.T) {
	ns, entry, body := carrierNS(t)
	for i := 0; i < 2; i++ {
		if _, err := await(t, call(t, ns, "analyzeEntry", entry, body)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := await(t, call(t, ns, "resetSession")); err != nil {
		t.Fatal(err)
	}
	v, err := await(t, call(t, ns, "analyzeEntry", entry, body))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := get(t, v, "findings").Index(0); true {
		if e, _ := get(t, n, "entry").Int(); e != 0 {
			t.Errorf("after resetSession the first entry is %d, want 0", e)
		}
	}
}

func TestAnalyzeHARAndExplain(t *testing.T) {
	ns := newNS(t)
	seed := fixture.HAR(fixture.Firefox, fixture.SeedSession()...)
	u8, _ := construct("Uint8Array", len(seed))
	if _, err := safejs.CopyBytesToJS(u8, seed); err != nil {
		t.Fatal(err)
	}
	buf := get(t, u8, "buffer")
	rows := []struct {
		data     any
		findings int
		err      string // the resolved error field, or the rejection
		reject   bool
		reason   string
	}{
		{u8, 1, "", false, "a file read as a Uint8Array"},
		{buf, 1, "", false, "an ArrayBuffer from File.arrayBuffer()"},
		{string(seed), 1, "", false, "a string"},
		{string(seed[:len(seed)/2]), -1, "seed.har: entry", false, "a broken file resolves with where it broke"},
		{42, 0, "hubdoctor.analyzeHAR: argument 1 (data) must be a string, Uint8Array or ArrayBuffer, got number", true, "wrong type rejects"},
	}
	for _, r := range rows {
		v, err := await(t, call(t, ns, "analyzeHAR", r.data, "seed.har", "en"))
		if !resolved(t, err, r.reject, r.err, r.reason) {
			continue
		}
		n, _ := get(t, v, "findings").Length()
		if r.findings >= 0 && n != r.findings {
			t.Errorf("%s: %d findings, want %d", r.reason, n, r.findings)
		}
		e := get(t, v, "error")
		switch s, _ := e.String(); {
		case r.err == "" && !e.IsNull():
			t.Errorf("%s: error %s, want null", r.reason, s)
		case r.err != "" && (e.Type() != safejs.TypeString || !strings.HasPrefix(s, r.err)):
			t.Errorf("%s: error %q, want %q…", r.reason, s, r.err)
		}
		if r.findings > 0 {
			if b, _ := get(t, v, "browser").String(); b != "Firefox 153.0" {
				t.Errorf("%s: browser %q", r.reason, b)
			}
			stored := jsonOf(t, get(t, v, "findings"))
			x, err := await(t, call(t, ns, "explain", stored, "en"))
			if err != nil || jsonOf(t, x) != stored {
				t.Errorf("%s: explain of stored findings differs (%v):\n%s\n%s", r.reason, err, jsonOf(t, x), stored)
			}
		}
	}
	if _, err := await(t, call(t, ns, "explain", "{", "en")); err == nil || !strings.HasPrefix(err.Error(), "hubdoctor.explain: findings: not a JSON array") {
		t.Errorf("explain of bad JSON: %v", err)
	}
}

// TestPanicRecovered: a panicking call rejects with a one-line message and
// the runtime keeps serving later calls.
func TestPanicRecovered(t *testing.T) {
	ns := newNS(t)
	if err := exportAsync(ns, "_panic", func([]safejs.Value) (safejs.Value, error) {
		var m map[string]int
		//lint:ignore SA5000 a real runtime panic, not a string, is what the test needs
		m["x"] = 1
		return safejs.Undefined(), nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := exportSync(ns, "_panicSync", "fallback", func([]safejs.Value) (safejs.Value, error) { panic("boom\nsecond line") }); err != nil {
		t.Fatal(err)
	}
	_, err := await(t, call(t, ns, "_panic"))
	if err == nil || err.Error() != "hubdoctor._panic: internal error: assignment to entry in nil map" {
		t.Errorf("rejection %v", err)
	}
	if s, _ := call(t, ns, "_panicSync").String(); s != "fallback" {
		t.Errorf("sync panic returned %q, want the fallback", s)
	}
	entry, body := devtoolsEntry(t, carrierOnboard)
	v, err := await(t, call(t, ns, "analyzeEntry", entry, body))
	if err != nil {
		t.Fatalf("after the panic: %v", err)
	}
	if n, _ := get(t, v, "findings").Length(); n != 1 {
		t.Errorf("after the panic: %d findings, want 1", n)
	}
}

func TestSanitizeAndSummary(t *testing.T) {
	ns, entry, body := carrierNS(t)
	seed := fixture.HAR(fixture.Chrome, fixture.SeedSession()...)
	v, err := await(t, call(t, ns, "analyzeHAR", string(seed), "seed.har", "en"))
	if err != nil {
		t.Fatal(err)
	}
	stored := jsonOf(t, get(t, v, "findings"))
	failing, err := await(t, call(t, ns, "analyzeHAR", string(fixture.HAR(fixture.Firefox, fixture.FailedCallsSession()...)), "failing.har", "en"))
	if err != nil {
		t.Fatal(err)
	}
	calls := get(t, failing, "failedCalls")
	if n, _ := calls.Length(); n != 3+len(fixture.UnknownFailures()) {
		t.Fatalf("%d failed calls, want the 3 harmless and the unknown ones", n)
	}
	hydra, _ := calls.Index(4)
	rows := []struct {
		fn     string
		args   []any
		keep   []string
		drop   []string
		err    string
		reason string
	}{
		{"sanitizeEntry", []any{entry, body, "", false}, []string{"Error 10991", fixture.CarrierEmail}, []string{fixture.Token}, "", "one entry, body inserted, token gone"},
		{"sanitizeEntry", []any{entry, body, "", true}, []string{"Error 10991"}, []string{fixture.Token, fixture.CarrierEmail}, "", "pseudonymized"},
		{"sanitizeEntry", []any{"[", nil, nil, false}, nil, nil, "hubdoctor.sanitizeEntry: entry is not valid JSON", "bad entry"},
		{"sanitizeHAR", []any{string(seed), "seed.har", false}, []string{"_sanitizer", "Error 10991"}, []string{fixture.Token}, "", "whole file, stamped"},
		{"sanitizeHAR", []any{string(seed[:100]), "cut.har", false}, nil, nil, "hubdoctor.sanitizeHAR: cut.har: ", "broken file: where it broke"},
		{"summary", []any{stored, `{"format":"text","lang":"en","harName":"x.har"}`}, []string{fixture.CarrierEmail, fixture.OrgID, "x.har"}, nil, "", "TAC summary as text"},
		{"summary", []any{stored, `{"format":"pdf"}`}, nil, nil, "hubdoctor.summary: unknown summary format", "unknown format"},
		{"summary", []any{"[]", `{"format":"text","failedCalls":` + jsonOf(t, calls) + `}`}, []string{"FAILED CALLS", "ROUTER_5f2c1a0e-7b3d-4e9f-8a6c-2d1e0f9b8a7c"},
			[]string{"ATLAS_pending_1", "CANARY-request-token"}, "", "no finding: a summary of the unexpected failed calls, never the harmless ones"},
		{"failedCallSummary", []any{jsonOf(t, hydra), `{"browser":"Firefox 153.0"}`}, []string{fixture.OrgID, "ROUTER_5f2c1a0e-7b3d-4e9f-8a6c-2d1e0f9b8a7c", "Firefox 153.0", "PATCH https://webexapis.com/v1/people/"},
			[]string{"CANARY-request-token", fixture.Token}, "", "Copy for TAC: one call, sanitized"},
		{"failedCallSummary", []any{"[]", ""}, nil, nil, "hubdoctor.failedCallSummary: call: not a JSON object", "not a call"},
	}
	for _, r := range rows {
		v, err := await(t, call(t, ns, r.fn, r.args...))
		if r.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), r.err) {
				t.Errorf("%s: rejection %v, want %q…", r.reason, err, r.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", r.reason, err)
			continue
		}
		s, _ := v.String()
		for _, k := range r.keep {
			if !strings.Contains(s, k) {
				t.Errorf("%s: %q missing", r.reason, k)
			}
		}
		for _, d := range r.drop {
			if strings.Contains(s, d) {
				t.Errorf("%s: %q still there", r.reason, d)
			}
		}
	}
}
