// Command newrule writes the skeleton of a new rule: its file in
// internal/engine, its English texts in internal/messages, and prints the
// sample row its family's test needs. Run it as make new-rule ID=family/name.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var validID = regexp.MustCompile(`^(onboard|license|sso)/[a-z0-9]+(-[a-z0-9]+)*$`)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: make new-rule ID=family/name  (family: onboard, license or sso)")
		os.Exit(2)
	}
	sample, err := scaffold(".", os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "new-rule: %v\n", err)
		os.Exit(2)
	}
	fmt.Print(sample)
}

// scaffold writes the rule file and texts under root and returns the
// instructions with the sample row. It errors on an invalid or taken ID.
func scaffold(root, id string) (string, error) {
	if !validID.MatchString(id) {
		return "", fmt.Errorf("%q is not family/kebab-name with family onboard, license or sso", id)
	}
	family, name, _ := strings.Cut(id, "/")
	varName := camel(name)
	file := filepath.Join(root, "internal", "engine", family+"_"+strings.ReplaceAll(name, "-", "_")+".go")
	if _, err := os.Stat(file); err == nil {
		return "", fmt.Errorf("%s exists already", file)
	}
	scope := map[string]string{"onboard": "inOnboardScope", "license": "inLicenseScope", "sso": "inSSOScope"}[family]
	code := fmt.Sprintf(`package engine

// %[1]s: TODO(%[4]s): say what the rule finds and why, with the source.
var %[1]s = &Rule{
	ID:       %[2]q,
	Severity: Error,
	Since:    "0.1.0",
	Source:   "TODO: the public source of the fact",
	Scope:    %[3]s,
	Check: func(c *Context) []Finding {
		// TODO: return c.Finding() values filled with the facts.
		return nil
	},
}
`, varName, id, scope, "new rule")
	if err := os.WriteFile(file, []byte(code), 0o644); err != nil {
		return "", err
	}
	texts := filepath.Join(root, "internal", "messages", "locales", "en", family+".json")
	m := map[string]string{}
	if raw, err := os.ReadFile(texts); err == nil {
		if err := json.Unmarshal(raw, &m); err != nil {
			return "", fmt.Errorf("%s: %v", texts, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	for _, part := range []string{"title", "cause", "fix"} {
		if _, ok := m[id+"."+part]; ok {
			return "", fmt.Errorf("%s already has texts for %s", texts, id)
		}
		m[id+"."+part] = "TODO"
	}
	out, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(texts, append(out, '\n'), 0o644); err != nil {
		return "", err
	}
	return fmt.Sprintf(`Wrote %s and TODO texts in %s.
Next:
  1. add %s to %sRules() in internal/engine/%s.go;
  2. add this row to %sSamples() in internal/engine/%s_test.go and fill it:
	{
		rule:     %q,
		positive: []fixture.Exchange{ /* exchanges that must trigger it */ },
		negative: []fixture.Exchange{ /* a look-alike that must not */ },
	},
  3. go test ./internal/engine -update && go test ./cmd/hubdoctor -update, then review the diff.
`, file, texts, varName, family, family, family, family, id), nil
}

// camel turns "carrier-email-exists" into "carrierEmailExists".
func camel(s string) string {
	parts := strings.Split(s, "-")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}
