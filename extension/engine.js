// engine.js loads the Go rules engine (WebAssembly) and resolves with its
// namespace object, globalThis.hubdoctor (see wasm/README.md). It is the one
// loader: the pages, the background and the import worker (a module worker)
// all use it. Each must load engine/wasm_exec.js first, which defines
// globalThis.Go and must come from the Go that built the .wasm: a page with a
// classic <script>, the background and the worker as a module import.

import * as ext from './browser.js';

// The packaged .wasm, beside this file: found the same way in a page, the
// background and a worker, which has no extension APIs to resolve a path.
const WASM_URL = new URL('engine/hubdoctor.wasm', import.meta.url);

let loading = null;
let memory = null;

/**
 * loadEngine starts the engine once and resolves when it signals ready. It
 * rejects with a one-line error when wasm_exec.js is missing, the .wasm cannot
 * be compiled, or the Go program exits before it is ready; a failed start is
 * tried again by the next call.
 */
export function loadEngine() {
  loading ??= start().catch((err) => {
    loading = null;
    throw err;
  });
  return loading;
}

async function start() {
  if (typeof globalThis.Go !== 'function') {
    throw new Error('engine: wasm_exec.js is not loaded in this page');
  }
  const ready = new Promise((resolve) => {
    globalThis.__hubdoctorReady = resolve;
  });
  const go = new globalThis.Go();
  // A read of our own package, not a network request.
  const response = await fetch(WASM_URL);
  if (!response.ok) {
    throw new Error(`engine: cannot read extension/engine/hubdoctor.wasm (HTTP ${response.status})`);
  }
  const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), go.importObject);
  const exited = go.run(instance).then(() => {
    throw new Error('engine: the Go program exited before it was ready');
  });
  if (!globalThis.hubdoctor?.ready) {
    await Promise.race([ready, exited]);
  }
  memory = instance.exports.mem;
  return bindExports(globalThis.hubdoctor, instance);
}

/**
 * bindExports adds to the namespace ns the functions the engine exports from
 * WebAssembly itself (//go:wasmexport, wasm/exchange.go) rather than through
 * syscall/js, whose every call costs 35–60 µs in the devtools page:
 * needsBody and sanitizeEntries, the per-request hot path. They keep the
 * contract of wasm/README.md, errors included. It returns ns.
 */
export function bindExports(ns, instance) {
  const cross = crossing(instance.exports);
  ns.needsBody = (method, url, status, mimeType) => {
    try {
      const st = status ?? 0;
      if (typeof st !== 'number') throw argError('needsBody', 3, 'status', 'a number', st);
      return cross('needsBody', [text('needsBody', 1, 'method', method), text('needsBody', 2, 'url', url),
        mimeType == null ? '' : text('needsBody', 4, 'mimeType', mimeType)], Math.trunc(st)) === 1;
    } catch (err) {
      // Synchronous and never throwing, as the syscall/js version was.
      console.error(err.message);
      return false;
    }
  };
  ns.sanitizeEntries = async (entriesJSON, pseudonymize) =>
    cross('sanitizeEntries', [text('sanitizeEntries', 1, 'entriesJSON', entriesJSON)], pseudonymize ? 1 : 0, true);
  return ns;
}

/**
 * crossing returns the one helper that calls an exported function of the
 * engine: it writes the strings one after the other, as UTF-8, into the
 * input buffer the engine owns (hubdoctorBuffer grows it), calls
 * `hubdoctor<Name>(their byte lengths…, number)`, and returns its status,
 * or the output as a string when asText. A negative status is an error whose
 * one-line message is the output: it throws it as an Error.
 */
function crossing(exports) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const output = (length) => new Uint8Array(exports.mem.buffer, exports.hubdoctorResult(), length);
  return (name, strings, number, asText = false) => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    let room = 0;
    for (const s of strings) room += 3 * s.length;
    let at = exports.hubdoctorBuffer(room);
    const end = at + room;
    const lengths = [];
    for (const s of strings) {
      // Read the memory after hubdoctorBuffer: growing it detaches the old ArrayBuffer.
      const { written } = encoder.encodeInto(s, new Uint8Array(exports.mem.buffer, at, end - at));
      lengths.push(written);
      at += written;
    }
    const status = exports[`hubdoctor${name[0].toUpperCase()}${name.slice(1)}`](...lengths, number);
    if (status < 0) throw new Error(decoder.decode(output(-status)));
    return asText ? decoder.decode(output(status)) : status;
  };
}

/** text returns argument n (named name) of hubdoctor.fn when it is a string, and throws the engine's one-line error otherwise. */
function text(fn, n, name, v) {
  if (typeof v !== 'string') throw argError(fn, n, name, 'a string', v);
  return v;
}

/** argError is the one-line error the engine gives for an argument of the wrong type. */
function argError(fn, n, name, want, v) {
  return new Error(`hubdoctor.${fn}: argument ${n} (${name}) must be ${want}, got ${v === null ? 'null' : typeof v}`);
}

/** wasmBytes is the size of the engine's memory (0 before it started), for the tests' measurements. */
export function wasmBytes() {
  return memory?.buffer.byteLength ?? 0;
}

/**
 * pickLanguage returns the engine catalog language that serves the browser's
 * UI language ("fr-BE" → "fr"; "sr" → "sr-Latn"). The engine decides
 * (internal/messages.Match); English when it has none closer.
 */
export function pickLanguage(engine, ui = ext.uiLanguage()) {
  return engine.pickLanguage(ui);
}
