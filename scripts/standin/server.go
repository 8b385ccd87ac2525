package main

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// config is what the command line sets.
type config struct {
	// Port to listen on at 127.0.0.1; 0 picks a free one.
	Port int
	// Scenario answers API calls that name none.
	Scenario string
	// Verbose logs every request to stderr.
	Verbose bool
	// Files, when set, is a directory served read-only under
	// https://admin.webex.com/__standin/files/, so a test can hand the
	// page a HAR file to open in the extension.
	Files string
}

// standin is a running stand-in: one loopback port, TLS and plain HTTP.
type standin struct {
	ln        net.Listener
	certs     *certs
	canaries  *canaries
	fallback  *scenario
	files     http.Handler // nil without config.Files
	verbose   bool
	tlsSrv    *http.Server
	plainSrv  *http.Server
	queues    []*connQueue
	mu        sync.Mutex
	repeats   map[string]int // background calls answered, by method and URL
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// start listens at 127.0.0.1:cfg.Port and serves until Close. It errors
// when the scenario is unknown, the port is taken or the certificates
// cannot be generated.
func start(cfg config) (*standin, error) {
	if cfg.Scenario == "" {
		cfg.Scenario = "carrier"
	}
	fallback, err := scenarioByName(cfg.Scenario)
	if err != nil {
		return nil, err
	}
	cs, err := newCerts(time.Now())
	if err != nil {
		return nil, err
	}
	can, err := newCanaries()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.Port)))
	if err != nil {
		return nil, err
	}
	s := &standin{ln: ln, certs: cs, canaries: can, fallback: fallback, verbose: cfg.Verbose, repeats: map[string]int{}}
	if cfg.Files != "" {
		s.files = http.StripPrefix(filesPrefix, http.FileServer(http.Dir(cfg.Files)))
	}
	d := &dispatcher{tls: newConnQueue(ln.Addr()), plain: newConnQueue(ln.Addr()), verbose: cfg.Verbose}
	s.queues = []*connQueue{d.tls, d.plain}
	errLog := log.New(io.Discard, "", 0)
	if cfg.Verbose {
		errLog = log.Default()
	}
	s.tlsSrv = &http.Server{Handler: s, ErrorLog: errLog, ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cs.Leaf}, MinVersion: tls.VersionTLS12}}
	s.plainSrv = &http.Server{Handler: http.HandlerFunc(d.proxyHandler), ErrorLog: errLog, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(3)
	go func() { defer s.wg.Done(); s.tlsSrv.ServeTLS(d.tls, "", "") }()
	go func() { defer s.wg.Done(); s.plainSrv.Serve(d.plain) }()
	go func() {
		defer s.wg.Done()
		if err := d.serve(ln); err != nil {
			log.Printf("standin: accept: %v", err)
		}
	}()
	return s, nil
}

// Port is the port the stand-in listens on.
func (s *standin) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// HostRules is Chromium's --host-resolver-rules value that sends every
// Webex name the stand-in serves to it.
func (s *standin) HostRules() string {
	p := strconv.Itoa(s.Port())
	return "MAP admin.webex.com 127.0.0.1:" + p + ", MAP *.wbx2.com 127.0.0.1:" + p + ", MAP *.webex.com 127.0.0.1:" + p
}

// Close stops listening and closes open connections.
func (s *standin) Close() error {
	var err error
	s.closeOnce.Do(func() {
		err = s.ln.Close()
		for _, q := range s.queues {
			q.Close()
		}
		s.tlsSrv.Close()
		s.plainSrv.Close()
		s.wg.Wait()
	})
	return err
}

// ServeHTTP routes by Host: the browser reached this one port for every
// name, either through its host resolver rules or through the proxy.
func (s *standin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.verbose {
		log.Printf("standin: %s https://%s%s", r.Method, r.Host, r.URL.RequestURI())
	}
	host := hostOnly(r.Host)
	switch {
	case host == "admin.webex.com":
		s.admin(w, r)
	case strings.HasSuffix(host, ".wbx2.com"):
		s.api(w, r)
	case strings.HasSuffix(host, ".webex.com"):
		s.site(w, r)
	default:
		http.Error(w, fmt.Sprintf("standin: no site for host %q; it serves admin.webex.com, *.wbx2.com and *.webex.com", host), http.StatusNotFound)
	}
}

// hostOnly lower-cases a Host header and drops its port.
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		hostport = h
	}
	return strings.ToLower(hostport)
}

// canaries are secrets planted by the secrets scenario, fresh at each
// start so an export test cannot pass by matching known strings.
type canaries struct {
	SessionCookie string
	CSRFToken     string
	AccessToken   string
}

// newCanaries draws the secrets. It errors when the random source fails.
func newCanaries() (*canaries, error) {
	b := make([]byte, 64)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("canaries: %v", err)
	}
	enc := base64.RawURLEncoding
	// A JWT's shape (three base64url parts, the first two JSON) is what a
	// sanitizer recognises, so the canary has it.
	jwt := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." +
		enc.EncodeToString([]byte(`{"sub":"standin-canary","jti":"`+hex.EncodeToString(b[:8])+`"}`)) + "." +
		enc.EncodeToString(b[8:40])
	return &canaries{
		SessionCookie: "standin-canary-" + hex.EncodeToString(b[40:52]),
		CSRFToken:     "standin-csrf-" + hex.EncodeToString(b[52:64]),
		AccessToken:   jwt,
	}, nil
}
