package engine

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// atEntry stands for the TrackingID header the fixture gives entry i.
const atEntry = "@entry"

// failedCase is one call of the failed-calls session and what its listing
// must say; the golden file keeps the rest.
type failedCase struct {
	x fixture.Exchange
	// listed is how many failed calls the entry gives.
	listed int
	// want are facts of the entry's first failed call ("" = not checked).
	trackingID, message, rule, item, service, path string
	expected                                       bool
	reason                                         string
}

// failedCases covers every envelope shape, every tracking-ID source and
// every message field, the seeds' expected calls, calls a rule explains,
// and calls that are no failed Webex call.
func failedCases() []failedCase {
	org := fixture.OrgID
	noTracking := func(x fixture.Exchange) fixture.Exchange { x.NoResponseTrackingID = true; return x }
	sso := fixture.SAMLResponse{NameID: fixture.SSOUser, Attributes: [][2]string{{"firstname", "Jane"}, {"email", fixture.SSOUser}, {"Member Status", "active"}}}
	harmless := fixture.Harmless()
	return []failedCase{
		{x: harmless[2], listed: 1, expected: true, path: "/admin/api/v1/subscriptions/pending/", service: "atlas", trackingID: atEntry,
			reason: "seeds: GET …/subscriptions/pending → 400 is harmless (expected)"},
		{x: harmless[4], listed: 1, expected: true, path: "/admin/api/v1/organizations/{org}/", service: "atlas", message: "Not Found",
			reason: "seeds: GET …/organizations/<org>/ → 404 is harmless (expected)"},
		{x: fixture.Exchange{Method: "GET", URL: fixture.AtlasAPI + "organizations", Status: 404, ResponseBody: `{"message":"Not Found"}`}, listed: 1, expected: true,
			reason: "seeds: GET …/organizations/ → 404 as the French copy lists it"},
		{x: fixture.Exchange{Method: "GET", URL: fixture.AtlasAPI + "subscriptions/pending/", Status: 500, ResponseBody: `{"message":"Internal error"}`}, listed: 1,
			reason: "the pending-subscriptions call failing otherwise than the seeds show is not expected"},
		{x: harmless[1], reason: "a 200 is no failed call"},
		{x: noTracking(fixture.Exchange{Method: "GET", URL: "https://cpapi-a.wbx2.com/api/v1/customers/" + org + "/users?email=a%40example.com", Status: 500,
			ResponseMime: "text/html", ResponseHeaders: [][2]string{{"TrackingId", "CPAPI_header_mixed_case"}},
			ResponseBody: `<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>`}),
			listed: 1, trackingID: "CPAPI_header_mixed_case", message: "500 Internal Server Error", service: "cpapi", path: "/api/v1/customers/{org}/users",
			reason: "tracking ID from a response header in another case; an HTML error page's title as the message"},
		{x: noTracking(fixture.Exchange{Method: "PATCH", URL: "https://webexapis.com/v1/people/Y2lzY29zcGFyazovL3VzL1BFT1BMRS85YjJjMWY0ZQ", Status: 403,
			RequestBody: `{"displayName":"Alex"}`, RequestMime: "application/json",
			ResponseBody: `{"message":"Forbidden","errors":[{"description":"The admin may not edit this person"}],"trackingId":"ROUTER_body_tracking"}`}),
			listed: 1, trackingID: "ROUTER_body_tracking", message: "The admin may not edit this person", service: "hydra", path: "/v1/people/{id}",
			reason: "tracking ID from the body's trackingId; errors[].description before message"},
		{x: noTracking(fixture.Exchange{Method: "POST", URL: "https://identity.webex.com/identity/scim/" + org + "/v2/Users", Status: 409,
			RequestBody: `{"userName":"a@example.com","password":"Hunter2!secret"}`, RequestMime: "application/json",
			ResponseBody: `{"error":{"key":"400132","message":[{"description":"User already exists"},{"description":"in this organization"}],"trackingId":"CI_error_tracking"},"message":"Conflict"}`}),
			listed: 1, trackingID: "CI_error_tracking", message: "User already exists; in this organization", service: "identity", path: "/identity/scim/{uuid}/v2/Users",
			reason: "tracking ID from error.trackingId; error.message[] joined, before message; error.key as a code"},
		{x: func() fixture.Exchange {
			x := noTracking(fixture.Exchange{Method: "GET", URL: "https://u2c.wbx2.com/u2c/api/v1/user/catalog?email=a%40example.com", Status: 401,
				ResponseBody: `{"errorMessage":"Token expired","errorCode":1000}`})
			return x
		}(), listed: 1, message: "Token expired", service: "u2c", trackingID: atEntry,
			reason: "tracking ID from the request header (checked below); errorMessage"},
		{x: fixture.Exchange{Method: "DELETE", URL: fixture.AtlasAPI + "organization/" + org + "/users/9b2c1f4e-7a3d-4e8b-b1c6-0d5e2f9a8c71", Status: 502,
			ResponseBody: `{"error":"Bad gateway"}`}, listed: 1, message: "Bad gateway", path: "/admin/api/v1/organization/{org}/users/{uuid}",
			reason: "error as a string"},
		{x: fixture.Exchange{Method: "GET", URL: "https://locus-a.wbx2.com/locus/api/v1/loci/12345/participant/a@example.com", Status: 404,
			ResponseBody: `{"message":"Locus not found","code":"LOCUS_404"}`}, listed: 1, message: "Locus not found", service: "locus",
			path: "/locus/api/v1/loci/{n}/participant/{email}", reason: "message alone; a number and an e-mail in the path"},
		{x: fixture.Exchange{Method: "GET", URL: "https://example.com/api/v1/things", Status: 500, ResponseBody: `{"message":"boom"}`},
			reason: "a failed call to a host not Webex's is not listed"},
		{x: fixture.Exchange{Method: "GET", URL: "https://atlas-a.wbx2.com.example.net/admin/api/v1/users", Status: 500},
			reason: "a Webex name inside another domain is not a Webex host"},
		{x: fixture.Exchange{Method: "POST", URL: fixture.LicenseAPI, Status: 403, RequestBody: fixture.OnboardRequest(fixture.OtherEmail), RequestMime: "application/json",
			ResponseBody: `{"message":"Access denied","errors":[{"description":"The admin's role may not add users"}]}`},
			listed: 1, rule: "onboard/access-denied", message: "The admin's role may not add users", service: "license",
			reason: "the onboard call refused as a whole: the finding explains it, the call is linked"},
		{x: fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail, fixture.OtherEmail, "carla@example.com"),
			fixture.OnboardBody(fixture.CarrierUserResult(fixture.CarrierEmail), fixture.OKUserResult(fixture.OtherEmail),
				fixture.UserResult("carla@example.com", 500, 999001, "Internal error while provisioning"))),
			listed: 2, rule: "onboard/carrier-email-exists", item: fixture.CarrierEmail, trackingID: fixture.CarrierTrackingID,
			reason: "current onboard shape: each failed user an item inside a 200, the description's tracking ID first"},
		{x: fixture.AtlasOnboard(fixture.OnboardRequest(fixture.OtherEmail), fixture.OlderOnboardBody(fixture.OlderUserResult(fixture.OtherEmail, 403, "400090"))),
			listed: 1, rule: "onboard/user-in-other-org", item: fixture.OtherEmail, service: "atlas",
			reason: "older onboard shape {userResponse:[…]}: the item's httpStatus"},
		{x: fixture.LicensePatch(fixture.LicenseRequest(fixture.OtherEmail), 206, fixture.LicenseResult(fixture.OtherEmail, 400406, "User cannot have both Webex Calling Standard and Webex Attendant Console licenses together")),
			listed: 1, rule: "license/incompatible-calling-combination", item: fixture.OtherEmail, service: "hydra",
			message: "User cannot have both Webex Calling Standard and Webex Attendant Console licenses together",
			reason:  "licence API partial success (206): the user's errors"},
		{x: fixture.LicensePatch(fixture.LicenseRequest(fixture.OtherEmail), 200, fixture.LicenseResult(fixture.OtherEmail, 0, "")),
			reason: "licence API success: nothing failed"},
		{x: fixture.SAMLPost(sso.POSTValue()), reason: "the SAML POST itself (302) is no failed call"},
		{x: fixture.SSOErrorPage(31, "Auto Account Creation failed"), listed: 1, rule: "sso/auto-account-creation-31",
			reason: "a Webex site's page naming an SSO error (200)"},
		{x: fixture.FederatedSSOError(sso.POSTValue(), 32, "Auto Account Update failed."), listed: 1, rule: "sso/auto-account-update-32",
			message: "Auto Account Update failed.", reason: "the <federatedSSO> FAILURE answer (200)"},
	}
}

