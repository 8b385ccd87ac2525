package summary

import (
	"encoding/json"
	"io"
)

// WriteJSON writes c as an indented JSON document.
func WriteJSON(w io.Writer, c Case) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(c)
}
