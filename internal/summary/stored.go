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
	// FailedCalls are the session's failed calls (as the views got them):
	// the summary lists the unexpected ones no finding explains.
	FailedCalls []engine.FailedCall `json:"failedCalls"`
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
	opts, err := readOptions(optionsJSON)
	if err != nil {
		return "", err
	}
	in := Input{Findings: fs, FailedCalls: opts.FailedCalls, Browser: opts.Browser, HARName: opts.HARName}
	return written(Build(in, opts.Lang), opts.Format)
}

// CallFromJSON renders the TAC summary of one failed call no rule knows
// (BuildCall: "Copy for TAC"), the call as JSON (a FailedCall, as an
// earlier call returned it), with options (JSON; empty means defaults;
// failedCalls is not read). It errors when either is not valid JSON of the
// right shape or the format is unknown.
func CallFromJSON(callJSON, optionsJSON []byte) (string, error) {
	var call engine.FailedCall
	if !bytes.HasPrefix(bytes.TrimSpace(callJSON), []byte("{")) {
		return "", fmt.Errorf("call: not a JSON object of a failed call")
	}
	if err := json.Unmarshal(callJSON, &call); err != nil {
		return "", fmt.Errorf("call: not a JSON object of a failed call: %v", err)
	}
	opts, err := readOptions(optionsJSON)
	if err != nil {
		return "", err
	}
	return written(BuildCall(call, opts.Browser, opts.HARName, opts.Lang), opts.Format)
}

// readOptions reads summary options; empty JSON means defaults.
func readOptions(optionsJSON []byte) (Options, error) {
	var opts Options
	if len(bytes.TrimSpace(optionsJSON)) > 0 {
		if err := json.Unmarshal(optionsJSON, &opts); err != nil {
			return opts, fmt.Errorf("options: not a JSON object of summary options: %v", err)
		}
	}
	return opts, nil
}

// written is c written in format, as a string.
func written(c Case, format string) (string, error) {
	var out strings.Builder
	if err := Write(&out, c, format); err != nil {
		return "", err
	}
	return out.String(), nil
}
