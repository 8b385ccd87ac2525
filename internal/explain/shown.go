package explain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"hubdoctor/internal/engine"
)

// Shown is an explained finding as the extension's views show it.
type Shown struct {
	Explained
	// ResponseDisplay is a JSON Response ready to show as text: indented, as
	// the TAC summary quotes it (Pretty). Other text (an HTML error
	// page) is shown as it came: then it is empty, not a second copy.
	ResponseDisplay string `json:"responseDisplay,omitempty"`
}

// ForView explains f in lang for the extension's views.
func ForView(f engine.Finding, lang string) Shown {
	x := Shown{Explained: Explain(f, lang)}
	if f.Response != "" && json.Valid([]byte(f.Response)) {
		x.ResponseDisplay = Pretty(f.Response)
	}
	return x
}

// ForViews is ForView for every finding.
func ForViews(fs []engine.Finding, lang string) []Shown {
	return each(fs, lang, ForView)
}

// Stored renders stored findings (as JSON, such as an earlier call returned
// them) in lang. It errors when findingsJSON is not an array of findings.
func Stored(findingsJSON []byte, lang string) ([]Shown, error) {
	var fs []engine.Finding
	if err := json.Unmarshal(findingsJSON, &fs); err != nil {
		return nil, fmt.Errorf("findings: not a JSON array of findings: %v", err)
	}
	return ForViews(fs, lang), nil
}

// Pretty is a response body as Hub Doctor shows it, in the TAC summary and
// the extension's views: JSON indented two spaces, its tokens as
// they came; other text trimmed of surrounding space.
func Pretty(body string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(body), "", "  "); err != nil {
		return strings.TrimSpace(body)
	}
	return b.String()
}
