// Package engine holds Hub Doctor's rule catalog and the session that runs it
// over HAR entries, whether read from a file or captured live in DevTools.
package engine

// Severity ranks a finding.
type Severity string

// Severities, from most to least serious.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Rank orders severities: 0 for Error, 1 for Warning, 2 for Info.
func (s Severity) Rank() int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	}
	return 2
}

// Flow names what the admin was doing when a finding arose.
type Flow string

// Flows the rules recognise.
const (
	FlowAddUsers     Flow = "add-users"
	FlowEditLicenses Flow = "edit-licenses"
	FlowSSOSignIn    Flow = "sso-sign-in"
)

// Finding is one diagnosis: a value, not text. Renderers turn it into words
// through the message catalog, using the rule ID as the key prefix.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Entry is the entry's index in the HAR or the live capture.
	Entry int `json:"entry"`
	// Time is the entry's startedDateTime.
	Time   string `json:"time,omitempty"`
	Flow   Flow   `json:"flow,omitempty"`
	Method string `json:"method"`
	URL    string `json:"url"`
	Status int    `json:"status"`
	// Email is the affected user's address, when known.
	Email string `json:"email,omitempty"`
	// OrgID is the organization ID from the URL path.
	OrgID      string `json:"orgId,omitempty"`
	TrackingID string `json:"trackingId,omitempty"`
	// UserStatus is the per-user status inside an onboard response.
	UserStatus int `json:"userStatus,omitempty"`
	// Codes are the error codes seen, as strings ("5302", "10991", "31").
	Codes []string `json:"codes,omitempty"`
	// Description is the raw error text as the service wrote it.
	Description string `json:"description,omitempty"`
	// MissingAttributes and UnexpectedAttributes list SAML attributes that
	// auto account creation needs but did not get, or must not get.
	MissingAttributes    []string `json:"missingAttributes,omitempty"`
	UnexpectedAttributes []string `json:"unexpectedAttributes,omitempty"`
	// AssertionEncrypted is set when the SAML assertion could not be read.
	AssertionEncrypted bool `json:"assertionEncrypted,omitempty"`
	// SAMLSeen is set when the capture held the SAML response that preceded
	// an SSO error, so its attributes were checked; without it the sign-in
	// must be repeated with DevTools open to see them.
	SAMLSeen bool `json:"samlSeen,omitempty"`
	// AttributeNotes are observations on SAML attribute values, such as a
	// value longer than Webex accepts: values, worded by the renderers.
	AttributeNotes []AttributeNote `json:"attributeNotes,omitempty"`
	// Response is the verbatim response body (capped at MaxResponse bytes).
	Response string `json:"response,omitempty"`
	// BodyTruncated is set when the browser recorded only part of the body.
	BodyTruncated bool `json:"bodyTruncated,omitempty"`
}

// MaxResponse caps the response body kept in a finding.
const MaxResponse = 64 << 10

// NoteKind names what an AttributeNote observed; the renderers word each
// kind through its own message (report.NoteKeys).
type NoteKind string

// Note kinds.
const (
	// NoteTooLong: the value is longer than Webex accepts.
	NoteTooLong NoteKind = "too-long"
)

// NoteKinds lists every NoteKind, so a test can check each is worded.
var NoteKinds = []NoteKind{NoteTooLong}

// AttributeNote is one observation on a SAML attribute's value, as values:
// {Kind: NoteTooLong, Attribute: "firstname", Length: 40, Limit: 32} reads
// "firstname is 40 characters, over 32" in English.
type AttributeNote struct {
	Kind      NoteKind `json:"kind"`
	Attribute string   `json:"attribute"`
	// Length is the value's length in characters (Unicode code points).
	Length int `json:"length"`
	// Limit is the most characters Webex accepts.
	Limit int `json:"limit"`
}
