package live

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

const carrierRule = "onboard/carrier-email-exists"

// carrierEntry is Chrome's onboard call whose user failed with the carrier
// error, as DevTools hands it over: the entry and its body.
func carrierEntry(t *testing.T) ([]byte, *Content) {
	t.Helper()
	onboard := fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail), "["+fixture.CarrierUserResult(fixture.CarrierEmail)+"]")
	return devtoolsEntry(t, fixture.Chrome, onboard, false)
}

// devtoolsEntry returns x as DevTools' onRequestFinished hands it over: the
// HAR entry without its body, and the body apart as getContent returns it
// (base64 when asked).
func devtoolsEntry(t *testing.T, b fixture.Browser, x fixture.Exchange, b64 bool) ([]byte, *Content) {
	t.Helper()
	body := x.ResponseBody
	x.ResponseBody = ""
	sc := har.NewScanner(bytes.NewReader(fixture.HAR(b, x)), "fixture")
	for {
		it, err := sc.Next()
		if err == io.EOF {
			t.Fatal("fixture HAR has no entry")
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.Kind != har.EntryItem {
			continue
		}
		raw := append([]byte(nil), it.Raw...)
		if gjson.GetBytes(raw, "response.content.text").Exists() {
			t.Fatal("DevTools-shaped entry still carries a body")
		}
		if b64 {
			return raw, &Content{Text: base64.StdEncoding.EncodeToString([]byte(body)), Encoding: "base64"}
		}
		return raw, &Content{Text: body}
	}
}

// feed runs xs through s as the devtools page does: fetch the body and
// analyse only when NeedsBody says so. It returns findings by rule and the
// number of entries analysed.
func feed(t *testing.T, s *Session, b fixture.Browser, b64 bool, xs []fixture.Exchange) (map[string][]string, int) {
	t.Helper()
	found := map[string][]string{}
	n := 0
	for _, x := range xs {
		if !s.NeedsBody(x.Method, x.URL, x.Status, "application/json; charset=utf-8") {
			continue
		}
		raw, c := devtoolsEntry(t, b, x, b64)
		res, err := s.AnalyzeEntry(raw, c, "en")
		if err != nil {
			t.Fatalf("%s %s: %v", x.Method, x.URL, err)
		}
		if len(res.RuleErrors) > 0 {
			t.Fatalf("rule errors: %v", res.RuleErrors)
		}
		for _, f := range res.Findings {
			if f.Entry != n {
				t.Errorf("finding on entry %d, want the running count %d", f.Entry, n)
			}
			if f.Title == "" || f.Title == f.Rule+".title" || len(f.Steps) == 0 {
				t.Errorf("%s: not explained: title %q, steps %q", f.Rule, f.Title, f.Steps)
			}
			found[f.Rule] = append(found[f.Rule], f.Email)
			if f.Rule == carrierRule && (f.OrgID != fixture.OrgID || f.TrackingID != fixture.CarrierTrackingID || !strings.Contains(f.Cause, f.Email)) {
				t.Errorf("carrier finding facts: org %q tracking %q cause %q", f.OrgID, f.TrackingID, f.Cause)
			}
		}
		n++
	}
	return found, n
}

func TestLiveSession(t *testing.T) {
	const okEmail = "jo.smit@example.com"
	rows := []struct {
		name   string
		xs     []fixture.Exchange
		b64    bool
		want   []string // e-mails of carrier findings
		reason string
	}{
		{"seeds", fixture.SeedSession(), false, []string{fixture.CarrierEmail},
			"the seeds' case: the 10991 user among harmless failing calls is the one finding"},
		{"seeds-base64", fixture.SeedSession(), true, []string{fixture.CarrierEmail},
			"getContent may answer base64; the body is decoded before the rules read it"},
		{"batch", []fixture.Exchange{fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail, okEmail),
			"["+fixture.CarrierUserResult(fixture.CarrierEmail)+","+fixture.OKUserResult(okEmail)+"]")},
			false, []string{fixture.CarrierEmail}, "a batch where one user fails and one succeeds names only the failed one"},
		{"all-ok", []fixture.Exchange{fixture.Onboard(fixture.OnboardRequest(okEmail), "["+fixture.OKUserResult(okEmail)+"]")},
			false, nil, "a successful onboard says nothing"},
	}
	for _, row := range rows {
		for _, b := range fixture.Browsers {
			t.Run(row.name+"/"+b.String(), func(t *testing.T) {
				found, n := feed(t, NewSession(), b, row.b64, row.xs)
				if n == 0 {
					t.Fatalf("no entry needed a body (%s)", row.reason)
				}
				if got := strings.Join(found[carrierRule], ","); got != strings.Join(row.want, ",") {
					t.Errorf("carrier findings for %q, want %q (%s); all: %v", got, row.want, row.reason, found)
				}
				if row.want != nil && len(found) != 1 {
					t.Errorf("other findings besides the carrier one (%s): %v", row.reason, found)
				}
			})
		}
	}
}

