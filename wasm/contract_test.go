//go:build js && wasm

package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hack-pad/safejs"
)

// TestContractTable: wasm/README.md's API table names exactly the members
// the bridge puts on globalThis.hubdoctor (ready aside, which publish sets),
// and the rows marked "wasmexport" those extension/engine.js adds from the
// //go:wasmexport functions (exchange.go), so the contract the extension is
// written against never drifts from the code.
func TestContractTable(t *testing.T) {
	doc, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start := strings.Index(text, "## The API")
	if start < 0 {
		t.Fatal("README.md has no '## The API' section")
	}
	section := text[start+len("## The API"):]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var documented, exported []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Za-z_]+)[`(].*$").FindAllStringSubmatch(section, -1) {
		if strings.Contains(m[0], "wasmexport") {
			exported = append(exported, m[1])
			continue
		}
		documented = append(documented, m[1])
	}
	if !slices.Equal(exported, []string{"needsBody", "sanitizeEntries"}) {
		t.Errorf("README.md marks %v as wasmexport; exchange.go exports needsBody and sanitizeEntries", exported)
	}
	keys, err := safejs.Global().Get("Object")
	if err != nil {
		t.Fatal(err)
	}
	names, err := keys.Call("keys", newNS(t))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := names.Length()
	var built []string
	for i := range n {
		v, _ := names.Index(i)
		s, _ := v.String()
		built = append(built, s)
	}
	slices.Sort(documented)
	slices.Sort(built)
	if len(documented) == 0 || !slices.Equal(documented, built) {
		t.Errorf("README.md's API table names %v;\nthe bridge builds %v", documented, built)
	}
}
