//go:build !amd64

package jsonspan

// stringMasks is swarStringMasks.
func stringMasks(p *[64]byte) (quote, backslash, control uint64) { return swarStringMasks(p) }

// quoteMasks is swarQuoteMasks.
func quoteMasks(p *[64]byte) (quote, backslash uint64) { return swarQuoteMasks(p) }
