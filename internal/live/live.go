// Package live is the pure-Go side of the extension's live diagnosis: the one
// session the DevTools page feeds entry by entry, with the sanitized copies it
// keeps for the export, and the page observer's records, tab by tab, in the
// background (observe.go). It takes what the browser hands over (entry JSON,
// the body getContent returned, an observer record) and returns values ready
// to encode as JSON, so the WebAssembly adapters in wasm/ stay thin and
// everything that decides is tested natively.
package live

import (
	"encoding/json"
	"errors"
	"fmt"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/har"
	"hubdoctor/internal/sanitize"
)

// Session is one live capture: the engine session that keeps state across
// entries (the SAML response that preceded an SSO error page) and the running
// entry count that numbers them.
type Session struct {
	engine *engine.Session
	// next is the index the next entry gets; it counts every entry offered,
	// failed ones included, so indexes stay unique within a capture.
	next int
	// sanitizers serve SanitizeEntry, one per pseudonymize setting, so
	// pseudonyms are stable for the session.
	sanitizers map[bool]*sanitize.Sanitizer
	// lines is SanitizeEntries' output, whose storage the next batch reuses.
	lines []byte
}

// NewSession starts a live capture running the whole catalog.
func NewSession() *Session {
	return &Session{engine: engine.NewSession(nil)}
}

// NeedsBody reports whether some rule wants the request, or it is a failed
// Webex call, from what DevTools knows before fetching the body. mimeType may carry parameters
// ("application/json; charset=utf-8").
func (s *Session) NeedsBody(method, url string, status int, mimeType string) bool {
	return s.engine.NeedsBody(har.NewRequest(method, url, status, mimeType))
}

// Content is a response body as DevTools' getContent returns it: the text and
// its encoding ("base64" or "").
type Content struct {
	Text     string
	Encoding string
}

// EntryResult is what one live entry produced.
type EntryResult struct {
	Findings []Keyed `json:"findings"`
	// FailedCalls are the entry's failed Webex calls (engine.FailedCalls),
	// worded in the session's language: the call itself, or each user that
	// failed inside its answer, so an entry may have several.
	FailedCalls []KeyedCall `json:"failedCalls"`
	// RuleErrors lists rules that failed on the entry (a bug in Hub Doctor);
	// the other rules still ran.
	RuleErrors []string `json:"ruleErrors"`
}

// AnalyzeEntry runs the session on one DevTools HAR entry (JSON), with its
// response body replaced by content when content is not nil, and explains the
// findings in lang. It errors, naming the entry's index, when the entry is not
// a JSON object or the body does not decode.
func (s *Session) AnalyzeEntry(entryJSON []byte, content *Content, lang string) (*EntryResult, error) {
	index := s.next
	s.next++
	raw := entryJSON
	if content != nil {
		var err error
		if raw, err = WithContent(entryJSON, *content); err != nil {
			return nil, fmt.Errorf("entry %d: %v", index, err)
		}
	}
	e, err := har.ParseEntry(raw, index)
	if err != nil {
		return nil, err
	}
	fs, rerr := s.engine.Analyze(e)
	res := &EntryResult{Findings: keyed(fs, e, lang), FailedCalls: keyedCalls(s.engine.FailedCalls(e, fs), e, lang), RuleErrors: []string{}}
	if rerr != nil {
		res.RuleErrors = append(res.RuleErrors, rerr.Error())
	}
	return res, nil
}

// WithContent returns the entry JSON with response.content.text and
// response.content.encoding set from c (encoding removed when c has none):
// DevTools hands over an entry without its body and the body apart. Other
// members are kept as they were, though object keys come out sorted. It
// errors when the entry, its response or its content is not a JSON object.
func WithContent(entryJSON []byte, c Content) ([]byte, error) {
	var entry map[string]json.RawMessage
	if err := decodeObject(entryJSON, &entry); err != nil {
		return nil, err
	}
	var resp, content map[string]json.RawMessage
	if err := decodeMember(entry, "response", &resp); err != nil {
		return nil, err
	}
	if err := decodeMember(resp, "content", &content); err != nil {
		return nil, fmt.Errorf("response.%v", err)
	}
	content["text"] = mustMarshal(c.Text)
	delete(content, "encoding")
	if c.Encoding != "" {
		content["encoding"] = mustMarshal(c.Encoding)
	}
	resp["content"] = mustMarshal(content)
	entry["response"] = mustMarshal(resp)
	return json.Marshal(entry)
}

// decodeObject decodes raw into a map, erroring when it is not a JSON object.
func decodeObject(raw []byte, into *map[string]json.RawMessage) error {
	if !json.Valid(raw) {
		return errors.New("not valid JSON")
	}
	if err := json.Unmarshal(raw, into); err != nil || *into == nil {
		return errors.New("not a JSON object")
	}
	return nil
}

// decodeMember decodes obj[key] into a map; an absent member gives an empty one.
func decodeMember(obj map[string]json.RawMessage, key string, into *map[string]json.RawMessage) error {
	raw, ok := obj[key]
	if !ok {
		*into = map[string]json.RawMessage{}
		return nil
	}
	if err := json.Unmarshal(raw, into); err != nil || *into == nil {
		return fmt.Errorf("%s is not a JSON object", key)
	}
	return nil
}

// mustMarshal encodes values that always encode (strings, maps of raw JSON
// already validated).
func mustMarshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
