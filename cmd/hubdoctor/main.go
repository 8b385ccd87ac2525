// Command hubdoctor diagnoses failed Webex Control Hub onboarding and Webex
// site SSO sign-ins from HAR files, sanitizes HAR files for a support case,
// and writes the prefilled TAC summary.
//
//	hubdoctor analyze [--json] [--lang LANG] FILE|FOLDER|-...
//	hubdoctor sanitize FILE|- [-o OUT] [--pseudonymize-emails]
//	hubdoctor summary FILE|- [--format markdown|text|json] [--lang LANG]
//	hubdoctor rules [--markdown]
//	hubdoctor version (also --version, -v)
//
// Exit status: 0 when no error-severity finding, 1 when at least one, 2 on
// bad input or usage (with a one-line error on standard error). Failed calls
// no rule knows are reported but never make the status 1. With several
// files, the highest of their statuses.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitBad      = 2
)

// command is one subcommand: its usage line, what it does, the operands it
// takes, and setup, which declares its flags and returns its body.
type command struct {
	usage    string
	about    string
	operands operands
	setup    func(fs *flag.FlagSet) func(call) int
}

// call is one run of a command's body: its operands, checked against the
// command's, and the streams.
type call struct {
	args           []string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// operands says which positional arguments a command takes.
type operands int

const (
	noOperand      operands = iota // nothing after the flags
	oneFile                        // FILE, or - for standard input
	filesOrFolders                 // FILE|FOLDER|- ..., at least one
)

// check returns what is wrong with pos for o, or "".
func (o operands) check(pos []string) string {
	switch {
	case o == noOperand && len(pos) > 0:
		return fmt.Sprintf("unexpected argument %q", pos[0])
	case o == oneFile && len(pos) != 1:
		return fmt.Sprintf("expected one FILE (or - for standard input), got %d", len(pos))
	case o == filesOrFolders && len(pos) == 0:
		return "expected one FILE (or - for standard input), or several FILEs and FOLDERs"
	}
	return ""
}

// runCommand parses args for the command called name and runs its body. It
// returns exitOK after help, exitBad (said on stderr) on a flag error or
// operands the command does not take.
func runCommand(name string, cmd command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags(name, stderr)
	body := cmd.setup(fs)
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if msg := cmd.operands.check(pos); msg != "" {
		fmt.Fprintf(stderr, "hubdoctor %s: %s\n", name, msg)
		return exitBad
	}
	return body(call{pos, stdin, stdout, stderr})
}

// commandTable lists the commands by name, in the order help shows them.
func commandTable() []struct {
	name string
	cmd  command
} {
	return []struct {
		name string
		cmd  command
	}{
		{"analyze", command{"analyze [--json] [--lang LANG] FILE|FOLDER|-...", "Diagnose HAR files: what failed, why, and how to fix it, then every other failed Webex call. Several files or folders (their .har files): one report each, JSON Lines with --json.", filesOrFolders, analyzeCommand}},
		{"sanitize", command{"sanitize FILE|- [-o OUT] [--pseudonymize-emails]", "Write a copy of a HAR file without credentials, safe to attach to a support case.", oneFile, sanitizeCommand}},
		{"summary", command{"summary FILE|- [--format markdown|text|json] [--lang LANG] [--har NAME]", "Write the prefilled Cisco TAC case summary for a HAR file.", oneFile, summaryCommand}},
		{"rules", command{"rules [--markdown]", "List the rule catalog.", noOperand, rulesCommand}},
		{"version", command{"version", "Print the version and the commit it was built from (also --version, -v).", noOperand, versionCommand}},
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return exitBad
		}
		return exitOK
	}
	if args[0] == "--version" || args[0] == "-v" {
		args[0] = "version"
	}
	for _, c := range commandTable() {
		if c.name == args[0] {
			return runCommand(c.name, c.cmd, args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "hubdoctor: unknown command %q (try hubdoctor --help)\n", args[0])
	return exitBad
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Hub Doctor: diagnose Webex Control Hub onboarding and site SSO failures from HAR files.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commandTable() {
		fmt.Fprintf(w, "  hubdoctor %s\n      %s\n", c.cmd.usage, c.cmd.about)
	}
	fmt.Fprintln(w, "\nRun hubdoctor COMMAND --help for a command's options.")
	fmt.Fprintln(w, "Exit status: 0 no error found, 1 at least one error found, 2 bad input or usage (several files: the highest).")
}

// newFlags returns a flag set for a subcommand whose errors and help go to stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, c := range commandTable() {
		if c.name == name {
			fs.Usage = func() {
				fmt.Fprintf(stderr, "Usage: hubdoctor %s\n  %s\n", c.cmd.usage, c.cmd.about)
				fs.PrintDefaults()
			}
		}
	}
	return fs
}

// parseFlags parses args allowing flags after the file name too
// ("hubdoctor analyze session.har --json"), and returns the positional
// arguments. It reports help requests as exitOK and errors as exitBad.
func parseFlags(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitBad, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// openInput opens FILE or standard input for "-". The returned name is used
// in error messages.
func openInput(path string, stdin io.Reader) (io.ReadCloser, string, error) {
	if path == "-" {
		return io.NopCloser(stdin), "-", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, path, errors.New(strings.Replace(err.Error(), "open ", "", 1))
	}
	return f, path, nil
}
