package engine

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// hintedByExtension runs the extension's own check, hinted() of
// extension/hints.js as the devtools page ships it, under Node on each URL
// with the engine's scope hints: may a rule want this URL?
func hintedByExtension(t *testing.T, urls []string) map[string]bool {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH: this test runs extension/hints.js under Node (20 or later; make test-wasm needs it too)")
	}
	src, err := filepath.Abs(filepath.Join("..", "..", "extension", "hints.js"))
	if err != nil {
		t.Fatal(err)
	}
	// Read here too, so that go test's cache holds the result only as long
	// as the file is unchanged (it does not see what Node reads).
	if _, err := os.ReadFile(src); err != nil {
		t.Fatal(err)
	}
	module, _ := json.Marshal((&url.URL{Scheme: "file", Path: src}).String())
	script := "import { hinted } from " + string(module) + ";\n" +
		"let s = '';\nfor await (const c of process.stdin) s += c;\n" +
		"const { hints, urls } = JSON.parse(s);\n" +
		"process.stdout.write(JSON.stringify(urls.map((u) => hinted(u, hints))));\n"
	in, err := json.Marshal(map[string]any{"hints": ScopeHints(), "urls": urls})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "--input-type=module", "-e", script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node on extension/hints.js: %v: %s", err, stderr.String())
	}
	var got []bool
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(urls) {
		t.Fatalf("node on extension/hints.js: %d answers for %d URLs (%v): %.200s", len(got), len(urls), err, out)
	}
	m := make(map[string]bool, len(urls))
	for i, u := range urls {
		m[u] = got[i]
	}
	return m
}

// TestScopeHints: whenever a rule's scope accepts a request, its URL carries
// a hint by the extension's own check, so its shortcut never hides a request
// from the rules.
func TestScopeHints(t *testing.T) {
	var reqs []har.Request
	add := func(xs []fixture.Exchange) {
		for _, x := range xs {
			for _, mime := range []string{x.ResponseMime, "text/html", "application/json", ""} {
				reqs = append(reqs, har.NewRequest(x.Method, x.URL, x.Status, mime))
			}
		}
	}
	for _, s := range allSamples() {
		add(s.positive)
		add(s.negative)
	}
	add(fixture.SeedSession())
	for _, u := range []string{
		"https://LICENSE-A.WBX2.COM/license/api/v1/organization/X/users/onboard",
		"https://atlas-a.wbx2.com/admin/api/v1/organization/X/users/onboard/?x=1",
		"https://webexapis.com/v1/licenses/users/",
		"https://Example.WebEx.com/dispatcher/SAML2AuthService?siteurl=example",
		"https://sso.example.net/webappng/sites/x/dashboard",
		"https://example.webex.com/webappng/sites/example/dashboard?SAMLResponse=abc",
		"https://idp.example.net/dispatcher/saml2authservice",
		"https://example.webex.com/",
		"https://example.webex.com/mw3300/mywebex/default.do?siteurl=example",
		"https://license-a.wbx2.com/license/api/v1/organization/X/users%2Fonboard",
	} {
		for _, m := range []string{"GET", "POST", "PATCH"} {
			for _, mime := range []string{"text/html", "application/json", ""} {
				reqs = append(reqs, har.NewRequest(m, u, 200, mime))
			}
		}
	}
	var urls []string
	for _, r := range reqs {
		urls = append(urls, r.URL)
	}
	for _, x := range fixture.Harmless() {
		urls = append(urls, x.URL)
	}
	hinted := hintedByExtension(t, urls)
	wanted := 0
	for _, r := range reqs {
		for _, rule := range Catalog() {
			if rule.Scope(r) {
				wanted++
				if !hinted[r.URL] {
					t.Errorf("rule %s wants %s %s but no scope hint matches: the extension would never ask", rule.ID, r.Method, r.URL)
				}
			}
		}
	}
	if wanted == 0 {
		t.Fatal("no request was in any rule's scope: the test checks nothing")
	}
	for _, x := range fixture.Harmless() {
		if strings.Contains(x.URL, "wbx2.com") && hinted[x.URL] {
			t.Errorf("%s: a Control Hub API call that no rule wants matches a hint, so the shortcut saves nothing", x.URL)
		}
	}
}
