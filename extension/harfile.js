// harfile.js: the panel's provider when it runs as a plain page, outside
// DevTools: it analyses a HAR file with the same engine, so the UI can be
// used and tested without DevTools ("mock provider").

import { loadEngine, pickLanguage } from './engine.js';
import { Findings } from './findings.js';

/** HarFile is the plain-page provider of the panel. */
export class HarFile extends Findings {
  constructor() {
    super('file');
    this.text = null;
    this.generation = 0;
  }

  /** start loads the engine; it rejects with a one-line error when the engine cannot start. */
  async start() {
    try {
      this.engine = await loadEngine();
    } catch (err) {
      this.status = 'failed';
      this.notes.error = String(err?.message ?? err);
      this.changed();
      throw err;
    }
    this.lang = pickLanguage(this.engine);
    this.status = 'idle';
    this.changed();
  }

  /**
   * open analyses a whole HAR (text or bytes). A broken file keeps what was
   * found before the break and shows the engine's one-line error.
   */
  async open(data, name) {
    this.reset();
    this.status = 'reading';
    this.harName = name || 'session.har';
    this.text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    this.changed();
    const generation = ++this.generation;
    let result;
    try {
      result = await this.engine.analyzeHAR(this.text, this.harName, this.lang);
    } catch (err) {
      result = { findings: [], entries: 0, inspected: 0, error: String(err?.message ?? err) };
    }
    if (generation !== this.generation) return;
    this.seen = result.entries ?? 0;
    this.inspected = result.inspected ?? 0;
    this.notes.error = result.error ?? null;
    this.status = 'file';
    this.add(result.findings ?? []);
    this.changed();
  }

  clear() {
    this.generation++;
    this.text = null;
    this.reset();
    this.status = 'idle';
    this.changed();
  }

  /** har resolves with the opened file, sanitized and stamped by the engine. */
  har() {
    if (!this.text) return Promise.reject(new Error('no HAR file is open'));
    return this.engine.sanitizeHAR(this.text, this.harName, false);
  }
}
