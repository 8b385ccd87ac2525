package summary

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/fixture"
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
	}
	for _, c := range cases {
		res, fs := findings(t, c.b, c.xs...)
		for _, format := range Formats {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				var out bytes.Buffer
				in := Input{Findings: fs, Browser: res.Browser, HARName: "session-sanitized.har"}
				if err := Render(&out, in, format, c.lang); err != nil {
					t.Fatal(err)
				}
				ext := map[string]string{"markdown": ".md", "text": ".txt", "json": ".json"}[format]
				p := filepath.Join("testdata", c.name+ext)
				if *update {
					os.MkdirAll("testdata", 0o755)
					os.WriteFile(p, out.Bytes(), 0o644)
				}
				want, err := os.ReadFile(p)
				if err != nil {
					t.Fatalf("%v (go test ./internal/summary -update)", err)
				}
				if !bytes.Equal(want, out.Bytes()) {
					t.Errorf("%s (%s) differs from golden:\n%s", p, c.reason, out.String())
				}
			})
		}
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
