// import-worker.js: a dedicated module worker that reads a HAR file of any
// size off the page's thread. It loads its own engine with the pages' loader
// (engine.js; the extension-page CSP covers workers of our own pages), gets
// the File's bytes in chunks from its reader (import-reader.js, a worker of
// its own, which reads the next chunks while the engine works on this one),
// and pushes them to the engine's streaming import or sanitizer, so neither
// this worker nor the page ever holds the whole file. The contract with
// import.js:
//
//   page → worker  {op: 'warm', lang}                      (load and warm up the engine now)
//                  {op: 'import', job, file, lang, chunk}
//                  {op: 'sanitize', job, file, pseudonymize, chunk}
//                  {op: 'cancel', job}
//   worker → page  {type: 'ready'}                         (after warm: the engine is ready)
//                  {type: 'progress', job, read, total, entries, inspected, findings, failedCalls, wasmBytes}
//                  {type: 'done', job, result, cancelled}   (import)
//                  {type: 'sanitized', job, blob}           (sanitize)
//                  {type: 'failed', job, error}             (one line)
//
// Progress is posted at most every PROGRESS_MS (the findings of the chunks
// in between are carried by the next one, and by one last post before the
// end), not after each chunk: nobody sees a bar move faster, and each post
// makes the page render. Cancel is honoured between chunks: the worker
// awaits each push, so the message is seen at once.

// A module worker has no importScripts: wasm_exec.js is imported for its
// side effect (globalThis.Go), as background.js does.
import './engine/wasm_exec.js';
import { loadEngine, wasmBytes } from './engine.js';

/** AHEAD is how many chunks the reader reads beyond the one the engine is working on. */
const AHEAD = 3;
/** PROGRESS_MS is the least time between two progress posts. */
const PROGRESS_MS = 100;

const cancelled = new Set();

// The reader worker, started with the engine (warm) or by the first job;
// inboxes holds what it sent for each job being read.
let reader = null;
const inboxes = new Map(); // job → {queue, wake}

function startReader() {
  if (reader) return reader;
  reader = new Worker(new URL('import-reader.js', import.meta.url), { type: 'module' });
  reader.onmessage = ({ data }) => deliver(data.job, data);
  reader.onerror = (ev) => {
    ev.preventDefault?.();
    reader.terminate();
    reader = null;
    for (const job of inboxes.keys()) deliver(job, { error: ev.message || 'the file reader failed' });
  };
  return reader;
}

function deliver(job, msg) {
  const box = inboxes.get(job);
  if (!box) return; // the job ended: a chunk read ahead is dropped
  box.queue.push(msg);
  box.wake?.();
}

/** chunks yields the file's bytes in order, in chunks of chunk bytes, until cancelled. */
async function* chunks(job, file, chunk) {
  const r = startReader();
  const box = { queue: [], wake: null };
  inboxes.set(job, box);
  r.postMessage({ op: 'read', job, file, chunk, ahead: AHEAD });
  try {
    for (;;) {
      while (box.queue.length === 0) await new Promise((wake) => (box.wake = wake));
      const m = box.queue.shift();
      if (m.error) throw new Error(`reading ${file.name}: ${m.error}`);
      if (m.end || cancelled.has(job)) return;
      r.postMessage({ op: 'take', job });
      yield new Uint8Array(m.bytes);
    }
  } finally {
    inboxes.delete(job);
    r.postMessage({ op: 'stop', job });
  }
}

/**
 * progressPoster posts a job's progress at most every PROGRESS_MS; its
 * findings accumulate in between. flush posts what is pending at once.
 */
function progressPoster(job, total) {
  let last = -Infinity;
  let pending = null;
  let findings = [];
  let failedCalls = [];
  const flush = () => {
    if (!pending) return;
    post({ type: 'progress', job, total, ...pending, findings, failedCalls, wasmBytes: wasmBytes() });
    pending = null;
    findings = [];
    failedCalls = [];
    last = performance.now();
  };
  return {
    /** update records where the job stands: {read, entries, inspected, findings, failedCalls}. */
    update({ findings: fresh = [], failedCalls: calls = [], ...at }) {
      pending = at;
      findings.push(...fresh);
      for (const c of calls) failedCalls.push(c);
      if (performance.now() - last >= PROGRESS_MS) flush();
    },
    flush,
  };
}

/**
 * WARM_UP_BYTES is about the size of the made-up session the engine reads
 * once at start, in chunks of WARM_UP_CHUNK: enough for V8 to find the hot
 * functions (it counts the work each does).
 */
const WARM_UP_BYTES = 4 << 20;
const WARM_UP_CHUNK = 4 << 20;

let warming = null;

/**
 * warm loads the engine and has it import a made-up session once, so that
 * V8 has compiled the engine's hot path (reading entries and skipping their
 * bodies) with its optimizing tier before the admin's file comes: a fresh
 * worker's first import otherwise runs on V8's baseline code, at about two
 * thirds of the speed. It also has the engine write an empty summary in
 * lang, the admin's language, which loads that language's messages (the
 * first finding explained took 160 ms to load them). It takes a fraction
 * of a second, while the admin picks the file; a job that comes sooner
 * waits for it. It resolves once the engine is loaded, and rejects when it
 * cannot be (the job that needs it then says why).
 */
