package engine

// The per-user codes of the onboard table
// (docs/webex-signatures.md §2), one rule each. Their meaning
// comes from the Control Hub web client's public source, which maps each
// code to the message it shows the admin.

// collabUISource names the public source of the onboard code table.
const collabUISource = "Control Hub web client source, https://github.com/taymoork2/collab-ui-react (onboard service, config.ts messageErrors)"

// tacStatus400Source names the seeds' article: the onboard call, the 10991
// case and the advice for any other message (docs/webex-signatures.md §6, S1).
const tacStatus400Source = "Cisco TAC article “Troubleshoot the ‘Status: 400’ user error in Control Hub” (seeds 000–002), " +
	"https://www.cisco.com/c/en/us/support/docs/unified-communications/webex-calling/222122-troubleshoot-status-400-user-error-in.html"

// Help articles the onboard rules point to.
const (
	helpAddUsers     = "https://help.webex.com/article/v71ztb"
	helpEditLicenses = "https://help.webex.com/article/9dmqgv"
	helpClaimUsers   = "https://help.webex.com/article/nceb8tm"
	helpFreeAccount  = "https://help.webex.com/article/ndta402"
	helpHAR          = "https://help.webex.com/article/WBX9000028670"
)

// userExistsConvert: 400081, the user already exists and must be brought in
// with Convert users rather than added.
var userExistsConvert = &Rule{
	ID: "onboard/user-exists-convert", Severity: Error, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpClaimUsers},
	Scope: inOnboardScope,
	Check: perUser(failedWith("400081")),
}

// domainNotClaimed: 400084 (domain not among the org's claimed domains) and
// 400091 (domain claimed by another org) share a remedy: the Domains page.
var domainNotClaimed = &Rule{
	ID: "onboard/domain-not-claimed", Severity: Error, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpAddUsers},
	Scope: inOnboardScope,
	Check: perUser(failedWith("400084", "400091")),
}

// directorySyncOn: 400110, users come from the directory, not by hand.
var directorySyncOn = &Rule{
	ID: "onboard/directory-sync-on", Severity: Error, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpAddUsers},
	Scope: inOnboardScope,
	Check: perUser(failedWith("400110")),
}

// notEnoughLicenses: 400111, the subscription has no free licence left.
var notEnoughLicenses = &Rule{
	ID: "onboard/not-enough-licenses", Severity: Error, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpAddUsers, helpEditLicenses},
	Scope: inOnboardScope,
	Check: perUser(failedWith("400111")),
}

// unknownError: 400096, the service itself does not know why; retry, then TAC.
var unknownError = &Rule{
	ID: "onboard/unknown-error", Severity: Error, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpHAR},
	Scope: inOnboardScope,
	Check: perUser(failedWith("400096")),
}

// domainNotConvertible: 400109, the user's domain cannot be converted (a
// public e-mail domain, or one the org does not own).
var domainNotConvertible = &Rule{
	ID: "onboard/domain-not-convertible", Severity: Error, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpFreeAccount},
	Scope: inOnboardScope,
	Check: perUser(failedWith("400109")),
}

// useConvertUser: 600001, the account exists outside the org and only
// Convert users moves it in.
var useConvertUser = &Rule{
	ID: "onboard/use-convert-user", Severity: Error, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpClaimUsers},
	Scope: inOnboardScope,
	Check: perUser(failedWith("600001")),
}

// hybridNeedsLicense: 400087, Hybrid Services were given to a user with no
// paid licence.
var hybridNeedsLicense = &Rule{
	ID: "onboard/hybrid-needs-license", Severity: Error, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpEditLicenses},
	Scope: inOnboardScope,
	Check: perUser(failedWith("400087")),
}

// callServiceWithCalling: 400094, Hybrid Call Service and Webex Calling
// cannot be given to the same user.
var callServiceWithCalling = &Rule{
	ID: "onboard/call-service-with-calling", Severity: Error, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpEditLicenses},
	Scope: inOnboardScope,
	Check: perUser(failedWith("400094")),
}

// noLicenseAssigned: 700000, the user was created but got no licence: a
// warning, the user exists and can be licensed later.
var noLicenseAssigned = &Rule{
	ID: "onboard/no-license-assigned", Severity: Warning, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpEditLicenses},
	Scope: inOnboardScope,
	Check: perUser(succeededWith("700000")),
}

// pendingUser: 100002, the user was created and waits for activation.
var pendingUser = &Rule{
	ID: "onboard/pending-user", Severity: Info, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpAddUsers},
	Scope: inOnboardScope,
	Check: perUser(succeededWith("100002")),
}

// delayedConversion: 600002, the claim was accepted and completes later.
var delayedConversion = &Rule{
	ID: "onboard/delayed-conversion", Severity: Info, Since: "0.1.0", Source: collabUISource,
	Links: []string{helpClaimUsers},
	Scope: inOnboardScope,
	Check: perUser(succeededWith("600002")),
}
