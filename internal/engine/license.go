package engine

import (
	"encoding/base64"
	"strings"

	"github.com/tidwall/gjson"
	"hubdoctor/internal/har"
)

// The licence family reads the public licence API (PATCH /v1/licenses/users,
// docs/webex-signatures.md §4). Its errors come in an
// envelope {message, errors:[{errorCode, description}], trackingId}; HTTP 206
// means some of the licences were applied and others not. One call edits one
// user, so each rule reports the call once.

// licenseAPISource names the public source of the licence API's codes.
const licenseAPISource = "Webex developer documentation, Licenses API: Assign Licenses to Users (PATCH /v1/licenses/users), error codes of its schema, " +
	"https://developer.webex.com/docs/api/v1/licenses/assign-licenses-to-users"

// inLicenseScope matches PATCH …/v1/licenses/users by path, on any host.
// licenseHints: every URL inLicenseScope accepts contains one of these.
var licenseHints = []string{"/licenses/users"}

func inLicenseScope(r har.Request) bool {
	return strings.EqualFold(r.Method, "PATCH") &&
		strings.HasSuffix(strings.TrimSuffix(r.Path(), "/"), "/v1/licenses/users")
}

// envelopeCodes returns the error codes of a JSON error envelope:
// errors[].errorCode, else a top-level errorCode; nil when there is none.
func envelopeCodes(body []byte) []string {
	return envelopeCodesOf(parseBody(body))
}

// envelopeCodesOf is envelopeCodes of a parsed body.
func envelopeCodesOf(b jsonBody) []string {
	if !b.valid {
		return nil
	}
	var codes []string
	for _, path := range []string{"errors.#.errorCode", "errorCode"} {
		r := b.root.Get(path)
		if r.IsArray() {
			for _, c := range r.Array() {
				codes = append(codes, c.String())
			}
		} else if r.Exists() && len(codes) == 0 {
			codes = append(codes, r.String())
		}
	}
	return codes
}

// licenseCodes returns the envelope's codes, parsed once per entry and
// shared by the family's rules.
func licenseCodes(c *Context) []string {
	return c.Cached("license", func() any { return envelopeCodes(c.Entry.ResponseBody) }).([]string)
}

// licenseCall builds a Check reporting the call once when match accepts its
// status and codes and no earlier rule of the family claimed it.
func licenseCall(match func(status int, codes []string) bool) func(*Context) []Finding {
	return func(c *Context) []Finding {
		if !match(c.Entry.Status, licenseCodes(c)) || !c.Claim("call") {
			return nil
		}
		f := c.Finding()
		f.Flow = FlowEditLicenses
		f.Codes = licenseCodes(c)
		f.Description = failureText(c.Entry.ResponseBody)
		f.Response = Verbatim(c.Entry.ResponseBody)
		// The request names the user by e-mail or by personId (not an
		// e-mail); a successful part of a 206 echoes the e-mail back.
		f.Email = gjson.GetBytes(c.Entry.RequestBody, "email").String()
		if f.Email == "" && gjson.ValidBytes(c.Entry.ResponseBody) {
			f.Email = gjson.GetBytes(c.Entry.ResponseBody, "email").String()
		}
		if f.OrgID == "" {
			f.OrgID = hydraUUID(gjson.GetBytes(c.Entry.RequestBody, "orgId").String())
		}
		return []Finding{f}
	}
}

// withCode matches a refused or partly refused call (≥ 400, or 206)
// carrying one of want.
func withCode(want ...string) func(int, []string) bool {
	return func(status int, codes []string) bool {
		if status < 400 && status != 206 {
			return false
		}
		for _, c := range codes {
			for _, w := range want {
				if c == w {
					return true
				}
			}
		}
		return false
	}
}

// hydraUUID turns a public API ID ("ciscospark://us/ORGANIZATION/<uuid>"
// in base64) into the bare UUID Control Hub shows as the organization ID.
// Anything else comes back unchanged, so no ID is lost.
func hydraUUID(id string) string {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(id, "="))
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(id, "="))
	}
	if err != nil || !strings.HasPrefix(string(raw), "ciscospark://") {
		return id
	}
	s := string(raw)
	return s[strings.LastIndexByte(s, '/')+1:]
}

// licenseRules lists the family in the order they run: coded rules first,
// then the 206 warning, the catch-all last.
func licenseRules() []*Rule {
	return []*Rule{
		licenseIncompatibleCalling,
		licenseAttendantConsole,
		licenseCallingProperties,
		licenseProfessionalToStandard,
		licenseNotRecognized,
		licensePartialSuccess,
		licenseFailed,
	}
}

// licenseStatus matches a call by its HTTP status alone.
func licenseStatus(match func(int) bool) func(int, []string) bool {
	return func(status int, _ []string) bool { return match(status) }
}
