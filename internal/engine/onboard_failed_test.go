package engine

import (
	"testing"

	"hubdoctor/internal/fixture"
)

// onboardFailedSamples are the evidence of the rules in onboard_failed.go.
func onboardFailedSamples() []sample {
	return []sample{
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
