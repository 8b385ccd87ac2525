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
//   worker → page  {type: 'ready'}                         (after warm: the engines are ready)
//                  {type: 'progress', job, read, total, entries, inspected, findings, failedCalls, wasmBytes}
//                  {type: 'done', job, result, cancelled, engines}   (import; engines: 2 when the partner's part was taken over)
//                  {type: 'sanitized', job, blob}           (sanitize)
//                  {type: 'failed', job, error}             (one line)
//
// A large file is read by two engines at once (where ext.twoEngineImport
// says so), on the machine's two cores or more, as the CLI reads one with
// two goroutines: once its engine is warm, this worker starts a second
// instance of itself (the partner) with an engine of its own. The engine
// guesses where an entry starts a bit before the middle (entryStart); the
// partner scans the file from there to the end (partStart), while this
// worker's engine analyses it from the start; when it reaches exactly that
// entry, it takes over the partner's part (importHandover), piece by piece
// as the partner scans it, instead of reading on. A wrong guess, or a part
// the partner could not scan to the end, only means this engine reads the
// rest itself: the result is always a single engine's. The contract with
// the partner:
//
//   worker → partner  {op: 'warm-part'}                     (load the engine; answers ready even when it cannot)
//                     {op: 'part', job, file, start, chunk}
//                     {op: 'cancel', job}
//   partner → worker  {type: 'ready'}
//                     {type: 'part-progress', job, read, entries, piece}  (piece: an ArrayBuffer, transferred)
//                     {type: 'part', job, bytes}             (the last piece, an ArrayBuffer, transferred)
//                     {type: 'part', job, error}             (one line: the part stops short)
//
// Progress is posted at most every PROGRESS_MS, or sooner once POST_CALLS
// failed calls wait (the findings of the chunks in between are carried by
// the next one, and by one last post before the end), not after each
// chunk: nobody sees a bar move faster, and each post makes the page
// render. Cancel is honoured between chunks: the worker
// awaits each push, so the message is seen at once.

// A module worker has no importScripts: wasm_exec.js is imported for its
// side effect (globalThis.Go), as background.js does.
import './engine/wasm_exec.js';
import * as ext from './browser.js';
import { loadEngine, wasmBytes } from './engine.js';

/** AHEAD is how many chunks the reader reads beyond the one the engine is working on. */
const AHEAD = 3;
/**
 * SPLIT_MIN is the smallest file two engines read: below it, the partner's
 * start and the handover cost about what they save.
 */
const SPLIT_MIN = 32 << 20;
/**
 * SPLIT_SHARE is where, as a share of the file, the partner's part starts.
 * The partner only scans; this engine also analyses the entries rules read
 * and explains them, in both parts (the partner's as its pieces come), and
 * reads about 1.4× slower (200 MB sessions, in Node: 310 against 450 MB/s
 * warm): it takes about a third, so that it reaches the split before the
 * partner ends and takes the pieces over while the partner still scans.
 * In Chromium, 0.35 opened 200 MB in 0.65–0.68 s against 0.67–0.78 s at
 * 0.4 (two batches of six alternating rounds; 0.3 measured as 0.35).
 */
const SPLIT_SHARE = 0.35;
/** HEAD is the bytes entryStart reads for the entries' indentation; WINDOW where it looks for an entry start. */
const HEAD = 1 << 20;
const WINDOW = 1 << 20;
/** PROGRESS_MS is the least time between two progress posts. */
const PROGRESS_MS = 100;
/**
 * POST_CALLS is how many failed calls make a progress post go at once: a
 * page given thousands in one message (a part's pieces taken over together)
 * was busy over a second cloning and rendering them.
 */
const POST_CALLS = 200;
/**
 * TAKE_PIECES is how many of the partner's pieces one handover takes: a few
 * spare crossings, and each handover's findings and calls stay a chunk's
 * worth or so.
 */
const TAKE_PIECES = 2;

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

/** chunks yields the file's bytes from byte from on, in order, in chunks of chunk bytes, until cancelled. */
async function* chunks(job, file, chunk, from) {
  const r = startReader();
  const box = { queue: [], wake: null };
  inboxes.set(job, box);
  r.postMessage({ op: 'read', job, file, from, chunk, ahead: AHEAD });
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
      if (performance.now() - last >= PROGRESS_MS || failedCalls.length >= POST_CALLS) flush();
    },
    flush,
  };
}

