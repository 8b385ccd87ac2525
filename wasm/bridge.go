//go:build js && wasm

package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hack-pad/safejs"
)

// The bridge's one helper: it registers Go functions on the namespace object,
// turns (value, error) into a resolved or rejected Promise, and recovers
// panics into rejections. A panic that escaped a callback would end the Go
// program, and every later call from the panel would then fail with "Go
// program has already exited".

// adapter is one JS function's Go side: it reads its arguments and returns
// the JS value to resolve with, or an error to reject with.
type adapter func(args []safejs.Value) (safejs.Value, error)

// exportAsync sets ns[name] to a function returning a Promise. The work runs
// synchronously inside the call: WebAssembly is single-threaded, so a
// goroutine would not free the page any sooner. Work that waits on another
// goroutine goes through exportBackground instead.
func exportAsync(ns safejs.Value, name string, fn adapter) error {
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		v, err := guard(name, fn, args)
		if err != nil {
			return settle("reject", newError(name, err))
		}
		return settle("resolve", v)
	})
	if err != nil {
		return err
	}
	return ns.Set(name, f)
}

// work is the blocking part of a background adapter.
type work func() (safejs.Value, error)

// background is an adapter whose work waits on other goroutines (a stream's
// consumer reading a pushed chunk): it reads its arguments inside the call,
// while they are valid, and returns the work.
type background func(args []safejs.Value) (work, error)

// exportBackground is exportAsync for a background adapter: the Promise is
// returned at once and settled when the work, run in a goroutine, returns.
// A function called from JavaScript must not block waiting on another
// goroutine that may itself need JavaScript to run, so the waiting is done
// outside the call. Argument errors and panics reject as with exportAsync.
func exportBackground(ns safejs.Value, name string, fn background) error {
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		var w work
		_, err := guard(name, func(args []safejs.Value) (safejs.Value, error) {
			var err error
			w, err = fn(args)
			return safejs.Undefined(), err
		}, args)
		if err != nil {
			return settle("reject", newError(name, err))
		}
		p, resolve, reject, err := pending()
		if err != nil {
			return settle("reject", newError(name, err))
		}
		go func() {
			v, err := guard(name, func([]safejs.Value) (safejs.Value, error) { return w() }, nil)
			if err != nil {
				_, _ = reject.Invoke(newError(name, err))
				return
			}
			_, _ = resolve.Invoke(v)
		}()
		return p
	})
	if err != nil {
		return err
	}
	return ns.Set(name, f)
}

// pending returns a new Promise with its resolve and reject functions.
func pending() (p, resolve, reject safejs.Value, err error) {
	executor, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolve, reject = arg(args, 0), arg(args, 1)
		return nil
	})
	if err != nil {
		return p, resolve, reject, err
	}
	// The executor runs inside the constructor: it is done with once it returns.
	defer executor.Release()
	p, err = construct("Promise", executor)
	return p, resolve, reject, err
}

// exportSync sets ns[name] to a function returning fn's value directly, for
// a caller that cannot await (pickLanguage). A JS callback cannot throw from Go, so on error
// the function logs the one-line message with console.error and returns
// fallback.
func exportSync(ns safejs.Value, name string, fallback any, fn adapter) error {
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		v, err := guard(name, fn, args)
		if err != nil {
			if console, cerr := safejs.Global().Get("console"); cerr == nil {
				_, _ = console.Call("error", oneLine(name, err))
			}
			return fallback
		}
		return v
	})
	if err != nil {
		return err
	}
	return ns.Set(name, f)
}

// guard runs fn, turning a panic into an error.
func guard(name string, fn adapter, args []safejs.Value) (v safejs.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return fn(args)
}

// oneLine formats err as the one-line message JS sees:
// "hubdoctor.name: what went wrong".
func oneLine(name string, err error) string {
	return "hubdoctor." + name + ": " + strings.Join(strings.Fields(err.Error()), " ")
}

// newError makes a JS Error carrying err's one-line message.
func newError(name string, err error) safejs.Value {
	e, cerr := construct("Error", oneLine(name, err))
	if cerr != nil {
		// Without an Error constructor, reject with the message itself.
		s, _ := safejs.ValueOf(oneLine(name, err))
		return s
	}
	return e
}

// settle returns Promise.resolve(v) or Promise.reject(v).
func settle(how string, v safejs.Value) any {
	promise, err := safejs.Global().Get("Promise")
	if err != nil {
		return nil
	}
	p, err := promise.Call(how, v)
	if err != nil {
		return nil
	}
	return p
}

// construct calls new globalThis[ctor](args...).
func construct(ctor string, args ...any) (safejs.Value, error) {
	c, err := safejs.Global().Get(ctor)
	if err != nil {
		return safejs.Undefined(), err
	}
	return c.New(args...)
}

