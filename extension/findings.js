// findings.js: the state both panel providers share (the live capture in the
// devtools page and a HAR file in plain-page mode): findings, counters, notes
// for the admin, change notification, and the exports, all produced by the
// engine.

import * as ext from './browser.js';
import { loadEngine, pickLanguage } from './engine.js';

/** Findings holds what the panel shows and exports. */
export class Findings {
  /** @param {string} source "live" or "file" */
  constructor(source) {
    this.source = source;
    this.engine = null;
    this.lang = 'en';
    // TAC works in English: the summary stays English unless the admin
    // picks their language in the panel.
    this.summaryLang = 'en';
    this.listeners = new Set();
    this.harName = 'hubdoctor-session.har';
    this.reset();
  }

  reset() {
    this.status = this.engine ? 'watching' : 'starting';
    this.list = []; // oldest first
    // The failed Webex calls (engine.FailedCall), in entry order. The
    // snapshot hands this array itself over: thousands of calls are not
    // copied on every change, and the views append what is new.
    this.failedCalls = [];
    this.seen = 0;
    this.inspected = 0;
    this.notes = { internalError: false, lateOpen: false, dropped: 0, bodyMissing: 0, networkSilent: false, error: null };
  }

  /**
   * startEngine loads the engine and picks the admin's language. When the
   * engine cannot start, the view says why and the one-line error is thrown.
   */
  async startEngine() {
    try {
      this.engine = await loadEngine();
    } catch (err) {
      this.status = 'failed';
      this.notes.error = String(err?.message ?? err);
      this.changed();
      throw err;
    }
    this.lang = pickLanguage(this.engine);
  }

  /** subscribe calls fn(snapshot) on every change and returns its unsubscribe. */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  changed() {
    // With no view open there is no one to tell (a view renders a snapshot
    // when it subscribes): the devtools page handles each request without one.
    if (this.pending || this.listeners.size === 0) return;
    this.pending = true;
    // Coalesce bursts of requests into one render.
    queueMicrotask(() => {
      this.pending = false;
      const snap = this.snapshot();
      for (const fn of this.listeners) {
        try {
          fn(snap);
        } catch (err) {
          // A closed panel leaves a dead listener behind: drop it.
          console.debug('hubdoctor: dropping listener', err);
          this.listeners.delete(fn);
        }
      }
    });
  }

  /** snapshot is a copy of the state for rendering, findings newest first. */
  snapshot() {
    return {
      source: this.source,
      status: this.status,
      seen: this.seen,
      inspected: this.inspected,
      findings: [...this.list].reverse(),
      failedCalls: this.failedCalls,
      notes: { ...this.notes },
      harName: this.harName,
    };
  }

  /**
   * add appends findings and returns those it did not hold yet: the engine
   * gives a live finding a key naming the failure and the call, so one seen
   * both by DevTools and by the page observer is listed once.
   */
  add(explained) {
    const known = new Set(this.list.map((f) => f.key).filter(Boolean));
    const fresh = explained.filter((f) => !f.key || !known.has(f.key));
    if (fresh.length) {
      this.list.push(...fresh);
      this.changed();
    }
    return fresh;
  }

  /** addFailedCalls appends failed calls the engine found (engine.FailedCall). */
  addFailedCalls(calls) {
    if (!calls?.length) return;
    for (const call of calls) this.failedCalls.push(call);
    this.changed();
  }

  /** internalFailure records that a check failed; the capture goes on. */
  internalFailure(err) {
    console.warn('hubdoctor: an internal check failed:', err);
    if (!this.notes.internalError) {
      this.notes.internalError = true;
      this.changed();
    }
  }

  /**
   * summary resolves with the TAC summary of every finding in format
   * ("markdown", "text" or "json"), written by the engine.
   */
  summary(format = 'markdown', findings = this.list) {
    if (!this.engine) return Promise.reject(new Error('the engine is not ready yet'));
    const options = { ...this.summaryOptions(format), failedCalls: this.failedCalls };
    return this.engine.summary(JSON.stringify(findings), JSON.stringify(options));
  }

  /**
   * failedCallSummary resolves with "Copy for TAC" of one failed call no
   * rule explains (org ID, user, tracking ID, the call, the response
   * sanitized, time, browser), written by the engine.
   */
  failedCallSummary(call, format = 'markdown') {
    if (!this.engine) return Promise.reject(new Error('the engine is not ready yet'));
    return this.engine.failedCallSummary(JSON.stringify(call), JSON.stringify(this.summaryOptions(format)));
  }

  summaryOptions(format) {
    return { format, lang: this.summaryLang, browser: ext.browserFamily(), harName: this.harName };
  }
}

