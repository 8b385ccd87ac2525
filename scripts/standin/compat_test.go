package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"hubdoctor/internal/fixture"
)

// TestCompatAPI checks the answers the compatibility page's matrix relies on
// (scripts/e2e/compat*.test.mjs compare them as the page reads them).
func TestCompatAPI(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	base := "https://atlas-a.wbx2.com/compat/"
	onboard := "/organization/" + fixture.OrgID + "/users/onboard"
	tests := []struct {
		method, path, body string
		status             int
		bodyHas            string
		check              func(t *testing.T, r response)
		reason             string
	}{
		{method: "GET", path: "json", status: 200, bodyHas: `"ok":true`, reason: "JSON the page reads with json() and responseType json"},
		{method: "POST", path: "echo" + onboard, body: "hello", status: 200, bodyHas: `"body":"hello"`,
			check: func(t *testing.T, r response) {
				if got := r.Header.Get("X-Compat-Received"); !strings.HasPrefix(got, "POST 5 ") {
					t.Errorf("X-Compat-Received %q: want the method and body length the server got", got)
				}
			},
			reason: "an in-scope path echoes what reached the server: a wrapper that ate a body or a header shows"},
		{method: "POST", path: "onboard" + onboard, body: "{}", status: 200, bodyHas: "[Error 10991] Url already exists: " + fixture.CarrierEmail,
			reason: "the seeds' failing onboard answer: the extension's finding, the tests' signal that it observed the page"},
		{method: "PATCH", path: "status/x/licenses/users?code=204", status: 204,
			check: func(t *testing.T, r response) {
				if r.Body != "" || r.Header.Get("Content-Type") != "" {
					t.Errorf("204 with body %q, type %q", r.Body, r.Header.Get("Content-Type"))
				}
			},
			reason: "no content: no body and no type"},
		{method: "GET", path: "status?code=404", status: 404, bodyHas: "compat status 404", reason: "an error envelope"},
		{method: "GET", path: "binary", status: 200,
			check: func(t *testing.T, r response) {
				if len(r.Body) != 256 || r.Body[255] != 255 {
					t.Errorf("binary body of %d bytes, want the 256 byte values", len(r.Body))
				}
			},
			reason: "every byte value, for arraybuffer and blob reads"},
		{method: "GET", path: "redirect", status: 302,
			check: func(t *testing.T, r response) {
				if got := r.Header.Get("Location"); got != base+"json" {
					t.Errorf("Location %q", got)
				}
			},
			reason: "the browser follows it to json"},
		{method: "GET", path: "json?nocors=1", status: 200,
			check: func(t *testing.T, r response) {
				if got := r.Header.Get("Access-Control-Allow-Origin"); got != "" {
					t.Errorf("?nocors=1 still allows %q: the browser would not fail the call", got)
				}
			},
			reason: "no CORS headers: the browser fails the call as a network error"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := do(t, c, tt.method, base+tt.path, tt.body, "Origin", adminOrigin)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d (%s)", r.Status, tt.status, tt.reason)
			}
			if !strings.Contains(r.Body, tt.bodyHas) {
				t.Errorf("body %q lacks %q (%s)", r.Body, tt.bodyHas, tt.reason)
			}
			if !strings.Contains(tt.path, "nocors") {
				if got := r.Header.Get("Access-Control-Expose-Headers"); !strings.Contains(got, "X-Compat-Exposed") || strings.Contains(got, "X-Compat-Hidden") {
					t.Errorf("Access-Control-Expose-Headers %q: want X-Compat-Exposed exposed and X-Compat-Hidden not", got)
				}
			}
			if got, want := r.Header.Get("TrackingID"), "COMPAT_"+strings.SplitN(strings.SplitN(tt.path, "?", 2)[0], "/", 2)[0]; got != want {
				t.Errorf("TrackingID %q, want %q: it must not depend on the calls before", got, want)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

// TestCompatSlowEndsWithTheClient checks that a slow answer ends when the
// browser aborts, rather than holding the connection for compatHold.
func TestCompatSlowEndsWithTheClient(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	for _, path := range []string{"slow", "stream"} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		req, err := http.NewRequestWithContext(ctx, "GET", "https://atlas-a.wbx2.com/compat/"+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		resp, err := c.Do(req)
		if err == nil {
			// stream sends its headers at once; its body waits.
			buf := make([]byte, 64)
			n, _ := resp.Body.Read(buf)
			if got := string(buf[:n]); got != `{"first":"part",` {
				t.Errorf("%s: first part %q", path, got)
			}
			_, err = resp.Body.Read(buf)
			resp.Body.Close()
		}
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v, want the client's deadline", path, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: answered after %v", path, d)
		}
	}
}

// TestCompatPage checks the page: zone.js before the page's script unless
// ?zone=0, and a clear error when zone.js is not installed where the stand-in
// runs (tests run in this package's directory, which has no node_modules).
func TestCompatPage(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	r := do(t, c, "GET", "https://admin.webex.com"+compatPath, "")
	zone := strings.Index(r.Body, `<script src="`+zonePath+`"></script>`)
	own := strings.Index(r.Body, "window.compatRun")
	if r.Status != 200 || zone < 0 || own < zone {
		t.Errorf("status %d, zone.js at %d, the page's script at %d: want zone.js first", r.Status, zone, own)
	}
	if !strings.Contains(r.Body, `const ORG = "`+fixture.OrgID+`"`) {
		t.Error("the page does not name the org")
	}
	r = do(t, c, "GET", "https://admin.webex.com"+compatPath+"?zone=0", "")
	if strings.Contains(r.Body, zonePath+`"></script>`) || !strings.Contains(r.Body, "window.compatRun") {
		t.Error("?zone=0 still loads zone.js, or lost the page's script")
	}
	r = do(t, c, "GET", "https://admin.webex.com"+zonePath, "")
	if r.Status != http.StatusInternalServerError || !strings.Contains(r.Body, "npm ci") || !strings.Contains(r.Body, zoneFile) {
		t.Errorf("zone.js missing: status %d, %q: want a 500 saying to run npm ci", r.Status, r.Body)
	}
}