func TestNeedsBody(t *testing.T) {
	s := NewSession()
	rows := []struct {
		method, url string
		status      int
		mime        string
		want        bool
		reason      string
	}{
		{"POST", fixture.LicenseAPI, 200, "application/json;charset=UTF-8", true, "the onboard call, with MIME parameters"},
		{"post", strings.TrimSuffix(fixture.LicenseAPI, "/"), 200, "", true, "method case and trailing slash do not matter; DevTools may not know the MIME yet"},
		{"GET", fixture.LicenseAPI, 200, "application/json", false, "only the POST onboards"},
		{"GET", fixture.AtlasAPI + "subscriptions/pending/", 400, "application/json", true, "a failed Webex call, harmless or not, is listed with its body (as expected, for this one)"},
		{"GET", fixture.AtlasAPI + "subscriptions/pending/", 200, "application/json", false, "the same call answered: no rule wants it"},
		{"GET", "https://example.com/api/v1/things", 500, "application/json", false, "a failed call to a host not Webex's"},
		{"GET", "https://atlas-a.wbx2.com.example.net/admin/api/v1/users", 500, "application/json", false, "a Webex name inside another domain is not a Webex host"},
		{"POST", "https://metrics-a.wbx2.com/metrics/api/v1/clientmetrics/", 204, "", false, "metrics beacon without a body"},
		{"GET", "https://admin.webex.com/main.6c1f.js", 200, "text/javascript", false, "page assets"},
		{"POST", "%zz", 0, "", false, "an unparsable URL is simply not wanted"},
	}
	for _, r := range rows {
		if got := s.NeedsBody(r.method, r.url, r.status, r.mime); got != r.want {
			t.Errorf("NeedsBody(%s %s) = %v, want %v: %s", r.method, r.url, got, r.want, r.reason)
		}
	}
}

func TestAnalyzeEntryErrors(t *testing.T) {
	raw, body := carrierEntry(t)
	rows := []struct {
		entry   string
		content *Content
		want    string
		reason  string
	}{
		{`{"request":`, body, "entry 0: not valid JSON", "truncated JSON from the page"},
		{`[1,2]`, nil, "entry 1: not a JSON object", "an array is no entry, even without content to insert"},
		{`{"response":"x"}`, body, "entry 2: response is not a JSON object", "response of the wrong type"},
		{`{"response":{"content":7}}`, body, "entry 3: response.content is not a JSON object", "content of the wrong type"},
		{string(raw), &Content{Text: "%%%", Encoding: "base64"}, "entry 4: response body: bad base64", "getContent said base64 but the text is not"},
	}
	s := NewSession()
	for _, r := range rows {
		_, err := s.AnalyzeEntry([]byte(r.entry), r.content, "en")
		if err == nil || !strings.HasPrefix(err.Error(), r.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line starting %q", r.reason, err, r.want)
		}
	}
	// The failed entries took indexes 0–4; the session still works after them.
	res, err := s.AnalyzeEntry(raw, body, "en")
	if err != nil || len(res.Findings) != 1 || res.Findings[0].Entry != len(rows) {
		t.Fatalf("after errors: %+v, %v; want one finding on entry %d", res, err, len(rows))
	}
}

func TestAnalyzeEntryWithoutContent(t *testing.T) {
	onboard := fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail), "["+fixture.CarrierUserResult(fixture.CarrierEmail)+"]")
	withBody := fixture.HAR(fixture.Firefox, onboard)
	entry := gjson.GetBytes(withBody, "log.entries.0").Raw
	bare, _ := devtoolsEntry(t, fixture.Firefox, onboard, false)
	rows := []struct {
		entry  string
		want   int
		reason string
	}{
		{entry, 1, "content null: the body recorded in the entry is used (an imported entry)"},
		{string(bare), 0, "content null and no recorded body: nothing to read, no finding, no error"},
	}
	for _, r := range rows {
		res, err := NewSession().AnalyzeEntry([]byte(r.entry), nil, "en")
		if err != nil || len(res.Findings) != r.want {
			t.Errorf("%s: %d findings, %v; want %d", r.reason, len(res.Findings), err, r.want)
		}
	}
}

