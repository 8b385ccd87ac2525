package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/messages"
	"hubdoctor/internal/report"
)

// analyzeCommand declares analyze's flags and returns its body.
func analyzeCommand(fs *flag.FlagSet) func(call) int {
	asJSON := fs.Bool("json", false, "write a JSON document instead of the readable report (JSON Lines, one per file, for several files or a folder)")
	lang := fs.String("lang", "en", "language of titles, causes and fixes: "+fmt.Sprint(messages.Languages()))
	return func(c call) int { return analyzeFiles(c, *asJSON, *lang) }
}

// analyzeFiles writes a report per file or folder c names, and returns the
// highest exit status.
func analyzeFiles(c call, asJSON bool, lang string) int {
	paths, batch, err := harFiles(c.args)
	if err != nil {
		fmt.Fprintf(c.stderr, "hubdoctor analyze: %v\n", err)
		return exitBad
	}
	render := report.WriteText
	switch {
	case asJSON && batch:
		render = report.WriteJSONLine
	case asJSON:
		render = report.WriteJSON
	}
	worst := exitOK
	for i, path := range paths {
		if i > 0 && !asJSON {
			fmt.Fprintln(c.stdout)
		}
		worst = max(worst, analyzeOne(path, c.stdin, c.stdout, c.stderr, render, batch && asJSON, lang))
	}
	return worst
}

// analyzeOne writes the report of one file and returns its exit status:
// exitBad when it could not be read to its end, else exitFindings when it
// has an error-severity finding (failed calls alone never count), else
// exitOK. With everyLine set (JSON Lines), a file that could not be read
// at all still gets a report naming the error, so every file has its line.
func analyzeOne(path string, stdin io.Reader, stdout, stderr io.Writer, render func(io.Writer, *engine.Result, report.Meta, string) error, everyLine bool, lang string) int {
	res, meta, code := analyzeFile(path, stdin, stderr)
	if res == nil && !everyLine {
		return code
	}
	if err := render(stdout, res, meta, lang); err != nil {
		fmt.Fprintf(stderr, "hubdoctor analyze: writing the report: %v\n", err)
		return exitBad
	}
	if code != exitOK || res == nil {
		return code
	}
	for _, f := range res.Findings {
		if f.Severity == engine.Error {
			return exitFindings
		}
	}
	return exitOK
}

// harFiles expands the paths given: a folder stands for the .har files
// directly inside it, sorted by name; a file or - for itself. batch is set
// when there may be more than one report (several paths, or a folder). It
// errors, naming it, on a folder that cannot be read or holds no .har file.
func harFiles(paths []string) (files []string, batch bool, err error) {
	batch = len(paths) > 1
	for _, p := range paths {
		st, statErr := os.Stat(p)
		if p == "-" || statErr != nil || !st.IsDir() {
			files = append(files, p) // analyzeFile says what is wrong with it
			continue
		}
		batch = true
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, false, errors.New(strings.Replace(err.Error(), "open ", "", 1))
		}
		n := len(files)
		for _, e := range entries { // ReadDir sorts by name
			if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".har") {
				files = append(files, filepath.Join(p, e.Name()))
			}
		}
		if len(files) == n {
			return nil, false, fmt.Errorf("%s: no .har file in this folder", p)
		}
	}
	return files, batch, nil
}

// analyzeFile runs the catalog over a HAR file. On an input error it prints
// the one-line error to stderr and returns what was found before the break
// with exitBad; res is nil when nothing could be read at all.
func analyzeFile(path string, stdin io.Reader, stderr io.Writer) (*engine.Result, report.Meta, int) {
	in, name, err := openInput(path, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hubdoctor: %v\n", err)
		return nil, report.Meta{File: name, Err: err}, exitBad
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
