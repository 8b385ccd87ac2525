//go:build js && wasm

package main

import (
	"errors"

	"github.com/hack-pad/safejs"
)

// TEMPORARY until internal/sanitize lands.
func sanitizeEntry([]safejs.Value) (safejs.Value, error) {
	return safejs.Undefined(), errors.New("sanitize not available")
}

func sanitizeHAR([]safejs.Value) (safejs.Value, error) {
	return safejs.Undefined(), errors.New("sanitize not available")
}

func summary([]safejs.Value) (safejs.Value, error) {
	return safejs.Undefined(), errors.New("summary not available")
}
