// import-worker.js: a dedicated module worker that reads a HAR file of any
// size off the page's thread. It loads its own engine with the pages' loader
// (engine.js; the extension-page CSP covers workers of our own pages), reads
// the File in chunks with File.slice, and pushes them to the engine's
// streaming import or sanitizer, so neither this worker nor the page ever
// holds the whole file. The contract with import.js:
//
//   page → worker  {op: 'warm'}                            (load the engine now)
//                  {op: 'import', job, file, lang, chunk}
//                  {op: 'sanitize', job, file, pseudonymize, chunk}
//                  {op: 'cancel', job}
//   worker → page  {type: 'progress', job, read, total, entries, inspected, findings, failedCalls, wasmBytes}
//                  {type: 'done', job, result, cancelled}   (import)
//                  {type: 'sanitized', job, blob}           (sanitize)
//                  {type: 'failed', job, error}             (one line)
//
// Cancel is honoured between chunks: reading an ArrayBuffer awaits, so the
// message is seen at once.

// A module worker has no importScripts: wasm_exec.js is imported for its
// side effect (globalThis.Go), as background.js does.
import './engine/wasm_exec.js';
import { loadEngine, wasmBytes } from './engine.js';

const cancelled = new Set();

/** chunks yields the file's bytes in order, chunk bytes at a time, until cancelled. */
async function* chunks(job, file, chunk) {
  for (let off = 0; off < file.size; off += chunk) {
    if (cancelled.has(job)) return;
    yield new Uint8Array(await file.slice(off, off + chunk).arrayBuffer());
  }
}

async function importFile({ job, file, lang, chunk }) {
  const hd = await loadEngine();
  const id = await hd.importStart(file.name, lang);
  let read = 0;
  try {
    for await (const bytes of chunks(job, file, chunk)) {
      read += bytes.length;
      const p = await hd.importPush(id, bytes);
      post({ type: 'progress', job, read, total: file.size, entries: p.entries, inspected: p.inspected, findings: p.findings, failedCalls: p.failedCalls, wasmBytes: wasmBytes() });
      if (p.stopped) break; // the file is broken here: importFinish says where
    }
  } catch (err) {
    await hd.importCancel(id);
    throw err;
  }
  if (cancelled.has(job)) {
    await hd.importCancel(id);
    post({ type: 'done', job, cancelled: true, read });
    return;
  }
  post({ type: 'done', job, cancelled: false, result: await hd.importFinish(id), read });
}

async function sanitizeFile({ job, file, pseudonymize, chunk }) {
  const hd = await loadEngine();
  const id = await hd.sanitizeStart(file.name, pseudonymize);
  // Blob parts live in the browser's blob storage (on disk when large), not
  // in this worker's heap.
  const parts = [];
  let read = 0;
  try {
    for await (const bytes of chunks(job, file, chunk)) {
      read += bytes.length;
      const out = await hd.sanitizePush(id, bytes);
      if (out.length) parts.push(new Blob([out]));
      post({ type: 'progress', job, read, total: file.size, wasmBytes: wasmBytes() });
    }
  } catch (err) {
    await hd.sanitizeCancel(id);
    throw err;
  }
  if (cancelled.has(job)) {
    await hd.sanitizeCancel(id);
    post({ type: 'failed', job, error: 'cancelled' });
    return;
  }
  parts.push(new Blob([await hd.sanitizeFinish(id)]));
  post({ type: 'sanitized', job, blob: new Blob(parts, { type: 'application/json' }) });
}

function post(msg) {
  self.postMessage(msg);
}

self.onmessage = async ({ data }) => {
  if (data.op === 'cancel') {
    cancelled.add(data.job);
    return;
  }
  if (data.op === 'warm') {
    // A failure here is reported by the job that needs the engine.
    loadEngine().catch(() => {});
    return;
  }
  try {
    if (data.op === 'import') await importFile(data);
    else if (data.op === 'sanitize') await sanitizeFile(data);
    else throw new Error(`unknown operation ${data.op}`);
  } catch (err) {
    post({ type: 'failed', job: data.job, error: String(err?.message ?? err).split('\n')[0] });
  } finally {
    cancelled.delete(data.job);
  }
};
