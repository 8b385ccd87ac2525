// engine.js loads the Go rules engine (WebAssembly) into this page and
// resolves with its namespace object, globalThis.hubdoctor (see wasm/README.md).
// The page must load engine/wasm_exec.js with a classic <script> first: it
// defines globalThis.Go, and it must come from the Go that built the .wasm.

import * as ext from './browser.js';

const WASM_PATH = 'extension/engine/hubdoctor.wasm';

let loading = null;

/**
 * loadEngine starts the engine once and resolves when it signals ready. It
 * rejects with a one-line error when wasm_exec.js is missing, the .wasm cannot
 * be compiled, or the Go program exits before it is ready.
 */
export function loadEngine() {
  loading ??= start();
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
  // The packaged .wasm is read from our own package: a local read, not a
  // network request.
  const response = await fetch(ext.getURL(WASM_PATH));
  if (!response.ok) {
    throw new Error(`engine: cannot read ${WASM_PATH} (HTTP ${response.status})`);
  }
  const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), go.importObject);
  const exited = go.run(instance).then(() => {
    throw new Error('engine: the Go program exited before it was ready');
  });
  if (!globalThis.hubdoctor?.ready) {
    await Promise.race([ready, exited]);
  }
  return globalThis.hubdoctor;
}

/**
 * pickLanguage returns the engine catalog language closest to the browser's
 * UI language ("fr-BE" → "fr"), the way internal/messages.Match does: when
 * only a script variant exists, it serves the base ("sr", "sr-RS" →
 * "sr-Latn", as the extension's "sr" UI text is Latin too). English when
 * there is none.
 */
export function pickLanguage(engine, ui = ext.uiLanguage()) {
  const langs = engine?.languages ?? ['en'];
  const tag = ui.replaceAll('_', '-').toLowerCase();
  for (let t = tag; t; t = t.includes('-') ? t.slice(0, t.lastIndexOf('-')) : '') {
    const hit = langs.find((l) => l.toLowerCase() === t);
    if (hit) return hit;
  }
  const base = tag.split('-')[0];
  return langs.find((l) => l.toLowerCase().startsWith(`${base}-`)) ?? 'en';
}
