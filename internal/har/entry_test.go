package har

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/fixture"
)

// entryOf builds one real-shaped entry with the fixture builder.
func entryOf(b fixture.Browser, x fixture.Exchange) []byte {
	return []byte(gjson.GetBytes(fixture.HAR(b, x), "log.entries.0").Raw)
}

func TestHeadersGet(t *testing.T) {
	onboard := fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail), "[]")
	tests := []struct {
		b      fixture.Browser
		name   string
		want   string
		reason string
	}{
		{fixture.Chrome, "TrackingID", "ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000000_0", "HTTP/2: Chrome records lower-case names"},
		{fixture.Chrome, "trackingid", "ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000000_0", "exact lower-case lookup"},
		{fixture.Firefox, "trackingid", "ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000000_0", "Firefox keeps the sender's capitals"},
		{fixture.Firefox, "CONTENT-TYPE", "application/json", "any case matches"},
		{fixture.Chrome, ":path", "/license/api/v1/organization/" + fixture.OrgID + "/users/onboard/", "HTTP/2 pseudo-headers are headers too"},
		{fixture.Chrome, "X-Missing", "", "absent header"},
	}
	for _, tt := range tests {
		e, err := ParseEntry(entryOf(tt.b, onboard), 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.RequestHeaders.Get(tt.name); got != tt.want {
			t.Errorf("%s %s: Get(%q) = %q, want %q", tt.b, tt.reason, tt.name, got, tt.want)
		}
	}
}

func TestParseEntry(t *testing.T) {
	tests := []struct {
		name   string
		b      fixture.Browser
		x      fixture.Exchange
		check  func(e *Entry) string // returns what is wrong, or ""
		reason string
	}{
		{"onboard", fixture.Chrome, fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail), "["+fixture.CarrierUserResult(fixture.CarrierEmail)+"]"),
			func(e *Entry) string {
				if e.Method != "POST" || e.Status != 200 || e.Path() != "/license/api/v1/organization/"+fixture.OrgID+"/users/onboard/" ||
					e.MimeType != "application/json" || e.RequestMime != "application/json" ||
					!strings.Contains(string(e.ResponseBody), "10991") || !strings.Contains(string(e.RequestBody), fixture.CarrierEmail) ||
					e.Started != "2026-11-20T09:15:00.000Z" {
					return fmt.Sprintf("%+v", e.Request)
				}
				return ""
			}, "the seeds' failing call, every field rules read"},
		{"mime parameters", fixture.Firefox, fixture.Exchange{Method: "GET", URL: "https://a.example/x", Status: 200, ResponseMime: "Text/HTML", ResponseBody: "<html><body>Sign in</body></html>"},
			func(e *Entry) string {
				if e.MimeType != "text/html" || string(e.ResponseBody) != "<html><body>Sign in</body></html>" {
					return e.MimeType + " " + string(e.ResponseBody)
				}
				return ""
			}, "content.mimeType \"Text/HTML;charset=UTF-8\" becomes text/html; HTML bodies stay as text"},
		{"base64", fixture.Firefox, fixture.Exchange{Method: "GET", URL: "https://a.example/logo.png", Status: 200, ResponseMime: "image/png", ResponseBody: "\x89PNG\x00\xff", Base64: true},
			func(e *Entry) string {
				if string(e.ResponseBody) != "\x89PNG\x00\xff" || e.BodyTruncated {
					return fmt.Sprintf("%q truncated=%v", e.ResponseBody, e.BodyTruncated)
				}
				return ""
			}, "content.encoding base64 is decoded; size is the decoded size"},
		{"form params", fixture.Firefox, fixture.Exchange{Method: "POST", URL: "https://idbroker.webex.com/idb/saml2/jsp/doSSO.jsp", Status: 200, RequestMime: "application/x-www-form-urlencoded",
			FormParams: [][2]string{{"SAMLResponse", "PHNhbWw+"}, {"RelayState", "a&b"}}},
			func(e *Entry) string {
				if len(e.FormParams) != 2 || e.FormParams[1] != (Header{"RelayState", "a&b"}) || string(e.RequestBody) != "RelayState=a%26b&SAMLResponse=PHNhbWw%2B" {
					return fmt.Sprintf("%v %q", e.FormParams, e.RequestBody)
				}
				return ""
			}, "Firefox records urlencoded forms as postData.params"},
		{"firefox no resource type", fixture.Firefox, fixture.Exchange{Method: "GET", URL: "https://a.example/x?q=1", Status: 404},
			func(e *Entry) string {
				if e.Status != 404 || e.StatusText != "Not Found" || len(e.ResponseBody) != 0 || e.BodyTruncated {
					return fmt.Sprintf("%+v", e)
				}
				return ""
			}, "no _resourceType, no body: parse without it"},
		{"chrome empty status text", fixture.Chrome, fixture.Exchange{Method: "GET", URL: "https://a.example/x", Status: 409, ResponseBody: "{}"},
			func(e *Entry) string {
				if e.StatusText != "" || e.Status != 409 {
					return fmt.Sprintf("%d %q", e.Status, e.StatusText)
				}
				return ""
			}, "Chrome leaves statusText empty over HTTP/2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseEntry(entryOf(tt.b, tt.x), 4)
			if err != nil {
				t.Fatal(err)
			}
			if e.Index != 4 {
				t.Errorf("Index = %d", e.Index)
			}
			if bad := tt.check(e); bad != "" {
				t.Errorf("%s: got %s", tt.reason, bad)
			}
			if p := PeekRequest(entryOf(tt.b, tt.x)); p != e.Request {
				t.Errorf("PeekRequest = %+v, ParseEntry = %+v", p, e.Request)
			}
		})
	}
}

