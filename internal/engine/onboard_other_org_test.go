package engine

import (
	"testing"

	"hubdoctor/internal/fixture"
)

// onboardOtherOrgSamples are the evidence of the rule in onboard_other_org.go.
func onboardOtherOrgSamples() []sample {
	return []sample{
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
