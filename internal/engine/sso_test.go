package engine

import (
	"bytes"
	"io"
	"net/url"
	"reflect"
	"strconv"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// ssoFailing is the seed 003 case: the IdP sends no lastname and does send
// Member Status.
func ssoFailing() fixture.SAMLResponse {
	return fixture.SAMLResponse{NameID: fixture.SSOUser, Attributes: [][2]string{
		{"firstname", "Jane"}, {"email", fixture.SSOUser}, {"Member Status", "active"}}}
}

func ssoGood() fixture.SAMLResponse {
	return fixture.SAMLResponse{NameID: fixture.SSOUser, Attributes: fixture.SSOAttributes()}
}

// ssoOtherCode is a page in the site's words with a code no rule knows, and
// the phrase of code under test followed by that other code: the phrase
// alone must not make a finding.
func ssoOtherCode(phrase string) fixture.Exchange {
	return fixture.SSOErrorPage(99, phrase)
}

// page31Elsewhere is a site page where "31" means something else.
var page31Elsewhere = fixture.Exchange{Method: "GET", URL: fixture.SiteHome + "/meetings", Status: 200, ResponseMime: "text/html", ResourceType: "document",
	ResponseBody: `<html><body><h1>Upcoming meetings</h1><p>Weekly sync, 31 October (31)</p><p>Reason: rescheduled (31).</p><p>Room 31 - 4th floor</p></body></html>`}

// ssoSamples are the evidence of the rules of the SSO table in sso.go, one
// row per code: a sign-in whose result page names the code in the row's
// first wording, and look-alikes. A new row gets its samples from here.
func ssoSamples() []sample {
	out := []sample{{
		rule:     "sso/auto-account-creation-31",
		positive: []fixture.Exchange{fixture.SAMLPost(ssoFailing().POSTValue()), fixture.SSOErrorPage(31, "Auto Account Creation failed")},
		// A successful sign-in, and a site page where 31 is a date.
		negative: []fixture.Exchange{fixture.SAMLPost(ssoGood().POSTValue()), fixture.SSOHomePage(), page31Elsewhere},
		check: func(t *testing.T, f Finding) {
			if !reflect.DeepEqual(f.MissingAttributes, []string{"lastname"}) || !reflect.DeepEqual(f.UnexpectedAttributes, []string{"Member Status"}) ||
				f.Email != fixture.SSOUser || !f.SAMLSeen || f.Flow != FlowSSOSignIn || !reflect.DeepEqual(f.Codes, []string{"31"}) {
				t.Errorf("facts: missing %q unexpected %q email %q samlSeen %v flow %q codes %q",
					f.MissingAttributes, f.UnexpectedAttributes, f.Email, f.SAMLSeen, f.Flow, f.Codes)
			}
		},
	}}
	for _, sc := range ssoCodes {
		if sc.code == "31" {
			continue
		}
		code, _ := strconv.Atoi(sc.code)
		sent := ssoGood()
		var check func(t *testing.T, f Finding)
		if sc.code == "2" {
			// Error 2 says the user name is missing: the response shows it.
			sent.NameID = ""
			check = func(t *testing.T, f Finding) {
				if !reflect.DeepEqual(f.MissingAttributes, []string{"NameID"}) {
					t.Errorf("missing %q, want [NameID]", f.MissingAttributes)
				}
			}
		}
		out = append(out, sample{
			rule:     sc.id,
			positive: []fixture.Exchange{fixture.SAMLPost(sent.POSTValue()), fixture.SSOErrorPage(code, sc.phrases[0])},
			negative: []fixture.Exchange{fixture.SAMLPost(ssoGood().POSTValue()), fixture.SSOHomePage(), ssoOtherCode(sc.phrases[0])},
			check:    check,
		})
	}
	return out
}

// TestSSOCodeIDs: each row of the SSO table spells its rule's ID out in
// full, so that grep finds it, and the ID agrees with the row's name and
// code ("sso/" + name + "-" + code): no typo in one of the three.
func TestSSOCodeIDs(t *testing.T) {
	for _, sc := range ssoCodes {
		if want := "sso/" + sc.name + "-" + sc.code; sc.id != want {
			t.Errorf("SSO table row for code %s (%s): id %q, want %q", sc.code, sc.name, sc.id, want)
		}
	}
}

// TestSSOAccountCreation runs the 31 rule over whole sign-ins, in both
// browsers' shapes, one row per way the evidence arrives.
func TestSSOAccountCreation(t *testing.T) {
	const rule = "sso/auto-account-creation-31"
	page := fixture.SSOErrorPage(31, "Auto Account Creation failed")
	urlencodedOnly := fixture.SAMLPost("")
	urlencodedOnly.FormParams = nil
	urlencodedOnly.RequestBody = "SAMLResponse=" + url.QueryEscape(ssoFailing().POSTValue()) + "&RelayState=example"
	escapedParams := fixture.SAMLPost(url.QueryEscape(ssoFailing().POSTValue()))
	odd := fixture.SAMLResponse{Attributes: [][2]string{{"FirstName", "Maximiliana Alexandrina Konstantina"}, {"LASTNAME", " "},
		{"EMail", "jane@example.com"}, {"memberstatus", "A"}}}

	tests := []struct {
		reason string
		xs     []fixture.Exchange
		want   *Finding // only the fields compared below; nil: no finding
	}{
		{"seed 003: POST binding lacking lastname, with Member Status, then the result page",
			[]fixture.Exchange{fixture.SAMLPost(ssoFailing().POSTValue()), page},
			&Finding{Email: fixture.SSOUser, SAMLSeen: true, MissingAttributes: []string{"lastname"}, UnexpectedAttributes: []string{"Member Status"},
				Description: "Auto Account Creation failed (31)"}},
		{"Redirect binding carries the same response",
			[]fixture.Exchange{fixture.SAMLRedirect(ssoFailing().RedirectValue()), page},
			&Finding{Email: fixture.SSOUser, SAMLSeen: true, MissingAttributes: []string{"lastname"}, UnexpectedAttributes: []string{"Member Status"},
				Description: "Auto Account Creation failed (31)"}},
		{"form recorded as urlencoded text only (no postData.params)",
			[]fixture.Exchange{urlencodedOnly, page},
			&Finding{Email: fixture.SSOUser, SAMLSeen: true, MissingAttributes: []string{"lastname"}, UnexpectedAttributes: []string{"Member Status"},
				Description: "Auto Account Creation failed (31)"}},
		{"params value still URL-encoded, as Chrome may record it",
			[]fixture.Exchange{escapedParams, page},
			&Finding{Email: fixture.SSOUser, SAMLSeen: true, MissingAttributes: []string{"lastname"}, UnexpectedAttributes: []string{"Member Status"},
				Description: "Auto Account Creation failed (31)"}},
		{"encrypted assertion: said so, no attribute guessed",
			[]fixture.Exchange{fixture.SAMLPost(fixture.SAMLResponse{NameID: fixture.SSOUser, Encrypted: true}.POSTValue()), page},
			&Finding{SAMLSeen: true, AssertionEncrypted: true, Description: "Auto Account Creation failed (31)"}},
		{"the assertion consumer service answers at once with federatedSSO XML",
			[]fixture.Exchange{fixture.FederatedSSOError(ssoFailing().POSTValue(), 31, "Auto Account Creation failed.")},
			&Finding{Email: fixture.SSOUser, SAMLSeen: true, MissingAttributes: []string{"lastname"}, UnexpectedAttributes: []string{"Member Status"},
				Description: "Auto Account Creation failed."}},
		{"no SAML response in the capture: nothing guessed",
			[]fixture.Exchange{page},
			&Finding{Description: "Auto Account Creation failed (31)"}},
		{"the latest SAML response explains the error, not an earlier one",
			[]fixture.Exchange{fixture.SAMLPost(ssoGood().POSTValue()), fixture.SSOHomePage(), fixture.SAMLPost(ssoFailing().POSTValue()), page},
			&Finding{Email: fixture.SSOUser, SAMLSeen: true, MissingAttributes: []string{"lastname"}, UnexpectedAttributes: []string{"Member Status"},
				Description: "Auto Account Creation failed (31)"}},
		{"no NameID, names in other case, blank lastname, memberstatus spelt together, over-long first name",
			[]fixture.Exchange{fixture.SAMLPost(odd.POSTValue()), page},
			&Finding{Email: "jane@example.com", SAMLSeen: true, MissingAttributes: []string{"NameID", "lastname"}, UnexpectedAttributes: []string{"memberstatus"},
				AttributeNotes: []AttributeNote{{Kind: NoteTooLong, Attribute: "firstname", Length: 35, Limit: 32}}, Description: "Auto Account Creation failed (31)"}},
		{"uid and updatetimestamp are not required",
			[]fixture.Exchange{fixture.SAMLPost(fixture.SAMLResponse{NameID: "jdoe", Attributes: [][2]string{{"firstname", "Jane"}, {"lastname", "Doe"}, {"email", fixture.SSOUser}}}.POSTValue()), page},
			&Finding{Email: fixture.SSOUser, SAMLSeen: true, Description: "Auto Account Creation failed (31)"}},
		{"undecodable SAMLResponse counts as not seen",
			[]fixture.Exchange{fixture.SAMLPost("bm90IFNBTUw="), page},
			&Finding{Description: "Auto Account Creation failed (31)"}},
		{"successful sign-in, no error page", []fixture.Exchange{fixture.SAMLPost(ssoGood().POSTValue()), fixture.SSOHomePage()}, nil},
		{"31 in another context", []fixture.Exchange{page31Elsewhere}, nil},
		{"the phrase without a code, as in a help text",
			[]fixture.Exchange{{Method: "GET", URL: fixture.SiteURL + "/webappng/help", Status: 200, ResponseMime: "text/html",
				ResponseBody: `<p>If you see Auto Account Creation failed, contact your administrator.</p>`}}, nil},
		{"the phrase with another number",
			[]fixture.Exchange{{Method: "GET", URL: fixture.SiteHome, Status: 200, ResponseMime: "text/html",
				ResponseBody: `<p>Auto Account Creation failed (310 users this month).</p>`}}, nil},
		{"the error text in a JSON response is out of scope",
			[]fixture.Exchange{{Method: "GET", URL: fixture.SiteURL + "/webappng/api/v1/strings", Status: 200, ResponseMime: "application/json",
				ResponseBody: `{"msg":"Auto Account Creation failed (31)"}`}}, nil},
		{"a page on a host that is not a Webex site",
			[]fixture.Exchange{{Method: "GET", URL: "https://forum.example.org/t/webex-sso", Status: 200, ResponseMime: "text/html",
				ResponseBody: `<p>Reason: Auto Account Creation failed (31).</p>`}}, nil},
		{"federatedSSO without FAILURE status",
			[]fixture.Exchange{{Method: "POST", URL: fixture.SiteACS, Status: 200, ResponseMime: "text/xml",
				ResponseBody: `<federatedSSO><status>SUCCESS</status><errorcode>31</errorcode></federatedSSO>`}}, nil},
	}
	for _, tt := range tests {
		for _, b := range fixture.Browsers {
			t.Run(tt.reason+"/"+b.String(), func(t *testing.T) {
				res := analyzeBytes(t, tt.reason, fixture.HAR(b, tt.xs...))
				var got []Finding
				for _, f := range res.Findings {
					if f.Rule == rule {
						got = append(got, f)
					}
				}
				if tt.want == nil {
					if len(got) > 0 {
						t.Fatalf("rule fired: %+v", got)
					}
					return
				}
				if len(got) != 1 {
					t.Fatalf("want one finding of %s, got %+v (all: %+v)", rule, got, res.Findings)
				}
				f := got[0]
				if f.Entry != len(tt.xs)-1 || !reflect.DeepEqual(f.Codes, []string{"31"}) || f.Flow != FlowSSOSignIn {
					t.Errorf("entry %d codes %q flow %q; want entry %d, codes [31], flow %s", f.Entry, f.Codes, f.Flow, len(tt.xs)-1, FlowSSOSignIn)
				}
				w := *tt.want
				if f.Email != w.Email || f.SAMLSeen != w.SAMLSeen || f.AssertionEncrypted != w.AssertionEncrypted ||
					!reflect.DeepEqual(f.MissingAttributes, w.MissingAttributes) || !reflect.DeepEqual(f.UnexpectedAttributes, w.UnexpectedAttributes) ||
					!reflect.DeepEqual(f.AttributeNotes, w.AttributeNotes) || f.Description != w.Description {
					t.Errorf("got  email %q samlSeen %v encrypted %v missing %q unexpected %q notes %+v description %q\nwant email %q samlSeen %v encrypted %v missing %q unexpected %q notes %+v description %q",
						f.Email, f.SAMLSeen, f.AssertionEncrypted, f.MissingAttributes, f.UnexpectedAttributes, f.AttributeNotes, f.Description,
						w.Email, w.SAMLSeen, w.AssertionEncrypted, w.MissingAttributes, w.UnexpectedAttributes, w.AttributeNotes, w.Description)
				}
			})
		}
	}
}

// TestSSOErrors checks which answers name which numbered errors.
func TestSSOErrors(t *testing.T) {
	tests := []struct {
		reason string
		body   string
		want   []ssoError
	}{
		{"seed 003 reason line", `<p>Reason: Auto Account Creation failed (31).</p>`, []ssoError{{"31", "Auto Account Creation failed (31)"}}},
		{"seed 003 short form", `Error: 'Auto Account Creation failed 31'`, []ssoError{{"31", "Auto Account Creation failed 31"}}},
		{"seed 003 error number, entity-encoded quotes", `<span>Error number &quot;null&quot; - 31</span>`, []ssoError{{"31", `Error number "null" - 31`}}},
		{"both forms name one error once, the reason first", `Error number "null" - 31<br>Reason: Auto Account Creation failed (31).`,
			[]ssoError{{"31", "Auto Account Creation failed (31)"}}},
		{"WBX68460 wording of 31", `Auto Account Create failed (31)`, []ssoError{{"31", "Auto Account Create failed (31)"}}},
		{"case and tags between words do not matter", `<b>auto account</b> <i>update failed</i> (32)`, []ssoError{{"32", "auto account update failed (32)"}}},
		{"federatedSSO XML", `<federatedSSO><title>Connect Client Single Sign On</title><status>FAILURE</status><errorcode>8</errorcode><reason>Incorrect X.509 certificate to validate SAML assertion.</reason></federatedSSO>`,
			[]ssoError{{"8", "Incorrect X.509 certificate to validate SAML assertion."}}},
		{"two errors on one page", `Reason: Untrusted Issuer (24). Reason: Invalid digital signature (23).`,
			[]ssoError{{"23", "Invalid digital signature (23)"}, {"24", "Untrusted Issuer (24)"}}},
		{"error number of a code no rule has", `Error number "null" - 7`, nil},
		{"phrase followed by another code", `Untrusted Issuer (23)`, nil},
		{"a bare number", `Reason: maintenance (31)`, nil},
		{"phrase inside a longer word sequence without code", `Invalid SAML assertion handling is documented here.`, nil},
	}
	for _, tt := range tests {
		got := ssoErrors([]byte(tt.body))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ssoErrors(%q) = %+v, want %+v", tt.reason, tt.body, got, tt.want)
		}
	}
}

