package engine

// The licence family reads the public licence API (PATCH /v1/licenses/users).

// licenseRules lists the family in the order they run.
func licenseRules() []*Rule { return nil }
