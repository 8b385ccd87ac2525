package live

import (
	"fmt"
	"strings"
	"testing"
)

// pageEntries returns n entries as the devtools page serializes the requests
// no rule reads (JSON.stringify of DevTools' HAR entry, no body): the
// extension bench's (scripts/bench/extension.mjs) five answered calls in turn,
// about 1.1 KB each.
func pageEntries(n int) []string {
	calls := [][4]string{
		{"GET", "https://atlas-a.wbx2.com/admin/api/v1/organizations/1eb65fdf-9643-417f-9974-ad72cae0e10f", "200", "application/json"},
		{"POST", "https://metrics-a.wbx2.com/metrics/api/v1/clientmetrics/", "204", ""},
		{"GET", "https://admin.webex.com/main.6c1f.js", "200", "text/javascript"},
		{"GET", "https://cpapi-a.wbx2.com/api/v1/customers/1eb65fdf-9643-417f-9974-ad72cae0e10f?basicInfo=true", "200", "application/json; charset=utf-8"},
		{"GET", "https://pulse-a.wbx2.com/webex-pulse/api/v1/pulse/", "200", "application/json"},
	}
	out := make([]string, n)
	for i := range out {
		c := calls[i%len(calls)]
		host := strings.SplitN(strings.TrimPrefix(c[1], "https://"), "/", 2)[0]
		out[i] = fmt.Sprintf(`{"startedDateTime":"2026-11-20T10:00:%02d.123Z","time":120,"request":{"method":%q,"url":%q,"httpVersion":"http/2.0","headers":[`+
			`{"name":":authority","value":%q},{"name":"accept","value":"application/json, text/plain, */*"},`+
			`{"name":"authorization","value":"Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"},{"name":"cookie","value":"cisPRODAdminSession=4f1d"},`+
			`{"name":"trackingid","value":"ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000001_1"},`+
			`{"name":"user-agent","value":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"}],`+
			`"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":%s,"statusText":"","httpVersion":"http/2.0","headers":[`+
			`{"name":"content-type","value":%q},{"name":"trackingid","value":"ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000001_1"}],`+
			`"cookies":[],"content":{"size":120,"mimeType":%q},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},`+
			`"timings":{"blocked":1,"dns":-1,"ssl":-1,"connect":-1,"send":0.2,"wait":110,"receive":2}}`,
			i%60, c[0], c[1], host, c[2], c[3], c[3])
	}
	return out
}

// BenchmarkSanitizeEntries is the devtools page's batch of 20 requests no
// rule reads, sanitized in one call as the export buffer keeps them; ns/op
// and allocs/op are per batch.
func BenchmarkSanitizeEntries(b *testing.B) {
	batch := []byte("[" + strings.Join(pageEntries(20), ",") + "]")
	s := NewSession()
	b.SetBytes(int64(len(batch)))
	b.ReportAllocs()
	for range b.N {
		if _, err := s.SanitizeEntries(batch, false); err != nil {
			b.Fatal(err)
		}
	}
}
