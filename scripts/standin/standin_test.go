package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/fixture"
)

// startStandin runs a stand-in on a free port for the test's duration.
func startStandin(t *testing.T) *standin {
	t.Helper()
	s, err := start(config{Scenario: "carrier"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// client trusts the stand-in's CA and reaches every host name at its port:
// directly, as Chromium's --host-resolver-rules does, or through the port
// as an HTTPS proxy, as Firefox does.
func client(s *standin, viaProxy bool) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(s.certs.CA)
	addr := fmt.Sprintf("127.0.0.1:%d", s.Port())
	tr := &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: pool},
		ForceAttemptHTTP2: true,
	}
	if viaProxy {
		tr.Proxy = http.ProxyURL(&url.URL{Scheme: "http", Host: addr})
	} else {
		tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// response is what the tests keep of an HTTP response.
type response struct {
	Status int
	Header http.Header
	Body   string
	Proto  string
}

func do(t *testing.T, c *http.Client, method, rawURL, body string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, rawURL, err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: string(b), Proto: resp.Proto}
}

// analyze runs the engine on the exchanges as each browser would export them.
func analyze(t *testing.T, xs ...fixture.Exchange) map[fixture.Browser][]engine.Finding {
	t.Helper()
	out := map[fixture.Browser][]engine.Finding{}
	for _, b := range fixture.Browsers {
		res, err := engine.AnalyzeHAR(bytes.NewReader(fixture.HAR(b, xs...)), b.String()+".har", engine.NewSession(nil))
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if len(res.RuleErrors) > 0 {
			t.Fatalf("%s: rule errors: %v", b, res.RuleErrors)
		}
		out[b] = res.Findings
	}
	return out
}

// exchange records an answered request as a fixture exchange, keeping the
// response headers a HAR would carry beyond the fixture's own.
func exchange(method, rawURL, reqBody string, r response) fixture.Exchange {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	x := fixture.Exchange{Method: method, URL: rawURL, Status: r.Status, RequestBody: reqBody,
		RequestMime: "application/json", ResponseBody: r.Body, ResponseMime: mt}
	for _, name := range []string{"Set-Cookie", "X-Csrf-Token"} {
		for _, v := range r.Header.Values(name) {
			x.ResponseHeaders = append(x.ResponseHeaders, [2]string{strings.ToLower(name), v})
		}
	}
	return x
}

func TestOnboardScenarios(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	tests := []struct {
		scenario string
		request  string
		status   int
		// findings are the rule IDs the engine must report, each with its e-mail.
		findings [][2]string
		// check makes extra assertions on the response and the findings.
		check  func(t *testing.T, r response, fs []engine.Finding)
		reason string
	}{
		{scenario: "carrier", request: fixture.OnboardRequest(fixture.CarrierEmail), status: 200,
			findings: [][2]string{{"onboard/carrier-email-exists", fixture.CarrierEmail}},
			check: func(t *testing.T, _ response, fs []engine.Finding) {
				if f := fs[0]; f.OrgID != fixture.OrgID || f.TrackingID != fixture.CarrierTrackingID || f.Flow != engine.FlowAddUsers {
					t.Errorf("facts: org %q tracking %q flow %q", f.OrgID, f.TrackingID, f.Flow)
				}
			},
			reason: "the seeds' case, for the e-mail the admin typed"},
		{scenario: "carrier", request: fixture.OnboardRequest("typed.by.hand@example.org"), status: 200,
			findings: [][2]string{{"onboard/carrier-email-exists", "typed.by.hand@example.org"}},
			reason:   "the answer follows the typed e-mail, not a canned one"},
		{scenario: "batch", request: fixture.OnboardRequest(fixture.CarrierEmail, fixture.OtherEmail), status: 200,
			findings: [][2]string{{"onboard/carrier-email-exists", fixture.CarrierEmail}},
			check: func(t *testing.T, r response, _ []engine.Finding) {
				if !strings.Contains(r.Body, `"email":"`+fixture.OtherEmail+`","uuid":"3c8e5a1b-2d4f-4b6a-9e7c-1f0a2b3c4d5e","status":200`) {
					t.Errorf("second user not added: %s", r.Body)
				}
			},
			reason: "one user fails with 10991, the other succeeds and is not reported"},
		{scenario: "ok", request: fixture.OnboardRequest(fixture.CarrierEmail, fixture.OtherEmail), status: 200,
			reason: "every user added: nothing to report"},
		{scenario: "hostile", request: fixture.OnboardRequest(fixture.CarrierEmail), status: 200,
			findings: [][2]string{{"onboard/carrier-email-exists", fixture.CarrierEmail}},
			check: func(t *testing.T, r response, fs []engine.Finding) {
				if !strings.Contains(r.Body, `<img src=x onerror=\"window.__pwned=1\">`) || !strings.Contains(r.Body, "<script>window.__pwned=2</script>") {
					t.Errorf("markup not literal in the body: %s", r.Body)
				}
				if !strings.Contains(fs[0].Description, hostileMarkup) {
					t.Errorf("markup does not reach the finding's description: %q", fs[0].Description)
				}
			},
			reason: "markup in a description must reach the finding, for the UI tests to prove it stays text"},
		{scenario: "secrets", request: fixture.OnboardRequest(fixture.CarrierEmail), status: 200,
			findings: [][2]string{{"onboard/carrier-email-exists", fixture.CarrierEmail}},
			check: func(t *testing.T, r response, fs []engine.Finding) {
				if got := r.Header.Get("Set-Cookie"); !strings.Contains(got, "cisPRODAdminSession="+s.canaries.SessionCookie+";") {
					t.Errorf("Set-Cookie %q lacks the session canary", got)
				}
				if got := r.Header.Get("X-Csrf-Token"); got != s.canaries.CSRFToken {
					t.Errorf("x-csrf-token %q, want the canary", got)
				}
				if !strings.Contains(fs[0].Response, `"access_token":"`+s.canaries.AccessToken+`"`) {
					t.Errorf("the finding's response lacks the JWT canary: %s", fs[0].Response)
				}
			},
			reason: "the carrier case carrying secrets an export must strip"},
		{scenario: "other-org", request: fixture.OnboardRequest(fixture.CarrierEmail), status: 200,
			findings: [][2]string{{"onboard/user-in-other-org", fixture.CarrierEmail}},
			check: func(t *testing.T, r response, fs []engine.Finding) {
				if !strings.HasPrefix(r.Body, `{"userResponse":[`) || fs[0].UserStatus != 403 {
					t.Errorf("want the older shape with per-user 403, got %s (user status %d)", r.Body, fs[0].UserStatus)
				}
			},
			reason: "400090 in the older {userResponse:[…]} shape"},
		{scenario: "outright", request: fixture.OnboardRequest(fixture.CarrierEmail), status: 502,
			findings: [][2]string{{"onboard/failed", fixture.CarrierEmail}},
			check: func(t *testing.T, r response, _ []engine.Finding) {
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(r.Body, "<title>502 Bad Gateway</title>") {
					t.Errorf("want an HTML error page, got %q: %s", ct, r.Body)
				}
			},
			reason: "the call itself fails with a non-JSON body"},
		{scenario: "licence", request: fixture.EditLicensesRequest(fixture.CarrierEmail), status: 200,
			findings: [][2]string{{"onboard/carrier-email-exists", fixture.CarrierEmail}},
			check: func(t *testing.T, _ response, fs []engine.Finding) {
				if fs[0].Flow != engine.FlowEditLicenses {
					t.Errorf("flow %q, want %q", fs[0].Flow, engine.FlowEditLicenses)
				}
			},
			reason: "the seeds' second flow: Edit licenses on an existing user fails the same way"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			r := do(t, c, "POST", fixture.LicenseAPI, tt.request, scenarioHeader, tt.scenario,
				"Origin", adminOrigin, "TrackingID", "ATLAS_test_1", "Content-Type", "application/json")
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d (%s): %s", r.Status, tt.status, tt.reason, r.Body)
			}
			if got := r.Header.Get("TrackingID"); got != "ATLAS_test_1" {
				t.Errorf("TrackingID %q: the request's is echoed, as Control Hub does", got)
			}
			if got := r.Header.Get("Access-Control-Allow-Origin"); got != adminOrigin {
				t.Errorf("Access-Control-Allow-Origin %q: the page could not read the answer", got)
			}
			for b, fs := range analyze(t, exchange("POST", fixture.LicenseAPI, tt.request, r)) {
				var got [][2]string
				for _, f := range fs {
					got = append(got, [2]string{f.Rule, f.Email})
				}
				if !slices.Equal(got, tt.findings) {
					t.Fatalf("%s: findings %v, want %v (%s)", b, got, tt.findings, tt.reason)
				}
				if tt.check != nil {
					tt.check(t, r, fs)
				}
			}
		})
	}
}

