package offline

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"hubdoctor/internal/fixture"
)

// seedHAR is the seeds' Chrome session with the carrier case.
func seedHAR(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "testdata/sessions/chrome-seed-carrier.har"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// chunks splits data as File.slice would, n bytes at a time.
func chunks(data []byte, n int) [][]byte {
	var out [][]byte
	for len(data) > n {
		out = append(out, data[:n])
		data = data[n:]
	}
	return append(out, data)
}

// pushAll pushes every chunk, stopping when the engine stops, and returns
// the progress reports.
func pushAll(t *testing.T, im *Import, cs [][]byte) []*ImportProgress {
	t.Helper()
	var ps []*ImportProgress
	for _, c := range cs {
		p, err := im.Push(c)
		if err != nil {
			t.Fatalf("Push: %v", err)
		}
		ps = append(ps, p)
		if p.Stopped {
			break
		}
	}
	return ps
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportMatchesWholeFile: pushed in chunks of any size, a file gives
// exactly what the whole-file call gives, and the findings reported along
// the way add up to the final list.
func TestImportMatchesWholeFile(t *testing.T) {
	seed := seedHAR(t)
	cut := bytes.LastIndex(seed, []byte(`"request"`)) // inside the last entry
	rows := []struct {
		name    string
		data    []byte
		size    int
		wantErr string // substring of the error, "" for a clean file
		reason  string
	}{
		{"seed/1B", seed, 1, "", "every token crosses a chunk boundary"},
		{"seed/4KiB", seed, 4096, "", "the extension's chunks, scaled down"},
		{"seed/whole", seed, len(seed), "", "one chunk is the whole file"},
		{"truncated", seed[:cut], 1000, "unexpected end of file",
			"a truncated file keeps the findings before the break and says where"},
		{"not-json", []byte("<html><body>Sign in</body></html>"), 8, "not JSON",
			"an HTML page saved as .har is named for what it is"},
		{"empty", nil, 4096, "file is empty", "an empty file says so"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			want := AnalyzeHAR(row.data, "s.har", "en")
			im := NewImport("s.har", "en", 0)
			var ps []*ImportProgress
			if len(row.data) > 0 {
				ps = pushAll(t, im, chunks(row.data, row.size))
			}
			got := im.Finish()
			if jsonOf(t, got) != jsonOf(t, want) {
				t.Fatalf("import differs from the whole-file analysis (%s):\n got %s\nwant %s", row.reason, jsonOf(t, got), jsonOf(t, want))
			}
			switch {
			case row.wantErr == "" && got.Error != nil:
				t.Fatalf("unexpected error %q (%s)", *got.Error, row.reason)
			case row.wantErr != "" && (got.Error == nil || !strings.Contains(*got.Error, row.wantErr) || !strings.HasPrefix(*got.Error, "s.har: ")):
				t.Fatalf("error %v, want one naming s.har and saying %q (%s)", got.Error, row.wantErr, row.reason)
			}
			var pushed, pushedCalls []any
			var last int64
			for _, p := range ps {
				if p.Bytes < last {
					t.Errorf("progress went back: %d bytes after %d", p.Bytes, last)
				}
				last = p.Bytes
				for _, f := range p.Findings {
					pushed = append(pushed, f)
				}
				for _, c := range p.FailedCalls {
					pushedCalls = append(pushedCalls, c)
				}
			}
			if len(ps) > 0 && !ps[len(ps)-1].Stopped && last != int64(len(row.data)) {
				t.Errorf("read %d bytes of %d", last, len(row.data))
			}
			// Broken files too: the push that says stopped carries the rest.
			if len(pushed) > 0 || len(got.Findings) > 0 {
				if jsonOf(t, pushed) != jsonOf(t, got.Findings) {
					t.Errorf("findings pushed along the way %s, final %s", jsonOf(t, pushed), jsonOf(t, got.Findings))
				}
			}
			// Each push carries the failed calls new since the previous
			// one: appended, they are the final list.
			if len(pushedCalls) > 0 || len(got.FailedCalls) > 0 {
				if jsonOf(t, pushedCalls) != jsonOf(t, got.FailedCalls) {
					t.Errorf("failed calls pushed along the way %s, final %s", jsonOf(t, pushedCalls), jsonOf(t, got.FailedCalls))
				}
			}
			// So FinishCounts, for a caller that kept them, is the rest.
			counts := im.FinishCounts()
			if counts.Findings != nil || counts.FailedCalls != nil {
				t.Errorf("FinishCounts carries the lists")
			}
			counts.Findings, counts.FailedCalls = got.Findings, got.FailedCalls
			if jsonOf(t, counts) != jsonOf(t, got) {
				t.Errorf("FinishCounts %s, Finish %s", jsonOf(t, counts), jsonOf(t, got))
			}
		})
	}
	t.Run("seed-finding", func(t *testing.T) {
		res := AnalyzeHAR(seed, "s.har", "en")
		if len(res.Findings) != 1 || res.Findings[0].Rule != carrierRule || res.Findings[0].Email != fixture.CarrierEmail {
			t.Fatalf("the seeds' file must give the carrier finding, got %s", jsonOf(t, res.Findings))
		}
		// The seeds' harmless calls are listed as expected, with their
		// reason; the carrier's user is linked to the finding.
		var expected, linked int
		for _, c := range res.FailedCalls {
			switch {
			case c.Expected && c.Reason != "" && c.Source != "":
				expected++
			case c.Rule == carrierRule && c.Item == fixture.CarrierEmail:
				linked++
			default:
				t.Errorf("a failed call neither expected nor explained: %s", jsonOf(t, c))
			}
		}
		if expected != 3 || linked != 1 {
			t.Errorf("%d expected, %d linked failed calls; want 3 and 1", expected, linked)
		}
	})
}

// TestImportStopsOnBrokenFile: once the file is known broken, Push says
// stopped at once, so the extension stops reading a 500 MB file at byte 0.
func TestImportStopsOnBrokenFile(t *testing.T) {
	im := NewImport("x.har", "en", 0)
	p, err := im.Push([]byte("not a HAR at all"))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Stopped {
		// The scanner may want more bytes before it can tell; it cannot here.
		t.Fatalf("progress %+v, want stopped after a first chunk that is not JSON", p)
	}
	if p2, err := im.Push([]byte("more")); err != nil || !p2.Stopped {
		t.Fatalf("a later Push: %+v, %v; want stopped", p2, err)
	}
	if res := im.Finish(); res.Error == nil || !strings.Contains(*res.Error, "x.har: byte 0") {
		t.Fatalf("error %v, want where it broke", res.Error)
	}
}

// TestImportLifecycle: Cancel stops the reading and frees the goroutine;
// Push after Finish or Cancel errors instead of blocking or panicking.
func TestImportLifecycle(t *testing.T) {
	seed := seedHAR(t)
	rows := []struct {
		name   string
		end    func(*Import)
		reason string
	}{
		{"finish", func(im *Import) { im.Finish() }, "a Push after the end is a caller's bug, told as an error"},
		{"cancel", (*Import).Cancel, "Cancel ends the import; the engine's goroutine returns"},
		{"cancel-twice", func(im *Import) { im.Cancel(); im.Cancel() }, "Cancel is idempotent (the button and the page unload may both call it)"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			im := NewImport("s.har", "en", 0)
			if _, err := im.Push(seed[:len(seed)/2]); err != nil {
				t.Fatal(err)
			}
			row.end(im)
			if _, err := im.Push(seed[len(seed)/2:]); !errors.Is(err, errClosed) {
				t.Fatalf("Push after %s: %v, want %v (%s)", row.name, err, errClosed, row.reason)
			}
			deadline := time.Now().Add(2 * time.Second)
			for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if n := runtime.NumGoroutine(); n > before {
				t.Errorf("%d goroutines left, %d before (%s)", n, before, row.reason)
			}
		})
	}
	t.Run("cancel-result", func(t *testing.T) {
		im := NewImport("s.har", "en", 0)
		if _, err := im.Push(seed[:100]); err != nil {
			t.Fatal(err)
		}
		im.Cancel()
		if res := im.Finish(); res.Error == nil || !strings.Contains(*res.Error, ErrCancelled.Error()) {
			t.Fatalf("Finish after Cancel: error %v, want it to say the import was cancelled", res.Error)
		}
	})
}

