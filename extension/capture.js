// capture.js: the live capture, run by the devtools page. It listens to
// DevTools' network log from the first moment, asks the engine which
// requests need their body (those a rule reads, and failed calls to Webex
// hosts), fetches only those, keeps the session's failed calls for the
// panel, and keeps a bounded, already-sanitized copy of the session for the
// HAR export (requests whose body no rule reads join it in batches, within
// BATCH_MS).

import * as ext from './browser.js';
import { Findings } from './findings.js';
import { hinted } from './hints.js';

/** MAX_ENTRIES and MAX_BYTES bound the export buffer; the oldest go first. */
export const MAX_ENTRIES = 2000;
export const MAX_BYTES = 32 << 20;

/**
 * The panel keeps the last MAX_FAILED failed calls, MAX_FAILED_BYTES of
 * their request and response texts in all (the engine caps each call's).
 */
const MAX_FAILED = 2000;
const MAX_FAILED_BYTES = 16 << 20;

/**
 * The export copies of requests whose body no rule reads are sanitized in
 * batches: one crossing into the engine costs more than sanitizing such a
 * request, so BATCH_MAX of them, or what came within BATCH_MS, go in one
 * call. A request waits there at most BATCH_MS before it joins the buffer.
 */
const BATCH_MAX = 64;
const BATCH_MS = 50;

/** SILENCE_MS is how long page activity may go unreported before the panel suggests the Network tab. */
const SILENCE_MS = 5000;

/** callBytes is about what a failed call holds in memory: its request and response texts. */
function callBytes(c) {
  return (c.request?.length ?? 0) + (c.response?.length ?? 0) + 512;
}

/** Capture is the live provider of the panel. */
export class Capture extends Findings {
  /**
   * @param {{onFindings?: (findings: object[]) => void,
   *          earlier?: () => Promise<{findings?: object[], failedCalls?: object[]}>,
   *          onReady?: () => void}} hooks
   */
  constructor(hooks = {}) {
    super('live');
    this.hooks = hooks;
    this.before = []; // requests finished before the engine was ready
    this.keys = new Set(); // entries already handled (backfill and live overlap)
    this.earlierCalls = new Set(); // keys of the failed calls the background gave at the start (the engine's key)
    this.chain = Promise.resolve();
    this.generation = 0;
    this.metrics = { start: performance.now(), engineReadyMs: null, backfilled: 0 };
    this.resetBuffer();
  }

  resetBuffer() {
    this.buffer = [];
    this.bufferBytes = 0;
    this.failedBytes = 0; // callBytes of this.failedCalls
    this.batch = []; // serialized requests waiting for their sanitized copy
    clearTimeout(this.batchTimer);
    this.batchTimer = null;
  }

  /**
   * start registers the network listener at once (requests are only seen
   * from then on), then loads the engine, backfills what DevTools captured
   * before, and replays what arrived meanwhile. It resolves when live.
   */
  start() {
    this.unsubscribe = [
      ext.onRequestFinished((entry) => this.offer(entry, false)),
      ext.onNavigated(() => {
        if (this.status === 'watching') this.watchSilence();
      }),
    ];
    this.ready = this.boot();
    return this.ready;
  }

  async boot() {
    await this.startEngine();
    this.metrics.engineReadyMs = Math.round(performance.now() - this.metrics.start);
    // What DevTools logged before we listened, and what the background
    // found in this tab while DevTools was closed.
    const [log, closed] = await Promise.all([
      ext.getHAR().catch(() => ({ entries: [] })),
      this.hooks.earlier?.().catch(() => undefined),
    ]);
    const calls = closed?.failedCalls ?? [];
    for (const c of calls) this.earlierCalls.add(c.key);
    const earlier = log.entries ?? [];
    this.metrics.backfilled = earlier.length;
    for (const entry of earlier) this.enqueue(entry, true);
    for (const entry of this.before.splice(0)) this.enqueue(entry, false);
    this.before = null;
    this.add(closed?.findings ?? []);
    this.keepFailed(calls);
    this.status = 'watching';
    if (earlier.length === 0) this.checkLateOpen();
    this.watchSilence();
    this.changed();
    await this.chain;
    this.hooks.onReady?.();
  }

