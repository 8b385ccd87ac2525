package engine

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// Users of the onboard samples: a fails, b is the other user of a batch.
const (
	userA = fixture.CarrierEmail
	userB = fixture.OtherEmail
)

// add is a manual add of a only, answering body on the current path.
func add(body string) fixture.Exchange {
	return fixture.Onboard(fixture.OnboardRequest(userA), body)
}

// addOld is a manual add of a only, answering body on the older atlas path.
func addOld(body string) fixture.Exchange {
	return fixture.AtlasOnboard(fixture.OnboardRequest(userA), body)
}

// batch adds a and b; a gets result, b is created.
func batch(result string) fixture.Exchange {
	return fixture.Onboard(fixture.OnboardRequest(userA, userB), fixture.OnboardBody(result, fixture.OKUserResult(userB)))
}

// moved is x sent to url instead, for look-alikes on another path.
func moved(x fixture.Exchange, url string) fixture.Exchange {
	x.URL = url
	return x
}

// withMethod is x sent with another method.
func withMethod(x fixture.Exchange, method string) fixture.Exchange {
	x.Method = method
	return x
}

// want lists the facts a rule's findings may carry: each finding's e-mail,
// user status and flow must be one of those listed, one of its codes one of
// codes (when given); org ID and tracking ID must always be there.
type want struct {
	emails   []string
	codes    []string
	statuses []int
	flows    []Flow
}

func (w want) check(t *testing.T, f Finding) {
	t.Helper()
	if !slices.Contains(w.emails, f.Email) {
		t.Errorf("email %q, want one of %q", f.Email, w.emails)
	}
	if f.OrgID != fixture.OrgID {
		t.Errorf("orgId %q, want %q", f.OrgID, fixture.OrgID)
	}
	if f.TrackingID == "" {
		t.Error("no tracking ID")
	}
	if len(w.codes) > 0 && !slices.ContainsFunc(f.Codes, func(c string) bool { return slices.Contains(w.codes, c) }) {
		t.Errorf("codes %q, want one of %q", f.Codes, w.codes)
	}
	if !slices.Contains(w.statuses, f.UserStatus) {
		t.Errorf("userStatus %d, want one of %v", f.UserStatus, w.statuses)
	}
	if !slices.Contains(w.flows, f.Flow) {
		t.Errorf("flow %q, want one of %q", f.Flow, w.flows)
	}
	// An empty body (a bare 500) has neither; any text must come with the body.
	if f.Response == "" && f.Description != "" {
		t.Error("response body not kept")
	}
}

var addFlow = []Flow{FlowAddUsers}

