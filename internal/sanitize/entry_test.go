package sanitize

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

type obj = map[string]any

// nv builds a HAR name/value list from name, value pairs.
func nv(pairs ...string) []any {
	out := []any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, obj{"name": pairs[i], "value": pairs[i+1]})
	}
	return out
}

// minimalEntry returns a HAR 1.2 entry with every required field, after mod
// has changed its request, response or the entry itself.
func minimalEntry(mod func(e, req, resp obj)) []byte {
	req := obj{"method": "GET", "url": "https://atlas-a.wbx2.com/admin/api/v1/organizations/" + fixture.OrgID,
		"httpVersion": "HTTP/2", "headers": nv(), "queryString": nv(), "cookies": []any{}, "headersSize": -1, "bodySize": 0}
	resp := obj{"status": 200, "statusText": "OK", "httpVersion": "HTTP/2", "headers": nv(), "cookies": []any{},
		"content": obj{"size": 0, "mimeType": "application/json"}, "redirectURL": "", "headersSize": -1, "bodySize": -1}
	e := obj{"startedDateTime": "2026-11-20T09:15:00.000Z", "time": 12.5, "request": req, "response": resp, "cache": obj{},
		"timings": obj{"send": 0.1, "wait": 12.1, "receive": 0.3}}
	if mod != nil {
		mod(e, req, resp)
	}
	out, err := json.Marshal(e)
	if err != nil {
		panic(err)
	}
	return out
}

// jwt is a JWT-shaped token whose signature is the given canary.
func jwt(canary string) string {
	return "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0." + canary
}

