// Command genhar writes a large Control Hub session HAR for the benchmarks
// (make bench) and prints on standard output, as JSON, what the file holds:
// its size, its entries and the e-mails of the users its onboard batches
// reject, so the bench can check every tool finds the same ones; with
// -failed N, also the N failed calls no rule explains it spread through the
// session, and the expected ones it holds, for the extension's tests of the
// failed-calls section.
//
//	genhar -size 50MB [-browser chrome|firefox] [-seed N] [-failed N] -o FILE
//
// The file is streamed through fixture.WriteLarge: memory stays bounded by
// the largest entry whatever the size. Exit status 2 on bad usage or a write
// error, with a one-line message on standard error.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"hubdoctor/internal/fixture"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "genhar:", err)
		}
		os.Exit(2)
	}
}

// summary is the JSON genhar prints: the generator's own account of the file.
type summary struct {
	File         string   `json:"file"`
	Browser      string   `json:"browser"`
	Bytes        int64    `json:"bytes"`
	Entries      int      `json:"entries"`
	Onboards     int      `json:"onboards"`
	FailingUsers []string `json:"failingUsers"`
	OKUsers      int      `json:"okUsers"`
	// Failed and Expected: the failed calls; Failed only with -failed.
	Failed   []fixture.LargeFailure `json:"failed,omitempty"`
	Expected int                    `json:"expected"`
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("genhar", flag.ContinueOnError)
	sizeArg := fs.String("size", "50MB", "approximate file size: bytes, or a number with kB, MB or GB (powers of 1000)")
	browserArg := fs.String("browser", "chrome", "export shape: chrome or firefox")
	seed := fs.Uint64("seed", 1, "random seed; the same seed and size give the same bytes")
	failed := fs.Int("failed", 0, "failed calls no rule explains to spread through the session")
	out := fs.String("o", "", "output file (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 || *failed < 0 {
		return fmt.Errorf("usage: genhar -size 50MB [-browser chrome|firefox] [-seed N] [-failed N] -o FILE")
	}
	size, err := parseSize(*sizeArg)
	if err != nil {
		return err
	}
	var b fixture.Browser
	switch *browserArg {
	case "chrome":
		b = fixture.Chrome
	case "firefox":
		b = fixture.Firefox
	default:
		return fmt.Errorf("-browser %q: want chrome or firefox", *browserArg)
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	s, err := fixture.WriteLargeWith(w, b, size, *seed, fixture.LargeOptions{Failed: *failed})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", *out, err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(summary{File: *out, Browser: b.String(), Bytes: s.Bytes, Entries: s.Entries,
		Onboards: len(s.Onboards), FailingUsers: s.FailingUsers, OKUsers: s.OKUsers, Failed: s.Failed, Expected: s.Expected})
}

// sizeUnits are decimal, as the bench reports MB/s in 10^6 bytes.
var sizeUnits = []struct {
	suffix string
	mult   int64
}{{"GB", 1e9}, {"MB", 1e6}, {"kB", 1e3}, {"KB", 1e3}, {"B", 1}}

// parseSize reads "500MB", "1.5GB", "64kB" or a plain byte count. It errors
// on anything else, and on sizes that are not positive.
func parseSize(s string) (int64, error) {
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range sizeUnits {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v <= 0 || v*float64(mult) > 1<<50 {
		return 0, fmt.Errorf("-size %q: want a positive size such as 500MB, 1.5GB or 65536", s)
	}
	return int64(v * float64(mult)), nil
}
