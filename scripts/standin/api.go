package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"hubdoctor/internal/fixture"
)

// adminOrigin is the only origin the API hosts let call them, as Control Hub's do.
const adminOrigin = "https://admin.webex.com"

// scenarioHeader carries the page's scenario on every API call. A header,
// not a query string, keeps the onboard URL exactly as Control Hub sends it.
const scenarioHeader = "X-Standin-Scenario"

// onboardURL is the parsed fixture.LicenseAPI.
var onboardURL = mustParse(fixture.LicenseAPI)

func mustParse(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		panic(fmt.Sprintf("standin: fixture URL %q: %v", raw, err)) // a constant: fails at start or never
	}
	return u
}

// backgroundCalls is the seeds' session without the onboard call: the harmless
// failing calls (fixture.Harmless) and the metrics POST, limited to the
// hosts the stand-in serves. The beacon to col.eum-appdynamics.com is left
// out: a browser that maps only the Webex names would send it to the real
// host, and nothing may leave the machine.
var backgroundCalls = func() []fixture.Exchange {
	var out []fixture.Exchange
	for _, x := range fixture.SeedSession() {
		u := mustParse(x.URL)
		if x.URL == fixture.LicenseAPI || !served(u.Hostname()) {
			continue
		}
		out = append(out, x)
	}
	return out
}()

// served reports whether the stand-in answers for host.
func served(host string) bool {
	return strings.HasSuffix(host, ".webex.com") || strings.HasSuffix(host, ".wbx2.com")
}

// trackingSeq numbers tracking IDs for calls that came without one.
var trackingSeq atomic.Int64

// api answers the *.wbx2.com hosts: CORS, the onboard call, the background calls.
func (s *standin) api(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if origin := r.Header.Get("Origin"); origin == adminOrigin {
		h.Set("Access-Control-Allow-Origin", adminOrigin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Access-Control-Expose-Headers", "TrackingID, x-csrf-token")
		h.Add("Vary", "Origin")
	}
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
		if want := r.Header.Get("Access-Control-Request-Headers"); want != "" {
			h.Set("Access-Control-Allow-Headers", want)
		}
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	tracking := r.Header.Get("TrackingID")
	if tracking == "" {
		tracking = fmt.Sprintf("STANDIN_%d", trackingSeq.Add(1))
	}
	h.Set("TrackingID", tracking)

	if strings.HasPrefix(r.URL.Path, compatAPI) {
		s.compatCall(w, r)
		return
	}
	if r.Method == http.MethodPost && hostOnly(r.Host) == onboardURL.Hostname() &&
		strings.TrimSuffix(r.URL.Path, "/") == strings.TrimSuffix(onboardURL.Path, "/") {
		write(w, s.onboard(r, tracking))
		return
	}
	x, ok := s.nextBackground(r)
	if !ok {
		x, ok = scenarioCall(r)
	}
	if ok {
		write(w, reply{Status: x.Status, Mime: x.ResponseMime, Body: x.ResponseBody, Headers: x.ResponseHeaders})
		return
	}
	write(w, errorEnvelope(http.StatusNotFound, tracking, fmt.Sprintf("standin: no API %s %s%s", r.Method, r.Host, r.URL.Path)))
}

// nextBackground returns the background call r plays. The seeds' session
// repeats some calls with different answers (two pending-subscription
// calls, each its own tracking ID): repeats get them in turn.
func (s *standin) nextBackground(r *http.Request) (fixture.Exchange, bool) {
	var matches []fixture.Exchange
	for _, x := range backgroundCalls {
		u := mustParse(x.URL)
		if x.Method == r.Method && u.Hostname() == hostOnly(r.Host) && u.Path == r.URL.Path {
			matches = append(matches, x)
		}
	}
	if len(matches) == 0 {
		return fixture.Exchange{}, false
	}
	key := r.Method + " " + hostOnly(r.Host) + r.URL.Path
	s.mu.Lock()
	n := s.repeats[key]
	s.repeats[key] = n + 1
	s.mu.Unlock()
	return matches[n%len(matches)], true
}

// scenarioCall returns the call of the request's scenario (its Calls) that r makes.
func scenarioCall(r *http.Request) (fixture.Exchange, bool) {
	sc, err := scenarioByName(r.Header.Get(scenarioHeader))
	if err != nil {
		return fixture.Exchange{}, false
	}
	for _, x := range sc.Calls {
		u := mustParse(x.URL)
		if x.Method == r.Method && u.Hostname() == hostOnly(r.Host) && u.Path == r.URL.Path {
			return x, true
		}
	}
	return fixture.Exchange{}, false
}

// onboard answers the onboard POST with the scenario's response for the
// e-mails in the request body.
func (s *standin) onboard(r *http.Request, tracking string) reply {
	sc := s.fallback
	if name := r.Header.Get(scenarioHeader); name != "" {
		var err error
		if sc, err = scenarioByName(name); err != nil {
			return errorEnvelope(http.StatusBadRequest, tracking, "standin: "+err.Error())
		}
	}
	if sc.answer == nil {
		return errorEnvelope(http.StatusBadRequest, tracking, "standin: scenario "+sc.Name+" makes no onboard call")
	}
	emails, err := requestEmails(r.Body)
	if err != nil {
		return errorEnvelope(http.StatusBadRequest, tracking, "standin: onboard request body: "+err.Error())
	}
	rep, err := sc.answer(emails, s.canaries)
	if err != nil {
		return errorEnvelope(http.StatusInternalServerError, tracking, "standin: scenario "+sc.Name+": "+err.Error())
	}
	return rep
}

// maxRequestBody bounds what the stand-in reads of a request body.
const maxRequestBody = 1 << 20

// requestEmails reads users[].email from an onboard request body
// (fixture.OnboardRequest's shape). It errors when the body is not that
// JSON or names no user.
func requestEmails(body io.Reader) ([]string, error) {
	var req struct {
		Users []struct {
			Email string `json:"email"`
		} `json:"users"`
	}
	dec := json.NewDecoder(io.LimitReader(body, maxRequestBody))
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("not JSON with a users array: %v", err)
	}
	var emails []string
	for i, u := range req.Users {
		e := strings.TrimSpace(u.Email)
		if e == "" {
			return nil, fmt.Errorf("users[%d] has no email", i)
		}
		emails = append(emails, e)
	}
	if len(emails) == 0 {
		return nil, fmt.Errorf("users is empty")
	}
	return emails, nil
}

// errorEnvelope is a Control Hub API error body ({message, errors, trackingId}).
func errorEnvelope(status int, tracking, msg string) reply {
	body, err := marshal(map[string]any{"message": msg, "errors": []any{map[string]any{"description": msg}}, "trackingId": tracking})
	if err != nil {
		body = strconv.Quote(msg)
	}
	return jsonReply(status, body)
}

// write sends rep; a status without a body (204) gets no content type.
func write(w http.ResponseWriter, rep reply) {
	h := w.Header()
	for _, kv := range rep.Headers {
		h.Add(kv[0], kv[1])
	}
	if rep.Body != "" || rep.Status != http.StatusNoContent {
		mime := rep.Mime
		if mime == "" {
			mime = "application/json"
		}
		h.Set("Content-Type", mime+";charset=UTF-8")
	}
	w.WriteHeader(rep.Status)
	io.WriteString(w, rep.Body)
}
