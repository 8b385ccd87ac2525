package engine

import "sync"

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

// RuleByID returns the catalog's rule with id, or nil.
func RuleByID(id string) *Rule {
	for _, r := range Catalog() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
