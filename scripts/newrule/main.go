// Command newrule adds a rule to the catalog in its family's idiom, and
// registers it: make new-rule ID=family/name. What it writes:
//
//   - onboard and license: the rule in internal/engine/<family>_<name>.go,
//     written as the family's coded rules are (perUser(failedWith(…)),
//     licenseCall(withCode(…))), and its samples in the test file of the same
//     name; the rule goes into the family's list (onboardRules(),
//     licenseRules()) before the family's catch-alls, its samples into
//     sampleSets() in internal/engine/catalog_test.go;
//   - sso (sso/<name>-<code>): a row of the numbered-error table in
//     internal/engine/sso.go, in code order; ssoSamples() builds its samples;
//   - its title, cause and fix in every language's
//     internal/messages/locales/<lang>/<family>.json, inserted as lines
//     next to the family's keys: nothing else in those files changes.
//
// What a person must still write is marked TODO(new-rule); the tests name
// each (internal/engine: TestNewRuleTODOsDone, TestCatalogSourcesHaveURLs;
// internal/messages: TestLanguagesComplete, per language, key and file).
// It writes nothing when anything is wrong (a taken ID, an unknown family).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"hubdoctor/internal/version"
)

func main() {
	root := flag.String("root", ".", "the repository to add the rule to")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: make new-rule ID=family/name  (family: onboard, license, or sso with an ID sso/<name>-<code>)")
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	report, err := scaffold(*root, flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "new-rule: %v\n", err)
		os.Exit(2)
	}
	fmt.Print(report)
}

// marker is what the tests look for: a thing left for a person to write.
const marker = "TODO(new-rule)"

// placeholderCode is the code the scaffolded check and samples share until
// the real one is written in both (each line carries a TODO).
const placeholderCode = "999999"

var (
	validID = regexp.MustCompile(`^(onboard|license|sso)/[a-z0-9]+(-[a-z0-9]+)*$`)
	// ssoID is sso/<name>-<code>: the site writes its numbered errors with
	// one or two digits, and the engine reads no more (smallNumber).
	ssoID = regexp.MustCompile(`^sso/([a-z0-9]+(?:-[a-z0-9]+)*)-([0-9]{1,2})$`)
)

// family is what the scaffold needs to know of a family of rules.
type family struct {
	// listFile and list: the family's explicit list of rules.
	listFile, list string
	// before is the rule the new one is listed before: the first of the
	// family's catch-alls, which would otherwise claim what it explains.
	before string
	// varPrefix starts the names of the family's rule variables.
	varPrefix string
	rule      string // the rule file's template
	samples   string // the sample file's template
}

