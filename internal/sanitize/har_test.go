package sanitize

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
	"hubdoctor/internal/engine"
	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
	"hubdoctor/internal/version"
)

// canaryExchanges plant distinct secrets ("CANARY-<place>") in every place
// the fixture builder can express.
func canaryExchanges() []fixture.Exchange {
	onboardBody := "[" + fixture.CarrierUserResult(fixture.CarrierEmail) +
		`,{"email":"b@example.com","status":400,"errorList":[{"errorCode":5302,"description":"token ` + jwt("CANARY-jwt-onboard") + `"}]}]`
	return []fixture.Exchange{
		{Method: "GET", Status: 302,
			URL: "https://idbroker.webex.com/idb/oauth2/v1/authorize?client_id=C123&code=CANARY-q-code&state=CANARY-q-state&SAMLRequest=CANARY-q-saml" +
				"&RelayState=CANARY-q-relay&Signature=CANARY-q-sig&SigAlg=rsa-sha256&password=CANARY-q-pwd&api_key=CANARY-q-apikey#access_token=CANARY-q-frag",
			RequestHeaders: [][2]string{{"AUTHORIZATION", "Bearer CANARY-h-upper"}, {"aUtHoRiZaTiOn", "CANARY-h-mixed"},
				{"Proxy-Authorization", "Basic CANARY-h-proxy"}, {"X-CSRF-Token", "CANARY-h-csrf"}, {"x-xsrf-token", "CANARY-h-xsrf"},
				{"X-Amz-Security-Token", "CANARY-h-amz"}, {"x-api-key", "CANARY-h-apikey"}, {"X-Auth-User", "CANARY-h-xauth"},
				{"COOKIE", "a=CANARY-h-cookie-a; b=CANARY-h-cookie-b"},
				{"Referer", "https://idp.example.com/login?access_token=CANARY-h-referer&lang=en#id_token=CANARY-h-referer-frag"}},
			ResponseHeaders: [][2]string{{"Set-Cookie", "sid=CANARY-sc-1; Path=/; Domain=.webex.com; HttpOnly; Secure"},
				{"SET-COOKIE", "other=CANARY-sc-2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"},
				{"Location", "https://admin.webex.com/callback?code=CANARY-loc-code&state=CANARY-loc-state#access_token=CANARY-loc-frag"},
				{"X-Refresh-Token", "CANARY-h-resp"}},
			ResponseMime: "text/html", ResponseBody: "<a href='/cb?code=CANARY-html-302'>moved</a>"},
		{Method: "POST", URL: "https://idbroker.webex.com/idb/oauth2/v1/access_token", Status: 200,
			RequestMime: "application/x-www-form-urlencoded",
			FormParams: [][2]string{{"grant_type", "authorization_code"}, {"code", "CANARY-form-code"}, {"client_secret", "CANARY-form-secret"},
				{"code_verifier", "CANARY-form-verifier"}, {"SAMLResponse", "CANARY-form-saml"}},
			ResponseBody: `{"access_token":"CANARY-oauth-access","refresh_token":"CANARY-oauth-refresh","expires_in":3600}`},
		{Method: "POST", URL: fixture.AtlasAPI + "organizations/" + fixture.OrgID + "/settings", Status: 400, RequestMime: "application/json",
			RequestBody: `{"password":"CANARY-json-pwd","nested":{"refreshToken":"CANARY-json-refresh","credentials":{"a":"CANARY-json-cred"}},` +
				`"apiKey":"CANARY-json-apikey","clientSecret":"CANARY-json-clientsecret","privateKey":"CANARY-json-privkey","list":[{"csrfToken":"CANARY-json-csrf"}]}`,
			ResponseBody: `{"idToken":"CANARY-json-idtoken","message":"bad","errors":[{"description":"see ` + jwt("CANARY-jwt-desc") + `"}],"trackingId":"ATLAS_json_400"}`},
		{Method: "GET", URL: fixture.AtlasAPI + "me", Status: 200, Base64: true,
			ResponseBody: `{"sessionToken":"CANARY-b64-json","trackingId":"ATLAS_b64_1"}`},
		{Method: "GET", URL: "https://admin.webex.com/index.html", Status: 200, ResponseMime: "text/html", ResourceType: "document",
			ResponseBody: "<html><script>window.token='CANARY-html'</script></html>"},
		{Method: "GET", URL: "https://admin.webex.com/main.js", Status: 200, ResponseMime: "application/javascript", ResourceType: "script",
			ResponseBody: "var k = \"CANARY-js\";\n"},
		{Method: "GET", URL: "https://admin.webex.com/main.css", Status: 200, ResponseMime: "text/css", ResourceType: "stylesheet",
			ResponseBody: "/* CANARY-css */ body{}"},
		{Method: "GET", URL: "https://admin.webex.com/logo.png", Status: 200, ResponseMime: "image/png", ResourceType: "image", Base64: true,
			ResponseBody: "\x89PNG\r\n\x1a\nCANARY-png\xff\x00"},
		{Method: "GET", URL: "https://admin.webex.com/f.woff2", Status: 200, ResponseMime: "font/woff2", ResourceType: "font", Base64: true,
			ResponseBody: "wOF2\x00CANARY-font\xfe"},
		{Method: "GET", URL: "https://admin.webex.com/saml.xml", Status: 200, ResponseMime: "application/samlmetadata+xml",
			ResponseBody: "<md><X509Certificate>CANARY-xml</X509Certificate></md>"},
		fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail, "b@example.com"), onboardBody),
	}
}

