package engine

import (
	"slices"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/har"
)

// patch is PATCH /v1/licenses/users for userA answering status with body.
func patch(status int, body string) fixture.Exchange {
	return fixture.LicensePatch(fixture.LicenseRequest(userA), status, body)
}

var licenseFlow = []Flow{FlowEditLicenses}

// licenseSamples are the licence family's fixtures, one row per rule.
func licenseSamples() []sample {
	return []sample{
		{
			rule: "license/incompatible-calling-combination",
			positive: []fixture.Exchange{
				patch(400, fixture.LicenseError(400404, "User cannot have both Webex Calling Professional and Standard License together")),
				// Partial success: the other licences went through.
				patch(206, fixture.LicenseResult(userA, 400406, "User cannot have both Webex Calling Standard and Webex Attendant Console licenses together")),
			},
			negative: []fixture.Exchange{
				patch(200, fixture.LicenseResult(userA, 0, "")),
				// Neighbouring code: Attendant Console needs Professional.
				patch(400, fixture.LicenseError(400408, "User needs Webex Calling Professional license")),
				withMethod(patch(400, fixture.LicenseError(400404, "both")), "POST"),
			},
			check: want{[]string{userA}, []string{"400404", "400406", "400407"}, []int{0}, licenseFlow}.check,
		},
		{
			rule: "license/attendant-console-needs-professional",
			positive: []fixture.Exchange{
				moved(patch(400, fixture.LicenseError(400408, "User needs Webex Calling Professional license to be assigned before assigning Attendant Console")), fixture.LicenseUsersAPI+"/"),
			},
			negative: []fixture.Exchange{
				withMethod(patch(400, fixture.LicenseError(400408, "needs Professional")), "GET"),
			},
			check: want{[]string{userA}, []string{"400408"}, []int{0}, licenseFlow}.check,
		},
		{
			rule: "license/calling-properties-required",
			positive: []fixture.Exchange{
				func() fixture.Exchange {
					x := patch(400, fixture.LicenseError(400411, "Each Webex Calling license requires its own calling properties"))
					x.Base64 = true
					return x
				}(),
			},
			negative: []fixture.Exchange{
				patch(400, fixture.LicenseError(400410, "Another calling problem")),
			},
			check: want{[]string{userA}, []string{"400411"}, []int{0}, licenseFlow}.check,
		},
		{
			rule: "license/professional-to-standard",
			positive: []fixture.Exchange{
				// The user named by personId only: no e-mail to report.
				fixture.LicensePatch(fixture.LicenseRequest(""), 400, fixture.LicenseError(400112, "Changing a user's Webex Calling license from Professional to Standard is not allowed")),
			},
			negative: []fixture.Exchange{
				moved(patch(400, fixture.LicenseError(400112, "not allowed")), "https://webexapis.com/v1/licenses"),
			},
			check: want{[]string{""}, []string{"400112"}, []int{0}, licenseFlow}.check,
		},
		{
			rule: "license/not-recognized",
			positive: []fixture.Exchange{
				moved(patch(400, fixture.LicenseError(400000, "License not recognized")), "https://integration.webexapis.com/v1/licenses/users"),
			},
			negative: []fixture.Exchange{
				patch(200, fixture.LicenseResult(userA, 400000, "License not recognized")),
			},
			check: want{[]string{userA}, []string{"400000"}, []int{0}, licenseFlow}.check,
		},
		{
			rule: "license/partial-success",
			positive: []fixture.Exchange{
				patch(206, fixture.LicenseResult(userA, 700003, "Free messaging license is required for paid messaging")),
			},
			negative: []fixture.Exchange{
				patch(200, fixture.LicenseResult(userA, 0, "")),
			},
			check: want{[]string{userA}, []string{"700003"}, []int{0}, licenseFlow}.check,
		},
		{
			rule: "license/failed",
			positive: []fixture.Exchange{
				patch(400, fixture.LicenseError(400118, "User management of Messenger license is not supported")),
				func() fixture.Exchange {
					x := patch(502, `<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`)
					x.ResponseMime = "text/html"
					return x
				}(),
				patch(500, ""),
			},
			negative: []fixture.Exchange{
				patch(200, fixture.LicenseResult(userA, 0, "")),
				// 206 is partial success, its own rule.
				patch(206, fixture.LicenseResult(userA, 700006, "Screen share implicitly assigned")),
			},
			check: want{[]string{userA}, nil, []int{0}, licenseFlow}.check,
		},
	}
}

func TestLicenseScope(t *testing.T) {
	for _, tc := range []struct {
		reason string
		method string
		url    string
		want   bool
	}{
		{"public API", "PATCH", fixture.LicenseUsersAPI, true},
		{"trailing slash, other host", "patch", "https://api.example/v1/licenses/users/", true},
		{"list licences", "GET", "https://webexapis.com/v1/licenses", false},
		{"reading is not editing", "GET", fixture.LicenseUsersAPI, false},
		{"onboard call", "POST", fixture.LicenseAPI, false},
	} {
		if got := inLicenseScope(har.Request{Method: tc.method, URL: tc.url}); got != tc.want {
			t.Errorf("%s: inLicenseScope(%s %s) = %v, want %v", tc.reason, tc.method, tc.url, got, tc.want)
		}
	}
}

func TestEnvelopeCodes(t *testing.T) {
	for _, tc := range []struct {
		reason string
		body   string
		want   []string
	}{
		{"errors list", `{"errors":[{"errorCode":400404},{"errorCode":"400408"}]}`, []string{"400404", "400408"}},
		{"top-level errorCode", `{"errorCode":100001,"message":"x"}`, []string{"100001"}},
		{"both: the list wins", `{"errorCode":1,"errors":[{"errorCode":2}]}`, []string{"2"}},
		{"no codes", `{"message":"x"}`, nil},
		{"not JSON", `<html>`, nil},
	} {
		got := envelopeCodes([]byte(tc.body))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: envelopeCodes(%s) = %q, want %q", tc.reason, tc.body, got, tc.want)
		}
	}
}

func TestHydraUUID(t *testing.T) {
	for _, tc := range []struct {
		reason, id, want string
	}{
		{"org ID as the public API writes it", fixture.HydraOrgID, fixture.OrgID},
		{"with padding", fixture.HydraOrgID + "==", fixture.OrgID},
		{"already a UUID", fixture.OrgID, fixture.OrgID},
		{"base64 of something else stays", "aGVsbG8", "aGVsbG8"},
		{"empty", "", ""},
	} {
		if got := hydraUUID(tc.id); got != tc.want {
			t.Errorf("%s: hydraUUID(%q) = %q, want %q", tc.reason, tc.id, got, tc.want)
		}
	}
}