func TestWithContent(t *testing.T) {
	rows := []struct {
		entry    string
		c        Content
		text     string
		encoding string
		keep     string // a path whose value must survive
		reason   string
	}{
		{`{"request":{"url":"u"},"response":{"status":200,"content":{"size":3,"mimeType":"application/json"}}}`,
			Content{Text: `[1]`}, `[1]`, "", "response.content.size", "DevTools entry: body inserted, other members kept"},
		{`{"response":{"content":{"text":"b2xk","encoding":"base64"}}}`,
			Content{Text: "<new>"}, "<new>", "", "", "a stale encoding goes with the old text"},
		{`{"response":{"content":{}}}`, Content{Text: "AAE=", Encoding: "base64"}, "AAE=", "base64", "", "getContent's encoding is kept"},
		{`{"request":{"url":"u"}}`, Content{Text: "x"}, "x", "", "request.url", "no response yet: one is made"},
	}
	for _, r := range rows {
		out, err := WithContent([]byte(r.entry), r.c)
		if err != nil {
			t.Errorf("%s: %v", r.reason, err)
			continue
		}
		got := gjson.GetManyBytes(out, "response.content.text", "response.content.encoding")
		if got[0].String() != r.text || got[1].String() != r.encoding || got[1].Exists() != (r.encoding != "") {
			t.Errorf("%s: text %q encoding %q in %s", r.reason, got[0], got[1], out)
		}
		if r.keep != "" && gjson.GetBytes(out, r.keep).Raw != gjson.Get(r.entry, r.keep).Raw {
			t.Errorf("%s: %s lost in %s", r.reason, r.keep, out)
		}
	}
}

// TestLiveFailedCalls: entry by entry, as the devtools page feeds them,
// the live session lists the failed calls a whole-file analysis lists:
// the seeds' harmless calls as expected, with their reason, the unknown
// failures with their tracking IDs, sanitized, and nothing for the rest.
func TestLiveFailedCalls(t *testing.T) {
	xs := append(fixture.SeedSession(), fixture.UnknownFailures()...)
	for _, b := range fixture.Browsers {
		s := NewSession()
		var got []string
		for _, x := range xs {
			if !s.NeedsBody(x.Method, x.URL, x.Status, x.ResponseMime) {
				continue
			}
			raw, c := devtoolsEntry(t, b, x, false)
			res, err := s.AnalyzeEntry(raw, c, "fr")
			if err != nil {
				t.Fatal(err)
			}
			for _, fc := range res.FailedCalls {
				if fc.Expected != (fc.Reason != "") || strings.Contains(fc.Request, "CANARY-request-token") {
					t.Errorf("%s %s: reason %q for expected %v, or a secret in %q", fc.Method, fc.Path, fc.Reason, fc.Expected, fc.Request)
				}
				got = append(got, fmt.Sprintf("%s %s %d %v %s %s", fc.Method, fc.Path, fc.Status, fc.Expected, fc.Rule, fc.TrackingID))
			}
		}
		want := []string{
			"GET /admin/api/v1/subscriptions/pending/ 400 true  ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000000_0",
			"GET /admin/api/v1/subscriptions/pending/ 400 true  ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000000_0",
			"GET /admin/api/v1/organizations/{org}/ 404 true  ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000000_0",
			"POST /license/api/v1/organization/{org}/users/onboard/ 400 false onboard/carrier-email-exists " + fixture.CarrierTrackingID,
			"GET /api/v1/customers/{org}/users 500 false  ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000000_0",
			"PATCH /v1/people/{id} 403 false  ROUTER_5f2c1a0e-7b3d-4e9f-8a6c-2d1e0f9b8a7c",
			"POST /identity/scim/{uuid}/v2/Users 409 false  CI_3a9e7c1b-0d2f-4b6a-9e8c-7f1a2b3c4d5e",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: failed calls\n%s\nwant\n%s", b, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
