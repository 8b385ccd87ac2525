package engine

// Catalog returns every rule, in the order they run. Within the onboard
// family the specific rules come first and onboard/failed last, so the
// catch-all only reports users no specific rule explained.
func Catalog() []*Rule {
	return []*Rule{
		carrierEmailExists,
	}
}