// onboardSamples are the onboard family's fixtures, one row per rule.
func onboardSamples() []sample {
	onboardPath := fixture.LicenseAPI
	return []sample{
		{
			rule:     "onboard/carrier-email-exists",
			positive: []fixture.Exchange{fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail), "["+fixture.CarrierUserResult(fixture.CarrierEmail)+"]")},
			// Same call, user created: nothing to say.
			negative: []fixture.Exchange{fixture.Onboard(fixture.OnboardRequest(fixture.CarrierEmail), "["+fixture.OKUserResult(fixture.CarrierEmail)+"]")},
			check: func(t *testing.T, f Finding) {
				if f.Email != fixture.CarrierEmail || f.OrgID != fixture.OrgID || f.TrackingID != fixture.CarrierTrackingID {
					t.Errorf("facts: email %q org %q tracking %q", f.Email, f.OrgID, f.TrackingID)
				}
			},
		},
		{
			rule: "onboard/user-in-other-org",
			positive: []fixture.Exchange{
				// Batch: only a fails, so one finding for a.
				batch(fixture.UserResult(userA, 403, 400090, "User already exists in a different organization")),
				addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "400108"))),
				// No table code, the same meaning in words.
				add(fixture.OnboardBody(fixture.UserResult(userA, 400, 5301, "The user "+userA+" belongs to another organization"))),
			},
			negative: []fixture.Exchange{
				// The code inside a success status is not a refusal.
				add(fixture.OnboardBody(fixture.UserResult(userA, 200, 400090, "User already exists in a different organization"))),
				// Another org holds the domain, not the user: the domain rule's case.
				add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400091, "User domain is claimed by another organization"))),
			},
			check: want{[]string{userA}, []string{"400090", "400108", "5301"}, []int{403, 400}, addFlow}.check,
		},
		{
			rule: "onboard/user-exists-convert",
			positive: []fixture.Exchange{
				addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "400081"))),
			},
			negative: []fixture.Exchange{
				// Same answer on a path that is not the onboard call.
				moved(addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "400081"))), fixture.AtlasOnboardAPI+"/status"),
				// Neighbouring code: access denied, not "exists".
				addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "400080"))),
			},
			check: want{[]string{userA}, []string{"400081"}, []int{403}, addFlow}.check,
		},
		{
			rule: "onboard/domain-not-claimed",
			positive: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400084, "User domain is not one of the claimed domains"))),
				addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "400091"))),
			},
			negative: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400085, "Refused"))),
			},
			check: want{[]string{userA}, []string{"400084", "400091"}, []int{403}, addFlow}.check,
		},
		{
			rule: "onboard/directory-sync-on",
			positive: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400110, "Directory synchronization is enabled"))),
			},
			negative: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 200, 400110, "Directory synchronization is enabled"))),
			},
			check: want{[]string{userA}, []string{"400110"}, []int{403}, addFlow}.check,
		},
		{
			rule: "onboard/not-enough-licenses",
			positive: []fixture.Exchange{
				// Firefox stores some bodies base64-encoded.
				func() fixture.Exchange {
					x := add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400111, "Not enough licenses")))
					x.Base64 = true
					return x
				}(),
				// From a user's Edit licenses: the request carries the user's ID.
				fixture.Onboard(fixture.EditLicensesRequest(userA), fixture.OnboardBody(fixture.UserResult(userA, 403, 400111, "Not enough licenses"))),
			},
			negative: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400112, "Refused"))),
			},
			check: want{[]string{userA}, []string{"400111"}, []int{403}, []Flow{FlowAddUsers, FlowEditLicenses}}.check,
		},
		{
			rule: "onboard/unknown-error",
			positive: []fixture.Exchange{
				addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "400096"))),
			},
			negative: []fixture.Exchange{
				addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "400095"))),
			},
			check: want{[]string{userA}, []string{"400096"}, []int{403}, addFlow}.check,
		},
		{
			rule: "onboard/domain-not-convertible",
			positive: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400109, "Domain not available for conversion"))),
			},
			negative: []fixture.Exchange{
				moved(add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400109, "Domain not available for conversion"))), onboardPath+"status/"),
				withMethod(add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400109, "Domain not available for conversion"))), "GET"),
			},
			check: want{[]string{userA}, []string{"400109"}, []int{403}, addFlow}.check,
		},
		{
			rule: "onboard/use-convert-user",
			positive: []fixture.Exchange{
				batch(fixture.UserResult(userA, 403, 600001, "Use Convert User")),
			},
			negative: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 202, 600002, "Conversion delayed"))),
			},
			check: want{[]string{userA}, []string{"600001"}, []int{403}, addFlow}.check,
		},
		{
			rule: "onboard/hybrid-needs-license",
			positive: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 400, 400087, "Hybrid services require a licensed user"))),
			},
			negative: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 201, 400087, ""))),
			},
			check: want{[]string{userA}, []string{"400087"}, []int{400}, addFlow}.check,
		},
		{
			rule: "onboard/call-service-with-calling",
			positive: []fixture.Exchange{
				addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 400, "400094"))),
			},
			negative: []fixture.Exchange{
				addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 400, "400093"))),
			},
			check: want{[]string{userA}, []string{"400094"}, []int{400}, addFlow}.check,
		},
		{
			rule: "onboard/access-denied",
			positive: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400099, "Forbidden"))),
				// The whole call refused: the admin's role.
				func() fixture.Exchange {
					x := addOld(`{"message":"Access denied: the admin role does not allow this operation","trackingId":"ATLAS_denied_1"}`)
					x.Status = 403
					return x
				}(),
			},
			negative: []fixture.Exchange{
				// A 400 is not a refusal of access.
				add(fixture.OnboardBody(fixture.UserResult(userA, 400, 400099, "Bad request"))),
			},
			check: want{[]string{userA}, nil, []int{403, 0}, addFlow}.check,
		},
		{
			rule: "onboard/no-license-assigned",
			positive: []fixture.Exchange{
				fixture.AtlasOnboard(fixture.OnboardRequest(userA, userB),
					fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 201, "700000"), fixture.OlderUserResult(userB, 201, ""))),
			},
			negative: []fixture.Exchange{
				addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "700000"))),
			},
			check: want{[]string{userA}, []string{"700000"}, []int{201}, addFlow}.check,
		},
		{
			rule: "onboard/pending-user",
			positive: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 200, 100002, "User is pending"))),
			},
			negative: []fixture.Exchange{
				add(fixture.OnboardBody(fixture.UserResult(userA, 409, 100002, "User is pending"))),
			},
			check: want{[]string{userA}, []string{"100002"}, []int{200}, addFlow}.check,
		},
		{
			rule: "onboard/delayed-conversion",
			positive: []fixture.Exchange{
				addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 202, "600002"))),
			},
			negative: []fixture.Exchange{
				withMethod(addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 202, "600002"))), "PUT"),
			},
			check: want{[]string{userA}, []string{"600002"}, []int{202}, addFlow}.check,
		},
		{
			rule: "onboard/failed",
			positive: []fixture.Exchange{
				batch(fixture.UserResult(userA, 400, 5302, "POST failed: HTTP/1.1 500 Internal Server Error (errorCode = '5302', error = '[Error 10999] Provisioning back end unavailable')")),
				// A proxy's HTML page instead of the service's answer.
				func() fixture.Exchange {
					x := add(`<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>`)
					x.Status, x.ResponseMime = 502, "text/html"
					return x
				}(),
				// HTTP 200, but a JSON object in neither shape.
				add(`{"message":"Unable to process the request"}`),
				// Two users and an error envelope: nobody to name.
				func() fixture.Exchange {
					x := fixture.AtlasOnboard(fixture.OnboardRequest(userA, userB), `{"errorCode":100001,"message":"Internal server error","trackingId":"ATLAS_500_1"}`)
					x.Status = 500
					return x
				}(),
			},
			negative: []fixture.Exchange{
				batch(fixture.OKUserResult(userA)),
				// Explained by the carrier rule: the catch-all stays quiet.
				add(fixture.OnboardBody(fixture.CarrierUserResult(userA))),
				add("[]"),
			},
			check: want{[]string{userA, ""}, nil, []int{400, 0}, addFlow}.check,
		},
	}
}

