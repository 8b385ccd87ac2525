package explain

import (
	"reflect"
	"strings"
	"testing"

	"hubdoctor/internal/engine"
	"hubdoctor/internal/fixture"
	"hubdoctor/internal/messages"
)

// TestCall: what the views get of a failed call is sanitized (URL, request
// head and JSON body, response), a JSON response indented, an expected
// call's reason worded in every language; running it twice changes nothing.
func TestCall(t *testing.T) {
	c := engine.FailedCall{
		Method: "POST", URL: "https://identity.webex.com/identity/scim/x/v2/Users?access_token=" + fixture.Token,
		Status: 409, Message: "token " + fixture.Token + " refused",
		Request:  "POST https://identity.webex.com/identity/scim/x/v2/Users?access_token=" + fixture.Token + "\nTrackingID: ATLAS_1\n\n" + `{"userName":"a@example.com","password":"Hunter2!secret"}`,
		Response: `{"error":{"message":"no"},"refresh_token":"` + fixture.Token + `"}`,
	}
	got := Call(c, "en")
	for _, field := range []string{got.URL, got.Message, got.Request, got.Response} {
		for _, secret := range []string{fixture.Token, "Hunter2!secret"} {
			if strings.Contains(field, secret) {
				t.Errorf("a secret survives: %q", field)
			}
		}
	}
	if !strings.Contains(got.Request, "a@example.com") || !strings.Contains(got.Request, "TrackingID: ATLAS_1") {
		t.Errorf("the request lost what TAC reads: %q", got.Request)
	}
	if !strings.HasPrefix(got.Response, "{\n  \"error\"") {
		t.Errorf("a JSON response is not indented: %q", got.Response)
	}
	if again := Call(got, "en"); !reflect.DeepEqual(again, got) {
		t.Errorf("a second pass changed the call:\n%+v\n%+v", got, again)
	}
	if got.Reason != "" {
		t.Errorf("an unexpected call has a reason: %q", got.Reason)
	}
	for _, known := range []string{"subscriptions-pending", "organization-lookup"} {
		for _, lang := range messages.Languages() {
			x := Call(engine.FailedCall{Expected: true, Known: known}, lang)
			if x.Reason == "" || x.Reason == engine.ReasonKey(known) {
				t.Errorf("%s: no reason for %s: %q", lang, known, x.Reason)
			}
		}
	}
	if Calls(nil, "en") == nil {
		t.Error("Calls(nil) must encode as [], not null")
	}
}
