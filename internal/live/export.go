package live

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/sanitize"
	"hubdoctor/internal/summary"
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
	arr := gjson.ParseBytes(arrayJSON)
	if !arr.IsArray() || !gjson.ValidBytes(arrayJSON) {
		return "", fmt.Errorf("entries: not a JSON array")
	}
	san := s.sanitizer(pseudonymize)
	var out []byte
	var err error
	i := 0
	arr.ForEach(func(_, e gjson.Result) bool {
		if i > 0 {
			out = append(out, '\n')
		}
		start := len(out)
		// e.Index is where the element starts in arrayJSON: no copy.
		if out, err = san.AppendEntry(out, arrayJSON[e.Index:e.Index+len(e.Raw)]); err != nil {
			err = fmt.Errorf("entry %d: %v", i, err)
			return false
		}
		if bytes.IndexByte(out[start:], '\n') >= 0 {
			var c bytes.Buffer
			if err = json.Compact(&c, out[start:]); err != nil {
				err = fmt.Errorf("entry %d: %v", i, err)
				return false
			}
			out = append(out[:start], c.Bytes()...)
		}
		i++
		return true
	})
	return string(out), err
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

// SanitizeHAR returns a whole HAR file sanitized and stamped. name is used in
// errors, which say where the file broke (file, entry, byte).
func SanitizeHAR(data []byte, name string, pseudonymize bool) (string, error) {
	var out bytes.Buffer
	if _, err := sanitize.HAR(bytes.NewReader(data), &out, name, sanitize.Options{PseudonymizeEmails: pseudonymize}); err != nil {
		return "", err
	}
	return out.String(), nil
}

// SummaryOptions choose a TAC summary's format and language and name what it
// cites.
type SummaryOptions struct {
	// Format is "markdown" (the default), "text" or "json".
	Format string `json:"format"`
	Lang   string `json:"lang"`
	// Browser recorded the session; HARName is the sanitized HAR to attach.
	Browser string `json:"browser"`
	HARName string `json:"harName"`
}

// Summary renders the TAC case summary of stored findings (JSON, as an
// earlier call returned them) with options (JSON; empty means defaults). It
// errors when either is not valid JSON of the right shape or the format is
// unknown.
func Summary(findingsJSON, optionsJSON []byte) (string, error) {
	var fs []engine.Finding
	if err := json.Unmarshal(findingsJSON, &fs); err != nil {
		return "", fmt.Errorf("findings: not a JSON array of findings: %v", err)
	}
	var opts SummaryOptions
	if len(bytes.TrimSpace(optionsJSON)) > 0 {
		if err := json.Unmarshal(optionsJSON, &opts); err != nil {
			return "", fmt.Errorf("options: not a JSON object of summary options: %v", err)
		}
	}
	var out strings.Builder
	in := summary.Input{Findings: fs, Browser: opts.Browser, HARName: opts.HARName}
	if err := summary.Render(&out, in, opts.Format, opts.Lang); err != nil {
		return "", err
	}
	return out.String(), nil
}