func TestOnboardBadRequests(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	tests := []struct {
		scenario, body, want, reason string
	}{
		{"carrier", `{"users":[]}`, "users is empty", "no user to answer for"},
		{"carrier", `{"users":[{"name":{}}]}`, "users[0] has no email", "a user without an e-mail"},
		{"carrier", `<xml/>`, "not JSON with a users array", "not JSON at all"},
		{"nope", fixture.OnboardRequest(fixture.CarrierEmail), `unknown scenario \"nope\" (known: carrier, batch`, "a typo in the scenario names the known ones"},
		{"harmless", fixture.OnboardRequest(fixture.CarrierEmail), "scenario harmless makes no onboard call", "the harmless page never posts"},
	}
	for _, tt := range tests {
		r := do(t, c, "POST", fixture.LicenseAPI, tt.body, scenarioHeader, tt.scenario)
		if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, tt.want) {
			t.Errorf("%s: got %d %s, want 400 with %q", tt.reason, r.Status, r.Body, tt.want)
		}
	}
}

// TestScenarioCalls: a scenario's own calls are answered as the scenario
// gives them, with the tracking ID the page sent, and only for that scenario.
func TestScenarioCalls(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	x := unknownFailure
	r := do(t, c, x.Method, x.URL, "", scenarioHeader, "unknown", "TrackingID", "ATLAS_test_1", "Origin", adminOrigin)
	if r.Status != x.Status || r.Body != x.ResponseBody || r.Header.Get("TrackingID") != "ATLAS_test_1" {
		t.Errorf("scenario unknown: got %d %q (TrackingID %q), want %d %q with the request's tracking ID", r.Status, r.Body, r.Header.Get("TrackingID"), x.Status, x.ResponseBody)
	}
	if r := do(t, c, x.Method, x.URL, "", scenarioHeader, "carrier"); r.Status != http.StatusNotFound {
		t.Errorf("another scenario does not make the call: got %d, want 404", r.Status)
	}
}

