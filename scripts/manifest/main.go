// Command manifest writes the one manifest.json for one browser: the same
// file with exactly one key deleted (Chrome reads background.service_worker
// and warns on background.scripts; Firefox reads background.scripts and
// web-ext lint errors on service_worker) and the release version added from
// internal/version, the one place the CLI, the store zips and the extension
// read it from (manifest.json itself has none). There is no second, hand-kept
// manifest.
//
//	go run ./scripts/manifest -drop background.scripts -in manifest.json -out dist/chrome/manifest.json
//
// Key order is kept, so the output differs from the input only by the key.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"hubdoctor/internal/version"
)

func main() {
	in := flag.String("in", "manifest.json", "the manifest to read")
	out := flag.String("out", "", "where to write the manifest for one browser")
	drop := flag.String("drop", "", "dotted path of the one key to delete, e.g. background.scripts")
	flag.Parse()
	if err := run(*in, *out, *drop); err != nil {
		fmt.Fprintln(os.Stderr, "manifest:", err)
		os.Exit(1)
	}
}

func run(in, out, drop string) error {
	if out == "" || drop == "" {
		return fmt.Errorf("-out and -drop are required")
	}
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	res, err := dropKey(raw, strings.Split(drop, "."))
	if err == nil {
		res, err = withVersion(res, version.Version)
	}
	if err != nil {
		return fmt.Errorf("%s: %v", in, err)
	}
	return os.WriteFile(out, res, 0o644)
}

// decodeObject decodes raw, which must be a JSON object, keeping its key order.
func decodeObject(raw []byte) (*object, error) {
	v, err := decode(json.NewDecoder(bytes.NewReader(raw)))
	if err != nil {
		return nil, err
	}
	obj, ok := v.(*object)
	if !ok {
		return nil, fmt.Errorf("not a JSON object")
	}
	return obj, nil
}

// dropKey returns the JSON object raw without the member at path, indented
// with two spaces and in its original key order. It errors when raw is not
// a JSON object or the key is absent: a build that drops nothing is wrong.
func dropKey(raw []byte, path []string) ([]byte, error) {
	root, err := decodeObject(raw)
	if err != nil {
		return nil, err
	}
	obj := root
	for i, k := range path {
		j := obj.index(k)
		if j < 0 {
			return nil, fmt.Errorf("no key %q", strings.Join(path[:i+1], "."))
		}
		if i == len(path)-1 {
			obj.keys = append(obj.keys[:j], obj.keys[j+1:]...)
			obj.vals = append(obj.vals[:j], obj.vals[j+1:]...)
			break
		}
		next, ok := obj.vals[j].(*object)
		if !ok {
			return nil, fmt.Errorf("%q is not an object", strings.Join(path[:i+1], "."))
		}
		obj = next
	}
	return encoded(root), nil
}

// withVersion returns the manifest raw with "version" set to v, placed
// before "default_locale" (after "description" in ours), as the stores show
// it. It errors when raw already has a version: the version has one place,
// internal/version.
func withVersion(raw []byte, v string) ([]byte, error) {
	obj, err := decodeObject(raw)
	if err != nil {
		return nil, err
	}
	if obj.index("version") >= 0 {
		return nil, fmt.Errorf(`has a "version": it comes from internal/version, the one place it is written`)
	}
	at := obj.index("default_locale")
	if at < 0 {
		at = len(obj.keys)
	}
	obj.keys = append(obj.keys[:at], append([]string{"version"}, obj.keys[at:]...)...)
	obj.vals = append(obj.vals[:at], append([]any{v}, obj.vals[at:]...)...)
	return encoded(obj), nil
}

// encoded is obj indented with two spaces, in its key order, with a final
// line break.
func encoded(obj *object) []byte {
	var b bytes.Buffer
	encode(&b, obj, "")
	b.WriteByte('\n')
	return b.Bytes()
}

// object is a JSON object that remembers its key order.
type object struct {
	keys []string
	vals []any
}

func (o *object) index(k string) int {
	for i, key := range o.keys {
		if key == k {
			return i
		}
	}
	return -1
}

// decode reads one JSON value; objects become *object, arrays []any, and
// scalars stay json.Number, string, bool or nil.
func decode(d *json.Decoder) (any, error) {
	d.UseNumber()
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := &object{}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return nil, err
			}
			v, err := decode(d)
			if err != nil {
				return nil, err
			}
			o.keys = append(o.keys, k.(string))
			o.vals = append(o.vals, v)
		}
		_, err = d.Token()
		return o, err
	case json.Delim('['):
		a := []any{}
		for d.More() {
			v, err := decode(d)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err = d.Token()
		return a, err
	}
	return tok, nil
}

func encode(b *bytes.Buffer, v any, indent string) {
	inner := indent + "  "
	switch v := v.(type) {
	case *object:
		if len(v.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, k := range v.keys {
			b.WriteString(inner)
			scalar(b, k)
			b.WriteString(": ")
			encode(b, v.vals[i], inner)
			if i < len(v.keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, x := range v {
			b.WriteString(inner)
			encode(b, x, inner)
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	default:
		scalar(b, v)
	}
}

func scalar(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)       // json.Number, string, bool and nil always encode
	b.Truncate(b.Len() - 1) // Encode's newline
}
