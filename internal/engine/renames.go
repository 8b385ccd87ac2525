package engine

// Renamed maps retired rule IDs to the IDs that replaced them. An old ID is
// never given to another rule; TestCatalogComplete checks both.
var Renamed = map[string]string{}
