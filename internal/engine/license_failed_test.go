package engine

import "hubdoctor/internal/fixture"

// licenseFailedSamples are the evidence of the rules in license_failed.go.
func licenseFailedSamples() []sample {
	return []sample{
		pair("license/partial-success",
			patch(206, fixture.LicenseResult(userA, 700003, "Free messaging license is required for paid messaging")),
			patch(200, fixture.LicenseResult(userA, 0, "")),
			want{[]string{userA}, []string{"700003"}, []int{0}, licenseFlow}),
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