  // DevTools opened on a page that had already loaded: what happened before
  // is not in the network log. The panel says so until a finding arrives.
  async checkLateOpen() {
    const state = await ext.evalInspected('location.protocol + " " + document.readyState').catch(() => undefined);
    if (typeof state === 'string' && /^https?: (complete|interactive)$/.test(state) && this.seen === 0) {
      this.notes.lateOpen = true;
      this.changed();
    }
  }

  /**
   * watchSilence notes when the inspected page loads resources but DevTools
   * reports none to us: Firefox may deliver onRequestFinished only once the
   * Network panel was opened (https://bugzilla.mozilla.org/show_bug.cgi?id=1311171).
   * It compares the page's own Resource Timing entries since the capture went
   * live with what we saw, a few seconds after going live and after each
   * navigation.
   */
  async watchSilence(delay = SILENCE_MS) {
    const since = await ext.evalInspected('performance.now()').catch(() => undefined);
    if (typeof since !== 'number') return;
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(async () => {
      if (this.seen > 0) return;
      const made = await ext
        .evalInspected(`performance.getEntriesByType('resource').filter((e) => e.startTime > ${since}).length`)
        .catch(() => 0);
      if (made > 0 && this.seen === 0) {
        this.notes.networkSilent = true;
        this.changed();
      }
    }, delay);
  }

  offer(entry, backfill) {
    if (this.before) {
      this.before.push(entry);
      return;
    }
    this.enqueue(entry, backfill);
  }

