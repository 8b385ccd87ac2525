// Command standin is a local stand-in for Control Hub and a Webex site, for
// Hub Doctor's real-browser tests and `make demo`. Browsers run the shipped
// extension unchanged and reach it under the real host names: Chromium maps
// them to loopback with --host-resolver-rules, Firefox uses the same port
// as its proxy (every CONNECT is tunnelled back into this server). It makes
// no outgoing connection.
//
// Usage:
//
//	go run ./scripts/standin [-port 0] [-scenario carrier] [-cert-out ca.pem] [-firefox-profile dir] [-files dir] [-v]
//
// At start it prints one JSON line, e.g.
//
//	{"port":41873,"proxy":"127.0.0.1:41873","hostRules":"MAP admin.webex.com 127.0.0.1:41873, …","certSHA256":"AB:…"}
//
// then serves until interrupted. Open https://admin.webex.com/?scenario=NAME
// for the Control Hub page, https://example.webex.com/ for the SSO sign-in.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// startLine is the JSON line printed at start, for test harnesses.
type startLine struct {
	Port int `json:"port"`
	// Proxy is the address to give a browser as its HTTP and HTTPS proxy.
	Proxy string `json:"proxy"`
	// HostRules is Chromium's --host-resolver-rules value.
	HostRules string `json:"hostRules"`
	// CertSHA256 is the server certificate's fingerprint, for Firefox's
	// cert_override.txt.
	CertSHA256 string `json:"certSHA256"`
	// CACert is where -cert-out wrote the CA certificate, when set.
	CACert string `json:"caCert,omitempty"`
	// FirefoxProfile is where -firefox-profile wrote a profile, when set.
	FirefoxProfile string `json:"firefoxProfile,omitempty"`
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr, stopSignal()); err != nil {
		fmt.Fprintln(os.Stderr, "standin:", err)
		os.Exit(2)
	}
}

func stopSignal() <-chan os.Signal {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	return c
}

// run parses args, starts the stand-in, prints the start line to stdout
// and serves until stop fires. It errors on bad flags, an unknown
// scenario, a port in use or an unwritable -cert-out or -firefox-profile path.
func run(args []string, stdout, stderr io.Writer, stop <-chan os.Signal) error {
	fs := flag.NewFlagSet("standin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	var certOut, firefoxProfile string
	fs.IntVar(&cfg.Port, "port", 0, "port on 127.0.0.1 (0 picks a free one)")
	fs.StringVar(&cfg.Scenario, "scenario", "carrier", "scenario for API calls that name none: "+strings.Join(scenarioNames(), ", "))
	fs.StringVar(&certOut, "cert-out", "", "write the throwaway CA certificate (PEM) to this file, for clients that trust it")
	fs.StringVar(&firefoxProfile, "firefox-profile", "", "write a Firefox profile (user.js with proxy prefs, cert_override.txt) into this directory")
	fs.StringVar(&cfg.Files, "files", "", "serve this directory's files at https://admin.webex.com/__standin/files/NAME (test HAR files)")
	fs.BoolVar(&cfg.Verbose, "v", false, "log every request to stderr")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: standin [flags]\n\nScenarios (https://admin.webex.com/?scenario=NAME):")
		for _, s := range scenarios {
			fmt.Fprintf(stderr, "  %-10s %s\n", s.Name, s.Summary)
		}
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return fmt.Errorf("-port %d: not a port number", cfg.Port)
	}
	s, err := start(cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	line := startLine{Port: s.Port(), Proxy: fmt.Sprintf("127.0.0.1:%d", s.Port()), HostRules: s.HostRules(), CertSHA256: s.certs.LeafSHA256}
	if certOut != "" {
		if err := os.WriteFile(certOut, s.certs.CAPEM, 0o644); err != nil {
			return fmt.Errorf("-cert-out: %v", err)
		}
		line.CACert = certOut
	}
	if firefoxProfile != "" {
		if err := writeFirefoxProfile(firefoxProfile, s.Port(), s.certs.LeafSHA256); err != nil {
			return fmt.Errorf("-firefox-profile: %v", err)
		}
		line.FirefoxProfile = firefoxProfile
	}
	if err := json.NewEncoder(stdout).Encode(line); err != nil {
		return err
	}
	<-stop
	return nil
}
