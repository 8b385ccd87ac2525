// The extension's own import path, measured for make bench: a headless
// browser with the built extension opens FILE in triage.html through its
// file input, as an admin or a support engineer would; the import worker
// reads it in chunks into the streaming engine.
//
//   node browser-import.mjs [--firefox] [--runs N] FILE
//
// Chromium runs dist/chrome; --firefox runs dist/firefox in Firefox ESR
// (the test copy with its probe page, firefox-harness.mjs, which frames
// triage.html; the page gets the file from the stand-in, as a download from
// a support case would arrive). Each of the N runs (1) loads a fresh
// triage page, waits until its engine and its import worker are ready (an
// admin takes longer than that to pick a file), then opens the file; the
// page itself notes the time from the file input's change event to the
// findings shown with the progress bar gone.
//
// Prints the last run's result (findings, entries, error) as JSON on
// standard output and, on standard error, one line per run:
// "import <seconds> heap <MB>" (the page's peak JS heap, sampled every 50 ms
// over CDP; "n/a" in Firefox, which has no such probe). Exit status 2 with
// a one-line message when the import cannot run.
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { adminURL, launchChromium, poll } from '../e2e/harness.mjs';
import { launchFirefox, startFirefoxStandin } from '../e2e/firefox-harness.mjs';

const { values: opts, positionals } = parseArgs({ options: { firefox: { type: 'boolean' }, runs: { type: 'string', default: '1' } }, allowPositionals: true });
const file = positionals[0] && resolve(positionals[0]);
const runs = Number(opts.runs);
if (!file || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write('browser-import: usage: node browser-import.mjs [--firefox] [--runs N] FILE\n');
  process.exit(2);
}
const name = basename(file);

/**
 * timeImport is installed in the triage page before the file is chosen:
 * it notes when the file input changes and when the page shows the file
 * read (status "file", the progress bar hidden), in __importSeconds.
 */
function timeImport() {
  const d = document;
  globalThis.__importSeconds = null;
  let t0 = null;
  let reading = false;
  d.getElementById('open-har').addEventListener('change', () => (t0 = performance.now()), { capture: true, once: true });
  const status = d.getElementById('status');
  const mo = new MutationObserver(() => {
    if (status.dataset.state === 'reading') reading = true;
    if (t0 !== null && reading && status.dataset.state === 'file' && d.getElementById('import-progress').hidden) {
      globalThis.__importSeconds = (performance.now() - t0) / 1000;
      mo.disconnect();
    }
  });
  mo.observe(status, { attributes: true });
}

const result = (st) => ({ findings: st.findings, entries: st.seen, error: st.notes.error, engines: st.engines });

async function chromiumRuns() {
  // No Control Hub page is visited: nothing to map to a stand-in.
  const s = await launchChromium({ hostRules: '' }, { devtools: false, headless: true });
  try {
    const page = s.page;
    const cdp = await page.context().newCDPSession(page);
    let last;
    for (let i = 0; i < runs; i++) {
      if (i === 0 || !process.env.SAME) await page.goto(`chrome-extension://${s.extensionId}/extension/triage.html`);
      if (i === 0 || !process.env.SAME) await poll(() => page.evaluate(() => globalThis.hubdoctorPanel?.state()?.status === 'idle' && globalThis.hubdoctorPanel.state().workerReady), { ms: 120_000, what: 'the engine and the import worker' });
      await page.evaluate(timeImport);
      let peak = 0;
      let running = true;
      const sampler = (async () => {
        while (running) {
          peak = Math.max(peak, (await cdp.send('Runtime.getHeapUsage')).usedSize);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await page.setInputFiles('#open-har', file);
      const seconds = await poll(() => page.evaluate(() => globalThis.__importSeconds), { ms: 600_000, every: 50, what: 'the import to end' });
      running = false;
      await sampler;
      process.stderr.write(`import ${seconds.toFixed(3)} heap ${(peak / 1e6).toFixed(1)}\n`);
      last = result(await page.evaluate(() => JSON.parse(JSON.stringify(globalThis.hubdoctorPanel.state()))));
    }
    return last;
  } finally {
    await s.close();
  }
}

async function firefoxRuns() {
  const files = mkdtempSync(join(tmpdir(), 'hubdoctor-bench-firefox-'));
  try {
    symlinkSync(file, join(files, name));
  } catch {
    copyFileSync(file, join(files, name));
  }
  const standin = await startFirefoxStandin(['-files', files]);
  let s;
  try {
    s = await launchFirefox(standin, { devtools: false });
    let last;
    for (let i = 0; i < runs; i++) {
      // A fresh page each run: the probe frames a fresh triage page.
      await s.page.goto(adminURL('harmless'));
      await poll(async () => (await s.triage('state')).state.workerReady, { ms: 120_000, every: 200, what: 'the engine and the import worker' });
      await s.triage('open', { fileURL: `/__standin/files/${name}`, name });
      const a = await poll(async () => {
        const a = await s.triage('state');
        return a.seconds !== null && a.state.harName === name ? a : null;
      }, { ms: 600_000, every: 100, what: 'the import to end' });
      process.stderr.write(`import ${a.seconds.toFixed(3)} heap n/a\n`);
      last = result(a.state);
    }
    return last;
  } finally {
    await s?.close();
    standin.stop();
    rmSync(files, { recursive: true, force: true });
  }
}

try {
  const last = opts.firefox ? await firefoxRuns() : await chromiumRuns();
  process.stdout.write(JSON.stringify(last) + '\n');
} catch (e) {
  process.stderr.write(`browser-import: ${e.message.split('\n')[0]}\n`);
  process.exitCode = 2;
}
