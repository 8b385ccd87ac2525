package jsonspan

// stringMasks is swarStringMasks with SSE2 (strings_amd64.s).
//
//go:noescape
func stringMasks(p *[64]byte) (quote, backslash, control uint64)

// quoteMasks is swarQuoteMasks with SSE2 (strings_amd64.s).
//
//go:noescape
func quoteMasks(p *[64]byte) (quote, backslash uint64)
