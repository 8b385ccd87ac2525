package engine

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// The analysis benchmarks read a generated Control Hub session (64 MiB
// unless HUBDOCTOR_BENCH_MB says otherwise; fixture.WriteLarge: onboard
// batches among the usual traffic, one call in twenty a failed
// GET …/subscriptions/pending) and report their cost as a ratio to the
// scanner alone over the same file in the same run, the floor any analysis
// pays:
//
//	HUBDOCTOR_BENCH_MB=200 go test -run '^$' -bench . ./internal/engine

// analyzeBenchFile writes the session once for the benchmark.
func analyzeBenchFile(b *testing.B) (string, int64) {
	b.Helper()
	mb, err := fixture.BenchMiB()
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "session.har")
	s, err := fixture.WriteLargeFile(p, fixture.Chrome, mb<<20, 1)
	if err != nil {
		b.Fatal(err)
	}
	return p, s.Bytes
}

// scanOnly is the floor: every entry scanned and its request peeked.
func scanOnly(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return har.NewScanner(f, path).EachEntry(func(it har.Item) error {
		har.PeekRequest(it.Raw)
		return nil
	})
}

// analyzeSequential is AnalyzeHAR over the file.
func analyzeSequential(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = AnalyzeHAR(f, path, NewSession(nil))
	return err
}

// BenchmarkAnalyze times the scan alone and AnalyzeHAR, interleaved on the
// same file, and reports the analysis's MB/s and its cost in scans.
func BenchmarkAnalyze(b *testing.B) {
	path, size := analyzeBenchFile(b)
	var scan, analyze time.Duration
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, step := range []struct {
			run func(string) error
			sum *time.Duration
		}{{scanOnly, &scan}, {analyzeSequential, &analyze}} {
			start := time.Now()
			if err := step.run(path); err != nil {
				b.Fatal(err)
			}
			*step.sum += time.Since(start)
		}
	}
	b.ReportMetric(float64(size)*float64(b.N)/analyze.Seconds()/(1<<20), "analyze-MB/s")
	b.ReportMetric(float64(analyze)/float64(scan), "x-scan-time")
}

// BenchmarkNeedsBody is the live path's per-request decision over the
// file's requests, most of them answered 2xx, against splitting their URLs
// (har.NewRequest, which any decision needs) in the same run.
func BenchmarkNeedsBody(b *testing.B) {
	path, _ := analyzeBenchFile(b)
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	type req struct {
		method, url, mime string
		status            int
	}
	var reqs []req
	err = har.NewScanner(f, path).EachEntry(func(it har.Item) error {
		r := har.PeekRequest(it.Raw)
		reqs = append(reqs, req{r.Method, r.URL, r.MimeType, r.Status})
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	s := NewSession(nil)
	var split, decide time.Duration
	wanted := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		for _, r := range reqs {
			har.NewRequest(r.method, r.url, r.status, r.mime)
		}
		split += time.Since(start)
		start = time.Now()
		for _, r := range reqs {
			if s.NeedsBody(har.NewRequest(r.method, r.url, r.status, r.mime)) {
				wanted++
			}
		}
		decide += time.Since(start)
	}
	n := float64(b.N * len(reqs))
	b.ReportMetric(float64(decide.Nanoseconds())/n, "ns/decision")
	b.ReportMetric(float64(decide)/float64(split), "x-url-split")
	b.ReportMetric(float64(wanted)/float64(b.N)/float64(len(reqs))*100, "%-wanted")
}
