package engine

import "hubdoctor/internal/fixture"

// licenseCodesSamples are the evidence of the rules in license_codes.go, one
// row per rule.
func licenseCodesSamples() []sample {
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
	}
}