  enqueue(entry, backfill) {
    const key = `${entry.startedDateTime}|${entry.request?.method}|${entry.request?.url}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    if (this.keys.size > 4 * MAX_ENTRIES) this.keys.delete(this.keys.values().next().value);
    // One at a time, in order: the engine keeps state across entries (the
    // SAML response that precedes an SSO error page).
    const generation = this.generation;
    this.chain = this.chain.then(() => (generation === this.generation ? this.process(entry, backfill) : undefined));
  }

  async process(entry, backfill) {
    const { request = {}, response = {} } = entry;
    this.seen++;
    let wanted = false;
    try {
      wanted = this.wantsBody(request, response);
    } catch (err) {
      this.internalFailure(err);
    }
    const json = JSON.stringify(entry);
    if (!wanted) {
      this.changed();
      this.batch.push(json);
      if (this.batch.length >= BATCH_MAX) await this.flushBatch();
      else this.batchTimer ??= setTimeout(() => this.enqueueFlush(), BATCH_MS);
      return;
    }
    this.inspected++;
    const { content, encoding } = await ext.getContent(entry).catch(() => ({ content: null, encoding: null }));
    if (backfill && !content) this.notes.lateOpen = true;
    // Firefox hands over no body at all past devtools.netmonitor.responseBodyLimit
    // while content.size says there was one (see browser.js getContent).
    else if (!content && (response.content?.size ?? 0) > 0) this.notes.bodyMissing++;
    try {
      const result = await this.engine.analyzeEntry(json, content, encoding, this.lang);
      if (result.ruleErrors?.length) this.internalFailure(result.ruleErrors.join('; '));
      this.found(result.findings ?? []);
      // The page observer may have seen them too, just before DevTools' log reached us.
      this.keepFailed((result.failedCalls ?? []).filter((c) => !this.earlierCalls.has(c.key)));
    } catch (err) {
      this.internalFailure(err);
    }
    this.changed();
    // The export keeps the requests' order: the batch before this one.
    await this.flushBatch();
    try {
      this.keep(await this.engine.sanitizeEntry(json, content, encoding, false));
    } catch (err) {
      this.internalFailure(err);
    }
  }

  /** enqueueFlush sanitizes the batch in turn with the requests being handled. */
  enqueueFlush() {
    const generation = this.generation;
    this.chain = this.chain.then(() => (generation === this.generation ? this.flushBatch() : undefined));
    return this.chain;
  }

  /** flushBatch adds the batch's sanitized copies to the export buffer, in order. */
  async flushBatch() {
    clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (!this.batch.length) return;
    const batch = this.batch;
    const generation = this.generation;
    this.batch = [];
    try {
      const lines = await this.engine.sanitizeEntries(`[${batch.join(',')}]`, false);
      // Clear pressed meanwhile: these belong to the session it dropped.
      if (generation !== this.generation) return;
      for (const line of lines.split('\n')) this.keep(line);
    } catch (err) {
      this.internalFailure(err);
    }
  }

  /**
   * wantsBody asks the engine whether it reads this request's body: a rule
   * may, or the request failed (the engine's failedStatus or more) and the
   * engine lists it when it went to a Webex host. Most requests succeed and
   * carry none of the engine's scope hints (hints.js): they are answered
   * here, from the status first, without crossing into the engine.
   */
  wantsBody(request, response) {
    const status = response.status ?? 0;
    if (status < this.engine.failedStatus && !hinted(request.url ?? '', this.engine.scopeHints)) return false;
    return this.engine.needsBody(request.method ?? '', request.url ?? '', status, response.content?.mimeType ?? '');
  }

  /** found adds the engine's findings and hands the errors to the background, which owns the tab's banner. */
  found(explained) {
    const fresh = this.add(explained);
    const errors = fresh.filter((f) => f.severity === 'error');
    if (errors.length) this.hooks.onFindings?.(errors);
  }

  /**
   * keepFailed adds failed calls for the panel, within MAX_FAILED and
   * MAX_FAILED_BYTES. Past either, the oldest tenth goes at once, into a new
   * list: the views redraw a list that lost its head once a tenth, not at
   * every call.
   */
  keepFailed(calls) {
    if (!calls.length) return;
    this.addFailedCalls(calls);
    this.failedBytes += calls.reduce((n, c) => n + callBytes(c), 0);
    const list = this.failedCalls;
    if (list.length <= MAX_FAILED && this.failedBytes <= MAX_FAILED_BYTES) return;
    let drop = 0;
    while (list.length - drop > MAX_FAILED * 0.9 || this.failedBytes > MAX_FAILED_BYTES * 0.9) this.failedBytes -= callBytes(list[drop++]);
    this.failedCalls = list.slice(drop);
  }

  keep(sanitized) {
    this.buffer.push(sanitized);
    this.bufferBytes += sanitized.length;
    while (this.buffer.length > MAX_ENTRIES || this.bufferBytes > MAX_BYTES) {
      this.bufferBytes -= this.buffer.shift().length;
      this.notes.dropped++;
    }
  }

  /** clear forgets every finding and the captured session, and restarts the engine's session. */
  clear() {
    this.generation++;
    this.reset();
    this.earlierCalls.clear();
    this.resetBuffer();
    try {
      this.engine?.resetSession();
    } catch (err) {
      this.internalFailure(err);
    }
    this.changed();
  }

  /**
   * har resolves with the captured session as a HAR, stamped by the engine,
   * e-mail addresses replaced by pseudonyms when pseudonymize is set. The
   * buffer holds the engine's sanitized copies, which it wraps without
   * sanitizing them again. Bodies are included for the requests the engine
   * inspected.
   */
  async har(pseudonymize = false) {
    if (!this.engine) throw new Error('the engine is not ready yet');
    await this.enqueueFlush();
    const comment = this.notes.dropped
      ? `Hub Doctor kept the last ${this.buffer.length} requests; ${this.notes.dropped} older ones were dropped.`
      : `Hub Doctor capture of ${this.buffer.length} requests.`;
    return this.engine.wrapHAR(`[${this.buffer.join(',')}]`, comment, pseudonymize);
  }
}