/**
 * WARM_UP_BYTES is about the size of the made-up session an engine reads
 * once at start, in chunks of WARM_UP_CHUNK: enough for V8 to find the hot
 * functions (it counts the work each does) and compile them with its
 * optimizing tier. Under Node the first import after it read 320 MB/s with
 * 12 MB, 227 MB/s with 4 MB (356 MB/s with 24 MB, which measured no faster
 * in Chromium); in Chromium 200 MB opened in 0.66 s median with both
 * engines warmed so, against 0.75 s with 4 MB for the first engine and none
 * for the partner (six alternating rounds). A job stops it (stopWarmUp): a
 * file chosen early waits for the chunk being read, not the whole warm-up.
 */
const WARM_UP_BYTES = 12 << 20;
const WARM_UP_CHUNK = 4 << 20;

let warming = null;
let warmUpStopped = false;

/**
 * feedWarmUp pushes bytes from byte from on, WARM_UP_CHUNK at a time, and
 * resolves whether it pushed them all: a job may stop the warm-up between
 * two chunks.
 */
async function feedWarmUp(push, bytes, from) {
  for (let at = from; at < bytes.length; at += WARM_UP_CHUNK) {
    if (warmUpStopped) return false;
    await push(bytes.subarray(at, at + WARM_UP_CHUNK));
  }
  return true;
}

/** stopWarmUp has this worker's warm-up, and the partner's, stop after the chunk being read. */
function stopWarmUp() {
  warmUpStopped = true;
  partner?.postMessage({ op: 'stop-warm-up' });
}

/**
 * warm loads the engine and has it import a made-up session once, so that
 * V8 has compiled the engine's hot path (reading entries and skipping their
 * bodies) with its optimizing tier before the admin's file comes: a fresh
 * worker's first import otherwise runs on V8's baseline code, at about two
 * thirds of the speed. It also has the engine write an empty summary in
 * lang, the admin's language, which loads that language's messages (the
 * first finding explained took 160 ms to load them). It takes about half
 * a second here, while the admin picks the file; a job that comes sooner
 * stops it and waits for the chunk being read. It resolves once the
 * engine is loaded, and rejects when it cannot be (the job that needs it
 * then says why).
 */
function warm(lang) {
  warming ??= (async () => {
    const hd = await loadEngine();
    const bytes = new TextEncoder().encode(madeUpSession(WARM_UP_BYTES));
    const id = await hd.importStart('warm-up.har', lang);
    try {
      const whole = await feedWarmUp((b) => hd.importPush(id, b), bytes, 0);
      await (whole ? hd.importFinish(id) : hd.importCancel(id));
      await hd.summary('[]', JSON.stringify({ format: 'markdown', lang }));
    } catch {
      await hd.importCancel(id); // a warm-up that failed only leaves the engine cold
    }
  })();
  return warming;
}

/**
 * warmPart loads the partner's engine and has it scan the part of the
 * made-up session an import of it would leave to a partner, as warm does
 * for the first engine (stopWarmUp stops it too); the partner is started
 * once that one is warm, so a file opened early shares the CPU with one
 * warm-up at a time. It resolves once the engine is loaded, warm or not.
 */
async function warmPart() {
  const hd = await loadEngine();
  const bytes = new TextEncoder().encode(madeUpSession(WARM_UP_BYTES));
  const mid = Math.floor(bytes.length * SPLIT_SHARE);
  const off = await hd.entryStart(bytes.subarray(0, HEAD), bytes.subarray(mid, mid + WINDOW));
  if (off < 0) return;
  const id = await hd.partStart('warm-up.har', mid + off);
  try {
    const whole = await feedWarmUp((b) => hd.partPush(id, b), bytes, mid + off);
    await (whole ? hd.partFinish(id) : hd.partCancel(id));
  } catch {
    await hd.partCancel(id); // a warm-up that failed only leaves the engine cold
  }
}

/**
 * madeUpSession returns a HAR text of about size bytes shaped as a browser
 * writes a Control Hub session (indented, headers, script and base64 image
 * bodies, Webex API calls with JSON bodies of some length, a failed call,
 * an onboard batch with a user refused): what the engine does with each
 * kind is what V8 must have compiled before the admin's file comes. Its
 * content means nothing, and what the engine finds in it is dropped.
 */
