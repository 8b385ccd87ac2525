package saml_test

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"hubdoctor/internal/fixture"
	"hubdoctor/internal/saml"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func deflate(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

var withStatus = `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" ID="r1" InResponseTo="q1">
<saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example.org</saml2:Issuer>
<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy"/></saml2p:StatusCode>
<saml2p:StatusMessage>No such user</saml2p:StatusMessage></saml2p:Status></saml2p:Response>`

var friendly = `<Response xmlns="urn:oasis:names:tc:SAML:2.0:protocol"><Status><StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></Status>
<a:Assertion xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion"><a:Subject><a:NameID>jdoe</a:NameID></a:Subject>
<a:AttributeStatement><a:Attribute Name="urn:oid:2.5.4.42" FriendlyName="givenName"><a:AttributeValue>Jane</a:AttributeValue></a:Attribute>
<a:Attribute Name="groups"><a:AttributeValue>hosts</a:AttributeValue><a:AttributeValue> admins </a:AttributeValue></a:Attribute></a:AttributeStatement></a:Assertion></Response>`

var authnRequest = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_req42" Destination="https://sts.example.com/adfs/ls/"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">example.webex.com</saml:Issuer></samlp:AuthnRequest>`

func TestDecode(t *testing.T) {
	good := fixture.SAMLResponse{NameID: fixture.SSOUser, Attributes: fixture.SSOAttributes()}
	goodAttrs := []saml.Attribute{{Name: "firstname", Values: []string{"Jane"}}, {Name: "lastname", Values: []string{"Doe"}},
		{Name: "email", Values: []string{fixture.SSOUser}}, {Name: "uid", Values: []string{"jdoe"}}}
	goodMsg := &saml.Message{Kind: "Response", ID: "_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6", InResponseTo: "_a1b2c3d4e5f60718293a4b5c6d7e8f90",
		Destination: fixture.SiteACS, Issuer: fixture.IdPIssuer, StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Success",
		NameID: fixture.SSOUser, NameIDFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", Attributes: goodAttrs}
	redirected := *goodMsg
	redirected.Deflated = true
	encrypted := *goodMsg
	encrypted.Encrypted, encrypted.NameID, encrypted.NameIDFormat, encrypted.Attributes = true, "", "", nil
	noPad := strings.NewReplacer("+", "-", "/", "_").Replace(strings.TrimRight(b64(good.XML()), "="))

	tests := []struct {
		reason string
		value  string
		want   *saml.Message
	}{
		{"POST binding, base64 wrapped at 76 columns with CRLF", good.POSTValue(), goodMsg},
		{"POST binding still URL-encoded, as in a urlencoded form body", url.QueryEscape(good.POSTValue()), goodMsg},
		{"Redirect binding: raw DEFLATE", good.RedirectValue(), &redirected},
		{"URL-safe alphabet without padding, as a few IdPs send", noPad, goodMsg},
		{"encrypted assertion: nothing readable, said so", fixture.SAMLResponse{NameID: fixture.SSOUser, Encrypted: true}.POSTValue(), &encrypted},
		{"failed status with second-level code and message, saml2 prefixes", b64(withStatus), &saml.Message{Kind: "Response", ID: "r1", InResponseTo: "q1",
			Issuer: "https://idp.example.org", StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Responder",
			SubStatusCode: "urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy", StatusMessage: "No such user"}},
		{"default namespace, FriendlyName and multi-valued attribute", b64(friendly), &saml.Message{Kind: "Response",
			StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Success", NameID: "jdoe",
			Attributes: []saml.Attribute{{Name: "urn:oid:2.5.4.42", FriendlyName: "givenName", Values: []string{"Jane"}},
				{Name: "groups", Values: []string{"hosts", "admins"}}}}},
		{"SAMLRequest in the Redirect binding", base64.StdEncoding.EncodeToString(deflate(t, []byte(authnRequest))),
			&saml.Message{Kind: "AuthnRequest", Deflated: true, ID: "_req42", Destination: "https://sts.example.com/adfs/ls/", Issuer: "example.webex.com"}},
		{"byte-order mark and XML declaration", b64("\xef\xbb\xbf<?xml version=\"1.0\"?>\n" + authnRequest),
			&saml.Message{Kind: "AuthnRequest", ID: "_req42", Destination: "https://sts.example.com/adfs/ls/", Issuer: "example.webex.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got, err := saml.Decode(tt.value)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	bomb := base64.StdEncoding.EncodeToString(deflate(t, make([]byte, saml.MaxXML+10)))
	tests := []struct {
		reason, value, want string
	}{
		{"empty field", " \r\n", "SAML value is empty"},
		{"not base64", "PHNhbWxwOlJlc3Bv!!!", "not base64 (bad byte at offset 16)"},
		{"broken URL encoding", "PHNh%zz", "bad URL encoding"},
		{"base64 of plain text: neither XML nor DEFLATE", b64("hello, world"), "neither XML nor DEFLATE"},
		{"an HTML page, not SAML", b64("<html><body>Sign in</body></html>"), "not a SAML message: the XML root is <html>"},
		{"truncated XML", b64(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:Status>`), "SAML XML"},
		{"mismatched tags", b64(`<Response><Status></Response>`), "SAML XML: XML syntax error on line 1"},
		{"only a comment", b64("<!-- nothing -->"), "SAML XML holds no element"},
		{"DEFLATE bomb stops at the limit", bomb, "inflates to more than"},
		{"empty DEFLATE stream", base64.StdEncoding.EncodeToString(deflate(t, nil)), "inflates to nothing"},
		{"value larger than the cap", strings.Repeat("A", saml.MaxEncoded+1), "more than the"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			m, err := saml.Decode(tt.value)
			if err == nil {
				t.Fatalf("Decode succeeded with %+v, want error containing %q", m, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestMessageAttribute(t *testing.T) {
	m, err := saml.Decode(b64(friendly))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reason, name string
		found        bool
		want         string
	}{
		{"by Name", "groups", true, "groups"},
		{"Name ignores case", "GROUPS", true, "groups"},
		{"by FriendlyName, ignoring case", "givenname", true, "urn:oid:2.5.4.42"},
		{"absent", "lastname", false, ""},
	}
	for _, tt := range tests {
		a, ok := m.Attribute(tt.name)
		if ok != tt.found || a.Name != tt.want {
			t.Errorf("%s: Attribute(%q) = %q, %v; want %q, %v", tt.reason, tt.name, a.Name, ok, tt.want, tt.found)
		}
	}
	if !m.Success() {
		t.Errorf("Success() = false for status %q", m.StatusCode)
	}
}

func FuzzDecode(f *testing.F) {
	good := fixture.SAMLResponse{NameID: fixture.SSOUser, Attributes: fixture.SSOAttributes()}
	for _, s := range []string{
		good.POSTValue(), good.RedirectValue(), url.QueryEscape(good.POSTValue()),
		fixture.SAMLResponse{Encrypted: true}.POSTValue(), b64(withStatus), b64(friendly), b64(authnRequest),
		b64(good.XML()[:300]), "", "%", "====", b64("<a>"),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		m, err := saml.Decode(value)
		if err != nil {
			if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error must be one non-empty line, got %q", msg)
			}
			return
		}
		if m.Kind == "" {
			t.Fatalf("decoded a message without a kind: %+v", m)
		}
	})
}

func ExampleDecode() {
	// A SAMLResponse form field as an identity provider posts it.
	value := base64.StdEncoding.EncodeToString([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
    <saml:Subject><saml:NameID>jane.doe@example.com</saml:NameID></saml:Subject>
    <saml:AttributeStatement>
      <saml:Attribute Name="firstname"><saml:AttributeValue>Jane</saml:AttributeValue></saml:Attribute>
      <saml:Attribute Name="email"><saml:AttributeValue>jane.doe@example.com</saml:AttributeValue></saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>`))
	m, err := saml.Decode(value)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Kind, m.NameID, m.Success())
	for _, a := range m.Attributes {
		fmt.Println(a.Name, a.Values)
	}
	_, ok := m.Attribute("LastName")
	fmt.Println("lastname sent:", ok)
	// Output:
	// Response jane.doe@example.com true
	// firstname [Jane]
	// email [jane.doe@example.com]
	// lastname sent: false
}
