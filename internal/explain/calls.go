package explain

import (
	"encoding/json"
	"strings"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/messages"
	"hubdoctor/internal/sanitize"
)

// Call readies c for the views in lang: URL, message, request and response
// sanitized (sanitize.Quoted: secret parameters, members and tokens
// redacted), a JSON Response indented as the TAC summary quotes it
// (Pretty), and an expected call's Reason worded. Every view, export and
// report shows failed calls through it; it may run again on its own output.
func Call(c engine.FailedCall, lang string) engine.FailedCall {
	c.URL = sanitize.Quoted(c.URL)
	c.Message = sanitize.Quoted(c.Message)
	c.Request = sanitizeRequest(c.Request)
	c.Response = sanitize.Quoted(c.Response)
	if c.Response != "" && json.Valid([]byte(c.Response)) {
		c.Response = Pretty(c.Response)
	}
	if key := engine.ReasonKey(c.Known); c.Expected && key != "" {
		c.Reason = messages.Localize(lang, key)
	}
	return c
}

// sanitizeRequest sanitizes a FailedCall's Request: the head (request line
// and headers) as text, the body after the blank line as a body, so secret
// members of a JSON body are redacted too.
func sanitizeRequest(r string) string {
	head, body, ok := strings.Cut(r, "\n\n")
	head = sanitize.Quoted(head)
	if !ok {
		return head
	}
	return head + "\n\n" + sanitize.Quoted(body)
}

// Calls is Call for every call; it never returns nil, so an empty list
// encodes as [].
func Calls(calls []engine.FailedCall, lang string) []engine.FailedCall {
	out := make([]engine.FailedCall, len(calls))
	for i, c := range calls {
		out[i] = Call(c, lang)
	}
	return out
}