func TestEntryRules(t *testing.T) {
	tokenBody := `{"access_token":"CANARY-oauth-1","refresh_token":"CANARY-oauth-2","expires_in":3600}`
	js := "var t = \"CANARY-js\";\n\tconsole.log('\u00e9');\n"
	png := append([]byte{0x89, 'P', 'N', 'G', 0, 0xff}, "CANARY-png"...)
	tests := []struct {
		name   string
		reason string
		opts   Options
		entry  []byte
		gone   []string
		kept   []string
		counts map[string]int
	}{
		{
			name: "authorization in every case", reason: "HTTP/2 lower-cases header names, HTTP/1.1 keeps the sender's",
			entry: minimalEntry(func(_, req, _ obj) {
				req["headers"] = nv("AUTHORIZATION", "Bearer CANARY-a1", "authorization", "Bearer CANARY-a2",
					"Authorization", "Basic CANARY-a3", "aUtHoRiZaTiOn", "CANARY-a4", "Proxy-Authorization", "Negotiate CANARY-a5")
			}),
			gone:   []string{"CANARY"},
			kept:   []string{`"AUTHORIZATION","value":"Bearer [REDACTED]"`, `"Basic [REDACTED]"`, `"Negotiate [REDACTED]"`, `"aUtHoRiZaTiOn","value":"[REDACTED]"`},
			counts: map[string]int{"authorization": 5},
		},
		{
			name: "cookie headers", reason: "cookie names help diagnosis, values are sessions",
			entry: minimalEntry(func(_, req, resp obj) {
				req["headers"] = nv("Cookie", "a=CANARY-c1; b=CANARY-c2", "cookie", "CANARY-c3")
				resp["headers"] = nv("Set-Cookie", "sid=CANARY-s1; Path=/; Domain=.webex.com; HttpOnly; Secure; Expires=Wed, 21 Oct 2026 07:28:00 GMT",
					"set-cookie", "a=CANARY-s2; Path=/\nb=CANARY-s3; HttpOnly")
			}),
			gone: []string{"CANARY"},
			kept: []string{`"a=[REDACTED]; b=[REDACTED]"`, `"sid=[REDACTED]; Path=/; Domain=.webex.com; HttpOnly; Secure; Expires=Wed, 21 Oct 2026 07:28:00 GMT"`,
				`"a=[REDACTED]; Path=/\nb=[REDACTED]; HttpOnly"`},
			counts: map[string]int{"cookie": 6},
		},
		{
			name: "cookies arrays", reason: "HAR repeats cookies in request.cookies and response.cookies",
			entry: minimalEntry(func(_, req, resp obj) {
				req["cookies"] = []any{obj{"name": "cisPRODAdminSession", "value": "CANARY-k1"}}
				resp["cookies"] = []any{obj{"name": "sid", "value": "CANARY-k2", "path": "/", "httpOnly": true}}
			}),
			gone:   []string{"CANARY"},
			kept:   []string{`"name":"cisPRODAdminSession","value":"[REDACTED]"`, `"path":"/"`, `"httpOnly":true`},
			counts: map[string]int{"cookie": 2},
		},
		{
			name: "auth-ish headers", reason: "CSRF, API keys, session and security tokens are credentials; tracking IDs are not",
			entry: minimalEntry(func(_, req, resp obj) {
				req["headers"] = nv("X-CSRF-Token", "CANARY-h1", "x-xsrf-token", "CANARY-h2", "X-Amz-Security-Token", "CANARY-h3",
					"x-api-key", "CANARY-h4", "X-Auth-User", "CANARY-h5", "X-Session-Id", "CANARY-h6", "Client-Secret", "CANARY-h7",
					"TrackingID", "ATLAS_keep_1")
				resp["headers"] = nv("X-Refresh-Token", "CANARY-h8", "trackingid", "ATLAS_keep_2")
			}),
			gone:   []string{"CANARY"},
			kept:   []string{"ATLAS_keep_1", "ATLAS_keep_2", `"X-CSRF-Token","value":"[REDACTED]"`},
			counts: map[string]int{"header": 8},
		},
		{
			name: "query parameters", reason: "OAuth and SAML values travel in URLs; paths, org IDs and SigAlg stay",
			entry: minimalEntry(func(_, req, _ obj) {
				q := "code=CANARY-q1&state=CANARY-q2&access_token=CANARY-q3&ID_TOKEN=CANARY-q4&SAMLRequest=CANARY-q5" +
					"&RelayState=CANARY-q6&Signature=CANARY-q7&password=CANARY-q8&api_key=CANARY-q9&SigAlg=rsa-sha256&lang=en"
				req["url"] = "https://license-a.wbx2.com/license/api/v1/organization/" + fixture.OrgID + "/users?" + q
				vals, _ := url.ParseQuery(q)
				var pairs []string
				for _, k := range []string{"code", "state", "access_token", "ID_TOKEN", "SAMLRequest", "RelayState", "Signature", "password", "api_key", "SigAlg", "lang"} {
					pairs = append(pairs, k, vals.Get(k))
				}
				req["queryString"] = nv(pairs...)
			}),
			gone:   []string{"CANARY"},
			kept:   []string{"/organization/" + fixture.OrgID + "/users?code=[REDACTED]&", "SigAlg=rsa-sha256&lang=en", `"name":"lang","value":"en"`},
			counts: map[string]int{"url": 9, "query": 9},
		},
		{
			name: "fragments", reason: "the implicit flow returns tokens in the fragment; client routes without parameters stay",
			entry: minimalEntry(func(_, req, resp obj) {
				req["url"] = "https://admin.webex.com/cb#access_token=CANARY-f1&expires_in=3600"
				resp["redirectURL"] = "https://admin.webex.com/#/users?id_token=CANARY-f2"
				req["headers"] = nv("Referer", "https://admin.webex.com/#/overview")
			}),
			gone:   []string{"CANARY"},
			kept:   []string{"cb#access_token=[REDACTED]&expires_in=3600", "#/users?id_token=[REDACTED]", "https://admin.webex.com/#/overview"},
			counts: map[string]int{"url": 2},
		},
		{
			name: "URL-valued headers and redirectURL", reason: "Referer, Location and Chrome's :path carry the query of another request",
			entry: minimalEntry(func(_, req, resp obj) {
				req["headers"] = nv(":path", "/x?code=CANARY-p1", "referer", "https://idp.example.com/cb?code=CANARY-r1#state=CANARY-r2")
				resp["headers"] = nv("Location", "/login?SAMLResponse=CANARY-r3")
				resp["redirectURL"] = "https://admin.webex.com/cb?code=CANARY-r4&state=CANARY-r5"
			}),
			gone:   []string{"CANARY"},
			kept:   []string{"/x?code=[REDACTED]", "https://idp.example.com/cb?code=[REDACTED]#state=[REDACTED]", "/login?SAMLResponse=[REDACTED]"},
			counts: map[string]int{"url": 6},
		},
		{
			name: "encoded URL in a parameter", reason: "login pages carry the return URL, with its code, percent-encoded",
			entry: minimalEntry(func(_, req, _ obj) {
				req["url"] = "https://idbroker.webex.com/idb/UI/Login?goto=" + url.QueryEscape("https://admin.webex.com/cb?code=CANARY-n1&x=1")
			}),
			gone:   []string{"CANARY"},
			kept:   []string{"/idb/UI/Login?goto=https%3A%2F%2Fadmin.webex.com%2Fcb%3Fcode%3D%5BREDACTED%5D%26x%3D1"},
			counts: map[string]int{"url": 1},
		},
		{
			name: "urlencoded form", reason: "login and token requests post passwords, secrets and SAML responses",
			entry: minimalEntry(func(_, req, _ obj) {
				req["method"] = "POST"
				req["postData"] = obj{"mimeType": "application/x-www-form-urlencoded",
					"text":   "username=admin%40example.com&password=CANARY-fo1&client_secret=CANARY-fo2&grant_type=authorization_code",
					"params": nv("SAMLResponse", "CANARY-fo3", "RelayState", "CANARY-fo4", "username", "admin@example.com")}
			}),
			gone:   []string{"CANARY"},
			kept:   []string{"username=admin%40example.com&password=[REDACTED]&client_secret=[REDACTED]&grant_type=authorization_code", `"admin@example.com"`},
			counts: map[string]int{"form": 4},
		},
		{
			name: "JSON body members", reason: "secret members at any depth go; error objects (errorCode, code, key) stay",
			entry: minimalEntry(func(_, req, resp obj) {
				req["method"] = "POST"
				req["postData"] = obj{"mimeType": "application/json", "text": `{"user":"admin","password":"CANARY-j1","nested":{"refreshToken":"CANARY-j2",` +
					`"credentials":{"a":"CANARY-j3","n":42,"ok":true}},"apiKey":"CANARY-j4","clientSecret":"CANARY-j5","privateKey":"CANARY-j6",` +
					`"list":[{"csrfToken":"CANARY-j7"}],"pass\u0077ord":"CANARY-j8","pin":null}`}
				body := `{"idToken":"CANARY-j9","error":{"code":"E1","key":"k-1","errorCode":5302,"trackingId":"ATLAS_err"}}`
				resp["content"] = obj{"size": len(body), "mimeType": "application/json;charset=UTF-8", "text": body}
			}),
			gone:   []string{"CANARY", `"n":42`},
			kept:   []string{`\"user\":\"admin\"`, `\"ok\":true`, `\"code\":\"E1\",\"key\":\"k-1\",\"errorCode\":5302,\"trackingId\":\"ATLAS_err\"`},
			counts: map[string]int{"json": 10},
		},
		{
			name: "JWT inside text", reason: "a token can hide in any string: an error description, a custom header",
			entry: minimalEntry(func(_, req, resp obj) {
				req["headers"] = nv("X-Debug", "id "+jwt("CANARY-jwt1")+" end")
				body := `[{"email":"a@example.com","status":400,"errorList":[{"errorCode":5302,"description":"bad token ` + jwt("CANARY-jwt2") + ` here"}]}]`
				resp["content"] = obj{"size": len(body), "mimeType": "application/json", "text": body}
			}),
			gone:   []string{"CANARY", "eyJ"},
			kept:   []string{`"id [REDACTED-JWT] end"`, `bad token [REDACTED-JWT] here`, `\"errorCode\":5302`, "a@example.com"},
			counts: map[string]int{"jwt": 2},
		},
		{
			name: "base64 JSON body", reason: "Firefox stores some text bodies base64-encoded; they are decoded, sanitized and kept as text",
			entry: minimalEntry(func(_, _, resp obj) {
				body := `{"sessionToken":"CANARY-b1","trackingId":"ATLAS_b64"}`
				resp["content"] = obj{"size": len(body), "mimeType": "application/json", "encoding": "base64",
					"text": base64.StdEncoding.EncodeToString([]byte(body))}
			}),
			gone:   []string{"CANARY", `"encoding"`, "base64"},
			kept:   []string{`{\"sessionToken\":\"[REDACTED]\",\"trackingId\":\"ATLAS_b64\"}`, fmt.Sprintf(`"size":%d`, len(`{"sessionToken":"[REDACTED]","trackingId":"ATLAS_b64"}`))},
			counts: map[string]int{"json": 1},
		},
		{
			name: "token endpoint", reason: "OAuth token responses are credentials through and through",
			entry: minimalEntry(func(_, req, resp obj) {
				req["url"] = "https://idbroker.webex.com/idb/oauth2/v1/access_token"
				resp["content"] = obj{"size": len(tokenBody), "mimeType": "application/json", "text": tokenBody}
			}),
			gone:   []string{"CANARY", "expires_in"},
			kept:   []string{fmt.Sprintf(`"[REDACTED: token endpoint response body, %d bytes]"`, len(tokenBody)), `"mimeType":"application/json"`},
			counts: map[string]int{"body": 1},
		},
		{
			name: "token response elsewhere", reason: "a body holding access_token is replaced whatever the URL",
			entry: minimalEntry(func(_, _, resp obj) {
				resp["content"] = obj{"size": len(tokenBody), "mimeType": "application/json", "text": tokenBody}
			}),
			gone:   []string{"CANARY"},
			kept:   []string{fmt.Sprintf(`"[REDACTED: token response body, %d bytes]"`, len(tokenBody))},
			counts: map[string]int{"body": 1},
		},
		{
			name: "HTML body", reason: "markup cannot be sanitized value by value; its size is content.size, the decoded size HAR states",
			entry: minimalEntry(func(_, _, resp obj) {
				resp["content"] = obj{"size": 24, "mimeType": "text/html; charset=utf-8", "text": "<p>CANARY-html</p>\u00e9\u00e9\u00e9"}
			}),
			gone: []string{"CANARY"},
			kept: []string{`"text":"[REDACTED: text/html body, 24 bytes]"`, fmt.Sprintf(`"size":%d`, len("[REDACTED: text/html body, 24 bytes]")),
				`"mimeType":"text/html; charset=utf-8"`},
			counts: map[string]int{"body": 1},
		},
		{
			name: "script body with escapes", reason: "the size is the decoded length, measured without decoding",
			entry: minimalEntry(func(_, _, resp obj) {
				resp["content"] = obj{"size": len(js), "mimeType": "application/javascript", "text": js}
			}),
			gone:   []string{"CANARY"},
			kept:   []string{fmt.Sprintf(`[REDACTED: application/javascript body, %d bytes]`, len(js))},
			counts: map[string]int{"body": 1},
		},
		{
			name: "base64 image", reason: "binary bodies are measured, the encoding dropped",
			entry: minimalEntry(func(_, _, resp obj) {
				resp["content"] = obj{"size": len(png), "mimeType": "image/png", "encoding": "base64", "text": base64.StdEncoding.EncodeToString(png)}
			}),
			gone:   []string{"CANARY", "base64", "iVBOR"},
			kept:   []string{fmt.Sprintf(`[REDACTED: image/png body, %d bytes]`, len(png))},
			counts: map[string]int{"body": 1},
		},
		{
			name: "multipart request", reason: "multipart parts are not parsed; the body goes",
			entry: minimalEntry(func(_, req, _ obj) {
				req["postData"] = obj{"mimeType": "multipart/form-data; boundary=x", "text": "--x\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nCANARY-mp\r\n--x--"}
			}),
			gone:   []string{"CANARY"},
			kept:   []string{"[REDACTED: multipart/form-data body"},
			counts: map[string]int{"body": 1},
		},
		{
			name: "text/plain form response", reason: "some token endpoints answer with a parameter list",
			entry: minimalEntry(func(_, _, resp obj) {
				resp["content"] = obj{"size": 10, "mimeType": "text/plain", "text": "access_token=CANARY-t1&scope=spark%3Aall"}
			}),
			gone:   []string{"CANARY"},
			kept:   []string{`"access_token=[REDACTED]&scope=spark%3Aall"`},
			counts: map[string]int{"form": 1},
		},
		{
			name: "Chrome underscore fields", reason: "_initiator URLs and WebSocket frames are sanitized; other fields stay as they are",
			entry: minimalEntry(func(e, _, _ obj) {
				e["_resourceType"] = "fetch"
				e["_initiator"] = obj{"type": "script", "url": "https://admin.webex.com/app?access_token=CANARY-i1",
					"stack": obj{"callFrames": []any{obj{"url": "https://admin.webex.com/x.js?token=CANARY-i2", "lineNumber": 3}},
						"parent": obj{"callFrames": []any{obj{"url": "https://admin.webex.com/y.js?sig=CANARY-i3"}}}}}
				e["_webSocketMessages"] = []any{obj{"type": "send", "opcode": 1, "data": `{"token":"CANARY-ws","seq":7}`}}
			}),
			gone:   []string{"CANARY"},
			kept:   []string{`"_resourceType":"fetch"`, "app?access_token=[REDACTED]", `"lineNumber":3`, `{\"token\":\"[REDACTED]\",\"seq\":7}`},
			counts: map[string]int{"url": 3, "json": 1},
		},
		{
			name: "JSON inside a JSON string", reason: "double-encoded payloads are walked too",
			entry: minimalEntry(func(_, _, resp obj) {
				body := `{"payload":"{\"password\":\"CANARY-d1\",\"status\":400}"}`
				resp["content"] = obj{"size": len(body), "mimeType": "application/json", "text": body}
			}),
			gone:   []string{"CANARY"},
			kept:   []string{`\\\"status\\\":400`},
			counts: map[string]int{"json": 1},
		},
		{
			name: "nothing to redact", reason: "an entry without secrets comes out byte for byte",
			entry: minimalEntry(func(_, _, resp obj) {
				body := "[" + fixture.CarrierUserResult(fixture.CarrierEmail) + "]"
				resp["content"] = obj{"size": len(body), "mimeType": "application/json", "text": body}
			}),
			counts: map[string]int{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.opts)
			out, err := s.Entry(tt.entry)
			if err != nil {
				t.Fatalf("Entry: %v (%s)", err, tt.reason)
			}
			if !json.Valid(out) {
				t.Fatalf("output is not valid JSON (%s):\n%s", tt.reason, out)
			}
			if _, err := har.ParseEntry(out, 0); err != nil {
				t.Errorf("output does not parse as an entry: %v", err)
			}
			for _, g := range tt.gone {
				if strings.Contains(string(out), g) {
					t.Errorf("%q survived (%s):\n%s", g, tt.reason, out)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(string(out), k) {
					t.Errorf("%q is missing (%s):\n%s", k, tt.reason, out)
				}
			}
			if got := s.Stats().Redactions; !maps.Equal(got, tt.counts) {
				t.Errorf("redactions = %v, want %v (%s)", got, tt.counts, tt.reason)
			}
			if len(tt.counts) == 0 && string(out) != string(tt.entry) {
				t.Errorf("entry changed although nothing was redacted:\n in %s\nout %s", tt.entry, out)
			}
			// Sanitizing the output again must change nothing and count nothing.
			again := New(tt.opts)
			out2, err := again.Entry(out)
			if err != nil || string(out2) != string(out) || len(again.Stats().Redactions) != 0 {
				t.Errorf("second pass changed the entry or counted %v (err %v):\n 1st %s\n 2nd %s", again.Stats().Redactions, err, out, out2)
			}
		})
	}
}

