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
	Tool       string              `json:"tool"`
	Version    string              `json:"version"`
	File       string              `json:"file"`
	Browser    string              `json:"browser,omitempty"`
	Entries    int                 `json:"entries"`
	Inspected  int                 `json:"inspected"`
	Findings   []explain.Explained `json:"findings"`
	RuleErrors []string            `json:"ruleErrors,omitempty"`
	// Error is the input error that stopped the analysis early, if any.
	Error string `json:"error,omitempty"`
}

// WriteJSON writes res as a Document, findings explained in lang.
func WriteJSON(w io.Writer, res *engine.Result, meta Meta, lang string) error {
	doc := Document{
		Tool: "Hub Doctor", Version: version.Version, File: meta.File, Browser: res.Browser,
		Entries: res.Entries, Inspected: res.Inspected,
		Findings: explain.ExplainAll(res.Findings, lang), RuleErrors: res.RuleErrors,
	}
	if meta.Err != nil {
		doc.Error = meta.Err.Error()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
