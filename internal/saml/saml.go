// Package saml decodes the SAML messages a browser carries during Webex SSO
// sign-in, so the engine can say which attributes the identity provider
// sent. It reads both bindings: HTTP-POST (form field SAMLResponse, base64
// of the XML) and HTTP-Redirect (query SAMLResponse or SAMLRequest, base64 of
// raw DEFLATE of the XML). It never verifies signatures and never decrypts:
// an encrypted assertion is reported as such, with no attributes.
package saml

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode"
)

// Size bounds. A real SAML response is a few kilobytes, rarely above 100 KB;
// the bounds only keep a hostile or broken capture from exhausting the panel.
const (
	// MaxEncoded caps the encoded value (base64, possibly URL-encoded).
	MaxEncoded = 6 << 20
	// MaxXML caps the decoded (and inflated) XML.
	MaxXML = 4 << 20
)

// Message is what a SAML protocol message says, as far as the browser can
// read it.
type Message struct {
	// Kind is the root element's local name: "Response", "AuthnRequest",
	// "LogoutRequest" or "LogoutResponse".
	Kind string
	// Deflated is set when the message came DEFLATE-compressed
	// (HTTP-Redirect binding).
	Deflated bool
	// ID, InResponseTo and Destination are the root element's attributes.
	ID, InResponseTo, Destination string
	// Issuer is the root's Issuer (the identity provider for a Response).
	Issuer string
	// StatusCode is Status/StatusCode/@Value ("urn:oasis:names:tc:SAML:2.0:status:Success");
	// SubStatusCode the nested second-level code, when present.
	StatusCode, SubStatusCode string
	// StatusMessage is Status/StatusMessage.
	StatusMessage string
	// NameID is Assertion/Subject/NameID, the user name; NameIDFormat its Format.
	NameID, NameIDFormat string
	// Encrypted is set when the assertion (or part of it: EncryptedID,
	// EncryptedAttribute) is encrypted. Encrypted content cannot be read
	// here, so NameID and Attributes hold only what was in clear text.
	Encrypted bool
	// Attributes are the assertion's AttributeStatement/Attribute elements,
	// in document order.
	Attributes []Attribute
}

// Attribute is one SAML attribute with its values.
type Attribute struct {
	Name         string
	FriendlyName string
	Values       []string
}

// Attribute returns the attribute whose Name or FriendlyName equals name,
// ignoring case, and whether there is one.
func (m *Message) Attribute(name string) (Attribute, bool) {
	for _, a := range m.Attributes {
		if strings.EqualFold(a.Name, name) || (a.FriendlyName != "" && strings.EqualFold(a.FriendlyName, name)) {
			return a, true
		}
	}
	return Attribute{}, false
}

// Success reports whether the message's top-level status is Success.
func (m *Message) Success() bool {
	return strings.HasSuffix(m.StatusCode, ":Success")
}

// Decode reads a SAMLResponse or SAMLRequest value as a browser recorded it,
// in either binding: base64 with any line breaks or spaces, possibly still
// URL-encoded (as in a form body), of either the XML (HTTP-POST) or its raw
// DEFLATE (HTTP-Redirect). It errors, with a one-line message, when the
// value is empty or too large, is not base64, does not inflate, or is not a
// SAML protocol message.
func Decode(value string) (*Message, error) {
	raw, err := decodeBase64(value)
	if err != nil {
		return nil, err
	}
	deflated := false
	if !looksLikeXML(raw) {
		if raw, err = inflate(raw); err != nil {
			return nil, err
		}
		deflated = true
	}
	m, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	m.Deflated = deflated
	return m, nil
}

func decodeBase64(value string) ([]byte, error) {
	if len(value) > MaxEncoded {
		return nil, fmt.Errorf("SAML value is %d bytes, more than the %d this tool reads", len(value), MaxEncoded)
	}
	// Base64 never holds '%': a value with one is still URL-encoded, as in a
	// urlencoded form body or a Chrome postData.params value.
	if strings.Contains(value, "%") {
		u, err := url.QueryUnescape(value)
		if err != nil {
			return nil, errors.New("SAML value: bad URL encoding")
		}
		value = u
	}
	// IdPs wrap the base64 at 64 or 76 columns; some browsers keep the breaks.
	value = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, value)
	if value == "" {
		return nil, errors.New("SAML value is empty")
	}
	// A few IdPs use the URL-safe alphabet or drop the padding.
	value = strings.NewReplacer("-", "+", "_", "/").Replace(strings.TrimRight(value, "="))
	raw, err := base64.RawStdEncoding.DecodeString(value)
	if err != nil {
		var at base64.CorruptInputError
		if errors.As(err, &at) {
			return nil, fmt.Errorf("SAML value is not base64 (bad byte at offset %d)", int64(at))
		}
		return nil, errors.New("SAML value is not base64")
	}
	return raw, nil
}

