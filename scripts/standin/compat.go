package main

// The compatibility page: Hub Doctor's page observer (extension/observer.js)
// wraps fetch and XMLHttpRequest in Control Hub's page, and Control Hub is an
// Angular app whose zone.js patches the same functions after it. The page at
// https://admin.webex.com/__standin/compat loads the real zone.js (npm
// devDependency) with a plain <script> before its own, as an Angular app
// does, runs a matrix of calls against the API below and writes what every
// call gave; scripts/e2e/compat*.test.mjs run it with and without the
// extension and compare. ?zone=0 serves the same page without zone.js.

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"hubdoctor/internal/fixture"
)

const (
	// compatPath is the compatibility page on admin.webex.com.
	compatPath = "/__standin/compat"
	// zonePath is where admin.webex.com serves zone.js to it.
	zonePath = "/__standin/zone.js"
	// zoneFile is zone.js's browser bundle as `npm ci` installs it, relative
	// to the repository root, the stand-in's working directory.
	zoneFile = "node_modules/zone.js/bundles/zone.umd.js"
	// compatAPI is the API's path prefix on every *.wbx2.com host.
	compatAPI = "/compat/"
	// compatHold bounds how long a slow or streaming answer waits for the
	// browser to abort it.
	compatHold = 20 * time.Second
)

// compatPageData is the template's view of the compatibility page.
type compatPageData struct {
	OrgID string
	Zone  bool
}

// compatPage serves the compatibility page.
func (s *standin) compatPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	data := compatPageData{OrgID: fixture.OrgID, Zone: r.URL.Query().Get("zone") != "0"}
	if err := pages.ExecuteTemplate(w, "compat.html", data); err != nil {
		http.Error(w, "standin: compat page: "+err.Error(), http.StatusInternalServerError)
	}
}

// zoneScript serves zone.js from node_modules, or a 500 that says how to get it.
func (s *standin) zoneScript(w http.ResponseWriter, r *http.Request) {
	src, err := os.ReadFile(zoneFile)
	if err != nil {
		abs, _ := filepath.Abs(zoneFile)
		msg := fmt.Sprintf("standin: zone.js is missing at %s (%v): run `npm ci` in the repository root (zone.js is a devDependency) and start the stand-in there", abs, err)
		http.Error(w, msg, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(src)
}

// compatBinary is the binary body: every byte value once.
var compatBinary = func() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}()

// compatCall answers https://<api>.wbx2.com/compat/KIND/...: KIND says what
// the answer is, and the rest of the path is free, so that a call can carry
// the path the observer records (…/organization/ID/users/onboard, …/licenses/users)
// or not. Every answer has known headers: X-Compat-Exposed (exposed to the
// page by CORS), X-Compat-Hidden (not exposed), X-Compat-Received (what the
// server got: method, body length and hash) and a TrackingID that depends
// on the call only, never on how many came before. ?nocors=1 leaves out the
// CORS headers, so the browser fails the call as a network error.
//
//	json      200 JSON                  text    200 text/plain
//	binary    200 the 256 byte values   echo    200 JSON of the method, body and headers received
//	onboard   200 the seeds' failing onboard answer (10991 for the carrier's e-mail)
//	status    ?code=N, an error envelope (no body for 204)
//	redirect  302 to …/compat/json
//	slow      answers only after compatHold: the page aborts it first
//	stream    sends the first part of a JSON body, then holds the rest until compatHold
func (s *standin) compatCall(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	q := r.URL.Query()
	if q.Get("nocors") == "1" {
		for _, k := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers"} {
			h.Del(k)
		}
	} else if h.Get("Access-Control-Allow-Origin") != "" {
		h.Set("Access-Control-Expose-Headers", "TrackingID, X-Compat-Exposed, X-Compat-Received")
	}
	kind, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, compatAPI), "/")
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		http.Error(w, "standin: compat request body: "+err.Error(), http.StatusBadRequest)
		return
	}
	tracking := r.Header.Get("TrackingID")
	if tracking == "" {
		tracking = "COMPAT_" + kind
	}
	sum := sha256.Sum256(body)
	h.Set("TrackingID", tracking)
	h.Set("X-Compat-Exposed", "exposed-"+kind)
	h.Set("X-Compat-Hidden", "hidden-"+kind)
	h.Set("X-Compat-Received", fmt.Sprintf("%s %d %x", r.Method, len(body), sum[:6]))
	h.Set("Cache-Control", "no-store")

	switch kind {
	case "json":
		write(w, jsonReply(http.StatusOK, `{"ok":true,"list":[1,2,3],"text":"h\u00e9llo \u2603","nested":{"a":null}}`))
	case "text":
		write(w, reply{Status: http.StatusOK, Mime: "text/plain", Body: "plain text, \u00fcn\u00efc\u00f6de \u2603\nsecond line\n"})
	case "binary":
		h.Set("Content-Type", "application/octet-stream")
		w.WriteHeader(http.StatusOK)
		w.Write(compatBinary)
	case "echo":
		out, err := marshal(map[string]any{
			"method": r.Method, "body": string(body), "contentType": r.Header.Get("Content-Type"),
			"custom": r.Header.Get("X-Compat-Custom"), "trackingId": r.Header.Get("TrackingID"),
		})
		if err != nil {
			http.Error(w, "standin: "+err.Error(), http.StatusInternalServerError)
			return
		}
		write(w, jsonReply(http.StatusOK, out))
	case "onboard":
		write(w, jsonReply(http.StatusOK, "["+fixture.CarrierUserResult(fixture.CarrierEmail)+"]"))
	case "status":
		code, err := strconv.Atoi(q.Get("code"))
		if err != nil || code < 200 || code > 599 {
			http.Error(w, "standin: compat status: ?code=200…599", http.StatusBadRequest)
			return
		}
		if code == http.StatusNoContent {
			write(w, reply{Status: code})
			return
		}
		write(w, errorEnvelope(code, tracking, fmt.Sprintf("compat status %d", code)))
	case "redirect":
		h.Set("Location", "https://"+hostOnly(r.Host)+compatAPI+"json")
		w.WriteHeader(http.StatusFound)
	case "slow":
		hold(r)
		write(w, reply{Status: http.StatusOK, Mime: "text/plain", Body: "late"})
	case "stream":
		h.Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"first":"part",`)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		hold(r)
		io.WriteString(w, `"rest":true}`)
	default:
		write(w, errorEnvelope(http.StatusNotFound, tracking, "standin: no compat API "+kind))
	}
}

// hold waits until the browser gives up the call or compatHold passes.
func hold(r *http.Request) {
	t := time.NewTimer(compatHold)
	defer t.Stop()
	select {
	case <-r.Context().Done():
	case <-t.C:
	}
}
