//go:build js && wasm

// Command wasm is Hub Doctor's engine for the browser extension: it exposes
// globalThis.hubdoctor (the contract is in README.md) and then serves calls
// until the page closes. It only adapts JavaScript values; every decision is
// made in the pure Go packages under internal/.
package main

import (
	"fmt"

	"github.com/hack-pad/safejs"
)

func main() {
	if err := publish(); err != nil {
		// Nothing to serve: say why on the page's console and exit.
		fmt.Println("hubdoctor: cannot start the engine:", err)
		return
	}
	// Returning from main would end the Go program and fail every later call.
	select {}
}

// publish sets globalThis.hubdoctor, marks it ready and calls
// globalThis.__hubdoctorReady() when the page defined it, so JS can await
// the engine however it loaded it.
func publish() error {
	ns, err := newNamespace()
	if err != nil {
		return err
	}
	g := safejs.Global()
	if err := g.Set("hubdoctor", ns); err != nil {
		return err
	}
	if err := ns.Set("ready", true); err != nil {
		return err
	}
	if ready, err := g.Get("__hubdoctorReady"); err == nil && ready.Type() == safejs.TypeFunction {
		if _, err := ready.Invoke(); err != nil {
			return fmt.Errorf("__hubdoctorReady: %v", err)
		}
	}
	return nil
}