// TestOnboardBatch checks that in a batch only the failed user is reported,
// once, by the most specific rule, whichever body shape carried it.
func TestOnboardBatch(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    fixture.Exchange
		rule string
	}{
		{"current shape, a refused from another org, b created",
			batch(fixture.UserResult(userA, 403, 400090, "exists elsewhere")), "onboard/user-in-other-org"},
		{"older shape, a short of licences, b created",
			fixture.AtlasOnboard(fixture.OnboardRequest(userA, userB), fixture.OlderOnboardBody(
				fixture.OlderUserResult(userA, 403, "400111"), fixture.OlderUserResult(userB, 200, ""))), "onboard/not-enough-licenses"},
		{"carrier error with an error status on the call: still one finding",
			func() fixture.Exchange { x := batch(fixture.CarrierUserResult(userA)); x.Status = 400; return x }(), "onboard/carrier-email-exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, b := range fixture.Browsers {
				res := analyzeBytes(t, tc.name, fixture.HAR(b, append(fixture.Harmless(), tc.x)...))
				if len(res.Findings) != 1 || res.Findings[0].Rule != tc.rule || res.Findings[0].Email != userA {
					t.Errorf("%s: want one %s finding for %s, got %+v", b, tc.rule, userA, res.Findings)
				}
			}
		})
	}
}

func TestParseOnboard(t *testing.T) {
	for _, tc := range []struct {
		reason string
		body   string
		want   []onboardUser
		ok     bool
	}{
		{"current shape with code and description",
			`[{"email":"a@x.com","status":403,"errorList":[{"errorCode":400090,"description":"elsewhere"}]}]`,
			[]onboardUser{{Email: "a@x.com", Status: 403, Codes: []string{"400090"}, Description: "elsewhere"}}, true},
		{"current shape, two errors joined, code as a string",
			`[{"email":"a@x.com","status":400,"errorList":[{"errorCode":"1","description":"one"},{"errorCode":2,"description":"two"}]}]`,
			[]onboardUser{{Email: "a@x.com", Status: 400, Codes: []string{"1", "2"}, Description: "one\ntwo"}}, true},
		{"current shape, success without errorList",
			`[{"email":"a@x.com","status":200}]`, []onboardUser{{Email: "a@x.com", Status: 200}}, true},
		{"older shape, numeric message is a code",
			`{"userResponse":[{"email":"a@x.com","httpStatus":403,"message":"400108"}]}`,
			[]onboardUser{{Email: "a@x.com", Status: 403, Codes: []string{"400108"}}}, true},
		{"older shape, text message is a description",
			`{"userResponse":[{"email":"a@x.com","httpStatus":400,"message":"User exists in another org"}]}`,
			[]onboardUser{{Email: "a@x.com", Status: 400, Description: "User exists in another org"}}, true},
		{"older shape, status as a string when httpStatus is missing",
			`{"userResponse":[{"email":"a@x.com","status":"403","message":" 400081 "}]}`,
			[]onboardUser{{Email: "a@x.com", Status: 403, Codes: []string{"400081"}}}, true},
		{"empty array: a valid answer about nobody", `[]`, nil, true},
		{"error envelope is neither shape", `{"message":"denied"}`, nil, false},
		{"userResponse not a list", `{"userResponse":null}`, nil, false},
		{"HTML page", `<html><title>502</title></html>`, nil, false},
		{"empty body", ``, nil, false},
		{"truncated JSON", `[{"email":"a@x.com","status":4`, nil, false},
	} {
		got, ok := parseOnboard([]byte(tc.body))
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: parseOnboard(%s) = %+v, %v; want %+v, %v", tc.reason, tc.body, got, ok, tc.want, tc.ok)
		}
	}
}

