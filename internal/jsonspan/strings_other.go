//go:build !amd64

package jsonspan

// stringMasks is swarStringMasks.
func stringMasks(p *[64]byte) (quote, backslash, control uint64) { return swarStringMasks(p) }

// blocksEnd is swarBlocksEnd.
func blocksEnd(b []byte, i int, carry uint64) (end, next int) { return swarBlocksEnd(b, i, carry) }
