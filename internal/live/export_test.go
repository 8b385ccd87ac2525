package live

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"hubdoctor/internal/fixture"
)

func TestSanitizeEntry(t *testing.T) {
	raw, body := carrierEntry(t)
	rows := []struct {
		pseudonymize bool
		content      *Content
		keep, drop   []string
		reason       string
	}{
		{false, body, []string{"Error 10991", fixture.CarrierEmail, fixture.CarrierTrackingID}, []string{fixture.Token, "4f1d2c3b5a6e7d8c"},
			"credentials go, the decoded body with the error and the e-mail stays"},
		{true, body, []string{"Error 10991", "@example.com"}, []string{fixture.Token, fixture.CarrierEmail},
			"pseudonymized: the address is replaced, its domain kept"},
		{false, nil, nil, []string{fixture.Token, "Error 10991"}, "no content: the entry as DevTools gave it, no body"},
	}
	s := NewSession()
	for _, r := range rows {
		out, err := s.SanitizeEntry(raw, r.content, r.pseudonymize)
		if err != nil {
			t.Errorf("%s: %v", r.reason, err)
			continue
		}
		if !gjson.Valid(out) {
			t.Errorf("%s: output is not JSON", r.reason)
		}
		for _, k := range r.keep {
			if !strings.Contains(out, k) {
				t.Errorf("%s: %q lost", r.reason, k)
			}
		}
		for _, d := range r.drop {
			if strings.Contains(out, d) {
				t.Errorf("%s: %q still there", r.reason, d)
			}
		}
	}
	// One session, one pseudonym per address across entries.
	a, _ := s.SanitizeEntry(raw, body, true)
	b, _ := s.SanitizeEntry(raw, body, true)
	if a != b {
		t.Error("the same entry sanitized twice in one session reads differently: pseudonyms are not stable")
	}
	if _, err := s.SanitizeEntry([]byte(`{"response":[]}`), body, false); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("bad entry: %v, want a one-line error", err)
	}
	if _, err := s.SanitizeEntry([]byte(`nope`), nil, false); err == nil {
		t.Error("bad entry without content: no error")
	}
}

// TestSanitizeEntries: a batch gives, one per line and in order, what
// SanitizeEntry gives for each entry alone; a bad element is named.
func TestSanitizeEntries(t *testing.T) {
	var raws [][]byte
	for _, x := range fixture.SeedSession() {
		raw, _ := devtoolsEntry(t, fixture.Chrome, x, false)
		raws = append(raws, raw)
	}
	pretty, err := json.MarshalIndent(json.RawMessage(raws[0]), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	raws = append(raws, pretty) // line breaks inside an entry do not split it
	one := NewSession()
	var want []string
	for _, raw := range raws {
		out, err := one.SanitizeEntry(raw, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		var c bytes.Buffer
		if err := json.Compact(&c, []byte(out)); err != nil {
			t.Fatal(err)
		}
		want = append(want, c.String())
	}
	batch := NewSession()
	got, err := batch.SanitizeEntries([]byte("["+string(bytes.Join(raws, []byte(",")))+"]"), false)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(got, "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d lines for %d entries", len(lines), len(want))
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("entry %d:\n got %s\nwant %s", i, lines[i], want[i])
		}
		if strings.Contains(lines[i], fixture.Token) {
			t.Errorf("entry %d: the token survives", i)
		}
	}
	if out, err := batch.SanitizeEntries([]byte(`[]`), false); err != nil || out != "" {
		t.Errorf("empty batch: %q, %v", out, err)
	}
	for _, bad := range []string{`{"entries":[]}`, `[{"request":{}},`, `[{"response":[]},"x"]`} {
		if _, err := batch.SanitizeEntries([]byte(bad), false); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want a one-line error", bad, err)
		}
	}
}