// TestFailedCalls: in both browsers' shapes, every failed Webex call and
// failed item is listed once, in entry order, with the facts TAC needs, the
// seeds' harmless calls marked expected with their source, and a call a
// finding explains linked to its rule; the parallel path lists the same.
// The list is kept in testdata/failed/<browser>.json (-update rewrites it).
func TestFailedCalls(t *testing.T) {
	cases := failedCases()
	xs := make([]fixture.Exchange, len(cases))
	for i, c := range cases {
		xs[i] = c.x
	}
	for _, b := range fixture.Browsers {
		t.Run(b.String(), func(t *testing.T) {
			data := fixture.HAR(b, xs...)
			res, err := AnalyzeHAR(bytes.NewReader(data), "failed.har", NewSession(nil))
			if err != nil {
				t.Fatal(err)
			}
			byEntry := map[int][]FailedCall{}
			for _, c := range res.FailedCalls {
				byEntry[c.Entry] = append(byEntry[c.Entry], c)
			}
			for i, c := range cases {
				got := byEntry[i]
				if len(got) != c.listed {
					t.Errorf("entry %d: %d failed calls, want %d (%s): %+v", i, len(got), c.listed, c.reason, got)
					continue
				}
				if c.listed == 0 {
					continue
				}
				g := got[0]
				want := c.trackingID
				if want == atEntry {
					want = fixture.TrackingID(i)
				}
				for _, chk := range []struct{ field, got, want string }{
					{"trackingId", g.TrackingID, want}, {"message", g.Message, c.message}, {"rule", g.Rule, c.rule},
					{"item", g.Item, c.item}, {"service", g.Service, c.service}, {"path", g.Path, c.path},
				} {
					if chk.want != "" && chk.got != chk.want {
						t.Errorf("entry %d: %s %q, want %q (%s)", i, chk.field, chk.got, chk.want, c.reason)
					}
				}
				if c.rule == "" && g.Rule != "" {
					t.Errorf("entry %d: linked to %s, which does not explain it (%s)", i, g.Rule, c.reason)
				}
				if g.Expected != c.expected || g.Expected && (g.Source == "" || ReasonKey(g.Known) == "") {
					t.Errorf("entry %d: expected %v (known %q, source %q), want %v (%s)", i, g.Expected, g.Known, g.Source, c.expected, c.reason)
				}
			}
			// Linked, not listed twice: every finding's call is one failed
			// call naming its rule, never an unexplained one.
			for _, f := range res.Findings {
				if f.Severity == Info {
					continue
				}
				n := 0
				for _, c := range byEntry[f.Entry] {
					if c.Rule == "" && (c.Item == "" || strings.EqualFold(c.Item, f.Email)) {
						t.Errorf("entry %d: %s explains the call, which is still listed as unexplained", f.Entry, f.Rule)
					}
					if c.Rule == f.Rule {
						n++
					}
				}
				if n == 0 {
					t.Errorf("entry %d: no failed call links to %s", f.Entry, f.Rule)
				}
			}
			// The parallel path lists the same calls in the same order.
			par, used, err := analyzeFile(bytes.NewReader(data), int64(len(data)), "failed.har", NewSession(nil), 4, 0)
			if err != nil || used == 0 || !reflect.DeepEqual(par.FailedCalls, res.FailedCalls) {
				t.Errorf("the parallel path (%d parts used) lists other failed calls (err %v)", used, err)
			}
			out, err := json.MarshalIndent(res.FailedCalls, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			goldenFile(t, filepath.Join("testdata", "failed", b.String()+".json"), append(out, '\n'))
		})
	}
}

// goldenFile compares got with the file at path, rewriting it under -update.
func goldenFile(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/engine -run TestFailedCalls -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (run with -update and review the diff)", path)
	}
}