// TestImportMemoryBounded: the live heap follows the largest entry, not the
// file: importing four times more data must not keep much more memory.
func TestImportMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 40 MiB")
	}
	peak := func(size int64) uint64 {
		runtime.GC()
		pr, pw := io.Pipe()
		go func() {
			_, err := fixture.WriteLarge(pw, fixture.Chrome, size, 3)
			pw.CloseWithError(err)
		}()
		im := NewImport("large.har", "en", 0)
		var top uint64
		var ms runtime.MemStats
		buf := make([]byte, 4<<20)
		for {
			n, err := io.ReadFull(pr, buf)
			if n > 0 {
				// Push keeps no reference once it returns, as with File.slice.
				if _, perr := im.Push(bytes.Clone(buf[:n])); perr != nil {
					t.Fatal(perr)
				}
				// Live memory, not garbage waiting for the collector.
				runtime.GC()
				runtime.ReadMemStats(&ms)
				top = max(top, ms.HeapAlloc)
			}
			if err != nil {
				break
			}
		}
		if res := im.Finish(); res.Error != nil || len(res.Findings) == 0 {
			t.Fatalf("large file: error %v, %d findings", res.Error, len(res.Findings))
		}
		return top
	}
	small, big := peak(8<<20), peak(32<<20)
	t.Logf("peak live heap: %.1f MiB for 8 MiB, %.1f MiB for 32 MiB", float64(small)/(1<<20), float64(big)/(1<<20))
	if big > small*3/2+8<<20 {
		t.Errorf("peak heap grew with the file: %d → %d bytes", small, big)
	}
}

