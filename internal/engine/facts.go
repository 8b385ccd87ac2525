package engine

import (
	"strings"

	"github.com/tidwall/gjson"
	"hubdoctor/internal/har"
)

// OrgID returns the organization ID from a Control Hub API path
// (".../organization/{orgId}/..." or ".../organizations/{orgId}/...",
// ".../customers/{orgId}/..."), or "".
func OrgID(rawURL string) string {
	path := har.URLPath(rawURL)
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		switch parts[i] {
		case "organization", "organizations", "customers", "orgs":
			if id := parts[i+1]; id != "" && id != "users" {
				return id
			}
		}
	}
	return ""
}

// TrackingIDInText returns a tracking ID written inside an error text
// ("TrackingId = ATLAS_…" as embedded in error descriptions), or "".
func TrackingIDInText(s string) string {
	return trackingIDInText(s)
}

// TrackingID returns the entry's tracking ID: the TrackingID response header
// (any case), else "trackingId" or "error.trackingId" in a JSON body, else the
// request's TrackingID header, else "".
func TrackingID(e *har.Entry) string {
	if v := e.ResponseHeaders.Get("TrackingID"); v != "" {
		return v
	}
	return trackingIDOf(e, parseBody(e.ResponseBody))
}

// trackingIDOf is TrackingID with the body parsed as b.
func trackingIDOf(e *har.Entry, b jsonBody) string {
	if v := e.ResponseHeaders.Get("TrackingID"); v != "" {
		return v
	}
	if b.valid {
		for _, p := range []string{"trackingId", "error.trackingId"} {
			if v := b.root.Get(p); v.Type == gjson.String && v.Str != "" {
				return v.Str
			}
		}
	}
	return e.RequestHeaders.Get("TrackingID")
}

// jsonBody is a response body parsed once for the readers that need it
// (a failed call reads its tracking ID, text and codes): valid is false
// when it is not JSON.
type jsonBody struct {
	root  gjson.Result
	valid bool
}

func parseBody(body []byte) jsonBody {
	if !gjson.ValidBytes(body) {
		return jsonBody{}
	}
	return jsonBody{root: gjson.ParseBytes(body), valid: true}
}

// ErrorText returns the service's error text from a JSON error body, trying
// error.message[] (joined), errors[].description, errorMessage, error (a
// string) and message in that order; "" when there is none.
func ErrorText(body []byte) string {
	return errorTextOf(parseBody(body))
}

// errorTextOf is ErrorText of a parsed body.
func errorTextOf(b jsonBody) string {
	if !b.valid {
		return ""
	}
	root := b.root
	var parts []string
	collect := func(r gjson.Result, field string) {
		r.ForEach(func(_, v gjson.Result) bool {
			if field != "" {
				v = v.Get(field)
			}
			if s := strings.TrimSpace(v.String()); s != "" && v.Type == gjson.String {
				parts = append(parts, s)
			}
			return true
		})
	}
	if m := root.Get("error.message"); m.IsArray() {
		collect(m, "description")
		if len(parts) == 0 {
			collect(m, "")
		}
	} else if m.Type == gjson.String {
		parts = append(parts, m.Str)
	}
	if len(parts) == 0 {
		collect(root.Get("errors"), "description")
	}
	if len(parts) > 0 {
		return strings.Join(parts, "; ")
	}
	for _, p := range []string{"errorMessage", "error", "message"} {
		if v := root.Get(p); v.Type == gjson.String && v.Str != "" {
			return v.Str
		}
	}
	return ""
}

// Verbatim returns a body as text for a finding, capped at MaxResponse bytes.
func Verbatim(body []byte) string {
	if len(body) > MaxResponse {
		return string(body[:MaxResponse]) + "\n[… truncated by Hub Doctor]"
	}
	return string(body)
}

// userAgentProducts are checked in order: Edge and Opera also say "Chrome".
var userAgentProducts = []struct{ token, name string }{
	{"Edg/", "Microsoft Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Version/", "Safari"},
}

// BrowserFromUserAgent names the browser and version in a User-Agent header
// ("Chrome 156.0.0.0", "Firefox 153.0"), or "" when it names none known.
func BrowserFromUserAgent(ua string) string {
	for _, p := range userAgentProducts {
		if i := strings.Index(ua, p.token); i >= 0 {
			v := ua[i+len(p.token):]
			if j := strings.IndexAny(v, " ;)"); j >= 0 {
				v = v[:j]
			}
			return p.name + " " + v
		}
	}
	return ""
}