func TestInOtherOrgText(t *testing.T) {
	for _, tc := range []struct {
		reason string
		text   string
		want   bool
	}{
		{"user exists in a different org", "User already exists in a different organization", true},
		{"e-mail belongs to another org", "The email a@x.com belongs to another organisation", true},
		{"domain claimed elsewhere is the domain rule's", "User domain is claimed by another organization", false},
		{"no other org named", "User already exists", false},
		{"another org without a user", "Another organization is not reachable", false},
	} {
		if got := inOtherOrgText(tc.text); got != tc.want {
			t.Errorf("%s: inOtherOrgText(%q) = %v, want %v", tc.reason, tc.text, got, tc.want)
		}
	}
}

func TestOnboardScope(t *testing.T) {
	for _, tc := range []struct {
		reason string
		method string
		url    string
		want   bool
	}{
		{"current path, trailing slash", "POST", fixture.LicenseAPI, true},
		{"older path, no trailing slash", "POST", fixture.AtlasOnboardAPI, true},
		{"other region's host", "post", "https://license-r.wbx2.com/license/api/v1/organization/o/users/onboard", true},
		{"GET of the same path", "GET", fixture.LicenseAPI, false},
		{"a deeper path", "POST", fixture.AtlasOnboardAPI + "/status", false},
		{"no organization in the path", "POST", "https://x.example/users/onboard", false},
		{"harmless pending subscriptions", "GET", fixture.AtlasAPI + "subscriptions/pending/", false},
	} {
		if got := inOnboardScope(har.Request{Method: tc.method, URL: tc.url}); got != tc.want {
			t.Errorf("%s: inOnboardScope(%s %s) = %v, want %v", tc.reason, tc.method, tc.url, got, tc.want)
		}
	}
}

func TestFailureText(t *testing.T) {
	long := make([]byte, 300)
	for i := range long {
		long[i] = 'x'
	}
	for _, tc := range []struct {
		reason string
		body   string
		want   string
	}{
		{"error envelope: ErrorText", `{"message":"denied","errors":[{"description":"role missing"}]}`, "role missing"},
		{"HTML page: its title", "<html><head><title>502 Bad\n Gateway</title></head><body>x</body></html>", "502 Bad Gateway"},
		{"HTML without title: text without tags or scripts", "<html><script>var a=1</script><h1>Service &amp; gateway down</h1></html>", "Service & gateway down"},
		{"plain text, capped", string(long), string(long[:maxExcerpt]) + "…"},
		{"empty body", "", ""},
	} {
		if got := failureText([]byte(tc.body)); got != tc.want {
			t.Errorf("%s: failureText = %q, want %q", tc.reason, got, tc.want)
		}
	}
}

// FuzzParseOnboard: any body gives users or false, never a panic, and a
// false never comes with users.
func FuzzParseOnboard(f *testing.F) {
	f.Add([]byte(fixture.OnboardBody(fixture.CarrierUserResult(userA), fixture.OKUserResult(userB))))
	f.Add([]byte(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "400108"))))
	f.Add([]byte(`<html><title>502</title></html>`))
	f.Add([]byte(`{"userResponse":[1,"x",null]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		users, ok := parseOnboard(body)
		if !ok && users != nil {
			t.Fatalf("not ok but users %+v", users)
		}
		_ = failureText(body)
	})
}

// Example_onboardUserInOtherOrg shows a batch in which one user belongs to
// another organization: one finding names that user, the other user was
// created and is not mentioned.
func Example_onboardUserInOtherOrg() {
	x := batch(fixture.UserResult(userA, 403, 400090, "User already exists in a different organization"))
	e, err := har.ParseEntry([]byte(fmt.Sprintf(`{"request":{"method":%q,"url":%q,"postData":{"text":%q}},"response":{"status":200,"content":{"text":%q}}}`,
		x.Method, x.URL, x.RequestBody, x.ResponseBody)), 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fs, _ := NewSession(nil).Analyze(e)
	for _, f := range fs {
		fmt.Println(f.Rule, f.Email, f.UserStatus, f.Codes)
	}
	// Output: onboard/user-in-other-org alex.dekker@example.com 403 [400090]
}