func TestDefaultScenario(t *testing.T) {
	s, err := start(config{Scenario: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := do(t, client(s, false), "POST", fixture.LicenseAPI, fixture.OnboardRequest(fixture.CarrierEmail))
	if want := fixture.OnboardBody(fixture.OKUserResult(fixture.CarrierEmail)); r.Body != want {
		t.Errorf("a call naming no scenario gets -scenario's answer: got %s, want %s", r.Body, want)
	}
	if _, err := start(config{Scenario: "nope"}); err == nil || !strings.Contains(err.Error(), `unknown scenario "nope"`) {
		t.Errorf("start with an unknown scenario: %v", err)
	}
}

func TestBackgroundCalls(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	var hosts []string
	for _, x := range backgroundCalls {
		u := mustParse(x.URL)
		hosts = append(hosts, u.Hostname())
		r := do(t, c, x.Method, x.URL, x.RequestBody, "Origin", adminOrigin)
		if r.Status != x.Status || r.Body != x.ResponseBody {
			t.Errorf("%s %s: got %d %q, want the fixture's %d %q", x.Method, x.URL, r.Status, r.Body, x.Status, x.ResponseBody)
		}
		// The seeds' harmless failures must stay unflagged, as served.
		for b, fs := range analyze(t, exchange(x.Method, x.URL, x.RequestBody, r)) {
			if len(fs) > 0 {
				t.Errorf("%s %s flagged in %s: %+v", x.Method, x.URL, b, fs)
			}
		}
	}
	// Every harmless call on a served host is played, and none elsewhere.
	for _, x := range fixture.Harmless() {
		h := mustParse(x.URL).Hostname()
		if served(h) != slices.Contains(hosts, h) {
			t.Errorf("%s: served %v but played %v", x.URL, served(h), slices.Contains(hosts, h))
		}
	}
	if !slices.Contains(hosts, "metrics-a.wbx2.com") || slices.Contains(hosts, "col.eum-appdynamics.com") {
		t.Errorf("want the metrics POST and not the off-site beacon, got hosts %v", hosts)
	}
	r := do(t, c, "GET", "https://atlas-a.wbx2.com/admin/api/v1/nothing", "")
	if r.Status != http.StatusNotFound || !strings.Contains(r.Body, "standin: no API GET atlas-a.wbx2.com/admin/api/v1/nothing") {
		t.Errorf("unknown API: %d %s", r.Status, r.Body)
	}
}

func TestCORS(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	tests := []struct {
		origin, wantOrigin, reason string
	}{
		{adminOrigin, adminOrigin, "Control Hub's page may call the API"},
		{"https://evil.example", "", "no other origin is let in"},
	}
	for _, tt := range tests {
		r := do(t, c, "OPTIONS", fixture.LicenseAPI, "", "Origin", tt.origin,
			"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type,trackingid,x-standin-scenario")
		h := r.Header
		if r.Status != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != tt.wantOrigin {
			t.Errorf("%s: status %d, Allow-Origin %q", tt.reason, r.Status, h.Get("Access-Control-Allow-Origin"))
		}
		if tt.wantOrigin == "" {
			continue
		}
		if h.Get("Access-Control-Allow-Credentials") != "true" ||
			h.Get("Access-Control-Allow-Headers") != "authorization,content-type,trackingid,x-standin-scenario" ||
			!strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("%s: preflight headers %v", tt.reason, h)
		}
	}
}

// pageData extracts the JSON the admin page hands its script.
var pageData = regexp.MustCompile(`const data = (\{.*\});`)

func TestAdminPage(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	tests := []struct {
		scenario string
		want     []string
		request  string
		reason   string
	}{
		{"carrier", []string{`<textarea id="emails">` + fixture.CarrierEmail + `</textarea>`, `id="add-users">Add users</button>`, "Control Hub — local stand-in", "It is not Cisco Control Hub"},
			fixture.OnboardRequest("placeholder@example.com"), "the manual add page, prefilled with the seeds' e-mail"},
		{"batch", []string{fixture.CarrierEmail + "&#10;" + fixture.OtherEmail + "</textarea>"},
			fixture.OnboardRequest("placeholder@example.com"), "two e-mails, one per line"},
		{"licence", []string{"<h2>Edit licenses</h2>", `id="add-users">Save</button>`},
			fixture.EditLicensesRequest("placeholder@example.com"), "the Edit licenses page sends the user's id"},
		{"harmless", []string{`<section class="card" hidden>`},
			fixture.OnboardRequest("placeholder@example.com"), "no form to post"},
	}
	for _, tt := range tests {
		r := do(t, c, "GET", "https://admin.webex.com/?scenario="+tt.scenario, "")
		if r.Status != 200 || r.Proto != "HTTP/2.0" {
			t.Fatalf("%s: %d over %s", tt.reason, r.Status, r.Proto)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s: page lacks %q", tt.reason, w)
			}
		}
		m := pageData.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("%s: no script data in the page", tt.reason)
		}
		var d adminData
		if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
			t.Fatalf("%s: script data: %v", tt.reason, err)
		}
		if d.Scenario != tt.scenario || d.OnboardURL != fixture.LicenseAPI || d.Token != fixture.Token || d.Request != tt.request || len(d.Background) != len(backgroundCalls) {
			t.Errorf("%s: script data %+v", tt.reason, d)
		}
	}
	if r := do(t, c, "GET", "https://admin.webex.com/?scenario=nope", ""); r.Status != 400 || !strings.Contains(r.Body, "known: carrier, batch, ok") {
		t.Errorf("unknown scenario: %d %s", r.Status, r.Body)
	}
	if r := do(t, c, "GET", "https://localhost/", ""); r.Status != 404 || !strings.Contains(r.Body, "serves admin.webex.com") {
		t.Errorf("unserved host: %d %s", r.Status, r.Body)
	}
}

