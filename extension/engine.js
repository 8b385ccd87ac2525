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
  return globalThis.hubdoctor;
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