function madeUpSession(size) {
  const org = '00000000-0000-4000-8000-000000000000';
  const atlas = `https://atlas-a.wbx2.com/admin/api/v1/organization/${org}`;
  const script = 'function f(a,b){return "x\\y"+a.map((c)=>c*2).join(",")}\n'.repeat(1000);
  const image = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='.repeat(300);
  const users = JSON.stringify({
    Resources: Array.from({ length: 300 }, (_, i) => ({ id: `id-${i}`, userName: `user${i}@example.com`, name: { familyName: 'Name "Jr"' }, active: i % 2 === 0 })),
  });
  const emails = Array.from({ length: 5 }, (_, i) => `user${i}@example.com`);
  const api = { url: `https://identity.webex.com/identity/scim/${org}/v2/Users`, mimeType: 'application/json', text: users };
  const bundle = { url: 'https://admin.example.com/main.js', mimeType: 'text/javascript', text: script };
  const picture = { url: 'https://admin.example.com/avatar.png', mimeType: 'image/png', text: image, encoding: 'base64' };
  const failed = { url: `${atlas}/users/${org}`, status: 404, mimeType: 'application/json', text: '{"error":{"key":"404","message":["User does not exist"]}}' };
  const onboard = {
    method: 'POST',
    url: `${atlas}/users/onboard`,
    postData: { mimeType: 'application/json', text: JSON.stringify({ users: emails.map((email) => ({ email, licenses: [{ id: 'MS_0', idOperation: 'ADD' }] })) }) },
    mimeType: 'application/json',
    text: JSON.stringify(
      emails.map((email, i) =>
        i === 0
          ? { email, status: 400, errorList: [{ errorCode: 5302, description: `errorCode = '5302', error = '[Error 10991] Url already exists: ${email}'` }] }
          : { email, status: 200 },
      ),
    ),
  };
  // Each kind as often: V8 compiles what runs often enough (a failed call
  // and an onboard batch in ten entries measured slower on the file after).
  const exchanges = [api, bundle, picture, failed, onboard];
  const entries = [];
  for (let i = 0, n = 0; n < size; i++) {
    const { method = 'GET', url, status = 200, postData, mimeType, text, encoding } = exchanges[i % exchanges.length];
    const entry = {
      startedDateTime: '2026-01-01T00:00:00.000Z',
      time: 12.5,
      request: {
        method,
        url,
        httpVersion: 'http/2.0',
        headers: [{ name: 'accept', value: 'application/json' }, { name: 'trackingid', value: `WARM_${i}` }],
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: postData ? postData.text.length : 0,
        ...(postData && { postData }),
      },
      response: {
        status,
        statusText: '',
        httpVersion: 'http/2.0',
        headers: [{ name: 'content-type', value: mimeType }, { name: 'trackingid', value: `WARM_${i}` }],
        cookies: [],
        content: { size: text.length, mimeType, text, ...(encoding && { encoding }) },
        redirectURL: '',
        headersSize: -1,
        bodySize: text.length,
      },
      cache: {},
      timings: { send: 0.1, wait: 10, receive: 2.4 },
    };
    entries.push(entry);
    n += text.length + 900;
  }
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'Hub Doctor', version: 'warm-up' }, entries } }, null, 2);
}

