// import.js: the panel's provider for a HAR file opened or dropped by the
// admin or a support engineer, in the DevTools panel, the panel as a plain
// page, or triage.html. The file is read in chunks by import-worker.js, off
// the page's thread, through the engine's streaming import, so a session of
// hundreds of MB is triaged with bounded memory; findings appear as they are
// found, with the bytes read and the requests seen, and Cancel keeps what
// was found so far. The sanitized export streams the file again in the
// worker into a Blob: the file itself is never held in memory.

import { Findings } from './findings.js';

/**
 * CHUNK is how much of the file is read and pushed to an engine at once.
 * Each read of a File costs the browser a round trip to its file reader:
 * 8 MB imported a 200 MB session in 0.98 s median against 1.06 s with 4 MB
 * (Chromium, five alternating rounds); the workers hold a few chunks each.
 */
export const CHUNK = 8 << 20;

/**
 * LIST_MS is the least time between two additions to the lists while a
 * file is read. The progress moves with every post of the worker; the
 * findings and failed calls wait and come in batches, each a layout of the
 * page taken from the CPU the engines read with, and all at the end.
 */
const LIST_MS = 1000;

/** HarImport is the provider of a HAR file read from disk. */
export class HarImport extends Findings {
  constructor({ chunk = CHUNK } = {}) {
    super('file');
    this.chunk = chunk;
    this.file = null;
    this.progress = null;
    this.worker = null;
    this.job = 0;
    this.waiters = new Map(); // job → {onMessage}
    this.workerReady = false; // the worker's engine is loaded and warmed up
  }

  /**
   * start loads the engine in the page (summaries); the worker loads its
   * own, with the same loader. It rejects with a one-line error when the
   * engine cannot start.
   */
  async start() {
    await this.startEngine();
    if (this.status === 'starting') this.status = 'idle';
    this.changed();
    this.warm();
  }

  /**
   * warm starts the worker and its engine before a file is chosen, so that
   * reading starts at once (compiling the engine takes a good part of a
   * second).
   */
  warm() {
    if (this.worker) return;
    this.worker = this.spawn();
    this.worker.postMessage({ op: 'warm', lang: this.lang });
  }

  reset() {
    super.reset();
    this.status = this.engine ? 'idle' : 'starting';
    this.notes.cancelled = null;
    this.progress = null;
    this.engines = 0; // how many engines read the last file (2: split between two workers)
  }

  snapshot() {
    return { ...super.snapshot(), progress: this.progress ? { ...this.progress } : null, file: this.file?.name ?? null, workerReady: this.workerReady, engines: this.engines };
  }

  /** busy reports whether the worker is reading the file. */
  get busy() {
    return this.progress !== null;
  }

  /**
   * open reads file (a File, or text or bytes named name) and resolves when
   * the import ended: read to the end, broken (notes.error says where;
   * findings before the break are kept), or cancelled. Opening another file
   * stops the current import.
   */
  async open(file, name) {
    if (!(file instanceof File)) file = new File([file], name || 'session.har');
    if (this.busy) this.stop();
    this.reset();
    this.file = file;
    this.harName = file.name;
    this.status = 'reading';
    this.progress = { kind: 'import', read: 0, total: file.size, entries: 0 };
    this.changed();
    const t0 = performance.now();
    let waiting = { findings: [], calls: [] };
    let listed = t0;
    const list = () => {
      this.add(waiting.findings);
      this.addFailedCalls(waiting.calls);
      waiting = { findings: [], calls: [] };
      listed = performance.now();
    };
    const end = await this.run({ op: 'import', file, lang: this.lang }, (m) => {
      // wasmBytes: the worker engine's memory, for the tests' measurements.
      this.progress = { kind: 'import', read: m.read, total: m.total, entries: m.entries, wasmBytes: m.wasmBytes };
      this.seen = m.entries;
      this.inspected = m.inspected;
      waiting.findings = waiting.findings.concat(m.findings ?? []);
      waiting.calls = waiting.calls.concat(m.failedCalls ?? []);
      if (performance.now() - listed >= LIST_MS) list();
      this.changed();
    });
    if (!end) return null; // superseded by another file, or cleared
    list();
    this.progress = null;
    this.status = 'file';
    if (end.type === 'failed') {
      this.notes.error = end.error;
    } else if (end.cancelled) {
      this.notes.cancelled = { read: end.read, entries: this.seen };
    } else {
      const r = end.result;
      this.engines = end.engines;
      this.seen = r.entries ?? this.seen;
      this.inspected = r.inspected ?? this.inspected;
      this.notes.error = r.error ?? null;
      // The pushed batches add up to the final, sorted list; the rest are
      // the findings of the last entries.
      this.list = r.findings ?? this.list;
      // Likewise the failed calls, when the result carries them all.
      if (r.failedCalls && r.failedCalls.length !== this.failedCalls.length) this.failedCalls = r.failedCalls;
    }
    this.changed();
    return { seconds: (performance.now() - t0) / 1000, bytes: end.read ?? file.size, error: this.notes.error, cancelled: Boolean(end.cancelled) };
  }

