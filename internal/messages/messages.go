// Package messages is Hub Doctor's one message catalog: rule titles, causes
// and fixes, and the words of every report, in each supported language. The
// CLI, the summary and the extension's engine all read it.
//
// Texts live in locales/<lang>/<part>.json, one flat object of key → text per
// file; the files of a language are merged. Placeholders are written {name}.
//
// vocabulary.json is the one vocabulary of the views: the labels of a
// finding's fields (field_*) and the severities (severity_*). The CLI report,
// the TAC summary and the extension's panel and popup name a field with the
// same key; the extension's _locales carry those keys with the same texts
// (internal/report's TestVocabularyShared keeps them equal in every language).
package messages

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
)

//go:embed locales
var files embed.FS

// Fallback is the language used when a text is missing in the one asked for.
const Fallback = "en"

// languages are the catalog's languages, sorted: the folders of locales/.
var languages = func() []string {
	dirs, err := files.ReadDir("locales")
	if err != nil {
		panic(err) // embedded at build time: cannot fail
	}
	var ls []string
	for _, d := range dirs {
		ls = append(ls, d.Name())
	}
	sort.Strings(ls)
	return ls
}()

// loaded holds each language's texts once read. A language is parsed on
// first use: the extension's engine starts faster when it reads only
// English and the admin's language, not all five.
var (
	loadMu sync.Mutex
	loaded = map[string]map[string]string{}
)

// texts returns lang's texts (nil for a language the catalog lacks).
func texts(lang string) map[string]string {
	loadMu.Lock()
	defer loadMu.Unlock()
	if m, ok := loaded[lang]; ok {
		return m
	}
	var m map[string]string
	if slices.Contains(languages, lang) {
		m = load(lang)
	}
	loaded[lang] = m
	return m
}

// load merges the files of locales/<lang>/.
func load(lang string) map[string]string {
	out := map[string]string{}
	parts, _ := files.ReadDir(path.Join("locales", lang))
	for _, p := range parts {
		raw, _ := files.ReadFile(path.Join("locales", lang, p.Name()))
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			panic(fmt.Sprintf("locales/%s/%s: %v", lang, p.Name(), err)) // TestLanguagesComplete reads every file
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// Languages lists the catalog's languages, sorted.
func Languages() []string {
	return slices.Clone(languages)
}

// Match returns the catalog language that serves tag ("fr-CA" → "fr",
// "sr-Latn-RS" → "sr-Latn"), or Fallback. When only a script variant of the
// tag's language exists, that variant serves it ("sr", "sr-RS" → "sr-Latn"):
// browsers report Serbian as plain "sr", and a Serbian reader is better
// served by the Latin text than by English.
func Match(tag string) string {
	tag = strings.ReplaceAll(tag, "_", "-")
	for t := tag; t != ""; {
		for _, l := range languages {
			if strings.EqualFold(l, t) {
				return l
			}
		}
		i := strings.LastIndexByte(t, '-')
		if i < 0 {
			break
		}
		t = t[:i]
	}
	if base, _, _ := strings.Cut(tag, "-"); base != "" {
		for _, l := range Languages() { // sorted, so the choice is stable
			if len(l) > len(base) && l[len(base)] == '-' && strings.EqualFold(l[:len(base)], base) {
				return l
			}
		}
	}
	return Fallback
}

// Keys returns the keys of lang, sorted.
func Keys(lang string) []string {
	var ks []string
	for k := range texts(lang) {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Has reports whether key exists in the fallback language.
func Has(key string) bool {
	_, ok := texts(Fallback)[key]
	return ok
}

// Localize returns key's text in lang (falling back to English) with {name}
// placeholders replaced from args, given as name, value pairs. A missing key
// returns the key itself, so a gap shows rather than hides.
func Localize(lang, key string, args ...string) string {
	s, ok := texts(Match(lang))[key]
	if !ok {
		if s, ok = texts(Fallback)[key]; !ok {
			return key
		}
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

// Lines splits a multi-line text (a fix's steps) into its non-empty lines.
func Lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