// looksLikeXML tells XML from DEFLATE data: XML starts with '<' after an
// optional byte-order mark and white space; raw DEFLATE almost never does
// (its first byte would have to be a final stored or reserved block).
func looksLikeXML(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

// inflate undoes the Redirect binding's raw DEFLATE, reading at most MaxXML
// bytes so a DEFLATE bomb stops early.
func inflate(b []byte) ([]byte, error) {
	zr := flate.NewReader(bytes.NewReader(b))
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, MaxXML+1))
	if len(out) > MaxXML {
		return nil, fmt.Errorf("SAML value inflates to more than %d bytes", MaxXML)
	}
	if err != nil {
		return nil, fmt.Errorf("SAML value is neither XML nor DEFLATE data (%s)", oneLine(err.Error()))
	}
	if len(out) == 0 {
		return nil, errors.New("SAML value inflates to nothing")
	}
	return out, nil
}

// protocolKinds are the root elements of the SAML messages a browser carries.
var protocolKinds = map[string]bool{"Response": true, "AuthnRequest": true, "LogoutRequest": true, "LogoutResponse": true}

// Parse reads a SAML protocol message's XML. Element names are matched by
// local name, whatever the namespace prefixes. It errors, with a one-line
// message, when the XML is too large or malformed or its root is not a SAML
// protocol message.
func Parse(doc []byte) (*Message, error) {
	if len(doc) > MaxXML {
		return nil, fmt.Errorf("SAML XML is %d bytes, more than the %d this tool reads", len(doc), MaxXML)
	}
	d := xml.NewDecoder(bytes.NewReader(doc))
	m := &Message{}
	// stack holds the local names of the open elements.
	var stack []string
	var attr *Attribute
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if len(stack) == 0 {
				return nil, errors.New("SAML XML holds no element")
			}
			return nil, fmt.Errorf("SAML XML ends inside <%s>", stack[len(stack)-1])
		}
		if err != nil {
			return nil, fmt.Errorf("SAML XML: %s", oneLine(err.Error()))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, name)
			if len(stack) == 1 {
				if !protocolKinds[name] {
					return nil, fmt.Errorf("not a SAML message: the XML root is <%s>", oneLine(name))
				}
				m.Kind = name
				m.ID, m.InResponseTo, m.Destination = xmlAttr(t, "ID"), xmlAttr(t, "InResponseTo"), xmlAttr(t, "Destination")
			}
			switch {
			case name == "EncryptedAssertion" || name == "EncryptedID" || name == "EncryptedAttribute":
				m.Encrypted = true
			case name == "StatusCode" && parent == "Status" && len(stack) == 3:
				m.StatusCode = xmlAttr(t, "Value")
			case name == "StatusCode" && parent == "StatusCode" && len(stack) == 4 && m.SubStatusCode == "":
				m.SubStatusCode = xmlAttr(t, "Value")
			case name == "NameID" && parent == "Subject" && m.NameID == "":
				m.NameIDFormat = xmlAttr(t, "Format")
			case name == "Attribute" && parent == "AttributeStatement":
				m.Attributes = append(m.Attributes, Attribute{Name: xmlAttr(t, "Name"), FriendlyName: xmlAttr(t, "FriendlyName")})
				attr = &m.Attributes[len(m.Attributes)-1]
			}
			text.Reset()
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			name := t.Name.Local
			parent := ""
			if len(stack) > 1 {
				parent = stack[len(stack)-2]
			}
			value := strings.TrimSpace(text.String())
			switch {
			case name == "Issuer" && len(stack) == 2:
				m.Issuer = value
			case name == "StatusMessage" && parent == "Status" && len(stack) == 3:
				m.StatusMessage = value
			case name == "NameID" && parent == "Subject" && m.NameID == "":
				m.NameID = value
			case name == "AttributeValue" && parent == "Attribute" && attr != nil:
				attr.Values = append(attr.Values, value)
			case name == "Attribute" && parent == "AttributeStatement":
				attr = nil
			}
			text.Reset()
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				// Anything after the root (comments, a second document) is
				// not part of the message.
				return m, nil
			}
		}
	}
}

func xmlAttr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// oneLine keeps an error message on one line: XML and DEFLATE errors may
// quote input bytes.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