func TestEntryErrors(t *testing.T) {
	tests := []struct {
		raw, want, reason string
	}{
		{`{"request":`, "entry is not valid JSON", "truncated capture"},
		{`[1,2]`, "entry is not a JSON object", "an array is not an entry"},
		{``, "entry is not valid JSON", "empty input"},
	}
	for _, tt := range tests {
		_, err := New(Options{}).Entry([]byte(tt.raw))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Entry(%q) error = %v, want %q (%s)", tt.raw, err, tt.want, tt.reason)
		}
	}
}

func TestPseudonymize(t *testing.T) {
	email := fixture.CarrierEmail
	body := "[" + fixture.CarrierUserResult(email) + "," + fixture.OKUserResult("Other.User@Example.org") + "]"
	entry := func(u string) []byte {
		return minimalEntry(func(_, req, resp obj) {
			req["url"] = u
			req["headers"] = nv("X-User", strings.ToUpper(email))
			resp["content"] = obj{"size": len(body), "mimeType": "application/json", "text": body}
		})
	}
	s := New(Options{PseudonymizeEmails: true})
	first, err := s.Entry(entry("https://atlas-a.wbx2.com/admin/api/v1/users?email=" + url.QueryEscape(email)))
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Entry(entry("https://atlas-a.wbx2.com/admin/api/v1/users/" + email))
	if err != nil {
		t.Fatal(err)
	}
	all := string(first) + string(second)
	for _, orig := range []string{"alex.dekker", "ALEX.DEKKER", "Other.User", "alex.dekker%40"} {
		if strings.Contains(all, orig) {
			t.Errorf("original address %q survived:\n%s", orig, all)
		}
	}
	pseudo := s.pseudo.Email(email)
	if !strings.HasPrefix(pseudo, "user-") || !strings.HasSuffix(pseudo, "@example.com") || pseudo == email {
		t.Fatalf("pseudonym %q does not keep the domain", pseudo)
	}
	local := strings.TrimSuffix(pseudo, "@example.com")
	// The same address, in any case and percent-encoded, maps to one pseudonym.
	for _, want := range []string{
		`users?email=` + local + `%40example.com`,      // URL query, encoded '@'
		`users/` + pseudo,                              // URL path
		`"X-User","value":"` + local + `@EXAMPLE.COM"`, // header, other case: domain kept as written
		`Url already exists: ` + pseudo,                // inside the error description
	} {
		if !strings.Contains(all, want) {
			t.Errorf("%q missing:\n%s", want, all)
		}
	}
	if strings.Count(all, local) < 6 {
		t.Errorf("pseudonym %s used %d times, want every occurrence:\n%s", local, strings.Count(all, local), all)
	}
	if other := s.pseudo.Email("Other.User@Example.org"); !strings.Contains(all, other) || strings.HasPrefix(other, local) {
		t.Errorf("second address pseudonym %q missing or equal to the first", other)
	}
	if got := New(Options{PseudonymizeEmails: true}).pseudo.Email(email); got == pseudo {
		t.Errorf("two exports gave the same pseudonym %q: the key must be per export", got)
	}
}
