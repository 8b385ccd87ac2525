package main

import (
	"net/http"
	"net/url"

	"hubdoctor/internal/fixture"
)

// The Webex site plays seed 003: the identity provider's auto-posting form
// sends a SAML response without a last name and with "Member Status", the
// site's assertion consumer service redirects to the site's home, and the
// home page says "Reason: Auto Account Creation failed (31).".

var (
	siteURL = mustParse(fixture.SiteURL)
	acsURL  = mustParse(fixture.SiteACS)
	homeURL = mustParse(fixture.SiteHome)
)

// ssoFailingResponse is the SAML response that fails auto account creation:
// the well-configured attributes minus lastname, plus "Member Status".
func ssoFailingResponse() fixture.SAMLResponse {
	var attrs [][2]string
	for _, a := range fixture.SSOAttributes() {
		if a[0] != "lastname" {
			attrs = append(attrs, a)
		}
	}
	attrs = append(attrs, [2]string{"Member Status", "Active"})
	return fixture.SAMLResponse{NameID: fixture.SSOUser, Attributes: attrs}
}

// ssoPage is the template's view of the auto-posting form.
type ssoPage struct {
	Action       string
	SAMLResponse string
	RelayState   string
	Attributes   [][2]string
}

// site answers the Webex site (example.webex.com).
func (s *standin) site(w http.ResponseWriter, r *http.Request) {
	if hostOnly(r.Host) != siteURL.Hostname() {
		http.Error(w, "standin: the only Webex site here is "+siteURL.Hostname(), http.StatusNotFound)
		return
	}
	switch {
	case r.URL.Path == "/" && r.Method == http.MethodGet:
		resp := ssoFailingResponse()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		page := ssoPage{Action: fixture.SiteACS, SAMLResponse: resp.POSTValue(), RelayState: "example", Attributes: resp.Attributes}
		if err := pages.ExecuteTemplate(w, "sso.html", page); err != nil {
			http.Error(w, "standin: SSO page: "+err.Error(), http.StatusInternalServerError)
		}
	case r.URL.Path == acsURL.Path && r.Method == http.MethodPost:
		if err := r.ParseForm(); err != nil || r.PostForm.Get("SAMLResponse") == "" {
			http.Error(w, "standin: the SAML POST carries no SAMLResponse form field", http.StatusBadRequest)
			return
		}
		// As fixture.SAMLPost records it: the result shows on the home page.
		w.Header().Set("Location", fixture.SiteHome)
		w.WriteHeader(http.StatusFound)
	case r.URL.Path == "/favicon.ico":
		w.WriteHeader(http.StatusNoContent)
	case r.URL.Path == homeURL.Path:
		x := fixture.SSOErrorPage(31, "Auto Account Creation failed")
		write(w, reply{Status: x.Status, Mime: x.ResponseMime, Body: x.ResponseBody})
	default:
		http.Error(w, "standin: no page "+url.PathEscape(r.URL.Path)+" on the Webex site", http.StatusNotFound)
	}
}