var families = map[string]family{
	"onboard": {
		listFile: "onboard.go", list: "onboardRules", before: "accessDenied",
		rule: `package engine

// {{var}}: ` + marker + `
// what the rule finds: the code(s) it reads, what they mean, as the rules
// of onboard_codes.go say it.
var {{var}} = &Rule{
	ID:       "{{id}}",
	Severity: Error,
	Since:    "{{since}}",
	Source:   "` + marker + ` the public source of the fact and its URL (collabUISource for the onboard code table; docs/webex-signatures.md section 6)",
	Links:    []string{helpAddUsers},
	Scope:    inOnboardScope,
	Check:    perUser(failedWith("{{code}}")), // ` + marker + ` the code(s); perUser(succeededWith(…)) for a code on a success
}
`,
		samples: `package engine

import "hubdoctor/internal/fixture"

// {{set}} are the evidence of the rule in
// {{file}}.go.
func {{set}}() []sample {
	return []sample{
		{
			rule: "{{id}}",
			positive: []fixture.Exchange{
				// ` + marker + ` the answers that must trigger the rule: a user refused with its code, in a batch, in the older shape (addOld).
				add(fixture.OnboardBody(fixture.UserResult(userA, 403, {{code}}, "The service's description"))),
			},
			negative: []fixture.Exchange{
				// ` + marker + ` look-alikes that must not: the code on a success status, a neighbouring code.
				add(fixture.OnboardBody(fixture.UserResult(userA, 200, {{code}}, "The service's description"))),
			},
			check: want{[]string{userA}, []string{"{{code}}"}, []int{403}, addFlow}.check,
		},
	}
}
`,
	},
	"license": {
		listFile: "license.go", list: "licenseRules", before: "licensePartialSuccess", varPrefix: "license",
		rule: `package engine

// {{var}}: ` + marker + `
// what the rule finds: the code(s) it reads, what they mean, as the rules
// of license_codes.go say it.
var {{var}} = &Rule{
	ID:       "{{id}}",
	Severity: Error,
	Since:    "{{since}}",
	Source:   "` + marker + ` the public source of the fact and its URL (licenseAPISource for the licence API's codes; docs/webex-signatures.md section 6)",
	Links:    []string{helpEditLicenses},
	Scope:    inLicenseScope,
	Check:    licenseCall(withCode("{{code}}")), // ` + marker + ` the code(s) the licence API answers
}
`,
		samples: `package engine

import "hubdoctor/internal/fixture"

// {{set}} are the evidence of the rule in
// {{file}}.go.
func {{set}}() []sample {
	return []sample{
		{
			rule: "{{id}}",
			positive: []fixture.Exchange{
				// ` + marker + ` the answers that must trigger the rule: the call refused with its code, a 206 carrying it.
				patch(400, fixture.LicenseError({{code}}, "The service's description")),
			},
			negative: []fixture.Exchange{
				// ` + marker + ` look-alikes that must not: a success, a neighbouring code, another method.
				patch(200, fixture.LicenseResult(userA, 0, "")),
				withMethod(patch(400, fixture.LicenseError({{code}}, "The service's description")), "POST"),
			},
			check: want{[]string{userA}, []string{"{{code}}"}, []int{0}, licenseFlow}.check,
		},
	}
}
`,
	},
}

// textParts are a rule's texts, with what the English one says.
var textParts = []struct{ part, english string }{
	{"title", marker + " the title, a few words naming the problem"},
	{"cause", marker + " what happened and why, in the admin's words (the user's address is the placeholder {email})"},
	{"fix", marker + " what the admin does, one step per line"},
}

const translateTODO = marker + " translate the English text of this key"

// edit is one file the scaffold writes: new, or an existing one with lines
// inserted.
type edit struct {
	path string
	data []byte
	new  bool
	what string
}

