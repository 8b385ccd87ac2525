package har

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/fixture"
)

// Benchmarks read a generated Control Hub session from disk (so that the
// file itself is not counted in the heap), 64 MiB unless HUBDOCTOR_BENCH_MB
// says otherwise:
//
//	HUBDOCTOR_BENCH_MB=256 go test -run '^$' -bench . -benchmem ./internal/har

var (
	benchDir   string
	benchFiles sync.Map // size in bytes → path
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchMB is the size of the main benchmark file.
func benchMB(b *testing.B) int64 {
	mb, err := fixture.BenchMiB()
	if err != nil {
		b.Fatal(err)
	}
	return mb
}

// benchFile writes a session of mb MiB once per run and returns its path and size.
func benchFile(b *testing.B, mb int64) (string, int64) {
	if p, ok := benchFiles.Load(mb); ok {
		st, err := os.Stat(p.(string))
		if err != nil {
			b.Fatal(err)
		}
		return p.(string), st.Size()
	}
	if benchDir == "" {
		d, err := os.MkdirTemp("", "hubdoctor-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = d
	}
	p := filepath.Join(benchDir, fmt.Sprintf("session-%dM.har", mb))
	s, err := fixture.WriteLargeFile(p, fixture.Chrome, mb<<20, 1)
	if err != nil {
		b.Fatal(err)
	}
	benchFiles.Store(mb, p)
	return p, s.Bytes
}

// scanFile is what AnalyzeHAR does before any rule runs: every entry
// scanned and validated, and its request peeked at.
func scanFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := NewScanner(f, path)
	n := 0
	for {
		it, err := s.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if it.Kind == EntryItem && PeekRequest(it.Raw).Method != "" {
			n++
		}
	}
}

// genericHAR is how a HAR is usually read with encoding/json: the whole file
// into structs.
type genericHAR struct {
	Log struct {
		Version string          `json:"version"`
		Creator json.RawMessage `json:"creator"`
		Entries []genericEntry  `json:"entries"`
	} `json:"log"`
}

type genericEntry struct {
	StartedDateTime string `json:"startedDateTime"`
	Request         struct {
		Method   string `json:"method"`
		URL      string `json:"url"`
		Headers  []struct{ Name, Value string }
		PostData *struct {
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
		} `json:"postData"`
	} `json:"request"`
	Response struct {
		Status  int `json:"status"`
		Headers []struct{ Name, Value string }
		Content struct {
			Size     int64  `json:"size"`
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
			Encoding string `json:"encoding"`
		} `json:"content"`
	} `json:"response"`
}

func decodeFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var h genericHAR
	if err := json.NewDecoder(f).Decode(&h); err != nil {
		return 0, err
	}
	n := 0
	for _, e := range h.Log.Entries {
		if e.Request.Method != "" {
			n++
		}
	}
	return n, nil
}

// tokenFile streams with encoding/json's Decoder: tokens down to
// log.entries, then one Decode per entry, the usual streaming answer.
func tokenFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 256<<10))
	n := 0
	var walk func(depth int) error
	walk = func(depth int) error { // inside an object: read members
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				return err
			}
			switch key, _ := t.(string); {
			case depth == 0 && key == "log":
				if _, err := dec.Token(); err != nil { // {
					return err
				}
				if err := walk(1); err != nil {
					return err
				}
			case depth == 1 && key == "entries":
				if _, err := dec.Token(); err != nil { // [
					return err
				}
				for dec.More() {
					var e genericEntry
					if err := dec.Decode(&e); err != nil {
						return err
					}
					if e.Request.Method != "" {
						n++
					}
				}
				if _, err := dec.Token(); err != nil { // ]
					return err
				}
			default:
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return err
				}
			}
		}
		_, err := dec.Token() // }
		return err
	}
	if _, err := dec.Token(); err != nil {
		return 0, err
	}
	return n, walk(0)
}

var heapObjects = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