// TestNeedsBodyForFailedCalls: the 2xx majority is decided on its status
// alone, whatever its host; a failed call needs a Webex host.
func TestNeedsBodyForFailedCalls(t *testing.T) {
	s := NewSession(nil)
	rows := []struct {
		method, url string
		status      int
		want        bool
		reason      string
	}{
		{"GET", "https://atlas-a.wbx2.com/admin/api/v1/users", 500, true, "a failed call to *.wbx2.com"},
		{"GET", "https://webexapis.com/v1/people/me", 401, true, "webexapis.com itself"},
		{"GET", "https://api.ciscospark.com/v1/people/me", 403, true, "*.ciscospark.com"},
		{"GET", "https://files.webexcontent.com/x", 404, true, "*.webexcontent.com"},
		{"GET", "https://identity.webex.com/identity/scim/x/v2/Users", 409, true, "*.webex.com"},
		{"GET", "https://atlas-a.wbx2.com/admin/api/v1/users", 200, false, "an answered call no rule wants"},
		{"GET", "https://atlas-a.wbx2.com/admin/api/v1/users", 302, false, "a redirect"},
		{"GET", "https://notwebex.com/x", 500, false, "a domain that only ends like webex.com"},
		{"GET", "https://example.com/x", 500, false, "another host"},
	}
	for _, r := range rows {
		if got := s.NeedsBody(har.NewRequest(r.method, r.url, r.status, "application/json")); got != r.want {
			t.Errorf("NeedsBody(%s %s → %d) = %v, want %v: %s", r.method, r.url, r.status, got, r.want, r.reason)
		}
	}
}