// scaffold adds the rule id to the repository at root and returns what it
// did and what is left. It writes nothing unless every edit could be made.
func scaffold(root, id string) (string, error) {
	if !validID.MatchString(id) {
		return "", fmt.Errorf("%q is not family/name in lower-case kebab, with family onboard, license or sso", id)
	}
	fam, name, _ := strings.Cut(id, "/")
	engineDir := filepath.Join(root, "internal", "engine")
	pkg, err := readPackage(engineDir)
	if err != nil {
		return "", err
	}
	if file := pkg.idLiteral(id); file != "" {
		if filepath.Base(file) == "renames.go" {
			return "", fmt.Errorf("%s was a rule's ID (%s): IDs are never reused, choose another", id, file)
		}
		return "", fmt.Errorf("%s is taken: %s declares it", id, file)
	}

	var edits []edit
	var anchorID string // the rule whose texts the new texts go before; "" for the end
	if fam == "sso" {
		m := ssoID.FindStringSubmatch(id)
		if m == nil {
			return "", fmt.Errorf("%q: an SSO rule is a row of the numbered-error table in internal/engine/sso.go, its ID sso/<name>-<code> with the site's one- or two-digit error number (sso/auto-account-creation-31)", id)
		}
		e, next, err := ssoRow(engineDir, id, m[1], m[2])
		if err != nil {
			return "", err
		}
		edits, anchorID = append(edits, e), next
	} else {
		f := families[fam]
		varName, err := pkg.freeName(f.varPrefix, name)
		if err != nil {
			return "", err
		}
		base := fam + "_" + strings.ReplaceAll(name, "-", "_")
		if buildSuffix(base) {
			// onboard_x_test.go would be a test, onboard_x_js.go built for js only.
			base += "_rule"
		}
		set := sampleSetName(base)
		if pkg.decls[set] != "" {
			return "", fmt.Errorf("%s: %s is declared already (%s)", id, set, pkg.decls[set])
		}
		ruleFile, sampleFile := filepath.Join(engineDir, base+".go"), filepath.Join(engineDir, base+"_test.go")
		for _, p := range []string{ruleFile, sampleFile} {
			if _, err := os.Stat(p); err == nil {
				return "", fmt.Errorf("%s exists already", p)
			}
		}
		fill := strings.NewReplacer("{{var}}", varName, "{{id}}", id, "{{since}}", version.Version,
			"{{code}}", placeholderCode, "{{set}}", set, "{{file}}", base)
		for _, x := range []struct{ path, tmpl, what string }{
			{ruleFile, f.rule, "the rule, in the family's idiom"},
			{sampleFile, f.samples, "its samples: positive and negative exchanges"},
		} {
			src, err := format.Source([]byte(fill.Replace(x.tmpl)))
			if err != nil {
				return "", fmt.Errorf("%s: %v (a bug in the scaffold's template)", x.path, err)
			}
			edits = append(edits, edit{x.path, src, true, x.what})
		}
		e, before, err := insertInList(filepath.Join(engineDir, f.listFile), f.list, varName, f.before, "")
		if err != nil {
			return "", err
		}
		e.what = "registered in " + f.list + "()"
		if before != "" {
			e.what += ", before " + before
			anchorID = pkg.ruleIDs[before]
		}
		edits = append(edits, e)
		e, _, err = insertInList(filepath.Join(engineDir, "catalog_test.go"), "sampleSets", set, "", fam)
		if err != nil {
			return "", err
		}
		e.what = set + " listed in sampleSets()"
		edits = append(edits, e)
	}

	texts, err := localeEdits(filepath.Join(root, "internal", "messages", "locales"), fam, id, anchorID)
	if err != nil {
		return "", err
	}
	edits = append(edits, texts...)

	for _, e := range edits {
		if err := os.WriteFile(e.path, e.data, 0o644); err != nil {
			return "", err
		}
	}
	return summary(root, id, edits), nil
}

// summary says what was written and what is left.
func summary(root, id string, edits []edit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "new-rule: %s\n", id)
	for _, e := range edits {
		rel, _ := filepath.Rel(root, e.path)
		verb := "edited"
		if e.new {
			verb = "wrote "
		}
		fmt.Fprintf(&b, "  %s %-58s %s\n", verb, filepath.ToSlash(rel), e.what)
	}
	dir := "internal/engine/testdata/rules/" + strings.ReplaceAll(id, "/", "__")
	fmt.Fprintf(&b, `Left to write (each place is marked %s, and the tests name it):
  1. go test ./internal/engine: the description, the source with its URL, the code(s) in
     the check and the samples (a look-alike that must not fire, too).
  2. go test ./internal/messages: the English title, cause and fix, then each language's.
  3. go test ./internal/engine -update writes the Chrome and Firefox fixtures and golden
     findings into %s/; review them.
  4. go test ./cmd/hubdoctor -update adds the rule to README.md's table; add it to
     docs/webex-signatures.md with its source; then make check.
`, marker, dir)
	return b.String()
}

// pkgIndex is what the scaffold reads of internal/engine.
type pkgIndex struct {
	// decls maps each top-level name of the package (tests too) to its file.
	decls map[string]string
	// ruleIDs maps a rule variable to its ID.
	ruleIDs map[string]string
	// literals maps each string literal of the non-test files to a file.
	literals map[string]string
}

func readPackage(dir string) (*pkgIndex, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("%s: no Go files: run make new-rule at the repository's root", dir)
	}
	p := &pkgIndex{decls: map[string]string{}, ruleIDs: map[string]string{}, literals: map[string]string{}}
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					p.decls[d.Name.Name] = file
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						p.decls[s.Name.Name] = file
					case *ast.ValueSpec:
						for i, n := range s.Names {
							p.decls[n.Name] = file
							if i < len(s.Values) {
								if id := ruleLiteralID(s.Values[i]); id != "" {
									p.ruleIDs[n.Name] = id
								}
							}
						}
					}
				}
			}
		}
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && p.literals[s] == "" {
					p.literals[s] = file
				}
			}
			return true
		})
	}
	return p, nil
}