// peakHeap runs fn and returns the largest heap in use while it ran, above
// what was in use before, sampled every 200µs (runtime/metrics does not stop
// the world, unlike ReadMemStats).
func peakHeap(fn func()) uint64 {
	runtime.GC()
	metrics.Read(heapObjects)
	base := heapObjects[0].Value.Uint64()
	var peak uint64
	stop, done := make(chan bool), make(chan bool)
	go func() {
		s := []metrics.Sample{{Name: heapObjects[0].Name}}
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak {
				peak = v
			}
			select {
			case <-stop:
				close(done)
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	if peak < base {
		return 0
	}
	return peak - base
}

// runReader benchmarks one way of reading the file: wall-time MB/s, MB per
// CPU second (steadier on a shared machine), and the peak heap of one more
// run, sampled apart so that sampling does not slow the timed runs.
func runReader(b *testing.B, read func(string) (int, error)) {
	path, size := benchFile(b, benchMB(b))
	b.SetBytes(size)
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		if n, err := read(path); err != nil || n == 0 {
			b.Fatalf("%d entries, %v", n, err)
		}
	}
	cpu = cpuTime() - cpu
	b.StopTimer()
	if cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/cpu.Seconds()/(1<<20), "MB/cpu-s")
	}
	peak := peakHeap(func() {
		if _, err := read(path); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkScan is the Scanner over every entry with PeekRequest.
func BenchmarkScan(b *testing.B) { runReader(b, scanFile) }

// BenchmarkBaselineEncodingJSON decodes the whole file into structs.
func BenchmarkBaselineEncodingJSON(b *testing.B) { runReader(b, decodeFile) }

// BenchmarkTokenEncodingJSON streams with json.Decoder, one entry at a time.
func BenchmarkTokenEncodingJSON(b *testing.B) { runReader(b, tokenFile) }

// BenchmarkVersusEncodingJSON runs the scanner and both encoding/json ways
// on the same file, interleaved in the same run, and reports how many times
// less CPU the scanner needs (wall time when CPU time is unknown).
func BenchmarkVersusEncodingJSON(b *testing.B) {
	path, size := benchFile(b, benchMB(b))
	costOf := func(read func(string) (int, error)) time.Duration {
		start, cpu := time.Now(), cpuTime()
		if n, err := read(path); err != nil || n == 0 {
			b.Fatalf("%d entries, %v", n, err)
		}
		if c := cpuTime() - cpu; c > 0 {
			return c
		}
		return time.Since(start)
	}
	var scan, whole, token time.Duration
	b.SetBytes(size)
	for i := 0; i < b.N; i++ {
		scan += costOf(scanFile)
		whole += costOf(decodeFile)
		token += costOf(tokenFile)
	}
	b.ReportMetric(float64(whole)/float64(scan), "x-faster-than-encoding/json")
	b.ReportMetric(float64(token)/float64(scan), "x-faster-than-json.Decoder-tokens")
	b.ReportMetric(float64(size)*float64(b.N)/scan.Seconds()/(1<<20), "scan-MB/cpu-s")
}

// BenchmarkValidationShare measures what gjson.ValidBytes costs within a
// scan: it validates each entry a second time, timing only that. (A
// validator of our own, eight bytes at a time, measured no faster.)
func BenchmarkValidationShare(b *testing.B) {
	path, size := benchFile(b, benchMB(b))
	b.SetBytes(size)
	var valid, total time.Duration
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		err = NewScanner(f, path).EachEntry(func(it Item) error {
			t := time.Now()
			if !gjson.ValidBytes(it.Raw) {
				return errors.New("invalid entry")
			}
			valid += time.Since(t)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		f.Close()
	}
	b.ReportMetric(100*float64(valid)/float64(total-valid), "validate-%-of-scan")
}

// BenchmarkScanMemory shows that the scanner's memory follows the largest
// entry, not the file: the same peak heap for 16 MiB and 4× larger.
func BenchmarkScanMemory(b *testing.B) {
	small, _ := benchFile(b, 16)
	large, _ := benchFile(b, 4*16)
	var ps, pl uint64
	for i := 0; i < b.N; i++ {
		ps = peakHeap(func() {
			if _, err := scanFile(small); err != nil {
				b.Fatal(err)
			}
		})
		pl = peakHeap(func() {
			if _, err := scanFile(large); err != nil {
				b.Fatal(err)
			}
		})
	}
	b.ReportMetric(float64(ps)/(1<<20), "peak-heap-MB-16MiB")
	b.ReportMetric(float64(pl)/(1<<20), "peak-heap-MB-64MiB")
}