  /** cancel stops reading after the current chunk; what was found is kept. */
  cancel() {
    if (this.busy) this.worker?.postMessage({ op: 'cancel', job: this.job });
  }

  clear() {
    this.stop();
    this.file = null;
    this.reset();
    this.changed();
  }

  /**
   * har resolves with the opened file sanitized and stamped by the engine
   * (e-mail addresses replaced by pseudonyms when pseudonymize is set), as a
   * Blob, streamed chunk by chunk like the import. It rejects while the
   * file is still being read, and with the engine's one-line error (where
   * the file broke) for a broken file.
   */
  async har(pseudonymize = false) {
    if (!this.file) throw new Error('no HAR file is open');
    if (this.busy) throw new Error('the file is still being read');
    this.progress = { kind: 'sanitize', read: 0, total: this.file.size, entries: 0 };
    this.changed();
    const end = await this.run({ op: 'sanitize', file: this.file, pseudonymize }, (m) => {
      this.progress = { kind: 'sanitize', read: m.read, total: m.total, entries: 0 };
      this.changed();
    });
    this.progress = null;
    this.changed();
    if (!end) throw new Error('cancelled');
    if (end.type === 'failed') throw new Error(end.error);
    return end.blob;
  }

  // ---- the worker ----

  /** run posts one job and resolves with its end message (null when stopped). */
  run(msg, onProgress) {
    const job = ++this.job;
    this.worker ??= this.spawn();
    return new Promise((resolve) => {
      this.waiters.set(job, (m) => {
        if (m?.type === 'progress') return onProgress(m);
        this.waiters.delete(job);
        resolve(m);
      });
      this.worker.postMessage({ ...msg, job, chunk: this.chunk });
    });
  }

  spawn() {
    // A module worker, to share engine.js, the one engine loader.
    const w = new Worker(new URL('import-worker.js', import.meta.url), { type: 'module' });
    w.onmessage = ({ data }) => {
      if (data.type === 'ready') this.workerReady ||= w === this.worker;
      else this.waiters.get(data.job)?.(data);
    };
    w.onerror = (ev) => {
      // The worker itself failed (its engine did not load): end every job.
      ev.preventDefault?.();
      this.worker = null;
      this.workerReady = false;
      w.terminate();
      for (const [job, fn] of this.waiters) fn({ type: 'failed', job, error: ev.message || 'the import worker failed' });
    };
    return w;
  }

  /**
   * stop ends the current job at once by ending the worker (a new file or
   * Clear; Cancel is gentler and keeps the findings), and warms a fresh
   * worker for the next job.
   */
  stop() {
    this.worker?.terminate();
    this.worker = null;
    this.workerReady = false;
    for (const fn of this.waiters.values()) fn(null);
    this.waiters.clear();
    this.progress = null;
    this.warm();
  }
}
