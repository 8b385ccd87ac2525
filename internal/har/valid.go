package har

import (
	"bytes"
	"encoding/binary"
)

// valid reports whether data is exactly one JSON value (RFC 8259) with
// optional white space around it, nested at most maxDepth deep. It does what
// gjson.ValidBytes does, without recursion and about twice as fast on the
// long strings HAR bodies are, which is where a scan spends most of its time
// (BenchmarkValidationShare).
func valid(data []byte) bool {
	var stack []byte // closing bracket of each open object or array
	i := skipWS(data, 0)
	for {
		// A value starts at i.
		if i >= len(data) {
			return false
		}
		var ok bool
		switch c := data[i]; {
		case c == '{' || c == '[':
			if len(stack) >= maxDepth {
				return false
			}
			i = skipWS(data, i+1)
			if i < len(data) && data[i] == c+2 { // empty: '{'+2 == '}', '['+2 == ']'
				i, ok = i+1, true
				break
			}
			stack = append(stack, c+2)
			if c == '{' {
				if i, ok = key(data, i); !ok {
					return false
				}
			}
			continue
		case c == '"':
			i, ok = str(data, i+1)
		case c == 't':
			i, ok = literal(data, i, "true")
		case c == 'f':
			i, ok = literal(data, i, "false")
		case c == 'n':
			i, ok = literal(data, i, "null")
		default:
			i, ok = number(data, i)
		}
		if !ok {
			return false
		}
		// After a value: close brackets, or go on after a comma.
		for {
			i = skipWS(data, i)
			if len(stack) == 0 {
				return i == len(data)
			}
			if i >= len(data) {
				return false
			}
			top := stack[len(stack)-1]
			if data[i] == top {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if data[i] != ',' {
				return false
			}
			i = skipWS(data, i+1)
			if top == '}' {
				if i, ok = key(data, i); !ok {
					return false
				}
			}
			break
		}
	}
}

// key reads `"name" :` at i and returns the index after the colon.
func key(data []byte, i int) (int, bool) {
	if i >= len(data) || data[i] != '"' {
		return i, false
	}
	i, ok := str(data, i+1)
	if !ok {
		return i, false
	}
	i = skipWS(data, i)
	if i >= len(data) || data[i] != ':' {
		return i, false
	}
	return skipWS(data, i+1), true
}

func skipWS(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t') {
		i++
	}
	return i
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plain8 reports whether none of 8 bytes is a backslash or a control
// character, with the "has zero byte" and "has byte less than" bit tricks
// (Hacker's Delight, 6-1).
func plain8(x uint64) bool {
	b := x ^ (ones * '\\')
	return ((b-ones)&^b|(x-ones*0x20)&^x)&highs == 0
}

// str checks a string whose contents start at i and returns the index after
// its closing quote. It finds the next quote with bytes.IndexByte, then
// checks the bytes before it eight at a time; a quote that an escape
// consumes sends it on to the next one.
func str(data []byte, i int) (int, bool) {
	for {
		q := bytes.IndexByte(data[i:], '"')
		if q < 0 {
			return len(data), false
		}
		q += i
		for i < q {
			for i+8 <= q && plain8(binary.LittleEndian.Uint64(data[i:])) {
				i += 8
			}
			if i >= q {
				break
			}
			switch c := data[i]; {
			case c < 0x20:
				return i, false
			case c == '\\':
				if i+1 >= len(data) {
					return i, false
				}
				switch data[i+1] {
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
					i += 2
				case 'u':
					if i+6 > len(data) || !hex(data[i+2]) || !hex(data[i+3]) || !hex(data[i+4]) || !hex(data[i+5]) {
						return i, false
					}
					i += 6
				default:
					return i, false
				}
			default:
				i++
			}
		}
		if i == q {
			return q + 1, true
		}
		// An escape took the quote at q ("\""): look for the next one.
	}
}

func hex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func literal(data []byte, i int, word string) (int, bool) {
	if len(data)-i < len(word) || string(data[i:i+len(word)]) != word {
		return i, false
	}
	return i + len(word), true
}

// number checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at i.
func number(data []byte, i int) (int, bool) {
	digits := func(i int) (int, bool) {
		start := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		return i, i > start
	}
	if i < len(data) && data[i] == '-' {
		i++
	}
	if i < len(data) && data[i] == '0' {
		i++
	} else {
		var ok bool
		if i, ok = digits(i); !ok {
			return i, false
		}
	}
	if i < len(data) && data[i] == '.' {
		var ok bool
		if i, ok = digits(i + 1); !ok {
			return i, false
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		var ok bool
		if i, ok = digits(i); !ok {
			return i, false
		}
	}
	return i, true
}