// canaryRawEntries are hand-written entries for shapes the fixture builder
// does not produce.
var canaryRawEntries = []string{
	// Chrome's _initiator with nested stacks, Firefox's joined Set-Cookie,
	// response cookies, redirectURL, a relative Location.
	`{"startedDateTime":"2026-11-20T09:20:00.000Z","time":5,"_resourceType":"xhr",` +
		`"_initiator":{"type":"script","url":"https://admin.webex.com/app?access_token=CANARY-init-url",` +
		`"stack":{"callFrames":[{"url":"https://admin.webex.com/a.js?token=CANARY-init-frame","lineNumber":1}],` +
		`"parent":{"callFrames":[{"url":"https://admin.webex.com/b.js#id_token=CANARY-init-parent"}]}}},` +
		`"request":{"method":"GET","url":"https://admin.webex.com/cb","httpVersion":"HTTP/1.1","headers":[],"queryString":[],` +
		`"cookies":[{"name":"sid","value":"CANARY-req-cookie"}],"headersSize":-1,"bodySize":0},` +
		`"response":{"status":302,"statusText":"Found","httpVersion":"HTTP/1.1",` +
		`"headers":[{"name":"Set-Cookie","value":"a=CANARY-ff-sc-1; Path=/\nb=CANARY-ff-sc-2; HttpOnly"},` +
		`{"name":"location","value":"/login?SAMLResponse=CANARY-rel-loc"},{"name":"TrackingID","value":"ATLAS_raw_1"}],` +
		`"cookies":[{"name":"sid","value":"CANARY-resp-cookie","path":"/","httpOnly":true}],` +
		`"content":{"size":0,"mimeType":"text/plain"},"redirectURL":"https://admin.webex.com/cb?code=CANARY-redirect-code&state=CANARY-redirect-state",` +
		`"headersSize":-1,"bodySize":0},"cache":{},"timings":{"send":0,"wait":4,"receive":1}}`,
	// A base64 JSON request and response holding a token and a JWT; a
	// WebSocket frame; an escaped member name; double-encoded JSON.
	`{"startedDateTime":"2026-11-20T09:20:01.000Z","time":7,` +
		`"_webSocketMessages":[{"type":"send","time":1,"opcode":1,"data":"{\"token\":\"CANARY-ws\"}"}],` +
		`"request":{"method":"POST","url":"https://atlas-a.wbx2.com/admin/api/v1/x?goto=https%3A%2F%2Fa.example%2Fcb%3Fcode%3DCANARY-nested",` +
		`"httpVersion":"HTTP/2","headers":[{"name":"authorization","value":"Bearer CANARY-raw-lower"},{"name":"Authorization","value":"Bearer CANARY-raw-title"}],` +
		`"queryString":[],"cookies":[],"headersSize":-1,"bodySize":10,` +
		`"postData":{"mimeType":"text/plain","text":"{\"pass\\u0077ord\":\"CANARY-escaped-key\",\"payload\":\"{\\\"secret\\\":\\\"CANARY-double\\\"}\"}"}},` +
		`"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/2","headers":[],"cookies":[],` +
		`"content":{"size":99,"mimeType":"application/json","encoding":"base64","text":"` +
		base64.StdEncoding.EncodeToString([]byte(`{"apiKey":"CANARY-b64-apikey","note":"`+jwt("CANARY-b64-jwt")+`","trackingId":"ATLAS_b64_2"}`)) + `"},` +
		`"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":6,"receive":1}}`,
}

