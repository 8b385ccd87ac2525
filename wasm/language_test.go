//go:build js && wasm

package main

import (
	"testing"
)

// TestPickLanguage: the extension asks the engine which catalog language
// serves the browser's UI language (internal/messages.Match) and writes
// every engine text in it; it keeps no copy of the matching.
func TestPickLanguage(t *testing.T) {
	ns := newNS(t)
	rows := []struct {
		ui     any
		want   string
		reason string
	}{
		{"fr", "fr", "exact"},
		{"fr-BE", "fr", "region dropped"},
		{"ko_KR", "ko", "Chrome-style underscore"},
		{"sr", "sr-Latn", `Serbian UI ("sr" catalog, Latin text) gets the Latin engine texts`},
		{"sr-Latn", "sr-Latn", "catalogLanguage of the sr catalog"},
		{"sr-RS", "sr-Latn", "region, then the only script variant"},
		{"de", "en", "no catalog: English"},
		{"", "en", "nothing known: English"},
		{nil, "en", "no language is a caller bug: English, logged"},
		{42, "en", "a number is a caller bug: English, logged"},
	}
	for _, r := range rows {
		v := call(t, ns, "pickLanguage", r.ui)
		if got, err := v.String(); err != nil || got != r.want {
			t.Errorf("pickLanguage(%v) = %q (%v), want %q: %s", r.ui, got, err, r.want, r.reason)
		}
	}
}