func TestCanaries(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	r := do(t, c, "GET", "https://admin.webex.com/__standin/canaries", "")
	var got struct{ Canaries []canary }
	if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
		t.Fatalf("canaries: %v in %s", err, r.Body)
	}
	want := map[string]string{"session-cookie": s.canaries.SessionCookie, "csrf-token": s.canaries.CSRFToken,
		"access-token": s.canaries.AccessToken, "bearer-token": fixture.Token}
	if len(got.Canaries) != len(want) {
		t.Fatalf("got %d canaries, want %d", len(got.Canaries), len(want))
	}
	for _, cn := range got.Canaries {
		if cn.Value == "" || want[cn.Name] != cn.Value || cn.Where == "" {
			t.Errorf("canary %+v", cn)
		}
	}
	// A JWT sanitizer recognises three base64url parts, the first two JSON.
	parts := strings.Split(s.canaries.AccessToken, ".")
	if len(parts) != 3 {
		t.Fatalf("access token %q is not a JWT", s.canaries.AccessToken)
	}
	for _, p := range parts[:2] {
		b, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil || !json.Valid(b) {
			t.Errorf("JWT part %q: %v", p, err)
		}
	}
	// Fresh at each start, so no test can pass on known strings.
	other, err := newCanaries()
	if err != nil {
		t.Fatal(err)
	}
	if *other == *s.canaries {
		t.Error("canaries repeat across starts")
	}
}

