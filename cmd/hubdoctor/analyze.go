package main

import (
	"fmt"
	"io"

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
	render := report.Text
	if *asJSON {
		render = report.JSON
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
	res, err := engine.AnalyzeHAR(in, name, engine.NewSession(nil))
	meta := report.Meta{File: name, Err: err}
	if err != nil {
		fmt.Fprintf(stderr, "hubdoctor: %v\n", err)
		return res, meta, exitBad
	}
	return res, meta, exitOK
}
