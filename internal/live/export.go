package live

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

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
	if s.sanitizers == nil {
		s.sanitizers = map[bool]*sanitize.Sanitizer{}
	}
	san := s.sanitizers[pseudonymize]
	if san == nil {
		san = sanitize.New(sanitize.Options{PseudonymizeEmails: pseudonymize})
		s.sanitizers[pseudonymize] = san
	}
	out, err := san.Entry(raw)
	return string(out), err
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