func TestFiles(t *testing.T) {
	c := client(startStandin(t), false)
	if r := do(t, c, "GET", "https://admin.webex.com/__standin/files/x.har", ""); r.Status != http.StatusNotFound {
		t.Errorf("without -files: status %d, want 404", r.Status)
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.har"), []byte(`{"log":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := start(config{Scenario: "carrier", Files: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c = client(s, true)
	if r := do(t, c, "GET", "https://admin.webex.com/__standin/files/x.har", ""); r.Status != http.StatusOK || r.Body != `{"log":{}}` {
		t.Errorf("x.har: status %d, body %q", r.Status, r.Body)
	}
	for _, path := range []string{"/__standin/files/missing.har", "/__standin/files/../admin.go", "/__standin/files%2F..%2Fmain.go"} {
		if r := do(t, c, "GET", "https://admin.webex.com"+path, ""); r.Status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, r.Status)
		}
	}
}

// hiddenInput extracts a hidden form field's value from a page.
func hiddenInput(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %s field in the page", name)
	}
	return html.UnescapeString(m[1])
}

func TestSSO(t *testing.T) {
	s := startStandin(t)
	c := client(s, false)
	page := do(t, c, "GET", fixture.SiteURL+"/", "")
	if page.Status != 200 || !strings.Contains(page.Body, `action="`+html.EscapeString(fixture.SiteACS)+`"`) {
		t.Fatalf("SSO page: %d %s", page.Status, page.Body)
	}
	value := hiddenInput(t, page.Body, "SAMLResponse")
	if !strings.Contains(value, "\r\n") {
		t.Error("the SAMLResponse value has no line breaks, as AD FS and Shibboleth write it")
	}
	xmlBytes, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(value))
	if err != nil {
		t.Fatalf("SAMLResponse: %v", err)
	}
	xml := string(xmlBytes)
	for _, tt := range []struct {
		attr    string
		present bool
		reason  string
	}{
		{"firstname", true, "sent"},
		{"email", true, "sent"},
		{"Member Status", true, "must not be sent: one cause of error 31"},
		{"lastname", false, "required but missing: one cause of error 31"},
	} {
		if got := strings.Contains(xml, `<Attribute Name="`+tt.attr+`">`); got != tt.present {
			t.Errorf("attribute %q present %v, want %v (%s)", tt.attr, got, tt.present, tt.reason)
		}
	}
	if !strings.Contains(xml, ">"+fixture.SSOUser+"</NameID>") {
		t.Errorf("NameID is not %s: %s", fixture.SSOUser, xml)
	}

	form := url.Values{"SAMLResponse": {value}, "RelayState": {hiddenInput(t, page.Body, "RelayState")}}
	post := do(t, c, "POST", fixture.SiteACS, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if post.Status != http.StatusFound || post.Header.Get("Location") != fixture.SiteHome {
		t.Fatalf("SAML POST: %d to %q", post.Status, post.Header.Get("Location"))
	}
	home := do(t, c, "GET", fixture.SiteHome, "")
	if want := fixture.SSOErrorPage(31, "Auto Account Creation failed").ResponseBody; home.Status != 200 || home.Body != want {
		t.Errorf("result page: %d %s", home.Status, home.Body)
	}
	if !strings.Contains(home.Body, "Reason: Auto Account Creation failed (31).") {
		t.Errorf("result page lacks the seed's words: %s", home.Body)
	}

	// The engine explains the sign-in as the browser recorded it: the SAML
	// POST, then the result page.
	recorded := []fixture.Exchange{
		{Method: "POST", URL: fixture.SiteACS, Status: post.Status, RequestMime: "application/x-www-form-urlencoded",
			FormParams:      [][2]string{{"SAMLResponse", form.Get("SAMLResponse")}, {"RelayState", form.Get("RelayState")}},
			ResponseHeaders: [][2]string{{"location", post.Header.Get("Location")}}, ResponseMime: "text/html", ResourceType: "document"},
		{Method: "GET", URL: fixture.SiteHome, Status: home.Status, ResponseBody: home.Body, ResponseMime: "text/html", ResourceType: "document"},
	}
	for b, fs := range analyze(t, recorded...) {
		if len(fs) != 1 || fs[0].Rule != "sso/auto-account-creation-31" || fs[0].Email != fixture.SSOUser ||
			!slices.Contains(fs[0].MissingAttributes, "lastname") || !slices.Contains(fs[0].UnexpectedAttributes, "Member Status") {
			t.Errorf("%s: want sso/auto-account-creation-31 for %s, lastname missing, Member Status unexpected; got %+v", b, fixture.SSOUser, fs)
		}
	}

	bad := do(t, c, "POST", fixture.SiteACS, "RelayState=example", "Content-Type", "application/x-www-form-urlencoded")
	if bad.Status != 400 || !strings.Contains(bad.Body, "no SAMLResponse form field") {
		t.Errorf("SAML POST without a response: %d %s", bad.Status, bad.Body)
	}
	if r := do(t, c, "GET", "https://other.webex.com/", ""); r.Status != 404 {
		t.Errorf("another site: %d", r.Status)
	}
}

