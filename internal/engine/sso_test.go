package engine

// ssoSamples are the SSO family's fixtures, one row per rule.
func ssoSamples() []sample { return nil }
