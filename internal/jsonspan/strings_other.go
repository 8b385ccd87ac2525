//go:build !amd64

package jsonspan

// stringEndFrom is StringEndFrom.
func stringEndFrom(b []byte, start, from int) int { return stringEndPortable(b, start, from) }

// validString is validStringPortable.
func validString(b []byte, i int) int { return validStringPortable(b, i) }
