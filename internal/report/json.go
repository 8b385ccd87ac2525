package report

import (
	"encoding/json"
	"io"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/explain"
	"hubdoctor/internal/version"
)

// Document is the CLI's JSON report.
type Document struct {
	Tool      string              `json:"tool"`
	Version   string              `json:"version"`
	File      string              `json:"file"`
	Browser   string              `json:"browser,omitempty"`
	Entries   int                 `json:"entries"`
	Inspected int                 `json:"inspected"`
	Findings  []explain.Explained `json:"findings"`
	// FailedCalls are the file's failed Webex calls, sanitized
	// (explain.Calls): the expected ones and those a finding explains
	// (rule) included.
	FailedCalls []engine.FailedCall `json:"failedCalls"`
	RuleErrors  []string            `json:"ruleErrors,omitempty"`
	// Error is the input error that stopped the analysis early, if any.
	Error string `json:"error,omitempty"`
}

// WriteJSON writes res as an indented Document, findings explained and
// failed calls readied in lang. res may be nil when the file could not be
// read at all: the Document then only names the file and the error.
func WriteJSON(w io.Writer, res *engine.Result, meta Meta, lang string) error {
	return encode(w, document(res, meta, lang), "  ")
}

// WriteJSONLine writes res as a Document on one line, for JSON Lines: one
// report per file of a batch.
func WriteJSONLine(w io.Writer, res *engine.Result, meta Meta, lang string) error {
	return encode(w, document(res, meta, lang), "")
}

func document(res *engine.Result, meta Meta, lang string) Document {
	doc := Document{Tool: "Hub Doctor", Version: version.Version, File: meta.File,
		Findings: []explain.Explained{}, FailedCalls: []engine.FailedCall{}}
	if res != nil {
		doc.Browser, doc.Entries, doc.Inspected, doc.RuleErrors = res.Browser, res.Entries, res.Inspected, res.RuleErrors
		doc.Findings, doc.FailedCalls = explain.ExplainAll(res.Findings, lang), explain.Calls(res.FailedCalls, lang)
	}
	if meta.Err != nil {
		doc.Error = meta.Err.Error()
	}
	return doc
}

func encode(w io.Writer, doc Document, indent string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", indent)
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
