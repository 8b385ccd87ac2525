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
// throughput, and how many times faster than the baseline it is.
func BenchmarkSanitize(b *testing.B) {
	data := large(b)
	start := time.Now()
	if err := baseline(data); err != nil {
		b.Fatal(err)
	}
	base := time.Since(start)
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
// generator so the file itself is never in memory, and returns the peak
// HeapInuse seen while doing it.
func peakHeap(t *testing.T, size int64) uint64 {
	runtime.GC()
	pr, pw := io.Pipe()
	go func() {
		_, err := fixture.WriteLarge(pw, fixture.Chrome, size, 2)
		pw.CloseWithError(err)
	}()
	var peak uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	_, err := HAR(pr, io.Discard, "large.har", Options{})
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	return peak
}

// TestMemoryBounded checks that memory follows the largest entry, not the
// file: sanitizing four times more data must not need much more heap.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 40 MiB")
	}
	small, big := peakHeap(t, 8<<20), peakHeap(t, 32<<20)
	t.Logf("peak HeapInuse: %.1f MiB for 8 MiB, %.1f MiB for 32 MiB", float64(small)/(1<<20), float64(big)/(1<<20))
	if big > small*3/2+8<<20 {
		t.Errorf("peak heap grew with the file: %d → %d bytes", small, big)
	}
}