// toJS turns a Go value into plain JS data through JSON, so JS gets the same
// field names as every other output (the JSON tags of engine.Finding and
// explain.Explained).
func toJS(v any) (safejs.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return safejs.Undefined(), err
	}
	j, err := safejs.Global().Get("JSON")
	if err != nil {
		return safejs.Undefined(), err
	}
	return j.Call("parse", string(b))
}

// arg returns args[i], or undefined when the call passed fewer.
func arg(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

// argReader reads a call's arguments and keeps the first error, so an
// adapter reads all it needs and checks once. A read after an error
// returns the zero value.
type argReader struct {
	args []safejs.Value
	err  error
}

func readArgs(args []safejs.Value) *argReader { return &argReader{args: args} }

// absent reports whether argument i is null or undefined (or not passed).
func (r *argReader) absent(i int) bool {
	v := arg(r.args, i)
	return v.IsNull() || v.IsUndefined()
}

// str reads argument i (named name) as a string; it errors on any other
// type, so a caller passing an object instead of JSON text hears so.
func (r *argReader) str(i int, name string) string {
	if r.err != nil {
		return ""
	}
	v := arg(r.args, i)
	if v.Type() != safejs.TypeString {
		r.err = errArgType(i+1, name, "a string", v)
		return ""
	}
	s, err := v.String()
	r.err = err
	return s
}

// optional reads argument i as a string, or "" when null or undefined.
func (r *argReader) optional(i int, name string) string {
	if r.absent(i) {
		return ""
	}
	return r.str(i, name)
}

// optionalInt reads argument i as a number, or 0 when null or undefined.
func (r *argReader) optionalInt(i int, name string) int {
	if r.err != nil || r.absent(i) {
		return 0
	}
	v := arg(r.args, i)
	if v.Type() != safejs.TypeNumber {
		r.err = errArgType(i+1, name, "a number", v)
		return 0
	}
	n, err := v.Int()
	r.err = err
	return n
}

// flag reads argument i as JS would a condition (undefined, null, false,
// 0 and "" are false).
func (r *argReader) flag(i int) bool {
	b, err := arg(r.args, i).Truthy()
	return err == nil && b
}

// bytes reads argument i as bytes: a string, a Uint8Array or an
// ArrayBuffer (what File.arrayBuffer() gives).
func (r *argReader) bytes(i int, name string) []byte {
	return r.bytesInto(i, name, nil)
}

// bytesInto is bytes copied into buf's storage when it is large enough.
func (r *argReader) bytesInto(i int, name string, buf []byte) []byte {
	if r.err != nil {
		return nil
	}
	v := arg(r.args, i)
	b, ok, err := bytesOf(v, buf)
	if err == nil && !ok {
		err = errArgType(i+1, name, "a string, Uint8Array or ArrayBuffer", v)
	}
	r.err = err
	return b
}

// bytesOf copies a string, Uint8Array or ArrayBuffer into Go, into buf's
// storage when it is large enough; ok is false for any other value.
func bytesOf(v safejs.Value, buf []byte) (b []byte, ok bool, err error) {
	if v.Type() == safejs.TypeString {
		s, err := v.String()
		return []byte(s), true, err
	}
	if v.Type() != safejs.TypeObject || v.IsNull() {
		return nil, false, nil
	}
	if buf, err := safejs.Global().Get("ArrayBuffer"); err == nil {
		if is, _ := v.InstanceOf(buf); is {
			if v, err = construct("Uint8Array", v); err != nil {
				return nil, true, err
			}
		}
	}
	u8, err := safejs.Global().Get("Uint8Array")
	if err != nil {
		return nil, false, nil
	}
	if is, _ := v.InstanceOf(u8); !is {
		return nil, false, nil
	}
	n, err := v.Length()
	if err != nil {
		return nil, true, err
	}
	if cap(buf) >= n {
		b = buf[:n]
	} else {
		b = make([]byte, n)
	}
	_, err = safejs.CopyBytesToGo(b, v)
	return b, true, err
}

// stringResult turns a Go string, or the error that stopped it, into a JS
// string or a rejection.
func stringResult(s string, err error) (safejs.Value, error) {
	if err != nil {
		return safejs.Undefined(), err
	}
	return safejs.ValueOf(s)
}

// jsonResult is stringResult for a value JS gets as plain data (toJS).
func jsonResult(v any, err error) (safejs.Value, error) {
	if err != nil {
		return safejs.Undefined(), err
	}
	return toJS(v)
}

// errArgType says argument n (named name) is not of the wanted type.
func errArgType(n int, name, want string, got safejs.Value) error {
	return fmt.Errorf("argument %d (%s) must be %s, got %s", n, name, want, got.Type())
}