// idLiteral returns the file that writes id as a string literal: a rule's
// ID, an SSO row's id, a retired ID in renames.go.
func (p *pkgIndex) idLiteral(id string) string { return p.literals[id] }

// ruleLiteralID returns the ID of &Rule{ID: "…", …}, or "".
func ruleLiteralID(e ast.Expr) string {
	u, ok := e.(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return ""
	}
	c, ok := u.X.(*ast.CompositeLit)
	if !ok {
		return ""
	}
	if t, ok := c.Type.(*ast.Ident); !ok || t.Name != "Rule" {
		return ""
	}
	for _, el := range c.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ID" {
				if lit, ok := kv.Value.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					return s
				}
			}
		}
	}
	return ""
}

// freeName returns the rule variable's name: prefix + the name in camel
// case ("carrier-email-exists" → carrierEmailExists, licenseX for the
// licence family), falling back to the family's prefix when the short name
// is taken or is a Go keyword.
func (p *pkgIndex) freeName(prefix, name string) (string, error) {
	candidates := []string{camel(prefix, name)}
	if prefix == "" {
		candidates = append(candidates, camel("onboard", name))
	}
	for _, c := range candidates {
		if p.decls[c] == "" && !token.IsKeyword(c) && !predeclared[c] {
			return c, nil
		}
	}
	return "", fmt.Errorf("the Go name %s is taken (%s): choose another rule name", candidates[len(candidates)-1], p.decls[candidates[len(candidates)-1]])
}

// predeclared are Go's predeclared identifiers a rule name could spell.
var predeclared = map[string]bool{"any": true, "append": true, "bool": true, "byte": true, "cap": true, "clear": true,
	"close": true, "comparable": true, "complex": true, "copy": true, "delete": true, "error": true, "false": true,
	"imag": true, "int": true, "iota": true, "len": true, "make": true, "max": true, "min": true, "new": true, "nil": true,
	"panic": true, "print": true, "println": true, "real": true, "recover": true, "rune": true, "string": true, "true": true, "uint": true}

// camel joins prefix and the kebab name in camel case.
func camel(prefix, kebab string) string {
	parts := strings.Split(kebab, "-")
	if prefix != "" {
		parts = append([]string{prefix}, parts...)
	}
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// sampleSetName names the sample set of a file of rules after the file
// (onboard_other_org → onboardOtherOrgSamples), as TestSamplesBesideRules
// expects.
func sampleSetName(base string) string {
	return camel("", strings.ReplaceAll(base, "_", "-")) + "Samples"
}

// Go reads a file name's last _part as a build constraint when it is
// "test" or a GOOS or GOARCH (go/build's lists, with the retired ones).
var (
	goos   = strings.Fields("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos")
	goarch = strings.Fields("386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm")
)

// buildSuffix reports whether base.go would not be an ordinary file of the
// package: a test (_test) or a file built for one system or architecture.
func buildSuffix(base string) bool {
	last := base[strings.LastIndexByte(base, '_')+1:]
	return last == "test" || slices.Contains(goos, last) || slices.Contains(goarch, last)
}

// parseGo reads and parses the Go file at path, comments included.
func parseGo(path string) ([]byte, *token.FileSet, *ast.File, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	return src, fset, f, err
}

// insertInList inserts the line "name," into the list the function fn
// returns in file path: before the element named before (and the comment
// lines above it) when the list has it; else after the last element whose
// name starts with after when after is set; else at the list's end. It
// returns the edit and the element it went before ("" if none).
func insertInList(path, fn, name, before, after string) (edit, string, error) {
	src, fset, f, err := parseGo(path)
	if err != nil {
		return edit{}, "", err
	}
	var list *ast.CompositeLit
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == fn && fd.Body != nil {
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 && list == nil {
					list, _ = r.Results[0].(*ast.CompositeLit)
				}
				return list == nil
			})
		}
	}
	if list == nil || len(list.Elts) == 0 {
		return edit{}, "", fmt.Errorf("%s: no list returned by %s() to add %s to", path, fn, name)
	}
	var names []string
	for _, el := range list.Elts {
		id, ok := el.(*ast.Ident)
		if !ok {
			return edit{}, "", fmt.Errorf("%s: %s() lists something other than names", path, fn)
		}
		if id.Name == name {
			return edit{}, "", fmt.Errorf("%s: %s() lists %s already", path, fn, name)
		}
		names = append(names, id.Name)
	}
	indent := lineIndent(src, fset.Position(list.Elts[0].Pos()).Offset)
	line := indent + name + ",\n"
	var at int
	went := ""
	if i := slices.Index(names, before); before != "" && i >= 0 {
		at = startWithComments(src, fset.Position(list.Elts[i].Pos()).Offset)
		went = before
	} else {
		last := len(names) - 1
		if after != "" {
			for i, n := range names {
				if strings.HasPrefix(n, after) {
					last = i
				}
			}
		}
		at = lineEnd(src, fset.Position(list.Elts[last].End()).Offset)
	}
	out, err := insert(path, src, at, line)
	return edit{path: path, data: out}, went, err
}

