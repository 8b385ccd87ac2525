package engine

import (
	"testing"

	"hubdoctor/internal/fixture"
)

// onboardCarrierSamples are the evidence of the rule in onboard_carrier.go.
func onboardCarrierSamples() []sample {
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
	}
}
