package engine

import "hubdoctor/internal/fixture"

// onboardCodesSamples are the evidence of the rules in onboard_codes.go, one
// row per rule.
func onboardCodesSamples() []sample {
	onboardPath := fixture.LicenseAPI
	return []sample{
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
		pair("onboard/directory-sync-on",
			add(fixture.OnboardBody(fixture.UserResult(userA, 403, 400110, "Directory synchronization is enabled"))),
			add(fixture.OnboardBody(fixture.UserResult(userA, 200, 400110, "Directory synchronization is enabled"))),
			want{[]string{userA}, []string{"400110"}, []int{403}, addFlow}),
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
		pair("onboard/unknown-error",
			addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "400096"))),
			addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 403, "400095"))),
			want{[]string{userA}, []string{"400096"}, []int{403}, addFlow}),
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
		pair("onboard/use-convert-user",
			batch(fixture.UserResult(userA, 403, 600001, "Use Convert User")),
			add(fixture.OnboardBody(fixture.UserResult(userA, 202, 600002, "Conversion delayed"))),
			want{[]string{userA}, []string{"600001"}, []int{403}, addFlow}),
		pair("onboard/hybrid-needs-license",
			add(fixture.OnboardBody(fixture.UserResult(userA, 400, 400087, "Hybrid services require a licensed user"))),
			add(fixture.OnboardBody(fixture.UserResult(userA, 201, 400087, ""))),
			want{[]string{userA}, []string{"400087"}, []int{400}, addFlow}),
		pair("onboard/call-service-with-calling",
			addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 400, "400094"))),
			addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 400, "400093"))),
			want{[]string{userA}, []string{"400094"}, []int{400}, addFlow}),
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
		pair("onboard/pending-user",
			add(fixture.OnboardBody(fixture.UserResult(userA, 200, 100002, "User is pending"))),
			add(fixture.OnboardBody(fixture.UserResult(userA, 409, 100002, "User is pending"))),
			want{[]string{userA}, []string{"100002"}, []int{200}, addFlow}),
		pair("onboard/delayed-conversion",
			addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 202, "600002"))),
			withMethod(addOld(fixture.OlderOnboardBody(fixture.OlderUserResult(userA, 202, "600002"))), "PUT"),
			want{[]string{userA}, []string{"600002"}, []int{202}, addFlow}),
	}
}
