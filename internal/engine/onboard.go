package engine

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
	"hubdoctor/internal/har"
)

// The onboard family reads POST …/users/onboard responses
// (docs/webex-signatures.md §1–2). The call's HTTP status is
// often 200 even when users failed: the outcome is per user, in the body.

// inOnboardScope matches the onboard call by path, never by host (hosts vary
// by region): …/organization/{orgId}/users/onboard, trailing slash or not.
// onboardHints: every URL inOnboardScope accepts contains one of these.
var onboardHints = []string{"/users/onboard"}

func inOnboardScope(r har.Request) bool {
	if !strings.EqualFold(r.Method, "POST") {
		return false
	}
	p := strings.TrimSuffix(r.Path(), "/")
	return strings.HasSuffix(p, "/users/onboard") && strings.Contains(p, "/organization/")
}

// onboardUser is one user's outcome in an onboard response, whichever of the
// two body shapes it came from.
type onboardUser struct {
	Email string
	// UUID is the user's ID when the answer gives one.
	UUID   string
	Status int
	// Codes holds errorList[].errorCode (current shape) or message (older shape).
	Codes []string
	// Description joins errorList[].description, or the older shape's message text.
	Description string
}

// HasCode reports whether the user's outcome carries any of codes.
func (u onboardUser) HasCode(codes ...string) bool {
	for _, c := range u.Codes {
		for _, want := range codes {
			if c == want {
				return true
			}
		}
	}
	return false
}

// failedWith matches a failed user (status ≥ 400) carrying one of codes. A
// code inside a success status is not the failure the table describes.
func failedWith(codes ...string) func(onboardUser) bool {
	return func(u onboardUser) bool { return u.Status >= 400 && u.HasCode(codes...) }
}

// succeededWith matches a user created or accepted (status 2xx) carrying one
// of codes: the table's warnings and notes ride on success statuses.
func succeededWith(codes ...string) func(onboardUser) bool {
	return func(u onboardUser) bool { return u.Status >= 200 && u.Status < 300 && u.HasCode(codes...) }
}

// onboardUsers returns the per-user outcomes of the context's onboard
// response, parsed once per entry and shared by the family's rules. ok is
// false when the body is neither shape (the call failed outright, or the
// body is not JSON).
func onboardUsers(c *Context) (users []onboardUser, ok bool) {
	type parsed struct {
		users []onboardUser
		ok    bool
	}
	p := c.Cached("onboard", func() any {
		u, ok := parseOnboard(c.Entry.ResponseBody)
		return parsed{u, ok}
	}).(parsed)
	return p.users, p.ok
}

// parseOnboard reads `[{email, uuid, status, errorList:[{errorCode, description}]}]`
// (current) or `{userResponse:[{email, httpStatus, message, status}]}` (older).
// It reports false when body is neither shape.
func parseOnboard(body []byte) ([]onboardUser, bool) {
	if !gjson.ValidBytes(body) {
		return nil, false
	}
	root := gjson.ParseBytes(body)
	var list gjson.Result
	older := false
	switch {
	case root.IsArray():
		list = root
	case root.IsObject() && root.Get("userResponse").IsArray():
		list, older = root.Get("userResponse"), true
	default:
		return nil, false
	}
	var users []onboardUser
	list.ForEach(func(_, u gjson.Result) bool {
		ou := onboardUser{Email: u.Get("email").String(), UUID: u.Get("uuid").String()}
		if older {
			ou.Status = int(u.Get("httpStatus").Int())
			if m := strings.TrimSpace(u.Get("message").String()); m != "" {
				if _, err := strconv.Atoi(m); err == nil {
					ou.Codes = append(ou.Codes, m)
				} else {
					ou.Description = m
				}
			}
			if ou.Status == 0 {
				ou.Status = int(u.Get("status").Int())
			}
		} else {
			ou.Status = int(u.Get("status").Int())
			var descs []string
			u.Get("errorList").ForEach(func(_, e gjson.Result) bool {
				if code := e.Get("errorCode"); code.Exists() {
					ou.Codes = append(ou.Codes, code.String())
				}
				if d := e.Get("description").String(); d != "" {
					descs = append(descs, d)
				}
				return true
			})
			ou.Description = strings.Join(descs, "\n")
		}
		users = append(users, ou)
		return true
	})
	return users, true
}

// flowOf tells which admin flow sent the onboard call: editing a user's
// licences sends a user that already exists (with its id), manual add sends
// new users by e-mail only.
func flowOf(e *har.Entry) Flow {
	users := gjson.GetBytes(e.RequestBody, "users")
	if users.Get("0.userId").Exists() || users.Get("0.uuid").Exists() || users.Get("0.id").Exists() {
		return FlowEditLicenses
	}
	return FlowAddUsers
}

// requestEmail returns the e-mail of the one user the onboard request names,
// or "" when it names none or several: only then is it safe to pin a
// result without its own e-mail on a user.
func requestEmail(e *har.Entry) string {
	emails := gjson.GetBytes(e.RequestBody, "users.#.email").Array()
	if len(emails) != 1 {
		return ""
	}
	return emails[0].String()
}

// userFinding fills a finding for one user of an onboard batch.
func userFinding(c *Context, u onboardUser) Finding {
	f := c.Finding()
	f.Flow = flowOf(c.Entry)
	f.Email = u.Email
	if f.Email == "" {
		f.Email = requestEmail(c.Entry)
	}
	f.UserStatus = u.Status
	f.Codes = append(append([]string(nil), u.Codes...), codesInText(u.Description)...)
	f.Description = u.Description
	// The tracking ID inside the description names the back-end call that
	// failed for this user: the most precise one to give TAC.
	if t := TrackingIDInText(u.Description); t != "" {
		f.TrackingID = t
	}
	f.Response = Verbatim(c.Entry.ResponseBody)
	return f
}

// perUser builds a Check that reports each user matching pred and not yet
// claimed by an earlier rule of the family.
func perUser(pred func(onboardUser) bool) func(*Context) []Finding {
	return func(c *Context) []Finding {
		users, ok := onboardUsers(c)
		if !ok {
			return nil
		}
		var out []Finding
		for i, u := range users {
			if pred(u) && c.Claim("user/"+strconv.Itoa(i)) {
				out = append(out, userFinding(c, u))
			}
		}
		return out
	}
}

// onboardRules lists the family in the order they run: specific rules
// first, the catch-all last.
func onboardRules() []*Rule {
	return []*Rule{
		carrierEmailExists,
		userInOtherOrg,
		userExistsConvert,
		domainNotClaimed,
		directorySyncOn,
		notEnoughLicenses,
		unknownError,
		domainNotConvertible,
		useConvertUser,
		hybridNeedsLicense,
		callServiceWithCalling,
		// After every coded 403, which it would otherwise swallow.
		accessDenied,
		noLicenseAssigned,
		pendingUser,
		delayedConversion,
		onboardFailed,
	}
}
