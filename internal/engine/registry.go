package engine

import (
	"slices"
	"sync"
)

// Catalog returns every rule, in the order they run: one explicit list per
// family, no registration side effects. Within the onboard family the
// specific rules come first and onboard/failed last, so the catch-all only
// reports users no specific rule explained.
func Catalog() []*Rule {
	catalogOnce.Do(func() {
		for _, family := range [][]*Rule{onboardRules(), licenseRules(), ssoRules()} {
			catalog = append(catalog, family...)
		}
	})
	return catalog
}

var (
	catalogOnce sync.Once
	catalog     []*Rule
)

// ScopeHints returns lower-case strings one of which the lower-cased URL of
// any request some rule wants contains, unless the URL is percent-encoded.
// The extension checks them before asking the engine about a request, so
// the many requests no rule wants never cross into the engine (a crossing
// costs tens of microseconds). TestScopeHints keeps them true to the scopes.
func ScopeHints() []string {
	return slices.Concat(onboardHints, licenseHints, ssoHints)
}

// RuleByID returns the catalog's rule with id, or nil.
func RuleByID(id string) *Rule {
	for _, r := range Catalog() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