async function importFile({ job, file, lang, chunk }) {
  stopWarmUp();
  await warm(lang).catch(() => {});
  const hd = await loadEngine();
  const split = await splitAt(hd, file);
  const part = split > 0 ? startPart(job, file, split, chunk) : null;
  const id = await hd.importStart(file.name, lang, split);
  const progress = progressPoster(job, file.size);
  // Where this engine stands; the bytes and entries shown add the part's
  // while it is still wanted, and never go back.
  let at = { read: 0, entries: 0, inspected: 0 };
  let shown = { read: 0, entries: 0 };
  let atSplit = null; // this engine's entries when it reached the split (it then counts the pieces it takes)
  const show = (p = {}) => {
    const read = part?.wanted ? Math.min(at.read, split) + part.read : at.read;
    let entries = at.entries;
    if (part?.wanted) entries = atSplit === null ? at.entries + part.entries : Math.max(at.entries, atSplit + part.entries);
    shown = { read: Math.max(shown.read, read), entries: Math.max(shown.entries, entries) };
    progress.update({ ...shown, inspected: at.inspected, findings: p.findings, failedCalls: p.failedCalls });
  };
  if (part) part.onProgress = () => show();
  let handedOver = false;
  try {
    const { read, cancelled: stopped } = await pushAll({ job, file, chunk }, progress, async (bytes, read) => {
      let p = await hd.importPush(id, bytes);
      if (p.splitMissed) part?.stop();
      // At the split, the partner's pieces, as it scans them (a few at
      // once), until the last (the engine then stops:
      // handed over) or none (the part stopped short: this engine reads
      // on, past the pieces it took).
      while (p.handover) {
        atSplit ??= p.entries;
        at = { read, entries: p.entries, inspected: p.inspected };
        show(p);
        const pieces = await part.take();
        p = await hd.importHandover(id, pieces);
        if (pieces.length === 0) part.stop();
        else handedOver = p.stopped;
      }
      at = { read: handedOver ? file.size : read, entries: p.entries, inspected: p.inspected };
      show(p);
      return p.stopped; // the file is broken here (importFinish says where), or the part ended it
    }, () => hd.importCancel(id));
    if (stopped) {
      post({ type: 'done', job, cancelled: true, read });
      return;
    }
    // The pushes gave every finding and failed call: the page has them.
    const result = await hd.importFinish(id, true);
    post({ type: 'done', job, cancelled: false, result, read: handedOver ? file.size : read, engines: handedOver ? 2 : 1 });
  } finally {
    part?.stop();
  }
}

/**
 * splitAt returns the offset of an entry near SPLIT_SHARE of file where
 * the partner may take over, as the engine guesses it, or 0: the file is too
 * small, there is no partner, or the guess found no entry start.
 */
async function splitAt(hd, file) {
  if (file.size < SPLIT_MIN || !(await partnerReady)) return 0;
  const mid = Math.floor(file.size * SPLIT_SHARE);
  const [head, window] = await Promise.all([file.slice(0, HEAD).arrayBuffer(), file.slice(mid, mid + WINDOW).arrayBuffer()]);
  const off = await hd.entryStart(head, window);
  return off < 0 ? 0 : mid + off;
}

// The partner: a second import worker with an engine of its own, started
// once this one's is warm, and warmed up in turn (warmPart; partnerReady
// resolves with it, or with null when it could not start);
// parts holds its parts being scanned.
let partner = null;
let partnerReady = Promise.resolve(null);
const parts = new Map(); // job → part (startPart)

/** startPartner starts the partner once and resolves with it when its engine is loaded and warm. */
function startPartner() {
  if (partner) return partnerReady;
  partner = new Worker(new URL('import-worker.js', import.meta.url), { type: 'module' });
  let ready;
  partnerReady = new Promise((resolve) => (ready = resolve));
  partner.onmessage = ({ data }) => {
    if (data.type === 'ready') ready(partner);
    else parts.get(data.job)?.receive(data);
  };
  partner.onerror = (ev) => {
    ev.preventDefault?.();
    partner.terminate();
    partner = null;
    ready(null);
    partnerReady = Promise.resolve(null);
    for (const p of parts.values()) p.receive({ type: 'part', error: ev.message || 'the second engine failed' });
  };
  partner.postMessage({ op: 'warm-part' });
  if (warmUpStopped) partner.postMessage({ op: 'stop-warm-up' }); // a job came during this engine's warm-up: no time for the partner's
  return partnerReady;
}

/**
 * startPart has the partner scan file from byte start (an entry's) to its
 * end, and returns the part: take resolves with the next pieces (up to
 * TAKE_PIECES), in order, as bytes for importHandover (waiting for one), then
 * with none (after the last piece, or when the partner could not scan
 * further); read and entries say how far it is
 * (onProgress is called as they grow); wanted is cleared by stop, which
 * cancels the scan when this engine no longer needs it.
 */
