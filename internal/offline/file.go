package offline

import (
	"bytes"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/explain"
	"hubdoctor/internal/sanitize"
)

// FileResult is what a whole HAR file produced.
type FileResult struct {
	Findings []explain.Shown `json:"findings"`
	// FailedCalls are the file's failed Webex calls, in entry order,
	// worded in lang (explain.Calls).
	FailedCalls []engine.FailedCall `json:"failedCalls"`
	// Entries is how many entries the file has (up to the break, if broken);
	// Inspected how many some rule read.
	Entries   int `json:"entries"`
	Inspected int `json:"inspected"`
	// Browser is the exporting browser, when the file says.
	Browser    string   `json:"browser"`
	RuleErrors []string `json:"ruleErrors"`
	// Error says where a broken file broke (one line); nil when it read to
	// the end. Findings then hold what was found before the break.
	Error *string `json:"error"`
}

// AnalyzeHAR analyses a whole HAR file in a fresh session (the live one is
// left alone) and explains the findings in lang. name is used in the error.
func AnalyzeHAR(data []byte, name, lang string) *FileResult {
	res, err := engine.AnalyzeHAR(bytes.NewReader(data), name, engine.NewSession(nil))
	return fileResult(res, err, lang)
}

// fileResult explains a whole-file result in lang, with err (where the file
// broke) as one line.
func fileResult(res *engine.Result, err error, lang string) *FileResult {
	out := &FileResult{
		Findings:    explain.ForViews(res.Findings, lang),
		FailedCalls: explain.Calls(res.FailedCalls, lang),
		Entries:     res.Entries,
		Inspected:   res.Inspected,
		Browser:     res.Browser,
		RuleErrors:  append([]string{}, res.RuleErrors...),
	}
	if err != nil {
		msg := err.Error()
		out.Error = &msg
	}
	return out
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
