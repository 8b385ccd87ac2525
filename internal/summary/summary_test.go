package summary

import (
	"bytes"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/fixture"
	"hubdoctor/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

func findings(t *testing.T, b fixture.Browser, xs ...fixture.Exchange) (*engine.Result, []engine.Finding) {
	t.Helper()
	res, err := engine.AnalyzeHAR(bytes.NewReader(fixture.HAR(b, xs...)), "session.har", engine.NewSession(nil))
	if err != nil {
		t.Fatal(err)
	}
	return res, res.Findings
}

// TestGolden renders each case in each format and compares with testdata.
func TestGolden(t *testing.T) {
	batch := fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail, "sam.jansen@example.com"),
		"["+fixture.CarrierUserResult(fixture.CarrierEmail)+","+fixture.CarrierUserResult("sam.jansen@example.com")+"]")
	cases := []struct {
		name   string
		b      fixture.Browser
		xs     []fixture.Exchange
		lang   string
		reason string
	}{
		{"seed-carrier", fixture.Chrome, fixture.SeedSession(), "en", "the seeds' case, as TAC gets it"},
		{"two-users", fixture.Firefox, append(fixture.Harmless(), batch), "en", "two users fail: both listed, one diagnosis"},
		{"none", fixture.Chrome, fixture.Harmless(), "en", "no finding: a skeleton to fill in"},
		{"sso-31", fixture.Firefox, ssoSession(), "en", "site SSO auto account creation"},
		{"sso-long-name-fr", fixture.Chrome, fixture.SSOLongNameSession(), "fr", "an attribute note and the labels, in French"},
		{"failed-calls", fixture.Firefox, fixture.FailedCallsSession(), "en", "no finding but failed calls: a case summary with the calls, their tracking IDs and answers"},
		{"failed-calls-ko", fixture.Chrome, fixture.FailedCallsSession(), "ko", "the same in Korean"},
		{"seed-and-failed", fixture.Chrome, append(fixture.SeedSession(), fixture.UnknownFailures()[0]), "en", "a finding and an unknown failed call: both, the seeds' harmless calls never"},
	}
	for _, c := range cases {
		res, fs := findings(t, c.b, c.xs...)
		for _, format := range Formats {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				var out bytes.Buffer
				in := Input{Findings: fs, FailedCalls: res.FailedCalls, Browser: res.Browser, HARName: "session-sanitized.har"}
				if err := Render(&out, in, format, c.lang); err != nil {
					t.Fatal(err)
				}
				sameAsGolden(t, c.name, format, c.reason, out.Bytes())
			})
		}
	}
}

// sameAsGolden compares a summary in format with testdata/name.<ext>, rewriting
// it under -update.
func sameAsGolden(t *testing.T, name, format, reason string, got []byte) {
	t.Helper()
	ext := map[string]string{"markdown": ".md", "text": ".txt", "json": ".json"}[format]
	golden.Compare(t, filepath.Join("testdata", name+ext), got, *update, "./internal/summary", reason)
}

// TestCallSummary: "Copy for TAC" on one failed call no rule knows gives
// the organization ID, the user, the tracking ID, the call as sent and the
// response verbatim, sanitized, the time and the browser, in every format.
func TestCallSummary(t *testing.T) {
	for _, b := range fixture.Browsers {
		res, _ := findings(t, b, fixture.FailedCallsSession()...)
		calls := unexplained(res.FailedCalls)
		if len(calls) != len(fixture.UnknownFailures()) {
			t.Fatalf("%s: %d unknown failed calls, want %d", b, len(calls), len(fixture.UnknownFailures()))
		}
		hydra := calls[1]
		for _, format := range Formats {
			var out bytes.Buffer
			if err := Write(&out, BuildCall(hydra, res.Browser, "session-sanitized.har", "en"), format); err != nil {
				t.Fatal(err)
			}
			s := out.String()
			for _, want := range []string{fixture.OrgID, "ROUTER_5f2c1a0e-7b3d-4e9f-8a6c-2d1e0f9b8a7c", "PATCH https://webexapis.com/v1/people/",
				"dana.smit@example.com", "The admin may not edit this person's calling data", "2026-11-20 09:15:02 UTC", res.Browser, "hydra"} {
				if !strings.Contains(s, want) {
					t.Errorf("%s %s: the call's summary lacks %q:\n%s", b, format, want, s)
				}
			}
			for _, secret := range []string{"CANARY-request-token", fixture.Token, fixture.SessionCookie} {
				if strings.Contains(s, secret) {
					t.Errorf("%s %s: the call's summary leaks %q", b, format, secret)
				}
			}
			if b == fixture.Chrome {
				sameAsGolden(t, "call-hydra", format, "one call for TAC", out.Bytes())
			}
		}
	}
	res, _ := findings(t, fixture.Chrome, fixture.FailedCallsSession()...)
	var out bytes.Buffer
	if err := Write(&out, BuildCall(unexplained(res.FailedCalls)[0], res.Browser, "", "fr"), "markdown"); err != nil {
		t.Fatal(err)
	}
	sameAsGolden(t, "call-cpapi-fr", "markdown", "an HTML error page's call, in French", out.Bytes())
}

