package main

import (
	"embed"
	"html/template"
	"net/http"
	"strings"

	"hubdoctor/internal/fixture"
)

//go:embed pages/*.html
var pageFiles embed.FS

var pages = template.Must(template.ParseFS(pageFiles, "pages/*.html"))

// adminCall is one call the admin page makes, as its script needs it.
type adminCall struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	Body   string `json:"body,omitempty"`
	Mime   string `json:"mime,omitempty"`
}

// adminData is what the admin page's script receives.
type adminData struct {
	Scenario   string `json:"scenario"`
	Flow       string `json:"flow"`
	OnboardURL string `json:"onboardURL"`
	Token      string `json:"token"`
	Header     string `json:"scenarioHeader"`
	// Request is the fixture's onboard body for one placeholder user
	// (fixture.OnboardRequest, or fixture.EditLicensesRequest when editing
	// a user's licences); the script copies its user once per typed
	// e-mail, so the body keeps the fixture's shape and field order.
	Request    string      `json:"request"`
	Background []adminCall `json:"background"`
	// Calls are the scenario's own calls (scenario.Calls).
	Calls []adminCall `json:"calls"`
}

// adminPage is the template's view of one scenario.
type adminPage struct {
	Scenario  *scenario
	Scenarios []*scenario
	OrgID     string
	Data      adminData
}

// canary is one planted secret and where it travels.
type canary struct {
	Name  string `json:"name"`
	Where string `json:"where"`
	Value string `json:"value"`
}

// adminRoutes are the side menu's routes (admin.html moves between them
// with history.pushState); a reload on one serves the same page.
var adminRoutes = map[string]bool{
	"/overview": true, "/users": true, "/groups": true, "/locations": true,
	"/workspaces": true, "/devices": true, "/services": true, "/account": true,
}

// filesPrefix is where -files serves its directory on admin.webex.com.
const filesPrefix = "/__standin/files/"

// admin answers admin.webex.com: the Control Hub page, the canary list
// and, with -files, the test files.
func (s *standin) admin(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case s.files != nil && strings.HasPrefix(p, filesPrefix):
		s.files.ServeHTTP(w, r)
	case p == "/" || adminRoutes[p]:
		s.adminPage(w, r)
	case p == compatPath:
		s.compatPage(w, r)
	case p == zonePath:
		s.zoneScript(w, r)
	case p == "/__standin/canaries":
		body, err := marshal(map[string]any{"canaries": []canary{
			{"session-cookie", "Set-Cookie cisPRODAdminSession on the onboard response (secrets scenario)", s.canaries.SessionCookie},
			{"csrf-token", "x-csrf-token header on the onboard response (secrets scenario)", s.canaries.CSRFToken},
			{"access-token", "access_token field of each user in the onboard response body (secrets scenario)", s.canaries.AccessToken},
			{"bearer-token", "authorization: Bearer header of every API request the page makes", fixture.Token},
		}})
		if err != nil {
			http.Error(w, "standin: "+err.Error(), http.StatusInternalServerError)
			return
		}
		write(w, jsonReply(http.StatusOK, body))
	case p == "/favicon.ico":
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func (s *standin) adminPage(w http.ResponseWriter, r *http.Request) {
	sc := s.fallback
	if name := r.URL.Query().Get("scenario"); name != "" {
		var err error
		if sc, err = scenarioByName(name); err != nil {
			http.Error(w, "standin: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	data := adminData{
		Scenario: sc.Name, Flow: sc.Flow, OnboardURL: fixture.LicenseAPI, Token: fixture.Token,
		Header: scenarioHeader, Request: fixture.OnboardRequest("placeholder@example.com"),
	}
	if sc.Flow == flowLicence {
		data.Request = fixture.EditLicensesRequest("placeholder@example.com")
	}
	for _, x := range backgroundCalls {
		data.Background = append(data.Background, adminCall{Method: x.Method, URL: x.URL, Body: x.RequestBody, Mime: x.RequestMime})
	}
	for _, x := range sc.Calls {
		data.Calls = append(data.Calls, adminCall{Method: x.Method, URL: x.URL, Body: x.RequestBody, Mime: x.RequestMime})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := pages.ExecuteTemplate(w, "admin.html", adminPage{Scenario: sc, Scenarios: scenarios, OrgID: fixture.OrgID, Data: data}); err != nil {
		http.Error(w, "standin: admin page: "+err.Error(), http.StatusInternalServerError)
	}
}
