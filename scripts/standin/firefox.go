package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Firefox cannot map host names with a flag, so it reaches the stand-in as
// its proxy, and it will not skip certificate checks with a pref. A profile
// holding these prefs and a cert_override.txt entry per host name does both
// (verified with Firefox ESR 153, headless).

// firefoxPrefs send every http:// and https:// request to the stand-in and
// turn off most of Firefox's own background traffic. What remains
// (firefox.settings.services.mozilla.com, location.services.mozilla.com)
// lands on the stand-in too and fails its certificate check: nothing
// leaves the machine.
func firefoxPrefs(port int) [][2]any {
	return [][2]any{
		{"network.proxy.type", 1}, // manual proxy configuration
		{"network.proxy.http", "127.0.0.1"},
		{"network.proxy.http_port", port},
		{"network.proxy.ssl", "127.0.0.1"},
		{"network.proxy.ssl_port", port},
		{"network.proxy.no_proxies_on", ""},
		{"network.proxy.allow_hijacking_localhost", true},
		// webex.com may be HSTS-preloaded; HSTS hosts take no certificate override.
		{"network.stricttransportsecurity.preloadlist", false},
		{"network.trr.mode", 5}, // no DNS over HTTPS
		{"network.captive-portal-service.enabled", false},
		{"network.connectivity-service.enabled", false},
		{"browser.shell.checkDefaultBrowser", false},
		{"datareporting.policy.dataSubmissionEnabled", false},
		{"toolkit.telemetry.enabled", false},
		{"app.update.enabled", false},
		{"app.normandy.enabled", false},
		{"browser.safebrowsing.malware.enabled", false},
		{"browser.safebrowsing.phishing.enabled", false},
	}
}

// servedHosts lists every host name the stand-in's pages call, sorted:
// cert_override.txt takes no wildcards.
func servedHosts() []string {
	hosts := []string{"admin.webex.com", siteURL.Hostname(), onboardURL.Hostname()}
	for _, x := range backgroundCalls {
		hosts = append(hosts, mustParse(x.URL).Hostname())
	}
	slices.Sort(hosts)
	return slices.Compact(hosts)
}

// writeFirefoxProfile writes user.js and cert_override.txt into dir
// (created if missing) for a stand-in on port whose server certificate has
// the given SHA-256 fingerprint. It errors when dir cannot be written.
func writeFirefoxProfile(dir string, port int, fingerprint string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var prefs strings.Builder
	for _, p := range firefoxPrefs(port) {
		v, err := json.Marshal(p[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(&prefs, "user_pref(%q, %s);\n", p[0], v)
	}
	// One override per host, for port 443 as the page names it (the proxy
	// is transparent to it): "host:port:originAttributes", the SHA-256 OID,
	// the fingerprint, and an empty database key.
	var overrides strings.Builder
	overrides.WriteString("# PSM Certificate Override Settings file\n# This is a generated file!  Do not edit.\n")
	for _, h := range servedHosts() {
		fmt.Fprintf(&overrides, "%s:443:\tOID.2.16.840.1.101.3.4.2.1\t%s\t\n", h, fingerprint)
	}
	if err := os.WriteFile(filepath.Join(dir, "user.js"), []byte(prefs.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "cert_override.txt"), []byte(overrides.String()), 0o600)
}