var pseudonym = regexp.MustCompile(`user-[0-9a-f]+@[A-Za-z0-9.-]+`)

// TestSanitizeStream: chunk by chunk, the sanitized copy is byte for byte
// the whole-file one; a broken file errors with where it broke.
func TestSanitizeStream(t *testing.T) {
	seed := seedHAR(t)
	rows := []struct {
		name         string
		data         []byte
		size         int
		pseudonymize bool
		wantErr      string
		reason       string
	}{
		{"seed/1KiB", seed, 1024, false, "", "many pushes, output drained along the way"},
		{"seed/pseudo", seed, 4096, true, "", "pseudonyms stay stable across chunks"},
		{"truncated", seed[:len(seed)-40], 4096, false, "s.har: ", "a truncated file has no usable sanitized copy"},
		{"not-json", []byte("PK\x03\x04 a zip"), 4096, false, "s.har: byte 0", "not JSON at all"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			ss := NewSanitizeStream("s.har", row.pseudonymize)
			var out []byte
			var err error
			for _, c := range chunks(row.data, row.size) {
				var b []byte
				if b, err = ss.Push(c); err != nil {
					break
				}
				out = append(out, b...)
			}
			if err == nil {
				var tail []byte
				tail, err = ss.Finish()
				out = append(out, tail...)
			}
			if row.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), row.wantErr) {
					t.Fatalf("error %v, want %q (%s)", err, row.wantErr, row.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want, err := SanitizeHAR(row.data, "s.har", row.pseudonymize)
			if err != nil {
				t.Fatal(err)
			}
			if !row.pseudonymize && string(out) != want {
				t.Fatalf("streamed copy (%d bytes) differs from the whole-file one (%d bytes) (%s)", len(out), len(want), row.reason)
			}
			// Pseudonyms are keyed at random per export: compare how many
			// distinct ones each copy has, and that no address is left.
			distinct := func(s string) int {
				set := map[string]bool{}
				for _, m := range pseudonym.FindAllString(s, -1) {
					set[m] = true
				}
				return len(set)
			}
			if row.pseudonymize && (len(out) != len(want) || distinct(string(out)) != distinct(want) || distinct(want) == 0 ||
				bytes.Contains(out, []byte(fixture.CarrierEmail))) {
				t.Fatalf("streamed pseudonymized copy: %d bytes, %d pseudonyms; whole-file: %d bytes, %d pseudonyms (%s)",
					len(out), distinct(string(out)), len(want), distinct(want), row.reason)
			}
		})
	}
}
