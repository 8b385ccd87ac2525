package engine

import "strings"

// carrierEmailExists: the e-mail is still tied to a Webex Calling account,
// most often a carrier's (service provider's). Seeds 000–002.
var carrierEmailExists = &Rule{
	ID:       "onboard/carrier-email-exists",
	Severity: Error,
	Since:    "0.1.0",
	Source:   tacStatus400Source,
	Links:    []string{"https://help.webex.com/article/v71ztb", "https://help.webex.com/article/9dmqgv"},
	Scope:    inOnboardScope,
	Check: perUser(func(u onboardUser) bool {
		return u.Status >= 400 && strings.Contains(u.Description, "[Error 10991]") &&
			strings.Contains(strings.ToLower(u.Description), "url already exists")
	}),
}
