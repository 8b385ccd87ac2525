package summary

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"hubdoctor/internal/engine"
)

// Options choose a TAC summary's format and language and name what it
// cites.
type Options struct {
	// Format is "markdown" (the default), "text" or "json".
	Format string `json:"format"`
	Lang   string `json:"lang"`
	// Browser recorded the session; HARName is the sanitized HAR to attach.
	Browser string `json:"browser"`
	HARName string `json:"harName"`
}

// FromJSON renders the TAC case summary of stored findings (JSON, as an
// earlier call returned them) with options (JSON; empty means defaults). It
// errors when either is not valid JSON of the right shape or the format is
// unknown.
func FromJSON(findingsJSON, optionsJSON []byte) (string, error) {
	var fs []engine.Finding
	if err := json.Unmarshal(findingsJSON, &fs); err != nil {
		return "", fmt.Errorf("findings: not a JSON array of findings: %v", err)
	}
	var opts Options
	if len(bytes.TrimSpace(optionsJSON)) > 0 {
		if err := json.Unmarshal(optionsJSON, &opts); err != nil {
			return "", fmt.Errorf("options: not a JSON object of summary options: %v", err)
		}
	}
	var out strings.Builder
	in := Input{Findings: fs, Browser: opts.Browser, HARName: opts.HARName}
	if err := Render(&out, in, opts.Format, opts.Lang); err != nil {
		return "", err
	}
	return out.String(), nil
}