func TestProxy(t *testing.T) {
	s := startStandin(t)
	// Through the port as a proxy, as Firefox is set up: the same answers.
	c := client(s, true)
	r := do(t, c, "POST", fixture.LicenseAPI, fixture.OnboardRequest(fixture.CarrierEmail), scenarioHeader, "carrier")
	if want := fixture.OnboardBody(fixture.CarrierUserResult(fixture.CarrierEmail)); r.Status != 200 || r.Body != want {
		t.Errorf("onboard through the proxy: %d %s", r.Status, r.Body)
	}
	if r := do(t, c, "GET", "https://admin.webex.com/", ""); r.Status != 200 || !strings.Contains(r.Body, `id="add-users"`) {
		t.Errorf("admin page through the proxy: %d", r.Status)
	}
	// A plain http:// URL through the proxy is sent to its https:// form.
	if r := do(t, c, "GET", "http://admin.webex.com/?scenario=ok", ""); r.Status != http.StatusPermanentRedirect || r.Header.Get("Location") != "https://admin.webex.com/?scenario=ok" {
		t.Errorf("http:// through the proxy: %d to %q", r.Status, r.Header.Get("Location"))
	}

	tests := []struct {
		target string
		inner  func(t *testing.T, conn net.Conn)
		reason string
	}{
		{"admin.webex.com:443", tlsGet(s, "admin.webex.com", "/__standin/canaries", `"canaries"`), "a served host"},
		{"nowhere.invalid:443", tlsGet(s, "admin.webex.com", "/", "Control Hub — local stand-in"),
			"a name that resolves nowhere: the tunnel never dials out, it comes back to the stand-in"},
		{"admin.webex.com:80", func(t *testing.T, conn net.Conn) {
			fmt.Fprint(conn, "GET /x HTTP/1.1\r\nHost: admin.webex.com\r\nConnection: close\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != "https://admin.webex.com/x" {
				t.Errorf("plain HTTP in a tunnel: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
			}
		}, "plain HTTP inside a tunnel is sniffed like a new connection"},
	}
	for _, tt := range tests {
		conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port()))
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", tt.target, tt.target)
		br := bufio.NewReader(conn)
		resp, err := http.ReadResponse(br, &http.Request{Method: "CONNECT"})
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: CONNECT: %v %v", tt.reason, resp, err)
		}
		tt.inner(t, &peekedConn{Conn: conn, r: br})
		conn.Close()
	}
}