// canaryHAR builds a HAR of browser b: the seeds' session, the canary
// exchanges and the raw entries, with a page whose title holds tokens.
func canaryHAR(t testing.TB, b fixture.Browser) []byte {
	t.Helper()
	var doc struct {
		Log map[string]json.RawMessage `json:"log"`
	}
	if err := json.Unmarshal(fixture.HAR(b, append(fixture.SeedSession(), canaryExchanges()...)...), &doc); err != nil {
		t.Fatal(err)
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(doc.Log["entries"], &entries); err != nil {
		t.Fatal(err)
	}
	for _, r := range canaryRawEntries {
		entries = append(entries, json.RawMessage(r))
	}
	doc.Log["entries"], _ = json.Marshal(entries)
	doc.Log["pages"] = json.RawMessage(`[{"startedDateTime":"2026-11-20T09:15:00.000Z","id":"page_1",` +
		`"title":"https://admin.webex.com/login?access_token=CANARY-title-token#id_token=CANARY-title-frag","pageTimings":{}},` +
		`{"startedDateTime":"2026-11-20T09:16:00.000Z","id":"page_2","title":"` + jwt("CANARY-title-jwt") + `","pageTimings":{}}]`)
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var canary = regexp.MustCompile(`CANARY-[a-z0-9-]+`)

func TestCanaryCorpus(t *testing.T) {
	for _, b := range fixture.Browsers {
		t.Run(b.String(), func(t *testing.T) {
			in := canaryHAR(t, b)
			planted := canary.FindAll(in, -1)
			if len(planted) < 60 {
				t.Fatalf("only %d canaries planted: the corpus is broken", len(planted))
			}
			var out bytes.Buffer
			st, err := HAR(bytes.NewReader(in), &out, "canary.har", Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := out.Bytes()
			if !json.Valid(got) {
				t.Fatalf("output is not valid JSON:\n%s", got)
			}
			if m := canary.FindAll(got, -1); len(m) > 0 {
				t.Errorf("%d canaries survived: %q", len(m), m)
			}
			// Bodies left base64-encoded must hold no canary either.
			gjson.GetBytes(got, "log.entries.#.response.content").ForEach(func(_, c gjson.Result) bool {
				if strings.EqualFold(c.Get("encoding").Str, "base64") {
					dec, _ := base64.StdEncoding.DecodeString(c.Get("text").Str)
					if m := canary.FindAll(dec, -1); len(m) > 0 {
						t.Errorf("canaries survived in a base64 body: %q", m)
					}
				}
				return true
			})

			// What TAC needs survives.
			for _, keep := range []string{fixture.CarrierTrackingID, `\"errorCode\":5302`, "[Error 10991] Url already exists: " + fixture.CarrierEmail,
				"/organization/" + fixture.OrgID + "/users/onboard", "ATLAS_json_400", "ATLAS_b64_1", "ATLAS_b64_2", "ATLAS_raw_1", "SigAlg=rsa-sha256",
				`"_resourceType": "xhr"`} {
				if !bytes.Contains(got, []byte(keep)) {
					t.Errorf("%q did not survive", keep)
				}
			}
			compareEntries(t, in, got)

			stamp := gjson.GetBytes(got, "log._sanitizer")
			if stamp.Get("tool").Str != "Hub Doctor" || stamp.Get("version").Str != version.Version {
				t.Errorf("stamp = %s", stamp.Raw)
			}
			var counts map[string]int
			if err := json.Unmarshal([]byte(stamp.Get("redactions").Raw), &counts); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(counts) != fmt.Sprint(st.Redactions) {
				t.Errorf("stamp counts %v differ from the returned stats %v", counts, st.Redactions)
			}
			for _, cat := range []string{"authorization", "cookie", "header", "query", "form", "json", "jwt", "body", "url", "page-title"} {
				if counts[cat] == 0 {
					t.Errorf("no %q redaction counted: %v", cat, counts)
				}
			}
			if _, ok := counts["email"]; ok {
				t.Errorf("e-mails counted without PseudonymizeEmails: %v", counts)
			}
			sameFindings(t, in, got)
		})
	}
}

// compareEntries checks that out has in's entries, in order, with the same
// method, status, times and timings, and that har.NewScanner reads it.
func compareEntries(t *testing.T, in, out []byte) {
	t.Helper()
	read := func(data []byte) []string {
		var rows []string
		sc := har.NewScanner(bytes.NewReader(data), "x")
		for {
			it, err := sc.Next()
			if err == io.EOF {
				return rows
			}
			if err != nil {
				t.Fatalf("scanner: %v", err)
			}
			if it.Kind == har.EntryItem {
				r := gjson.GetManyBytes(it.Raw, "request.method", "response.status", "startedDateTime", "time", "timings")
				rows = append(rows, fmt.Sprint(r[0].Str, r[1].Int(), r[2].Str, r[3].Float(), gjson.Parse(r[4].Raw).Get("@ugly").Raw))
			}
		}
	}
	a, b := read(in), read(out)
	if len(a) != len(b) {
		t.Fatalf("entries: in %d, out %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("entry %d: in %s, out %s", i, a[i], b[i])
		}
	}
}

// sameFindings checks that the rules find the same problems, with the same
// facts, in the sanitized file as in the original.
func sameFindings(t *testing.T, in, out []byte) {
	t.Helper()
	facts := func(data []byte) string {
		res, err := engine.AnalyzeHAR(bytes.NewReader(data), "x", engine.NewSession(engine.Catalog()))
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, f := range res.Findings {
			desc := f.Description
			if canary.MatchString(desc) || strings.Contains(desc, Redacted[:9]) {
				desc = "(held a planted secret)"
			}
			s = append(s, fmt.Sprint(f.Rule, f.Entry, f.Email, f.OrgID, f.TrackingID, f.UserStatus, f.Codes, desc))
		}
		return strings.Join(s, "\n")
	}
	a, b := facts(in), facts(out)
	if a == "" {
		t.Fatal("no finding in the original: the corpus lost the seeds' case")
	}
	if a != b {
		t.Errorf("findings differ:\noriginal:\n%s\nsanitized:\n%s", a, b)
	}
}

func TestHARShape(t *testing.T) {
	tests := []struct {
		name, in, reason string
		want             []string // gjson paths → expected raw values, as "path=value"
	}{
		{"members after entries", `{"log":{"entries":[{"a":1}],"version":"1.2","creator":{"name":"x"}}}`,
			"browsers put log members before or after entries",
			[]string{`log.version="1.2"`, `log.entries.#=1`, `log.creator.name="x"`, `log._sanitizer.tool="Hub Doctor"`}},
		{"no entries", `{"log":{"version":"1.2","entries":[]}}`, "an empty capture is still a HAR",
			[]string{`log.entries.#=0`, `log._sanitizer.version="` + version.Version + `"`}},
		{"top-level members", `{"x":{"token":"t1"},"log":{"entries":[]},"y":2}`, "members beside log are kept, sanitized",
			[]string{`x.token="[REDACTED]"`, `y=2`, `log.entries.#=0`}},
		{"earlier stamp", `{"log":{"_sanitizer":{"tool":"old"},"entries":[]}}`, "sanitizing twice leaves one stamp",
			[]string{`log._sanitizer.tool="Hub Doctor"`}},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if _, err := HAR(strings.NewReader(tt.in), &out, "x.har", Options{}); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !json.Valid(out.Bytes()) {
			t.Fatalf("%s: invalid JSON: %s", tt.name, out.Bytes())
		}
		if n := strings.Count(out.String(), `"_sanitizer"`); n != 1 {
			t.Errorf("%s: %d stamps: %s", tt.name, n, out.Bytes())
		}
		for _, w := range tt.want {
			path, val, _ := strings.Cut(w, "=")
			if got := gjson.GetBytes(out.Bytes(), path).Raw; got != val {
				t.Errorf("%s: %s = %s, want %s (%s)\n%s", tt.name, path, got, val, tt.reason, out.Bytes())
			}
		}
	}
}

func TestHARErrors(t *testing.T) {
	tests := []struct {
		in, want, reason string
	}{
		{``, `^bad\.har: byte 0: file is empty$`, "empty file"},
		{`{"log":{"entries":[{"a":1},{"b":`, `^bad\.har: entry 1 at byte \d+: unexpected end of file`, "truncated export"},
		{`{"log":{"pages":[1,],"entries":[]}}`, `^bad\.har: byte \d+: log\.pages is not valid JSON`, "a broken log member"},
		{`{"log":{"entries":[{"a":1},{"request":{"url":"x"},}]}}`, `^bad\.har: entry 1 at byte \d+: `, "a broken entry"},
	}
	for _, tt := range tests {
		_, err := HAR(strings.NewReader(tt.in), io.Discard, "bad.har", Options{})
		var herr *har.Error
		if !errors.As(err, &herr) || !regexp.MustCompile(tt.want).MatchString(err.Error()) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error = %v, want *har.Error %q", tt.reason, err, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want, reason string }{
		{"GET https://a.example/cb?code=c1&x=1 failed", "GET https://a.example/cb?code=[REDACTED]&x=1 failed", "URLs in text"},
		{`{"password":"p","errorCode":5302}`, `{"password":"[REDACTED]","errorCode":5302}`, "a JSON response"},
		{"bearer " + jwt("sig"), "bearer [REDACTED-JWT]", "a JWT"},
		{"[Error 10991] Url already exists: a@example.com", "[Error 10991] Url already exists: a@example.com", "e-mails stay"},
	}
	for _, tt := range tests {
		if got := Quoted(tt.in); got != tt.want {
			t.Errorf("Quoted(%q) = %q, want %q (%s)", tt.in, got, tt.want, tt.reason)
		}
	}
}