// TestBodyTruncated: content.size is the decoded size (HAR 1.2), so the
// body was cut when it decodes shorter, whatever the transfer compression.
func TestBodyTruncated(t *testing.T) {
	full := strings.Repeat("x", 100)
	b64 := base64.StdEncoding.EncodeToString([]byte(full))
	tests := []struct {
		content string
		want    bool
		reason  string
	}{
		{`{"size":100,"text":"` + full + `"}`, false, "whole body, no compression field (Firefox)"},
		{`{"size":100,"compression":60,"text":"` + full + `"}`, false, "whole gzip body: size is still the decoded size (Chrome)"},
		{`{"size":250,"text":"` + full + `"}`, true, "Firefox cut the body at its limit"},
		{`{"size":250,"compression":180,"text":"` + full + `"}`, true, "cut and compressed: compression must not hide the cut"},
		{`{"size":100,"encoding":"base64","text":"` + b64 + `"}`, false, "whole base64 body: compare decoded bytes, not the longer base64 text"},
		{`{"size":250,"encoding":"base64","text":"` + b64 + `"}`, true, "cut base64 body"},
		{`{"size":250}`, false, "body not recorded at all is absent, not truncated"},
		{`{"size":-1,"text":"` + full + `"}`, false, "size unknown"},
		{`{"size":0,"text":"` + full + `"}`, false, "size 0, as for cached responses"},
		{`{"size":3,"text":"é€"}`, false, "size counts bytes of a non-UTF-8 charset: a longer UTF-8 body is whole"},
	}
	for _, tt := range tests {
		raw := []byte(`{"request":{"method":"GET","url":"https://a.example/"},"response":{"status":200,"content":` + tt.content + `}}`)
		e, err := ParseEntry(raw, 0)
		if err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		if e.BodyTruncated != tt.want {
			t.Errorf("%s: BodyTruncated = %v", tt.reason, e.BodyTruncated)
		}
	}
}

func TestParseEntryErrors(t *testing.T) {
	tests := []struct {
		raw    string
		want   string
		reason string
	}{
		{`{"request":`, "entry 7: not valid JSON", "cut entry from the live path"},
		{`[1,2]`, "entry 7: not a JSON object", "valid JSON, wrong shape"},
		{`"x"`, "entry 7: not a JSON object", "a string"},
		{`{"response":{"content":{"encoding":"base64","text":"iVBOR!!w0KGgo="}}}`, "entry 7: response body: bad base64: illegal base64 data at input byte 5", "corrupt image body"},
		{`{"response":{"content":{"encoding":"base64","text":"iVBORw0KGg"}}}`, "entry 7: response body: bad base64", "base64 text cut mid-quantum"},
	}
	for _, tt := range tests {
		_, err := ParseEntry([]byte(tt.raw), 7)
		var he *Error
		if !errors.As(err, &he) || he.Entry != 7 || he.File != "" || he.Offset != -1 {
			t.Errorf("%s: error %#v, want *Error for entry 7 with no file or offset", tt.reason, err)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, tt.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: %q, want one line starting %q", tt.reason, msg, tt.want)
		}
	}
}

func TestMediaTypeAndPath(t *testing.T) {
	tests := []struct {
		in, media, path string
		reason          string
	}{
		{"application/json; charset=utf-8", "application/json", "", "parameters dropped"},
		{" Application/JSON ", "application/json", "", "case and space"},
		{"", "", "", "Chrome's x-unknown aside, an empty type stays empty"},
	}
	for _, tt := range tests {
		if got := MediaType(tt.in); got != tt.media {
			t.Errorf("%s: MediaType(%q) = %q", tt.reason, tt.in, got)
		}
	}
	paths := []struct{ url, want, reason string }{
		{"https://a.example/x/y?q=1#f", "/x/y", "query and fragment dropped"},
		{"https://a.example", "", "no path"},
		{"https://a.example/%zz", "", "bad escape: unparseable URL gives empty path"},
	}
	for _, tt := range paths {
		if got := (Request{URL: tt.url}).Path(); got != tt.want {
			t.Errorf("%s: Path(%q) = %q, want %q", tt.reason, tt.url, got, tt.want)
		}
	}
}