// tlsGet checks that a TLS handshake for host inside an open tunnel reaches
// the stand-in and that path's answer holds want.
func tlsGet(s *standin, host, path, want string) func(*testing.T, net.Conn) {
	return func(t *testing.T, conn net.Conn) {
		pool := x509.NewCertPool()
		pool.AddCert(s.certs.CA)
		tc := tls.Client(conn, &tls.Config{ServerName: host, RootCAs: pool})
		fmt.Fprintf(tc, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host)
		resp, err := http.ReadResponse(bufio.NewReader(tc), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s%s in a tunnel: %d, body lacks %q", host, path, resp.StatusCode, want)
		}
	}
}

func TestCertificate(t *testing.T) {
	s := startStandin(t)
	pool := x509.NewCertPool()
	pool.AddCert(s.certs.CA)
	leaf, err := x509.ParseCertificate(s.certs.Leaf.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"admin.webex.com", "example.webex.com", "license-a.wbx2.com", "atlas-a.wbx2.com", "localhost", "127.0.0.1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: pool}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if leaf.IsCA {
		t.Error("the server certificate is a CA: Firefox refuses that (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY)")
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: pool}); err == nil {
		t.Error("the certificate covers a name it must not")
	}
	// The printed fingerprint is the one served: Firefox's override matches on it.
	conn, err := tls.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port()), &tls.Config{ServerName: "admin.webex.com", RootCAs: pool})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sum := sha256.Sum256(conn.ConnectionState().PeerCertificates[0].Raw)
	if got := strings.ToUpper(hex.EncodeToString(sum[:])); strings.ReplaceAll(s.certs.LeafSHA256, ":", "") != got {
		t.Errorf("fingerprint %s, served %s", s.certs.LeafSHA256, got)
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		args   []string
		want   string
		reason string
	}{
		{[]string{"-port", "-1"}, "-port -1: not a port number", "a negative port"},
		{[]string{"-scenario", "nope"}, `unknown scenario "nope"`, "a typo in the default scenario"},
		{[]string{"extra"}, `unexpected argument "extra"`, "a stray argument"},
		{[]string{"-nope"}, "flag provided but not defined: -nope", "an unknown flag"},
		{[]string{"-cert-out", filepath.Join(t.TempDir(), "missing", "ca.pem")}, "-cert-out: open", "an unwritable certificate path"},
		{[]string{"-firefox-profile", "/dev/null/profile"}, "-firefox-profile: mkdir /dev/null", "an unwritable profile path"},
	}
	for _, tt := range tests {
		err := run(tt.args, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.reason, err, tt.want)
		}
	}

	// The start line, then service until stopped.
	certPath := filepath.Join(t.TempDir(), "ca.pem")
	out, w := io.Pipe()
	stop := make(chan os.Signal, 1)
	done := make(chan error, 1)
	profile := filepath.Join(t.TempDir(), "firefox")
	go func() {
		done <- run([]string{"-port", "0", "-cert-out", certPath, "-firefox-profile", profile}, w, io.Discard, stop)
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var got startLine
	if err := json.Unmarshal([]byte(line), &got); err != nil {
		t.Fatalf("start line %q: %v", line, err)
	}
	p := fmt.Sprint(got.Port)
	if got.Port == 0 || got.Proxy != "127.0.0.1:"+p || !strings.Contains(got.HostRules, "MAP *.wbx2.com 127.0.0.1:"+p) ||
		len(got.CertSHA256) != 95 || got.CACert != certPath || got.FirefoxProfile != profile {
		t.Errorf("start line %s", line)
	}
	pemBytes, err := os.ReadFile(certPath)
	if err != nil || !bytes.HasPrefix(pemBytes, []byte("-----BEGIN CERTIFICATE-----")) {
		t.Errorf("-cert-out wrote %q: %v", pemBytes, err)
	}
	if userJS, err := os.ReadFile(filepath.Join(profile, "user.js")); err != nil || !strings.Contains(string(userJS), `"network.proxy.ssl_port", `+p+`)`) {
		t.Errorf("-firefox-profile user.js %q: %v", userJS, err)
	}
	if overrides, err := os.ReadFile(filepath.Join(profile, "cert_override.txt")); err != nil || !strings.Contains(string(overrides), got.CertSHA256) {
		t.Errorf("-firefox-profile cert_override.txt %q: %v", overrides, err)
	}
	conn, err := net.Dial("tcp", got.Proxy)
	if err != nil {
		t.Fatalf("the printed port does not answer: %v", err)
	}
	conn.Close()
	stop <- os.Interrupt
	if err := <-done; err != nil {
		t.Errorf("run after stop: %v", err)
	}
	if conn, err := net.Dial("tcp", got.Proxy); err == nil {
		conn.Close()
		t.Error("the port still answers after stop")
	}
}

