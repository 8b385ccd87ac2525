//go:build js && wasm

package main

import (
	"strings"
	"testing"
	"unsafe"

	"hubdoctor/internal/fixture"
)

// These tests call the //go:wasmexport functions as extension/engine.js
// does, from the same protocol's side: write the inputs at the address
// hubdoctorBuffer gives, call, read the output at hubdoctorResult.

// put writes texts one after the other into the input buffer and returns
// their lengths. (Go cannot turn the address back into a pointer, vet
// says, so it writes into the buffer the address is of.)
func put(texts ...string) []int32 {
	n := 0
	for _, s := range texts {
		n += len(s)
	}
	at := exchangeBuffer(int32(n))
	if len(exchange.in) < n || at != uint32(uintptr(unsafe.Pointer(unsafe.SliceData(exchange.in)))) {
		panic("hubdoctorBuffer gave no room for the input")
	}
	mem := exchange.in
	var lengths []int32
	for _, s := range texts {
		mem = mem[copy(mem, s):]
		lengths = append(lengths, int32(len(s)))
	}
	return lengths
}

// result reads the output a call left for status: its text, and whether
// the status said it is an error.
func result(status int32) (out string, failed bool) {
	n := status
	if failed = status < 0; failed {
		n = -status
	}
	if at := exchangeResult(); at != 0 && at != uint32(uintptr(unsafe.Pointer(unsafe.StringData(exchange.out)))) {
		panic("hubdoctorResult is not the output's address")
	}
	return exchange.out[:n], failed
}

func needsBody(method, url string, status int32, mime string) int32 {
	l := put(method, url, mime)
	return exchangeNeedsBody(l[0], l[1], l[2], status)
}

func sanitizeEntries(array string, pseudonymize int32) (string, bool) {
	return result(exchangeSanitizeEntries(put(array)[0], pseudonymize))
}

func TestExchangeNeedsBody(t *testing.T) {
	newNS(t)
	rows := []struct {
		method, url string
		status      int32
		mime        string
		want        int32
		reason      string
	}{
		{"POST", fixture.LicenseAPI, 200, "application/json; charset=utf-8", 1, "the onboard call"},
		{"GET", fixture.AtlasAPI + "subscriptions/pending/", 400, "application/json", 1, "a failed Webex call, harmless or not: listed with its body"},
		{"GET", fixture.AtlasAPI + "subscriptions/pending/", 200, "application/json", 0, "the same call answered: no rule wants it"},
		{"POST", fixture.LicenseAPI, 0, "", 1, "status and MIME not known yet"},
		{"", "", 0, "", 0, "empty strings: no rule"},
	}
	for _, r := range rows {
		if got := needsBody(r.method, r.url, r.status, r.mime); got != r.want {
			t.Errorf("%s: status %d, want %d", r.reason, got, r.want)
		}
	}
}

func TestExchangeSanitizeEntries(t *testing.T) {
	_, entry, _ := carrierNS(t)
	out, failed := sanitizeEntries("["+entry+","+entry+"]", 0)
	if failed || strings.Count(out, "\n") != 1 || !strings.Contains(out, "users/onboard") || strings.Contains(out, fixture.Token) {
		t.Errorf("a batch, one entry per line, token gone: %q (failed %v)", out, failed)
	}
	if out, failed = sanitizeEntries(entry, 0); !failed || out != "hubdoctor.sanitizeEntries: entries: not a JSON array" {
		t.Errorf("not an array: %q (failed %v), want the one-line error", out, failed)
	}
	if out, failed = sanitizeEntries("[]", 0); failed || out != "" {
		t.Errorf("an empty batch: %q (failed %v), want nothing", out, failed)
	}
	// An input larger than the buffer so far (grown by doubling from what
	// the calls above needed): the buffer grows and the whole batch is read.
	before := cap(exchange.in)
	many := strings.Repeat(entry+",", 4*before/len(entry)+1)
	out, failed = sanitizeEntries("["+many[:len(many)-1]+"]", 1)
	if got, want := strings.Count(out, "\n")+1, 4*before/len(entry)+1; failed || got != want || cap(exchange.in) <= before {
		t.Errorf("a large batch: %d lines (failed %v), want %d; buffer %d → %d bytes", got, failed, want, before, cap(exchange.in))
	}
	if strings.Contains(out, fixture.CarrierEmail) {
		t.Error("pseudonymize set: the address is still there")
	}
}

func TestExchangeErrors(t *testing.T) {
	newNS(t)
	put("GET")
	status := exchangeNeedsBody(3, int32(cap(exchange.in)), 0, 200)
	if out, failed := result(status); !failed || !strings.HasPrefix(out, "hubdoctor.needsBody: input 2: ") || strings.Contains(out, "\n") {
		t.Errorf("lengths past the buffer: %q (failed %v), want a one-line error", out, failed)
	}
	status = cross("sanitizeEntries", func(*api, [][]byte) (string, int32, error) { panic("boom\nsecond line") })
	if out, failed := result(status); !failed || out != "hubdoctor.sanitizeEntries: internal error: boom second line" {
		t.Errorf("a panic: %q (failed %v), want it recovered into a one-line error", out, failed)
	}
	if got := needsBody("POST", fixture.LicenseAPI, 200, "application/json"); got != 1 {
		t.Errorf("after a panic: needsBody status %d, want 1: the program keeps serving", got)
	}
	exchange.api = nil
	defer newNS(t)
	if out, failed := result(needsBody("GET", "x", 0, "")); !failed || out != "hubdoctor.needsBody: the engine is not ready" {
		t.Errorf("before the namespace: %q (failed %v)", out, failed)
	}
}
