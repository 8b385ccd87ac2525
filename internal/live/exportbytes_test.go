package live

import (
	"flag"
	"regexp"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// exportCorpus is what the devtools page hands SanitizeEntries: the bench's
// answered calls, the seed session's entries as Chrome and Firefox give them
// (bodies apart), and entries made to reach the sanitizer's rarer paths:
// escaped names and values, upper-case and secret header names, secret
// query and fragment parameters, JWTs and e-mail addresses in URLs and
// headers, cookies, a redirect, a post body and a non-string header value.
func exportCorpus(t *testing.T) []string {
	entries := pageEntries(5)
	for _, b := range []fixture.Browser{fixture.Chrome, fixture.Firefox} {
		for _, x := range fixture.SeedSession() {
			raw, _ := devtoolsEntry(t, b, x, false)
			entries = append(entries, string(raw))
		}
	}
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbkBleGFtcGxlLmNvbSJ9.c2lnbmF0dXJl"
	entries = append(entries,
		`{"startedDateTime":"2026-11-20T10:00:00Z","time":1,"request":{"method":"GET","url":"https://idbroker.webex.com/idb/oauth2/v1/authorize?client_id=C1&state=s3cr3t&code=abc#access_token=`+jwt+`&x=1","httpVersion":"HTTP/1.1",`+
			`"headers":[{"name":"Authorization","value":"Bearer `+jwt+`"},{"name":"COOKIE","value":"a=1; b=2;c"},{"name":"X-Auth-Token","value":"t0k"},{"name":"X-CSRF-Token","value":"c"},`+
			`{"name":"Referer","value":"https://admin.webex.com/login?ticket=T1&ok=1"},{"name":"na\u006de","value":"v\u0061lue"},{"name":"\u0061uthorization","value":"Basic dXNlcjpwYXNz"},`+
			`{"name":"x-user","value":"admin@example.com"},{"name":"x-count","value":7},{"name":"x-list","value":"k=v&password=p"},{"name":"x-escaped","value":"https:\/\/h\/p?sig=1\u0026a=2"}],`+
			`"queryString":[{"name":"state","value":"s3cr3t"},{"name":"client_id","value":"C1"}],"cookies":[{"name":"sid","value":"S1","path":"/"}],"headersSize":-1,"bodySize":12,`+
			`"postData":{"mimeType":"application/x-www-form-urlencoded","text":"user=a%40b.com&password=pw","params":[{"name":"password","value":"pw"}]}},`+
			`"response":{"status":302,"statusText":"Found","httpVersion":"HTTP/1.1","headers":[{"name":"Set-Cookie","value":"sid=S2; Path=/; HttpOnly\nlang=en"},{"name":"Location","value":"https://admin.webex.com/#id_token=`+jwt+`"}],`+
			`"cookies":[{"name":"sid","value":"S2"}],"content":{"size":0,"mimeType":"text/html"},"redirectURL":"https://admin.webex.com/?code=c0de","headersSize":-1,"bodySize":-1},`+
			`"cache":{},"timings":{"send":0,"wait":1,"receive":0},"_initiator":{"type":"script","url":"https://admin.webex.com/app.js?token=abc"},"serverIPAddress":"127.0.0.1"}`,
		`{ "request" : { "url" : "https://atlas-a.wbx2.com/admin/api/v1/users?email=someone%40example.com" , "headers" : [ ] } , "response" : { "status" : 200 , "headers" : [ { "name" : "content-type" , "value" : "application/json" } ] , "content" : { "size" : 2 , "mimeType" : "application/json" } } }`,
	)
	return entries
}

// pseudonym matches the local part of an e-mail pseudonym (sanitize.Pseudonyms).
var pseudonym = regexp.MustCompile(`user-[0-9a-f]{8}`)

// TestExportBytes keeps the export of the requests no rule reads byte for
// byte (issue 12): SanitizeEntries's lines and WrapHAR's file, with and
// without pseudonyms, are compared with the golden files the sanitizer
// wrote before the per-request work was made faster.
func TestExportBytes(t *testing.T) {
	corpus := exportCorpus(t)
	for _, pseudo := range []bool{false, true} {
		name := "export"
		if pseudo {
			name += "-pseudonymized"
		}
		s := NewSession()
		lines, err := s.SanitizeEntries([]byte("["+strings.Join(corpus, ",")+"]"), pseudo)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(lines, "\n") + 1; n != len(corpus) {
			t.Fatalf("%d lines for %d entries", n, len(corpus))
		}
		// Pseudonyms are keyed at random per session: compared without their hash.
		got := pseudonym.ReplaceAllString(lines, "user-########")
		golden.Compare(t, "testdata/"+name+"-lines.golden", []byte(got+"\n"), *update, "./internal/live", "SanitizeEntries")
		if !pseudo {
			har, err := WrapHAR([]byte("["+strings.ReplaceAll(lines, "\n", ",")+"]"), "Hub Doctor capture.", false)
			if err != nil {
				t.Fatal(err)
			}
			golden.Compare(t, "testdata/"+name+".har.golden", []byte(har), *update, "./internal/live", "WrapHAR")
		}
	}
}
