//go:build unix

package sanitize

import (
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

var (
	largeOnce sync.Once
	largeHAR  []byte
)

// large is a 48 MiB generated Chrome session, built once per run.
func large(tb testing.TB) []byte {
	largeOnce.Do(func() {
		var buf bytes.Buffer
		if _, err := fixture.WriteLarge(&buf, fixture.Chrome, 48<<20, 1); err != nil {
			tb.Fatal(err)
		}
		largeHAR = buf.Bytes()
	})
	return largeHAR
}

// baseline is what a naive sanitizer costs before doing any work: decode the
// whole file into interface{} values and encode it again.
func baseline(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	_, err := json.Marshal(v)
	return err
}

// BenchmarkSanitize streams the large session through HAR and reports the
// throughput, and how many times faster than the baseline it is, and than
// HAR sanitizing entries in one worker (x-one-worker).
func BenchmarkSanitize(b *testing.B) {
	data := large(b)
	start := time.Now()
	if err := baseline(data); err != nil {
		b.Fatal(err)
	}
	base := time.Since(start)
	start = time.Now()
	if _, err := sanitizeHAR(bytes.NewReader(data), io.Discard, "large.har", Options{PseudonymizeEmails: true}, 1); err != nil {
		b.Fatal(err)
	}
	one := time.Since(start)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		if _, err := HAR(bytes.NewReader(data), io.Discard, "large.har", Options{PseudonymizeEmails: true}); err != nil {
			b.Fatal(err)
		}
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(base)/float64(per), "x-baseline")
	b.ReportMetric(float64(one)/float64(per), "x-one-worker")
	b.ReportMetric(float64(len(data))/base.Seconds()/1e6, "baseline-MB/s")
	// On a shared machine wall time varies with the load; the process's CPU
	// time (GC included) does not.
	b.ReportMetric(float64(len(data))*float64(b.N)/(cpuTime()-cpu0).Seconds()/1e6, "MB/cpu-s")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkBaseline is the decode-into-interface{}-and-encode baseline alone.
func BenchmarkBaseline(b *testing.B) {
	data := large(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for range b.N {
		if err := baseline(data); err != nil {
			b.Fatal(err)
		}
	}
}

// peakHeap sanitizes a generated session of size bytes, streamed from the
// generator so the file itself is never in memory, and returns the largest
// live heap seen while doing it. The live heap is measured after a forced
// collection every checkEvery bytes read, so garbage not yet collected (which
// depends on when the collector happens to run on a busy machine) never
// counts: only what the sanitizer keeps does.
func peakHeap(t *testing.T, size int64) uint64 {
	runtime.GC()
	pr, pw := io.Pipe()
	go func() {
		_, err := fixture.WriteLarge(pw, fixture.Chrome, size, 2)
		pw.CloseWithError(err)
	}()
	r := &liveHeapReader{r: pr}
	_, err := HAR(r, io.Discard, "large.har", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r.peak
}

// checkEvery is how often, in bytes read, liveHeapReader measures.
const checkEvery = 512 << 10

// liveHeapReader reads r and records the live heap after a collection at
// every checkEvery bytes.
type liveHeapReader struct {
	r    io.Reader
	read int64
	next int64
	peak uint64
}

func (l *liveHeapReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.read += int64(n)
	if l.read >= l.next {
		l.next = l.read + checkEvery
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		l.peak = max(l.peak, ms.HeapAlloc)
	}
	return n, err
}

// TestMemoryBounded checks that memory follows the largest entry, not the
// file: whatever the file's size, the live heap stays within what may be
// held at once, each at most the largest entry (the inFlight items read and
// not yet written, each with its sanitized copy; the scanner's window; each
// worker's copies of the body it is sanitizing), plus a fixed allowance for
// the generator and the runtime. The bound holds however the
// goroutines are scheduled, so a busy machine cannot fail it; a sanitizer
// that kept anything per entry would pass it on 8 MiB and fail on 96 MiB.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 104 MiB")
	}
	for _, size := range []int64{8 << 20, 96 << 20} {
		largest := largestEntry(t, size)
		peak := peakHeap(t, size)
		bound := uint64((2*inFlight+8)*largest) + 8<<20
		t.Logf("%d MiB: peak live heap %.1f MiB, largest entry %.1f MiB, bound %.1f MiB",
			size>>20, float64(peak)/(1<<20), float64(largest)/(1<<20), float64(bound)/(1<<20))
		if peak > bound {
			t.Errorf("%d MiB: peak live heap %d bytes over the bound %d: memory grew with the file", size>>20, peak, bound)
		}
	}
}

// largestEntry returns the size of the largest entry of the generated session of size bytes.
func largestEntry(t *testing.T, size int64) int {
	pr, pw := io.Pipe()
	go func() {
		_, err := fixture.WriteLarge(pw, fixture.Chrome, size, 2)
		pw.CloseWithError(err)
	}()
	sc := har.NewScanner(pr, "large.har")
	largest := 0
	for {
		it, err := sc.Next()
		if err == io.EOF {
			return largest
		}
		if err != nil {
			t.Fatal(err)
		}
		largest = max(largest, len(it.Raw))
	}
}
