package live

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/sanitize"
	"hubdoctor/internal/version"
)

// SanitizeEntry returns one live entry, with its body inserted when content
// is not nil, sanitized for the export buffer. E-mail pseudonyms stay stable
// across the entries of one session, so one address reads the same in every
// exported entry. It errors when the entry is not a JSON object.
func (s *Session) SanitizeEntry(entryJSON []byte, content *Content, pseudonymize bool) (string, error) {
	raw := entryJSON
	if content != nil {
		var err error
		if raw, err = WithContent(entryJSON, *content); err != nil {
			return "", fmt.Errorf("entry: %v", err)
		}
	}
	out, err := s.sanitizer(pseudonymize).Entry(raw)
	return string(out), err
}

// SanitizeEntries sanitizes a JSON array of live entries without bodies
// (the requests no rule reads, batched so that they cross into the engine
// once) and returns them one per line, in order: a sanitized entry is
// compact JSON, which never holds a raw line break. It errors, naming the
// entry, when the array or one of its elements is not a JSON object.
func (s *Session) SanitizeEntries(arrayJSON []byte, pseudonymize bool) (string, error) {
	out := s.lines[:0]
	_, err := s.sanitizer(pseudonymize).Entries(arrayJSON, func(i int, entry []byte) error {
		if i > 0 {
			out = append(out, '\n')
		}
		if bytes.IndexByte(entry, '\n') < 0 {
			out = append(out, entry...)
			return nil
		}
		c := bytes.NewBuffer(out)
		if err := json.Compact(c, entry); err != nil {
			return fmt.Errorf("entry %d: %v", i, err)
		}
		out = c.Bytes()
		return nil
	})
	s.lines = out
	if err != nil {
		return "", fmt.Errorf("entries: %v", err)
	}
	return string(out), nil
}

// sanitizer returns the session's sanitizer for a pseudonymize setting, so
// pseudonyms are stable across the session's entries.
func (s *Session) sanitizer(pseudonymize bool) *sanitize.Sanitizer {
	if s.sanitizers == nil {
		s.sanitizers = map[bool]*sanitize.Sanitizer{}
	}
	san := s.sanitizers[pseudonymize]
	if san == nil {
		san = sanitize.New(sanitize.Options{PseudonymizeEmails: pseudonymize})
		s.sanitizers[pseudonymize] = san
	}
	return san
}

// WrapHAR returns entries the engine already sanitized (a JSON array of what
// SanitizeEntry, SanitizeEntries or Tabs.Observe gave) as a HAR 1.2 file with
// comment, stamped like SanitizeHAR's output, without sanitizing them again:
// the entries are copied as they are. With pseudonymize, e-mail addresses,
// which the kept copies still carry, are replaced by pseudonyms stable within
// the file: that one pass through the sanitizer remains. It errors when
// entriesJSON is not an array of JSON objects.
func WrapHAR(entriesJSON []byte, comment string, pseudonymize bool) (string, error) {
	return wrapHAR(entriesJSON, func(int) string { return comment }, pseudonymize)
}

// wrapHAR is WrapHAR with the comment made from the number of entries.
func wrapHAR(entriesJSON []byte, comment func(entries int) string, pseudonymize bool) (string, error) {
	san := sanitize.New(sanitize.Options{PseudonymizeEmails: pseudonymize})
	var entries []byte
	n, err := eachElement(entriesJSON, func(i int, raw []byte, object bool) (err error) {
		if i > 0 {
			entries = append(entries, ',')
		}
		switch {
		case !object:
			return fmt.Errorf("entries: entry %d is not a JSON object", i)
		case pseudonymize:
			if entries, err = san.AppendEntry(entries, raw); err != nil {
				return fmt.Errorf("entries: entry %d: %v", i, err)
			}
		default:
			entries = append(entries, raw...)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	// The comment goes through the sanitizer as any log member would.
	c, err := san.Member("comment", mustMarshal(comment(n)))
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	out.Grow(len(entries) + len(c) + 256)
	out.WriteString(`{"log":{"version":"1.2","creator":`)
	out.Write(mustMarshal(map[string]string{"name": "Hub Doctor", "version": version.Version}))
	out.WriteString(`,"pages":[],"comment":`)
	out.Write(c)
	out.WriteString(`,"entries":[`)
	out.Write(entries)
	out.WriteString(`],"_sanitizer":`)
	out.Write(san.Stamp())
	out.WriteString("}}\n")
	return out.String(), nil
}

// eachElement calls fn with each element of the JSON array arrayJSON, in
// order: its index, its bytes (a slice of arrayJSON, not a copy) and whether
// it is an object. It stops at fn's first error and returns how many
// elements fn took and that error; it errors when arrayJSON is not a valid
// JSON array.
func eachElement(arrayJSON []byte, fn func(i int, raw []byte, object bool) error) (int, error) {
	arr := gjson.ParseBytes(arrayJSON)
	if !arr.IsArray() || !gjson.ValidBytes(arrayJSON) {
		return 0, fmt.Errorf("entries: not a JSON array")
	}
	var err error
	n := 0
	arr.ForEach(func(_, e gjson.Result) bool {
		// e.Index is where the element starts in arrayJSON.
		if err = fn(n, arrayJSON[e.Index:e.Index+len(e.Raw)], e.IsObject()); err == nil {
			n++
		}
		return err == nil
	})
	return n, err
}