// ssoRow inserts the rule's row into the SSO table in code order and returns
// the edit and the ID of the row it went before ("" at the end).
func ssoRow(engineDir, id, name, code string) (edit, string, error) {
	path := filepath.Join(engineDir, "sso.go")
	src, fset, f, err := parseGo(path)
	if err != nil {
		return edit{}, "", err
	}
	var table *ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Names) == 1 && vs.Names[0].Name == "ssoCodes" && len(vs.Values) == 1 {
			ast.Inspect(vs.Values[0], func(n ast.Node) bool {
				if c, ok := n.(*ast.CompositeLit); ok && table == nil {
					table = c
				}
				return table == nil
			})
		}
		return table == nil
	})
	if table == nil || len(table.Elts) == 0 {
		return edit{}, "", fmt.Errorf("%s: no ssoCodes table", path)
	}
	want, _ := strconv.Atoi(code)
	at, next := -1, ""
	for _, el := range table.Elts {
		row, ok := el.(*ast.CompositeLit)
		if !ok {
			return edit{}, "", fmt.Errorf("%s: an ssoCodes row is not a literal", path)
		}
		fields := map[string]string{}
		for _, e := range row.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					fields[kv.Key.(*ast.Ident).Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
		n, err := strconv.Atoi(fields["code"])
		if err != nil {
			return edit{}, "", fmt.Errorf("%s: a row of ssoCodes has code %q", path, fields["code"])
		}
		if n == want {
			return edit{}, "", fmt.Errorf("SSO error %s has its row already: %s (internal/engine/sso.go); a code has one rule", code, fields["id"])
		}
		if n > want && at < 0 {
			at, next = startWithComments(src, fset.Position(row.Pos()).Offset), fields["id"]
		}
	}
	if at < 0 {
		at = lineEnd(src, fset.Position(table.Elts[len(table.Elts)-1].End()).Offset)
	}
	indent := lineIndent(src, fset.Position(table.Elts[0].Pos()).Offset)
	phrase := strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "-", " ")
	row := fmt.Sprintf("%s// %s error %s: the site's wording(s) in phrases (WBX68460 lists them; the site writes each followed by the code);\n"+
		"%s// its source: delete the source field when it is WBX68460 (the default), else give yours with its URL and links.\n"+
		"%s{id: %q, code: %q, name: %q, phrases: []string{%q}, source: %q},\n",
		indent, marker, code, indent, indent, id, code, name, phrase, marker+" the public source of error "+code+" and its URL")
	out, err := insert(path, src, at, row)
	return edit{path: path, data: out, what: "its row in the SSO table, in code order (ssoSamples builds its samples)"}, next, err
}

