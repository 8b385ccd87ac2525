package main

import (
	"fmt"
	"io"
	"os"
	"runtime"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/messages"
	"hubdoctor/internal/report"
)

func runAnalyze(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("analyze", stderr)
	asJSON := fs.Bool("json", false, "write a JSON document instead of the readable report")
	lang := fs.String("lang", "en", "language of titles, causes and fixes: "+fmt.Sprint(messages.Languages()))
	path, code, ok := inputArg(fs, args, stderr)
	if !ok {
		return code
	}
	res, meta, code := analyzeFile(path, stdin, stderr)
	if res == nil {
		return code
	}
	render := report.WriteText
	if *asJSON {
		render = report.WriteJSON
	}
	if err := render(stdout, res, meta, *lang); err != nil {
		fmt.Fprintf(stderr, "hubdoctor analyze: writing the report: %v\n", err)
		return exitBad
	}
	if code != exitOK {
		return code
	}
	for _, f := range res.Findings {
		if f.Severity == engine.Error {
			return exitFindings
		}
	}
	return exitOK
}

// analyzeFile runs the catalog over a HAR file. On an input error it prints
// the one-line error to stderr and returns what was found before the break
// with exitBad; res is nil when nothing could be read at all.
func analyzeFile(path string, stdin io.Reader, stderr io.Writer) (*engine.Result, report.Meta, int) {
	in, name, err := openInput(path, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hubdoctor: %v\n", err)
		return nil, report.Meta{File: name}, exitBad
	}
	defer in.Close()
	var res *engine.Result
	if f, ok := regularFile(in); ok {
		// A file on disk is read in parts on every core.
		res, err = engine.AnalyzeFile(f, f.size, name, engine.NewSession(nil), runtime.GOMAXPROCS(0))
	} else {
		res, err = engine.AnalyzeHAR(in, name, engine.NewSession(nil))
	}
	meta := report.Meta{File: name, Err: err}
	if err != nil {
		fmt.Fprintf(stderr, "hubdoctor: %v\n", err)
		return res, meta, exitBad
	}
	return res, meta, exitOK
}

// sizedFile is a file that can be read at any offset, with its size.
type sizedFile struct {
	*os.File
	size int64
}

// regularFile returns in as a sizedFile when it is a regular file (not
// standard input, a pipe or a device).
func regularFile(in io.Reader) (sizedFile, bool) {
	f, ok := in.(*os.File)
	if !ok {
		return sizedFile{}, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return sizedFile{}, false
	}
	return sizedFile{f, st.Size()}, true
}