// TestSSOScope checks which requests the family reads.
func TestSSOScope(t *testing.T) {
	tests := []struct {
		reason string
		req    har.Request
		want   bool
	}{
		{"SAML POST to the site's assertion consumer service", har.Request{Method: "POST", URL: fixture.SiteACS, MimeType: ""}, true},
		{"result page on the site", har.Request{Method: "GET", URL: fixture.SiteHome, MimeType: "text/html"}, true},
		{"federatedSSO XML", har.Request{Method: "GET", URL: fixture.SiteACS, MimeType: "text/xml"}, true},
		{"Redirect binding GET with an image-like media type", har.Request{Method: "GET", URL: fixture.SiteACS + "&SAMLResponse=abc", MimeType: "x-unknown"}, true},
		{"assertion consumer service path on another host", har.Request{Method: "POST", URL: "https://sso.example.net/dispatcher/SAML2AuthService", MimeType: ""}, true},
		{"script on the site", har.Request{Method: "GET", URL: fixture.SiteURL + "/webappng/main.js", MimeType: "application/javascript"}, false},
		{"JSON API on the site", har.Request{Method: "GET", URL: fixture.SiteURL + "/webappng/api/v1/me", MimeType: "application/json"}, false},
		{"Control Hub API host", har.Request{Method: "POST", URL: fixture.LicenseAPI, MimeType: "application/json"}, false},
		{"look-alike host", har.Request{Method: "GET", URL: "https://webex.com.example.org/", MimeType: "text/html"}, false},
		{"unparsable URL", har.Request{Method: "GET", URL: "http://[::1", MimeType: "text/html"}, false},
	}
	for _, tt := range tests {
		if got := inSSOScope(tt.req); got != tt.want {
			t.Errorf("%s: inSSOScope(%+v) = %v, want %v", tt.reason, tt.req, got, tt.want)
		}
	}
}

// TestSSOLive feeds a sign-in entry by entry, as the DevTools live path
// does, and checks the session carries the SAML response to the error page.
func TestSSOLive(t *testing.T) {
	raw := fixture.HAR(fixture.Chrome, fixture.SAMLPost(ssoFailing().POSTValue()), fixture.SSOErrorPage(31, "Auto Account Creation failed"))
	s := NewSession(nil)
	var fs []Finding
	sc := har.NewScanner(bytes.NewReader(raw), "live")
	for {
		it, err := sc.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.Kind != har.EntryItem || !s.NeedsBody(har.PeekRequest(it.Raw)) {
			continue
		}
		e, err := har.ParseEntry(it.Raw, it.Index)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Analyze(e)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, got...)
	}
	if len(fs) != 1 || fs[0].Rule != "sso/auto-account-creation-31" || !reflect.DeepEqual(fs[0].MissingAttributes, []string{"lastname"}) {
		t.Fatalf("findings %+v, want one 31 finding missing lastname", fs)
	}
	if !bytes.Contains([]byte(fs[0].Response), []byte("Auto Account Creation failed")) {
		t.Errorf("finding keeps no response body: %q", fs[0].Response)
	}
}