function startPart(job, file, start, chunk) {
  const pieces = [];
  let wake = null;
  let ended = false;
  const part = {
    read: 0,
    entries: 0,
    wanted: true,
    onProgress: null,
    async take() {
      while (pieces.length === 0 && !ended) await new Promise((w) => (wake = w));
      return pieces.splice(0, TAKE_PIECES);
    },
    receive(m) {
      if (m.type === 'part-progress') {
        part.read = m.read;
        part.entries = m.entries;
        if (m.piece) pieces.push(m.piece);
        part.onProgress?.();
      } else {
        // The end: the last piece, or why the part stops short.
        parts.delete(job);
        if (m.error) part.wanted = false;
        else pieces.push(m.bytes);
        ended = true;
      }
      wake?.();
    },
    stop() {
      part.wanted = false;
      if (!parts.has(job)) return;
      partner?.postMessage({ op: 'cancel', job });
    },
  };
  parts.set(job, part);
  partner.postMessage({ op: 'part', job, file, start, chunk });
  return part;
}

/**
 * partFile is the partner's job: it scans file from byte start to its end
 * and posts the part, or why it cannot be used.
 */
async function partFile({ job, file, start, chunk }) {
  try {
    const hd = await loadEngine();
    const id = await hd.partStart(file.name, start);
    const { cancelled: stopped } = await pushAll({ job, file, chunk, from: start }, null, async (bytes, read) => {
      const p = await hd.partPush(id, bytes);
      const piece = p.piece?.buffer;
      self.postMessage({ type: 'part-progress', job, read, entries: p.entries, piece }, piece ? [piece] : []);
      return p.stopped; // partFinish says why
    }, () => hd.partCancel(id));
    if (stopped) throw new Error('cancelled');
    const bytes = await hd.partFinish(id);
    self.postMessage({ type: 'part', job, bytes: bytes.buffer }, [bytes.buffer]);
  } catch (err) {
    post({ type: 'part', job, error: oneLine(err) });
  }
}

async function sanitizeFile({ job, file, pseudonymize, chunk }) {
  stopWarmUp();
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
 * pushAll hands the file's chunks, from byte from on, to push(bytes, read)
 * until it returns true (the engine stopped) or the file ends, then
 * flushes the progress, if any
 * (Cancel keeps what was found: all of it reaches the page before the end).
 * On an error, and when the page cancelled the job, it calls cancel, which
 * stops the engine's side. Resolves with the bytes read and whether the
 * page cancelled.
 */
async function pushAll({ job, file, chunk, from = 0 }, progress, push, cancel) {
  let read = 0;
  try {
    for await (const bytes of chunks(job, file, chunk, from)) {
      read += bytes.length;
      if (await push(bytes, read)) break;
    }
  } catch (err) {
    await cancel();
    throw err;
  } finally {
    progress?.flush();
  }
  if (!cancelled.has(job)) return { read, cancelled: false };
  await cancel();
  return { read, cancelled: true };
}

function post(msg) {
  self.postMessage(msg);
}

/** oneLine is an error's message, its first line. */
function oneLine(err) {
  return String(err?.message ?? err).split('\n')[0];
}

self.onmessage = async ({ data }) => {
  if (data.op === 'cancel') {
    cancelled.add(data.job);
    parts.get(data.job)?.stop();
    return;
  }
  if (data.op === 'warm') {
    startReader();
    // A failure here is reported by the job that needs the engine; a
    // partner that cannot start leaves the files to this engine alone. The
    // partner starts once this engine is warm: a small file that comes
    // early need not share the CPU with two warm-ups.
    warm(data.lang)
      .then(() => (ext.twoEngineImport() ? startPartner() : null))
      .then(() => post({ type: 'ready' }))
      .catch(() => {});
    return;
  }
  if (data.op === 'stop-warm-up') {
    warmUpStopped = true;
    return;
  }
  if (data.op === 'warm-part') {
    // A partner that cannot load has its parts fail, and the import reads
    // them itself.
    startReader();
    warmPart()
      .catch(() => {})
      .finally(() => post({ type: 'ready' }));
    return;
  }
  try {
    if (data.op === 'import') await importFile(data);
    else if (data.op === 'sanitize') await sanitizeFile(data);
    else if (data.op === 'part') await partFile(data);
    else throw new Error(`unknown operation ${data.op}`);
  } catch (err) {
    post({ type: 'failed', job: data.job, error: oneLine(err) });
  } finally {
    cancelled.delete(data.job);
  }
};
