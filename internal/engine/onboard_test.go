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
