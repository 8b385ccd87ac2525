// Command scopes writes the engine's page scopes into the built extension:
// the calls the page observer records, the Webex hosts whose failed calls
// it records and the status from which a call failed (extension/observer.js),
// and the page hints the content script looks for (extension/content.js).
// Both scripts run in the page, with no engine at hand, so the lists are
// written into them at build time, from the engine, never by hand.
//
//	go run ./scripts/scopes FILE...
//
// Each FILE is rewritten in place: every marker /*@scopes:requests@*/[],
// /*@scopes:hosts@*/[], /*@scopes:failed@*/[] or /*@scopes:pages@*/[]
// becomes the list as JSON (hosts: engine.WebexHosts, a host is one of them
// or a subdomain of one; failed: [engine.FailedStatus]). A file without a
// marker is an error, so a build never ships a script that records nothing.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"

	"hubdoctor/internal/engine"
)

// marker finds a marker and names its list.
var marker = regexp.MustCompile(`/\*@scopes:(requests|hosts|failed|pages)@\*/\[\]`)

// lists returns each list's JSON.
func lists() map[string][]byte {
	out := map[string][]byte{}
	for name, v := range map[string]any{
		"requests": engine.PageRequestScopes(),
		"hosts":    engine.WebexHosts(),
		"failed":   []int{engine.FailedStatus},
		"pages":    engine.PageErrorHints(),
	} {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err) // numbers, strings and structs of strings always encode
		}
		out[name] = b
	}
	return out
}

// fill replaces every marker in src with its list; it errors when there is none.
func fill(src []byte) ([]byte, error) {
	if !marker.Match(src) {
		return nil, fmt.Errorf("no /*@scopes:…@*/[] marker")
	}
	ls := lists()
	return marker.ReplaceAllFunc(src, func(m []byte) []byte {
		return ls[string(marker.FindSubmatch(m)[1])]
	}), nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/scopes FILE...")
		os.Exit(2)
	}
	for _, path := range os.Args[1:] {
		src, err := os.ReadFile(path)
		if err == nil {
			src, err = fill(src)
		}
		if err == nil {
			err = os.WriteFile(path, src, 0o644)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "scopes: %s: %v\n", path, err)
			os.Exit(1)
		}
	}
}