// TestSplitURL: for every URL net/url parses, the host, path and query the
// rules read are net/url's; a data: URL is cut at its scheme.
func TestSplitURL(t *testing.T) {
	urls := []string{
		"https://admin.webex.com/",
		"https://license-a.wbx2.com/license/api/v1/organization/1eb65fdf-9643-417f-9974-ad72cae0e10f/users/onboard/",
		"https://License-A.WBX2.com:443/license/api/v1/organization/x/users/onboard?flow=add#top",
		"https://user:pw@example.webex.com/dispatcher/SAML2AuthService?siteurl=example&SAMLResponse=PHNhbWw%2B",
		"https://[2001:db8::1]:8443/a/b%2Fc",
		"https://example.webex.com/webappng/sites/example/dashboard?x=/y?z#frag?q",
		"http://example.webex.com",
		"http://example.webex.com?q=1",
		"/relative/path?q",
		"relative/path",
		"data:image/png;base64,iVBORw0KGgo=",
		"about:blank",
		"mailto:alex.dekker@example.com",
		"blob:https://admin.webex.com/6c1d0d9e-1d2a-4b2c-9c55-3f2f7a4e0b1a",
		"wss://mercury-connection-a.wbx2.com/v1/apps/wx2/registrations",
		"https://a.example/%E2%9C%93/%20x",
		"",
	}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		got := splitURL(raw)
		want := urlParts{host: strings.ToLower(u.Hostname()), path: u.Path, query: u.RawQuery}
		if got != want {
			t.Errorf("splitURL(%q) = %+v, net/url says %+v", raw, got, want)
		}
	}
	long := "data:image/png;base64," + strings.Repeat("A", 1<<20)
	if got := splitURL(long); got != (urlParts{}) {
		t.Errorf("a data: URL has no host, path or query: %+v", got)
	}
	if got := testing.AllocsPerRun(100, func() { splitURL(urls[1]) }); got != 0 {
		t.Errorf("splitURL allocates %v times on a plain URL", got)
	}
}

// TestPeekRequest: PeekRequest reads what gjson paths read, whatever the
// member order, and stops early without changing the answer.
func TestPeekRequest(t *testing.T) {
	want := Request{Method: "POST", URL: "https://a.example/u", Status: 400, MimeType: "application/json"}
	tests := []struct {
		raw    string
		want   Request
		reason string
	}{
		{`{"startedDateTime":"x","request":{"method":"POST","url":"https://a.example/u","headers":[]},"response":{"status":400,"statusText":"","content":{"size":9,"mimeType":"application/json; charset=utf-8","text":"{\"a\":\"\\\"\"}"}}}`, want, "Chrome's member order"},
		{`{"response":{"content":{"text":"\\\\\"}[","mimeType":"Application/JSON"},"status":400},"_initiator":{"stack":[[],{}]},"request":{"url":"https://a.example/u","method":"POST"}}`, want, "reversed order, escapes and brackets in the body"},
		{`{"request":{"method":"POST","method":"GET","url":"https://a.example/u"},"response":{"status":400,"status":200,"content":{"mimeType":"application/json"}}}`, want, "duplicate names: the first wins, as with gjson"},
		{`{"re\u0071uest":{"method":"POST","url":"https://a.example/u"},"response":{"status":"400","content":{"mimeType":"application/json"}}}`, want, "escaped name, status as a string"},
		{`{"request":{"method":"GET"},"response":{"status":0}}`, Request{Method: "GET"}, "blocked request: status 0, no content"},
		{`[{"request":{"method":"GET"}}]`, Request{}, "not an object"},
		{`{"request":{"method":"GET",`, Request{Method: "GET"}, "cut entry: what precedes the cut is read lazily, and no panic (the scanner never yields cut entries)"},
	}
	for _, tt := range tests {
		if got := PeekRequest([]byte(tt.raw)); !sameRequest(got, tt.want) {
			t.Errorf("%s: %+v, want %+v", tt.reason, got, tt.want)
		}
		if gjson.Valid(tt.raw) {
			r := gjson.GetMany(tt.raw, "request.method", "request.url", "response.status", "response.content.mimeType")
			if g := NewRequest(r[0].String(), r[1].String(), int(r[2].Int()), r[3].String()); !sameRequest(g, tt.want) {
				t.Errorf("%s: gjson paths read %+v", tt.reason, g)
			}
		}
	}
}

// sameRequest compares what a Request says, whether its path was parsed
// ahead (NewRequest) or is parsed on demand (a literal).
func sameRequest(a, b Request) bool {
	return a.Method == b.Method && a.URL == b.URL && a.Status == b.Status && a.MimeType == b.MimeType && a.Path() == b.Path()
}
