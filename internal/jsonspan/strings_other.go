//go:build !amd64

package jsonspan

// stringEndFrom is StringEndFrom.
func stringEndFrom(b []byte, start, from int) int { return stringEndPortable(b, start, from) }

// validString is validStringPortable.
func validString(b []byte, i int) int { return validStringPortable(b, i) }

// checkStringFrom is CheckStringFrom: the string's end first, then its
// contents, once it closes in b.
func checkStringFrom(b []byte, start, from int) (end int, ok bool, next int) {
	if end = stringEndPortable(b, start, from); end < 0 {
		return -1, true, len(b)
	}
	return end, validStringPortable(b, start) == end, 0
}