func TestFirefoxProfile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "profile")
	if err := writeFirefoxProfile(dir, 4321, "AA:BB"); err != nil {
		t.Fatal(err)
	}
	userJS, err := os.ReadFile(filepath.Join(dir, "user.js"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`user_pref("network.proxy.type", 1);`,
		`user_pref("network.proxy.ssl", "127.0.0.1");`,
		`user_pref("network.proxy.ssl_port", 4321);`,
		`user_pref("network.proxy.http_port", 4321);`,
		`user_pref("network.stricttransportsecurity.preloadlist", false);`,
	} {
		if !bytes.Contains(userJS, []byte(want+"\n")) {
			t.Errorf("user.js lacks %s", want)
		}
	}
	overrides, err := os.ReadFile(filepath.Join(dir, "cert_override.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// Every host a page calls needs its own line: the file takes no wildcards.
	hosts := []string{"admin.webex.com", "example.webex.com", "license-a.wbx2.com", "atlas-a.wbx2.com", "cpapi-a.wbx2.com", "pulse-a.wbx2.com", "metrics-a.wbx2.com"}
	for _, h := range hosts {
		if want := h + ":443:\tOID.2.16.840.1.101.3.4.2.1\tAA:BB\t\n"; !bytes.Contains(overrides, []byte(want)) {
			t.Errorf("cert_override.txt lacks %q", want)
		}
	}
	if got := bytes.Count(overrides, []byte("\tOID.")); got != len(hosts) {
		t.Errorf("%d overrides, want %d", got, len(hosts))
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if err := writeFirefoxProfile(filepath.Join(file, "profile"), 1, "AA"); err == nil {
		t.Error("a profile under a file: want an error")
	}
}
