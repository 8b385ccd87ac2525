package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"hubdoctor/internal/fixture"
)

// scenario is one case the stand-in plays. The admin page takes
// ?scenario=NAME and sends the name with every API call (header
// X-Standin-Scenario), so one server serves every test at once.
type scenario struct {
	Name string
	// Summary says what the case shows, for the page's menu and -h.
	Summary string
	// Flow is the Control Hub screen the page plays: flowAdd, flowLicence,
	// or flowNone (the page makes only the harmless calls).
	Flow string
	// Emails prefill the e-mail box.
	Emails []string
	// answer builds the onboard response for the e-mails the request names.
	answer func(emails []string, c *canaries) (reply, error)
	// Calls are made after the background calls, with the page's client
	// (fetch, or XMLHttpRequest with ?client=xhr), and answered as given.
	Calls []fixture.Exchange
}

// Flows the admin page can play.
const (
	flowAdd     = "add"
	flowLicence = "licence"
	flowNone    = "none"
)

// hostileMarkup is what the hostile scenario plants in an error description:
// if any of it runs in a page that shows the finding, window.__pwned is set.
const hostileMarkup = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`

// unknownFailure is a Control Hub call that fails in a way no rule knows: a
// 500 from an Atlas API in the public error envelope, without a tracking ID
// in its body (the response's TrackingID header, the request's, names it).
var unknownFailure = fixture.Exchange{
	Method: "GET", URL: fixture.AtlasAPI + "organizations/" + fixture.OrgID + "/reports/devices?interval=week", Status: http.StatusInternalServerError,
	ResponseMime: "application/json",
	ResponseBody: `{"message":"Device report is not available","errors":[{"description":"Device report is not available"}]}`,
}

// reply is an HTTP response to write.
type reply struct {
	Status  int
	Mime    string
	Body    string
	Headers [][2]string
}

// scenarios lists every case, in the order the page's menu shows them.
var scenarios = []*scenario{
	{Name: "carrier", Flow: flowAdd, Emails: []string{fixture.CarrierEmail},
		Summary: "the seeds' case: every typed e-mail fails with [Error 10991] Url already exists",
		answer:  perUser(func(int) func(string) string { return fixture.CarrierUserResult })},
	{Name: "batch", Flow: flowAdd, Emails: []string{fixture.CarrierEmail, fixture.OtherEmail},
		Summary: "the first e-mail fails with 10991, the others are added",
		answer: perUser(func(i int) func(string) string {
			if i == 0 {
				return fixture.CarrierUserResult
			}
			return fixture.OKUserResult
		})},
	{Name: "ok", Flow: flowAdd, Emails: []string{fixture.CarrierEmail, fixture.OtherEmail},
		Summary: "every user is added",
		answer:  perUser(func(int) func(string) string { return fixture.OKUserResult })},
	{Name: "harmless", Flow: flowNone,
		Summary: "only the harmless failing calls of the seeds' session, no onboard call"},
	{Name: "unknown", Flow: flowNone, Calls: []fixture.Exchange{unknownFailure},
		Summary: "the harmless failing calls and a 500 from an Atlas API no rule knows"},
	{Name: "hostile", Flow: flowAdd, Emails: []string{fixture.CarrierEmail},
		Summary: "a failing user whose error description carries HTML and script markup",
		answer:  hostile},
	{Name: "secrets", Flow: flowAdd, Emails: []string{fixture.CarrierEmail},
		Summary: "the carrier case with planted canary secrets: Set-Cookie, x-csrf-token, a JWT in access_token",
		answer:  secrets},
	{Name: "other-org", Flow: flowAdd, Emails: []string{fixture.CarrierEmail},
		Summary: "400090 (user in another organization) in the older {userResponse:[…]} shape",
		answer:  otherOrg},
	{Name: "outright", Flow: flowAdd, Emails: []string{fixture.CarrierEmail},
		Summary: "the onboard call itself fails: 502 with an HTML error page",
		answer:  outright},
	{Name: "licence", Flow: flowLicence, Emails: []string{fixture.CarrierEmail},
		Summary: "Edit licenses on an existing user (same onboard call, with the user's id) failing with 10991",
		answer:  perUser(func(int) func(string) string { return fixture.CarrierUserResult })},
}

// scenarioByName returns the named scenario or an error listing the known names.
func scenarioByName(name string) (*scenario, error) {
	for _, s := range scenarios {
		if s.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("unknown scenario %q (known: %s)", name, strings.Join(scenarioNames(), ", "))
}

func scenarioNames() []string {
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.Name
	}
	return names
}

// perUser answers 200 with the current body shape, one result per e-mail,
// each built by the fixture builder pick returns for its position.
func perUser(pick func(i int) func(email string) string) func([]string, *canaries) (reply, error) {
	return func(emails []string, _ *canaries) (reply, error) {
		results := make([]string, len(emails))
		for i, e := range emails {
			results[i] = pick(i)(e)
		}
		return jsonReply(http.StatusOK, fixture.OnboardBody(results...)), nil
	}
}

// hostile is the carrier case with markup appended to each description.
func hostile(emails []string, _ *canaries) (reply, error) {
	results := make([]string, len(emails))
	for i, e := range emails {
		var err error
		results[i], err = editUser(fixture.CarrierUserResult(e), func(u map[string]any) {
			if list, ok := u["errorList"].([]any); ok && len(list) > 0 {
				if first, ok := list[0].(map[string]any); ok {
					first["description"] = fmt.Sprint(first["description"]) + " " + hostileMarkup
				}
			}
		})
		if err != nil {
			return reply{}, err
		}
	}
	return jsonReply(http.StatusOK, fixture.OnboardBody(results...)), nil
}

// secrets is the carrier case with a JWT in each user's access_token and a
// session cookie and CSRF token in the headers.
func secrets(emails []string, c *canaries) (reply, error) {
	results := make([]string, len(emails))
	for i, e := range emails {
		var err error
		results[i], err = editUser(fixture.CarrierUserResult(e), func(u map[string]any) {
			u["access_token"] = c.AccessToken
		})
		if err != nil {
			return reply{}, err
		}
	}
	r := jsonReply(http.StatusOK, fixture.OnboardBody(results...))
	r.Headers = [][2]string{
		{"Set-Cookie", "cisPRODAdminSession=" + c.SessionCookie + "; Path=/; Secure; HttpOnly; SameSite=None"},
		{"x-csrf-token", c.CSRFToken},
	}
	return r, nil
}

// otherOrg answers 400090 (user already exists in a different organization)
// with per-user status 403, in the older {userResponse:[…]} shape.
func otherOrg(emails []string, _ *canaries) (reply, error) {
	users := make([]string, len(emails))
	for i, e := range emails {
		users[i] = fixture.OlderUserResult(e, http.StatusForbidden, "400090")
	}
	return jsonReply(http.StatusOK, fixture.OlderOnboardBody(users...)), nil
}

// outright is a gateway failure in front of the licence service: no JSON at all.
func outright([]string, *canaries) (reply, error) {
	return reply{Status: http.StatusBadGateway, Mime: "text/html", Body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n" +
		"<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"}, nil
}

func jsonReply(status int, body string) reply {
	return reply{Status: status, Mime: "application/json", Body: body}
}

// editUser decodes one fixture user result, lets edit change it and encodes
// it again. It errors when the fixture builder wrote something other than a
// JSON object.
func editUser(result string, edit func(map[string]any)) (string, error) {
	var u map[string]any
	if err := json.Unmarshal([]byte(result), &u); err != nil {
		return "", fmt.Errorf("fixture user result is not a JSON object: %v", err)
	}
	edit(u)
	return marshal(u)
}

// marshal encodes v as JSON with markup left literal (no \u003c escapes),
// as a real service sends it. It errors when v cannot be encoded.
func marshal(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("encode %T: %v", v, err)
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}