function warm(lang) {
  warming ??= (async () => {
    const hd = await loadEngine();
    const bytes = new TextEncoder().encode(madeUpSession(WARM_UP_BYTES));
    const id = await hd.importStart('warm-up.har', lang);
    try {
      for (let off = 0; off < bytes.length; off += WARM_UP_CHUNK) await hd.importPush(id, bytes.subarray(off, off + WARM_UP_CHUNK));
      await hd.importFinish(id);
      await hd.summary('[]', JSON.stringify({ format: 'markdown', lang }));
    } catch {
      await hd.importCancel(id); // a warm-up that failed only leaves the engine cold
    }
  })();
  return warming;
}

/**
 * madeUpSession returns a HAR text of about size bytes shaped as a browser
 * writes one (indented, headers, JSON, script and base64 image bodies);
 * its content means nothing.
 */
function madeUpSession(size) {
  const script = 'function f(a,b){return "x\\y"+a.map((c)=>c*2).join(",")}\n'.repeat(1000);
  const image = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='.repeat(300);
  const api = JSON.stringify({ items: Array.from({ length: 40 }, (_, i) => ({ id: `id-${i}`, name: `item ${i}`, enabled: i % 2 === 0 })) });
  const bodies = [
    { mimeType: 'application/json', text: api },
    { mimeType: 'text/javascript', text: script },
    { mimeType: 'image/png', text: image, encoding: 'base64' },
  ];
  const entries = [];
  for (let i = 0, n = 0; n < size; i++) {
    const content = bodies[i % bodies.length];
    const entry = {
      startedDateTime: '2026-01-01T00:00:00.000Z',
      time: 12.5,
      request: {
        method: 'GET',
        url: `https://admin.example.com/api/v1/items/${i}`,
        httpVersion: 'http/2.0',
        headers: [{ name: 'accept', value: 'application/json' }, { name: 'trackingid', value: `WARM_${i}` }],
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 200,
        statusText: '',
        httpVersion: 'http/2.0',
        headers: [{ name: 'content-type', value: content.mimeType }],
        cookies: [],
        content: { size: content.text.length, ...content },
        redirectURL: '',
        headersSize: -1,
        bodySize: content.text.length,
      },
      cache: {},
      timings: { send: 0.1, wait: 10, receive: 2.4 },
    };
    entries.push(entry);
    n += content.text.length + 900;
  }
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'Hub Doctor', version: 'warm-up' }, entries } }, null, 2);
}

async function importFile({ job, file, lang, chunk }) {
  await warm(lang).catch(() => {});
  const hd = await loadEngine();
  const id = await hd.importStart(file.name, lang);
  const progress = progressPoster(job, file.size);
  const { read, cancelled: stopped } = await pushAll({ job, file, chunk }, progress, async (bytes, read) => {
    const p = await hd.importPush(id, bytes);
    progress.update({ read, entries: p.entries, inspected: p.inspected, findings: p.findings, failedCalls: p.failedCalls });
    return p.stopped; // the file is broken here: importFinish says where
  }, () => hd.importCancel(id));
  if (stopped) {
    post({ type: 'done', job, cancelled: true, read });
    return;
  }
  post({ type: 'done', job, cancelled: false, result: await hd.importFinish(id), read });
}

async function sanitizeFile({ job, file, pseudonymize, chunk }) {
  await warm('en').catch(() => {});
  const hd = await loadEngine();
  const id = await hd.sanitizeStart(file.name, pseudonymize);
  // Blob parts live in the browser's blob storage (on disk when large), not
  // in this worker's heap.
  const parts = [];
  const progress = progressPoster(job, file.size);
  const { cancelled: stopped } = await pushAll({ job, file, chunk }, progress, async (bytes, read) => {
    const out = await hd.sanitizePush(id, bytes);
    if (out.length) parts.push(new Blob([out]));
    progress.update({ read });
    return false;
  }, () => hd.sanitizeCancel(id));
  if (stopped) {
    post({ type: 'failed', job, error: 'cancelled' });
    return;
  }
  parts.push(new Blob([await hd.sanitizeFinish(id)]));
  post({ type: 'sanitized', job, blob: new Blob(parts, { type: 'application/json' }) });
}

/**
 * pushAll hands the file's chunks to push(bytes, read) until it returns true
 * (the file is broken there) or the file ends, then flushes the progress
 * (Cancel keeps what was found: all of it reaches the page before the end).
 * On an error, and when the page cancelled the job, it calls cancel, which
 * stops the engine's side. Resolves with the bytes read and whether the
 * page cancelled.
 */
async function pushAll({ job, file, chunk }, progress, push, cancel) {
  let read = 0;
  try {
    for await (const bytes of chunks(job, file, chunk)) {
      read += bytes.length;
      if (await push(bytes, read)) break;
    }
  } catch (err) {
    await cancel();
    throw err;
  } finally {
    progress.flush();
  }
  if (!cancelled.has(job)) return { read, cancelled: false };
  await cancel();
  return { read, cancelled: true };
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
    startReader();
    // A failure here is reported by the job that needs the engine.
    warm(data.lang)
      .then(() => post({ type: 'ready' }))
      .catch(() => {});
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