// insert returns src with text inserted at offset, refusing a result that
// does not parse or that gofmt would change (when src was gofmt-clean).
func insert(path string, src []byte, at int, text string) ([]byte, error) {
	out := slices.Concat(src[:at], []byte(text), src[at:])
	formatted, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("%s: the inserted line does not parse: %v", path, err)
	}
	if clean, err := format.Source(src); err == nil && bytes.Equal(clean, src) && !bytes.Equal(formatted, out) {
		return nil, fmt.Errorf("%s: the inserted line is not gofmt-formatted (a bug in the scaffold)", path)
	}
	return out, nil
}

// lineIndent returns the white space that starts the line of offset.
func lineIndent(src []byte, offset int) string {
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	return string(src[start:offset])
}

// lineEnd returns the offset just past the newline that ends the line of
// offset.
func lineEnd(src []byte, offset int) int {
	if i := bytes.IndexByte(src[offset:], '\n'); i >= 0 {
		return offset + i + 1
	}
	return len(src)
}

// startWithComments returns the start of the line of offset, moved up over
// the comment lines right above it, which belong to that element.
func startWithComments(src []byte, offset int) int {
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	for start > 0 {
		prev := bytes.LastIndexByte(src[:start-1], '\n') + 1
		if !bytes.HasPrefix(bytes.TrimSpace(src[prev:start]), []byte("//")) {
			break
		}
		start = prev
	}
	return start
}

// localeEdits inserts the rule's title, cause and fix into
// locales/<lang>/<family>.json of every language: English gets what to
// write, the others a TODO to translate. The keys go before anchorID's
// (the rule the new one precedes) or, without it, at the end; the rest of
// each file is kept byte for byte: order, escapes and layout.
func localeEdits(dir, fam, id, anchorID string) ([]edit, error) {
	langs, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []edit
	for _, l := range langs {
		if !l.IsDir() {
			continue
		}
		path := filepath.Join(dir, l.Name(), fam+".json")
		var kv [][2]string
		for _, p := range textParts {
			v := p.english
			if l.Name() != "en" {
				v = translateTODO
			}
			kv = append(kv, [2]string{id + "." + p.part, v})
		}
		data, err := insertKeys(path, anchorID, kv)
		if err != nil {
			return nil, err
		}
		out = append(out, edit{path: path, data: data, what: "title, cause and fix, as TODOs"})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no languages", dir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

// insertKeys inserts kv, one key per line, into the flat JSON object in
// path (one "key": "text" per line, two spaces in): before the first key
// of anchorID when the file has one, else as the last keys.
func insertKeys(path, anchorID string, kv [][2]string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var before map[string]string
	if err := json.Unmarshal(raw, &before); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for _, p := range kv {
		if _, ok := before[p[0]]; ok {
			return nil, fmt.Errorf("%s already has %s", path, p[0])
		}
	}
	lines := strings.SplitAfter(string(raw), "\n")
	closing := -1
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) == "}" {
			closing = i
			break
		}
	}
	if closing < 1 || strings.TrimSpace(lines[0]) != "{" {
		return nil, fmt.Errorf("%s: not one flat object, one key per line", path)
	}
	var add []string
	for _, p := range kv {
		add = append(add, "  "+jsonString(p[0])+": "+jsonString(p[1])+",\n")
	}
	at := closing
	if anchorID != "" {
		for i, l := range lines {
			if strings.HasPrefix(l, `  "`+anchorID+".") {
				at = i
				break
			}
		}
	}
	if at == closing {
		// At the end: the last key gains a comma, the new last loses it.
		last := closing - 1
		for last > 0 && strings.TrimSpace(lines[last]) == "" {
			last--
		}
		if last > 0 {
			lines[last] = strings.TrimRight(lines[last], "\n") + ",\n"
		}
		add[len(add)-1] = strings.TrimSuffix(add[len(add)-1], ",\n") + "\n"
	}
	out := []byte(strings.Join(slices.Concat(lines[:at], add, lines[at:]), ""))
	var after map[string]string
	if err := json.Unmarshal(out, &after); err != nil || len(after) != len(before)+len(kv) {
		return nil, fmt.Errorf("%s: inserting the keys would break the file (%v); is it one key per line?", path, err)
	}
	return out, nil
}

// jsonString is s as a JSON string, as the locale files write it: UTF-8 as
// is, no \u escapes for <, > and &.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
