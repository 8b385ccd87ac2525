package engine

// The SSO family reads Webex site SSO sign-ins.

// ssoState is what the SSO family remembers across entries.
type ssoState struct{}

// ssoRules lists the family in the order they run.
func ssoRules() []*Rule { return nil }
