//go:build js && wasm

package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/hack-pad/safejs"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/offline"
)

// u8 copies b into a new Uint8Array, as File.slice(…).arrayBuffer() hands
// bytes over.
func u8(t *testing.T, b []byte) safejs.Value {
	t.Helper()
	v, err := uint8Array(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestImportStream drives importStart/Push/Finish/Cancel as the extension's
// worker does, chunk by chunk, awaiting each Promise.
func TestImportStream(t *testing.T) {
	seed := fixture.HAR(fixture.Chrome, fixture.SeedSession()...)
	rows := []struct {
		name     string
		data     []byte
		chunk    int
		findings int
		err      string // prefix of importFinish's error field, "" for null
		reason   string
	}{
		{"seed", seed, 512, 1, "", "the seeds' case found across chunks, as in the panel"},
		{"truncated", seed[:len(seed)*3/4], 512, -1, "seed.har: entry ", "a truncated file says where, findings before kept"},
		{"not-json", []byte("<!doctype html><title>Sign in</title>"), 512, 0, "seed.har: byte 0: not JSON", "an HTML page named .har"},
		{"empty", nil, 512, 0, "seed.har: byte 0: file is empty", "an empty file"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			ns := newNS(t)
			id, err := await(t, call(t, ns, "importStart", "seed.har", "en"))
			if err != nil {
				t.Fatal(err)
			}
			pushed, last := 0, 0
			for off := 0; off < len(r.data); off += r.chunk {
				p, err := await(t, call(t, ns, "importPush", id, u8(t, r.data[off:min(off+r.chunk, len(r.data))])))
				if err != nil {
					t.Fatalf("importPush: %v (%s)", err, r.reason)
				}
				n, _ := get(t, p, "findings").Length()
				pushed += n
				b, _ := get(t, p, "bytes").Int()
				if b < last {
					t.Errorf("bytes went back: %d after %d", b, last)
				}
				last = b
				if stopped, _ := get(t, p, "stopped").Bool(); stopped {
					break
				}
			}
			res, err := await(t, call(t, ns, "importFinish", id))
			if err != nil {
				t.Fatalf("importFinish: %v", err)
			}
			n, _ := get(t, res, "findings").Length()
			if r.findings >= 0 && n != r.findings {
				t.Errorf("%d findings, want %d (%s)", n, r.findings, r.reason)
			}
			if r.err == "" && pushed != n {
				t.Errorf("%d findings pushed along the way, %d at the end", pushed, n)
			}
			e := get(t, res, "error")
			switch s, _ := e.String(); {
			case r.err == "" && !e.IsNull():
				t.Errorf("error %s, want null (%s)", s, r.reason)
			case r.err != "" && !strings.HasPrefix(s, r.err):
				t.Errorf("error %q, want %q… (%s)", s, r.err, r.reason)
			}
			if _, err := await(t, call(t, ns, "importPush", id, u8(t, []byte("{}")))); err == nil ||
				!strings.HasPrefix(err.Error(), "hubdoctor.importPush: no import with id") {
				t.Errorf("push after finish: %v, want a rejection naming the id", err)
			}
		})
	}
}

// TestImportCancelAndErrors: Cancel ends an import mid-file; bad arguments
// reject with the one-line message; another import runs after.
// TestPushReusesChunk: a push copies its bytes into the stream's chunk,
// whose storage the next push reuses; a push made while the previous one's
// work has not run yet is refused before it copies anything, so the chunk
// the engine reads is never overwritten.
func TestPushReusesChunk(t *testing.T) {
	seed := fixture.HAR(fixture.Chrome, fixture.SeedSession()...)
	half := (len(seed) + 1) / 2 // the second half is no longer than the first
	s := &streams{imports: map[int]*open[*offline.Import]{1: {stream: offline.NewImport("seed.har", "en", 0)}}}
	id, err := safejs.ValueOf(1)
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.importPush([]safejs.Value{id, u8(t, seed[:half])})
	if err != nil {
		t.Fatal(err)
	}
	chunk := s.imports[1].chunk
	if _, err := s.importPush([]safejs.Value{id, u8(t, bytes.Repeat([]byte("x"), half))}); !errors.Is(err, offline.ErrBusy) {
		t.Fatalf("a push while the previous one runs: %v, want %v", err, offline.ErrBusy)
	}
	if !bytes.Equal(chunk, seed[:half]) {
		t.Fatal("the refused push changed the chunk being read")
	}
	if _, err := first(); err != nil {
		t.Fatal(err)
	}
	second, err := s.importPush([]safejs.Value{id, u8(t, seed[half:])})
	if err != nil {
		t.Fatal(err)
	}
	if &s.imports[1].chunk[0] != &chunk[0] {
		t.Error("the second push did not reuse the first one's storage")
	}
	if _, err := second(); err != nil {
		t.Fatal(err)
	}
	res := s.imports[1].stream.Finish()
	if res.Error != nil || len(res.Findings) != 1 {
		t.Errorf("the seeds' file pushed in two halves through one reused chunk: %d findings, error %v; want the carrier finding", len(res.Findings), res.Error)
	}
}

func TestImportCancelAndErrors(t *testing.T) {
	ns := newNS(t)
	seed := fixture.HAR(fixture.Chrome, fixture.SeedSession()...)
	id, _ := await(t, call(t, ns, "importStart", "a.har", "en"))
	if _, err := await(t, call(t, ns, "importPush", id, u8(t, seed[:100]))); err != nil {
		t.Fatal(err)
	}
	if _, err := await(t, call(t, ns, "importCancel", id)); err != nil {
		t.Fatalf("importCancel: %v", err)
	}
	if _, err := await(t, call(t, ns, "importCancel", id)); err != nil {
		t.Errorf("a second importCancel must not reject (Cancel and the end may cross): %v", err)
	}
	rows := []struct {
		fn     string
		args   []any
		want   string
		reason string
	}{
		{"importPush", []any{id, u8(t, seed)}, "hubdoctor.importPush: no import with id", "a cancelled import is gone"},
		{"importPush", []any{"1", u8(t, seed)}, "hubdoctor.importPush: argument 1 (id) must be a number, got string", "wrong id type"},
		{"importFinish", []any{99}, "hubdoctor.importFinish: no import with id 99", "never started"},
		{"sanitizePush", []any{1, 42}, "hubdoctor.sanitizePush: no sanitized export with id 1", "an import's id is not an export's"},
	}
	for _, r := range rows {
		if _, err := await(t, call(t, ns, r.fn, r.args...)); err == nil || !strings.HasPrefix(err.Error(), r.want) {
			t.Errorf("%s: %v, want %q… (%s)", r.fn, err, r.want, r.reason)
		}
	}
	id2, _ := await(t, call(t, ns, "importStart", "b.har", "en"))
	if _, err := await(t, call(t, ns, "importPush", id2, u8(t, seed))); err != nil {
		t.Fatal(err)
	}
	res, err := await(t, call(t, ns, "importFinish", id2))
	if n, _ := get(t, res, "findings").Length(); err != nil || n != 1 {
		t.Errorf("an import after a cancelled one: %d findings, %v", n, err)
	}

	// With counts, the lists the pushes gave are left out, the rest is there.
	id3, _ := await(t, call(t, ns, "importStart", "c.har", "en"))
	if _, err := await(t, call(t, ns, "importPush", id3, u8(t, seed))); err != nil {
		t.Fatal(err)
	}
	res, err = await(t, call(t, ns, "importFinish", id3, true))
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := get(t, res, "entries").Int(); !get(t, res, "findings").IsNull() || !get(t, res, "failedCalls").IsNull() || entries == 0 || !get(t, res, "error").IsNull() {
		t.Errorf("importFinish with counts: findings %v, failed calls %v, %d entries, error %v", get(t, res, "findings"), get(t, res, "failedCalls"), entries, get(t, res, "error"))
	}
}

// TestSanitizeStreamBridge: the streamed sanitized copy equals sanitizeHAR's
// of the whole file; a broken file rejects with where it broke.
func TestSanitizeStreamBridge(t *testing.T) {
	ns := newNS(t)
	seed := fixture.HAR(fixture.Chrome, fixture.SeedSession()...)
	run := func(data []byte) (string, error) {
		id, err := await(t, call(t, ns, "sanitizeStart", "s.har", false))
		if err != nil {
			t.Fatal(err)
		}
		var out []byte
		for off := 0; off < len(data); off += 700 {
			v, err := await(t, call(t, ns, "sanitizePush", id, u8(t, data[off:min(off+700, len(data))])))
			if err != nil {
				_, _ = await(t, call(t, ns, "sanitizeCancel", id))
				return "", err
			}
			n, _ := v.Length()
			b := make([]byte, n)
			_, _ = safejs.CopyBytesToGo(b, v)
			out = append(out, b...)
		}
		v, err := await(t, call(t, ns, "sanitizeFinish", id))
		if err != nil {
			return "", err
		}
		n, _ := v.Length()
		b := make([]byte, n)
		_, _ = safejs.CopyBytesToGo(b, v)
		return string(append(out, b...)), nil
	}
	got, err := run(seed)
	if err != nil {
		t.Fatal(err)
	}
	want, err := await(t, call(t, ns, "sanitizeHAR", string(seed), "s.har", false))
	if w, _ := want.String(); err != nil || got != w {
		t.Errorf("streamed sanitized copy differs from sanitizeHAR's (%d vs %d bytes, %v)", len(got), len(w), err)
	}
	if _, err := run(seed[:len(seed)-30]); err == nil || !strings.HasPrefix(err.Error(), "hubdoctor.sanitize") || !strings.Contains(err.Error(), "s.har: ") {
		t.Errorf("truncated file: %v, want a rejection saying where", err)
	}
}

// TestBackgroundPanicRecovered: a panic in a background adapter's work,
// which runs in a goroutine, rejects its Promise; the runtime keeps serving.
func TestBackgroundPanicRecovered(t *testing.T) {
	ns := newNS(t)
	if err := exportBackground(ns, "_panicLater", func([]safejs.Value) (work, error) {
		return func() (safejs.Value, error) {
			var m map[string]int
			//lint:ignore SA5000 a real runtime panic is what the test needs
			m["x"] = 1
			return safejs.Undefined(), nil
		}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := await(t, call(t, ns, "_panicLater")); err == nil || err.Error() != "hubdoctor._panicLater: internal error: assignment to entry in nil map" {
		t.Errorf("rejection %v", err)
	}
	if _, err := await(t, call(t, ns, "importStart", "after.har", "en")); err != nil {
		t.Errorf("after the panic: %v", err)
	}
}

// TestSplitImportBridge drives a split import as the two workers do: the
// partner's partPush pieces and partFinish's last piece handed over in
// arrays, the first few alone, then the rest at once; the result is
// analyzeHAR's. A handover of something that is not an array of bytes
// rejects with the one-line message.
func TestSplitImportBridge(t *testing.T) {
	ns := newNS(t)
	var buf bytes.Buffer
	if _, err := fixture.WriteLargeWith(&buf, fixture.Firefox, 4<<20, 5, fixture.LargeOptions{Failed: 20}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	mid := len(data) / 2
	off, err := await(t, call(t, ns, "entryStart", u8(t, data[:1<<20]), u8(t, data[mid:mid+1<<20])))
	if err != nil {
		t.Fatal(err)
	}
	o, _ := off.Int()
	if o < 0 {
		t.Fatal("no entry start guessed")
	}
	split := mid + o
	const chunk = 256 << 10

	pid, _ := await(t, call(t, ns, "partStart", "s.har", split))
	var pieces []any
	for at := split; at < len(data); at += chunk {
		p, err := await(t, call(t, ns, "partPush", pid, u8(t, data[at:min(at+chunk, len(data))])))
		if err != nil {
			t.Fatal(err)
		}
		pieces = append(pieces, get(t, p, "piece"))
	}
	last, err := await(t, call(t, ns, "partFinish", pid))
	if err != nil {
		t.Fatal(err)
	}
	pieces = append(pieces, last)

	id, _ := await(t, call(t, ns, "importStart", "s.har", "en", split))
	handovers := 0
	for at := 0; at < len(data); at += chunk {
		p, err := await(t, call(t, ns, "importPush", id, u8(t, data[at:min(at+chunk, len(data))])))
		if err != nil {
			t.Fatal(err)
		}
		for h, _ := get(t, p, "handover").Bool(); h; h, _ = get(t, p, "handover").Bool() {
			if handovers == 0 {
				if _, err := await(t, call(t, ns, "importHandover", id, "not an array")); err == nil || !strings.Contains(err.Error(), "hubdoctor.importHandover: argument 2 (pieces)") {
					t.Errorf("a handover of a string: %v", err)
				}
			}
			n := len(pieces)
			if handovers < 3 {
				n = 1
			}
			arr, _ := safejs.Global().Get("Array")
			given, _ := arr.New(pieces[:n]...)
			pieces = pieces[n:]
			handovers++
			if p, err = await(t, call(t, ns, "importHandover", id, given)); err != nil {
				t.Fatal(err)
			}
		}
		if stopped, _ := get(t, p, "stopped").Bool(); stopped {
			break
		}
	}
	res, err := await(t, call(t, ns, "importFinish", id))
	if err != nil {
		t.Fatal(err)
	}
	whole, err := await(t, call(t, ns, "analyzeHAR", u8(t, data), "s.har", "en"))
	if err != nil {
		t.Fatal(err)
	}
	if handovers < 4 || len(pieces) > 0 {
		t.Errorf("%d handovers, %d pieces left", handovers, len(pieces))
	}
	stringify := func(v safejs.Value) string {
		j, _ := safejs.Global().Get("JSON")
		s, _ := j.Call("stringify", v)
		str, _ := s.String()
		return str
	}
	if got, want := stringify(res), stringify(whole); got != want {
		t.Errorf("split import differs from analyzeHAR:\n got %.300s\nwant %.300s", got, want)
	}
}