// TestManyFailedCalls: thousands of failed calls give a readable summary:
// the first maxCalls listed, the rest counted, a few answers quoted.
func TestManyFailedCalls(t *testing.T) {
	call := engine.FailedCall{Method: "GET", URL: "https://atlas-a.wbx2.com/admin/api/v1/users/x", Path: "/admin/api/v1/users/x",
		Status: 503, Service: "atlas", Response: `{"message":"busy"}`, Message: "busy"}
	calls := make([]engine.FailedCall, 3000)
	for i := range calls {
		calls[i] = call
		calls[i].Entry = i
		calls[i].TrackingID = fmt.Sprintf("ATLAS_%d", i)
	}
	c := Build(Input{FailedCalls: calls}, "en")
	if len(c.FailedCalls) != maxCalls || c.MoreCalls != len(calls)-maxCalls || len(c.Responses) != maxCallResponses {
		t.Errorf("%d listed, %d more, %d answers; want %d, %d, %d", len(c.FailedCalls), c.MoreCalls, len(c.Responses), maxCalls, len(calls)-maxCalls, maxCallResponses)
	}
	var out bytes.Buffer
	if err := Write(&out, c, "markdown"); err != nil || !strings.Contains(out.String(), "2975 more failed call(s)") {
		t.Errorf("the rest is not counted (%v):\n%s", err, out.String())
	}
}

// TestWhatTACAsksFor checks the seeds' list: organization ID, the affected
// user's e-mail, a description, the HAR to attach and the POST response.
func TestWhatTACAsksFor(t *testing.T) {
	res, fs := findings(t, fixture.Chrome, fixture.SeedSession()...)
	var out bytes.Buffer
	if err := Render(&out, Input{Findings: fs, Browser: res.Browser, HARName: "x-sanitized.har"}, "markdown", "en"); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{fixture.OrgID, fixture.CarrierEmail, "Description of the problem", "x-sanitized.har",
		`"errorCode": 5302`, "[Error 10991] Url already exists", fixture.CarrierTrackingID, "Chrome 156", "2026-11-20 09:15:02 UTC"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

// TestNoSecretInSummary plants credentials where a failing response could
// carry them; none may reach any format.
func TestNoSecretInSummary(t *testing.T) {
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJjYW5hcnkiOiJDQU5BUlktc3VtbWFyeS1qd3QifQ.Q0FOQVJZLXN1bW1hcnktc2ln"
	body := `[{"email":"a@example.com","status":400,"accessToken":"CANARY-summary-token","password":"CANARY-summary-password",` +
		`"errorList":[{"errorCode":5302,"description":"POST failed: bearer ` + jwt + ` (url = https://cpapi-r.wbx2.com/x?access_token=CANARY-summary-query) [Error 10991] Url already exists: a@example.com"}]}]`
	_, fs := findings(t, fixture.Chrome, append(fixture.Harmless(), fixture.Onboard(fixture.OnboardRequest("a@example.com"), body))...)
	if len(fs) == 0 {
		t.Fatal("the planted failure was not found")
	}
	for _, format := range Formats {
		var out bytes.Buffer
		if err := Render(&out, Input{Findings: fs}, format, "en"); err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"CANARY-summary", jwt, "Q0FOQVJZLXN1bW1hcnktc2ln"} {
			if strings.Contains(out.String(), secret) {
				t.Errorf("%s summary leaks %q", format, secret)
			}
		}
		if !strings.Contains(out.String(), "a@example.com") || !strings.Contains(out.String(), "5302") {
			t.Errorf("%s summary lost the diagnostic facts", format)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Render(&bytes.Buffer{}, Input{}, "pdf", "en"); err == nil || !strings.Contains(err.Error(), `unknown summary format "pdf"`) {
		t.Errorf("got %v", err)
	}
}

// ssoSession is a site SSO sign-in whose IdP leaves out lastname and sends
// Member Status, answered with error 31.
func ssoSession() []fixture.Exchange {
	r := fixture.SAMLResponse{NameID: fixture.SSOUser, Attributes: [][2]string{
		{"firstname", "Jane"}, {"email", fixture.SSOUser}, {"Member Status", "active"}}}
	return append(fixture.Harmless(), fixture.SAMLPost(r.POSTValue()),
		fixture.SSOErrorPage(31, "Auto Account Creation failed"))
}
