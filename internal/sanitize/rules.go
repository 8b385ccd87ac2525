package sanitize

import (
	"net/url"
	"strings"

	"hubdoctor/internal/ascii"
)

// Redacted replaces a secret value; the name beside it stays.
const Redacted = "[REDACTED]"

// redactedJWT replaces a whole JSON Web Token found inside a string.
const redactedJWT = "[REDACTED-JWT]"

// normalize lower-cases a name and drops '_', '-' and '.', so that
// access_token, accessToken and Access-Token compare equal.
func normalize(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '_', '-', '.':
		default:
			b.WriteByte(ascii.Lower(c))
		}
	}
	return b.String()
}

// secretWords mark a name as secret wherever they occur in it (normalized).
var secretWords = []string{"token", "secret", "password", "passwd", "credential", "apikey", "privatekey", "signature", "assertion"}

func hasSecretWord(n string) bool {
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// secretParams are query and form parameter names (normalized) that carry
// credentials or one-time OAuth/SAML values, beside those with a secret word.
var secretParams = map[string]bool{
	"code": true, "state": true, "samlresponse": true, "samlrequest": true, "relaystate": true,
	"pwd": true, "sessionid": true, "sid": true, "key": true, "sig": true, "codeverifier": true,
	"wresult": true, "wctx": true, "ticket": true, "otp": true, "nonce": true, "session": true,
}

// secretParam reports whether a query or form parameter's value is redacted.
// SigAlg is kept: it names an algorithm and helps diagnose SAML.
func secretParam(name string) bool {
	n := normalize(name)
	return secretParams[n] || hasSecretWord(n)
}

// secretKeys are JSON member names (normalized) whose values are redacted,
// beside those with a secret word. Bare "code" and "key" are not here: error
// objects carry errorCode and code values that TAC needs.
var secretKeys = map[string]bool{
	"pwd": true, "passcode": true, "authorization": true, "proxyauthorization": true,
	"cookie": true, "setcookie": true, "samlresponse": true, "samlrequest": true,
	"codeverifier": true, "clientassertion": true, "sessionkey": true,
}

// headerClass tells how a header's value is sanitized.
type headerClass int

const (
	headerText      headerClass = iota // scrubbed as free text
	headerAuth                         // scheme kept, credentials redacted
	headerCookie                       // each cookie value redacted
	headerSetCookie                    // first pair's value redacted, attributes kept
	headerURL                          // URL treatment
	headerSecret                       // whole value redacted
)

func classifyHeader(name string) headerClass {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization":
		return headerAuth
	case "cookie":
		return headerCookie
	case "set-cookie", "set-cookie2":
		return headerSetCookie
	case "location", "content-location", "referer", "origin", ":path", "link", "refresh":
		return headerURL
	}
	if strings.HasPrefix(n, "x-auth") || strings.Contains(n, "csrf") || strings.Contains(n, "xsrf") ||
		strings.Contains(n, "session") || strings.Contains(n, "api-key") || strings.Contains(n, "api_key") {
		return headerSecret
	}
	if hasSecretWord(normalize(n)) {
		return headerSecret
	}
	return headerText
}

// authValue keeps the scheme word of an Authorization value ("Bearer …").
func authValue(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, " \t"); i > 0 {
		return v[:i] + " " + Redacted
	}
	return Redacted
}

// cookieValue redacts every value of a Cookie header, keeping the names.
func cookieValue(v string) (string, int) {
	parts := strings.Split(v, ";")
	n := 0
	for i, p := range parts {
		lead := p[:len(p)-len(strings.TrimLeft(p, " "))]
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		name, _, _ := strings.Cut(p, "=")
		if !strings.Contains(p, "=") {
			name = ""
		}
		parts[i] = lead + redactPair(name)
		n++
	}
	return strings.Join(parts, ";"), n
}

func redactPair(name string) string {
	if name == "" {
		return Redacted
	}
	return name + "=" + Redacted
}

// setCookieValue redacts the cookie value of each Set-Cookie line (Firefox
// joins several with newlines) and keeps its attributes.
func setCookieValue(v string) (string, int) {
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		first, attrs, hasAttrs := strings.Cut(l, ";")
		name, _, hasEq := strings.Cut(first, "=")
		if !hasEq {
			name = ""
		}
		lines[i] = redactPair(strings.TrimSpace(name))
		if hasAttrs {
			lines[i] += ";" + attrs
		}
	}
	return strings.Join(lines, "\n"), len(lines)
}

// params redacts the values of secret parameters in an "a=1&b=2" list and
// returns it with the number redacted. Other values are kept as written.
func params(q string) (string, int) {
	if !strings.Contains(q, "=") {
		return q, 0
	}
	n := 0
	var b strings.Builder
	for i, p := range strings.Split(q, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		name, _, ok := strings.Cut(p, "=")
		if ok {
			if dn, err := url.QueryUnescape(name); err == nil {
				name = dn
			}
		}
		if !ok {
			b.WriteString(p)
			continue
		}
		eq := strings.IndexByte(p, '=') + 1
		if secretParam(name) {
			b.WriteString(p[:eq])
			b.WriteString(Redacted)
			if p[eq:] != Redacted {
				n++
			}
			continue
		}
		b.WriteString(p[:eq])
		b.WriteString(nestedParams(p[eq:], &n))
	}
	return b.String(), n
}

// nestedParams sanitizes a parameter value that is itself a URL or a
// parameter list, such as a percent-encoded "goto" or "redirect" URL.
func nestedParams(v string, n *int) string {
	if !strings.Contains(v, "%3") && !strings.Contains(v, "?") {
		return v // neither an encoded '=' or '?' (%3D, %3F) nor a raw '?'
	}
	dv, err := url.QueryUnescape(v)
	if err != nil || dv == v {
		if out, m := urlParams(v); m > 0 {
			*n += m
			return out
		}
		return v
	}
	out, m := urlParams(dv)
	if m == 0 && strings.Contains(dv, "=") && !strings.ContainsAny(dv, "?#") {
		out, m = params(dv)
	}
	if m == 0 {
		return v
	}
	*n += m
	return url.QueryEscape(out)
}

// urlParams redacts secret parameters in the query and the fragment of a URL
// (absolute or relative) and keeps its path. A fragment without parameters is
// a client-side route and stays.
func urlParams(u string) (string, int) {
	base, frag, hasFrag := strings.Cut(u, "#")
	n := 0
	if path, q, ok := strings.Cut(base, "?"); ok {
		q, n = params(q)
		base = path + "?" + q
	}
	if hasFrag {
		route, q, ok := strings.Cut(frag, "?")
		if !ok {
			route, q = "", frag
		}
		q, m := params(q)
		n += m
		if ok {
			q = route + "?" + q
		}
		base += "#" + q
	}
	return base, n
}
