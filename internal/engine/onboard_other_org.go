package engine

import "strings"

// userInOtherOrg: the e-mail belongs to a user of another Control Hub
// organization (400090), or would land there through a domain claim
// (400108). The seeds say Control Hub names this case and points to claiming
// users; it is not a TAC matter.
var userInOtherOrg = &Rule{
	ID:       "onboard/user-in-other-org",
	Severity: Error,
	Since:    "0.1.0",
	Source:   tacStatus400Source + "; codes from " + collabUISource,
	Links:    []string{helpClaimUsers, helpAddUsers},
	Scope:    inOnboardScope,
	Check: perUser(func(u onboardUser) bool {
		return failedWith("400090", "400108")(u) || (u.Status >= 400 && inOtherOrgText(u.Description))
	}),
}

// inOtherOrgText reports whether s says the user lives in another org
// ("user … exists/belongs … another/a different organization", when a
// service words the case without the table's codes). A sentence about a
// domain claimed elsewhere is the domain rule's, not this one.
func inOtherOrgText(s string) bool {
	return otherOrgWords(s) && !strings.Contains(strings.ToLower(s), "domain")
}
