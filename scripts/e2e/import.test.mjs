// Offline HAR triage in real Chromium: a HAR file opened (file input) or
// dropped on the panel as a plain page and on triage.html is read in chunks
// by the import worker and analysed by the streaming engine; broken files
// say where they broke and keep what came before; progress and Cancel work
// on a large generated session, whose throughput and the page's peak JS heap
// are printed as METRIC lines. A 500 MB run is opt-in: HUBDOCTOR_IMPORT_500=1.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, launchChromium, metric, poll, startStandin } from './harness.mjs';

const SEED = join(ROOT, 'testdata/sessions/chrome-seed-carrier.har');
const CARRIER = 'onboard/carrier-email-exists';
const LARGE = process.env.HUBDOCTOR_IMPORT_SIZE ?? '200MB';

let standin;
let s;
let tmp;
before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'hubdoctor-import-'));
  standin = await startStandin();
  s = await launchChromium(standin, { devtools: false });
});
after(async () => {
  await s?.close();
  standin?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** openPage loads an extension page and waits for its engine. */
async function openPage(path) {
  const page = s.page;
  await page.goto(`chrome-extension://${s.extensionId}/extension/${path}`);
  await poll(() => page.evaluate(() => globalThis.hubdoctorPanel?.state()?.status === 'idle'), { what: `the engine in ${path}` });
  return page;
}

const state = (page) => page.evaluate(() => JSON.parse(JSON.stringify(globalThis.hubdoctorPanel.state())));

/** imported waits until the page shows a file read to its end (or its break). */
function imported(page, name, ms = 20_000) {
  return poll(async () => {
    const st = await state(page);
    return st.status === 'file' && st.harName === name && !st.progress ? st : null;
  }, { ms, what: `${name} to be read` });
}

/** genhar writes a generated Control Hub session and returns its summary. */
function genhar(size, file) {
  const out = execFileSync('go', ['run', './scripts/bench/genhar', '-size', size, '-o', file], { cwd: ROOT });
  return JSON.parse(out.toString());
}

/** dropFile drops a file holding text on the page, as a drag from the desktop would. */
function dropFile(page, text, name) {
  return page.evaluate(([text, name]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'application/json' }));
    for (const type of ['dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, [text, name]);
}

function assertCarrier(st, why) {
  assert.equal(st.notes.error, null, `${why}: no error`);
  assert.deepEqual(st.findings.map((f) => f.rule), [CARRIER], `${why}: the carrier finding`);
  assert.equal(st.findings[0].email, 'alex.dekker@example.com');
}

for (const path of ['panel.html', 'triage.html']) {
  test(`${path}: the seeds' HAR opened with the file input shows the carrier finding, and the sanitized HAR downloads`, async () => {
    const page = await openPage(path);
    await page.click('#open-har-button', { trial: true }); // a real, visible button in front of the input
    await page.setInputFiles('#open-har', SEED);
    const st = await imported(page, 'chrome-seed-carrier.har');
    assertCarrier(st, 'file input');
    assert.equal(await page.locator('#findings li.finding').count(), 1);
    assert.match(await page.textContent('#findings'), /alex\.dekker@example\.com/);
    assert.equal(await page.isHidden('#import-progress'), true, 'no progress bar once read');

    const d = page.waitForEvent('download');
    await page.click('#download-har');
    const har = JSON.parse(readFileSync(await (await d).path(), 'utf8'));
    assert.equal(har.log.entries.length, JSON.parse(readFileSync(SEED, 'utf8')).log.entries.length);
    assert.equal(har.log._sanitizer.tool, 'Hub Doctor');

    await page.click('#clear');
    await dropFile(page, readFileSync(SEED, 'utf8'), 'dropped.har');
    assertCarrier(await imported(page, 'dropped.har'), 'drop');
  });
}

test('broken files: the message says where, a truncated file keeps the findings before the break', async () => {
  const page = await openPage('triage.html');
  const seed = readFileSync(SEED);
  // Inside the entry after the failed onboard (the metrics beacon).
  const cut = seed.indexOf('/metrics/api/v1/clientmetrics/', seed.indexOf('/users/onboard'));
  assert.ok(cut > 0);
  const rows = [
    { name: 'truncated.har', data: seed.subarray(0, cut), error: /^truncated\.har: entry \d+ at byte \d+: unexpected end of file/, findings: 1,
      reason: 'cut inside the entry after the failed onboard: that finding stays' },
    { name: 'page.har', data: Buffer.from('<!doctype html><title>Sign in</title>'), error: /^page\.har: byte 0: not JSON/, findings: 0,
      reason: 'an HTML page saved as .har' },
    { name: 'empty.har', data: Buffer.alloc(0), error: /^empty\.har: byte 0: file is empty/, findings: 0, reason: 'an empty file' },
  ];
  for (const r of rows) {
    const file = join(tmp, r.name);
    writeFileSync(file, r.data);
    await page.setInputFiles('#open-har', file);
    const st = await imported(page, r.name);
    assert.match(st.notes.error ?? '', r.error, r.reason);
    assert.equal(st.findings.length, r.findings, r.reason);
    const note = await page.textContent('#notes');
    assert.ok(note.includes(st.notes.error), `the note shows the one-line error (${r.reason}): ${note}`);
  }
});

/** sampleHeap samples the page's used JS heap over CDP every 50 ms until stop(). */
async function sampleHeap(page) {
  const cdp = await page.context().newCDPSession(page);
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      peak = Math.max(peak, usedSize);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    await cdp.detach();
    return peak;
  };
}

/**
 * importLarge opens file in triage.html, records the progress the page shows
 * and how late its timers fire (a busy UI thread would delay them), and
 * resolves with the final state and the measurements.
 */
async function importLarge(file, { cancelAfter = Infinity, ms = 120_000 } = {}) {
  const page = await openPage('triage.html');
  await page.evaluate(() => {
    globalThis.__samples = [];
    globalThis.__maxGap = 0;
    let last = performance.now();
    globalThis.__sampler = setInterval(() => {
      const now = performance.now();
      globalThis.__maxGap = Math.max(globalThis.__maxGap, now - last);
      last = now;
      const p = globalThis.hubdoctorPanel.state().progress;
      if (p) globalThis.__samples.push(p);
    }, 20);
  });
  const stopHeap = await sampleHeap(page);
  const t0 = Date.now();
  await page.setInputFiles('#open-har', file);
  if (Number.isFinite(cancelAfter)) {
    await poll(async () => ((await state(page)).progress?.read ?? 0) >= cancelAfter, { ms, what: `${cancelAfter} bytes read` });
    await page.click('#import-cancel');
  }
  const st = await poll(async () => {
    const st = await state(page);
    return st.status === 'file' && !st.progress ? st : null;
  }, { ms, every: 100, what: 'the large import to end' });
  const seconds = (Date.now() - t0) / 1000;
  const peakHeap = await stopHeap();
  const { samples, maxGap } = await page.evaluate(() => {
    clearInterval(globalThis.__sampler);
    return { samples: globalThis.__samples, maxGap: globalThis.__maxGap };
  });
  return { page, st, seconds, peakHeap, samples, maxGap };
}

/** failingUsers is the sorted e-mails of users an onboard batch rejected. */
function failingUsers(findings) {
  return [...new Set(findings.filter((f) => f.email && f.userStatus >= 400).map((f) => f.email))].sort();
}

function assertIncreasing(samples) {
  const distinct = samples.filter((p, i) => i === 0 || p.read !== samples[i - 1].read);
  assert.ok(distinct.length >= 3, `at least three progress steps, got ${distinct.length}`);
  for (let i = 1; i < distinct.length; i++) {
    assert.ok(distinct[i].read > distinct[i - 1].read, 'bytes read only grow');
    assert.ok(distinct[i].entries >= distinct[i - 1].entries, 'entries seen only grow');
  }
  assert.ok(distinct.at(-1).entries > distinct[0].entries, 'entries seen grow');
}

test(`a ${LARGE} session: progress grows, every failing user is found, throughput and peak heap`, async () => {
  const file = join(tmp, 'large.har');
  const gen = genhar(LARGE, file);
  const bytes = statSync(file).size;
  try {
    const { page, st, seconds, peakHeap, samples, maxGap } = await importLarge(file);
    assert.equal(st.notes.error, null);
    assert.equal(st.seen, gen.entries, 'every entry seen');
    assert.deepEqual(failingUsers(st.findings), [...new Set(gen.failingUsers)].sort(), 'the failing users genhar wrote');
    assertIncreasing(samples);
    const mbps = bytes / 1e6 / seconds;
    metric(`import ${(bytes / 1e6).toFixed(0)} MB throughput`, mbps.toFixed(1), ' MB/s');
    metric(`import ${(bytes / 1e6).toFixed(0)} MB seconds`, seconds.toFixed(2), ' s');
    metric(`import ${(bytes / 1e6).toFixed(0)} MB page peak JS heap`, (peakHeap / 1e6).toFixed(1), ' MB');
    metric(`import ${(bytes / 1e6).toFixed(0)} MB worker wasm memory`, (Math.max(...samples.map((p) => p.wasmBytes ?? 0)) / 1e6).toFixed(0), ' MB');
    metric(`import ${(bytes / 1e6).toFixed(0)} MB longest page timer gap`, maxGap.toFixed(0));
    assert.ok(peakHeap < 64e6, `the page's JS heap stays small: ${(peakHeap / 1e6).toFixed(1)} MB`);
    assert.ok(maxGap < 1000, `the page stays responsive: a timer was ${maxGap.toFixed(0)} ms late`);

    // The sanitized export streams too, and keeps the evidence.
    const stopHeap = await sampleHeap(page);
    const t0 = Date.now();
    const d = page.waitForEvent('download', { timeout: 120_000 });
    await page.click('#download-har');
    const out = await (await d).path();
    const exportSeconds = (Date.now() - t0) / 1000;
    const exportHeap = await stopHeap();
    metric(`sanitized export ${(bytes / 1e6).toFixed(0)} MB throughput`, (bytes / 1e6 / exportSeconds).toFixed(1), ' MB/s');
    metric(`sanitized export ${(bytes / 1e6).toFixed(0)} MB page peak JS heap`, (exportHeap / 1e6).toFixed(1), ' MB');
    assert.ok(exportHeap < 64e6, `the page's JS heap stays small while exporting: ${(exportHeap / 1e6).toFixed(1)} MB`);
    // Exit status 1 means "findings", as intended here.
    const cli = spawnSync(join(ROOT, 'dist/bin/hubdoctor'), ['analyze', '--json', out], { maxBuffer: 64 << 20 });
    assert.ok(cli.status === 1, `hubdoctor analyze of the sanitized copy: exit ${cli.status} ${cli.stderr}`);
    const again = JSON.parse(cli.stdout.toString());
    assert.deepEqual(failingUsers(again.findings), failingUsers(st.findings), 'the sanitized copy has the same failing users');
  } finally {
    rmSync(file, { force: true });
  }
});

test('Cancel stops reading and keeps what was found so far', async () => {
  const file = join(tmp, 'cancel.har');
  genhar('60MB', file);
  const total = statSync(file).size;
  try {
    const { page, st, samples } = await importLarge(file, { cancelAfter: 12e6 });
    assert.ok(st.notes.cancelled, 'the cancelled note');
    assert.ok(st.notes.cancelled.read < total, `stopped at ${st.notes.cancelled.read} of ${total} bytes`);
    assert.ok(samples.at(-1).read < total, 'the progress never reached the end');
    assert.match(await page.textContent('#notes'), /Reading stopped after/);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual((await state(page)).seen, st.seen, 'nothing is read after Cancel');
  } finally {
    rmSync(file, { force: true });
  }
});

test('a 500 MB session imports without the tab crashing (opt-in: HUBDOCTOR_IMPORT_500=1)', { skip: !process.env.HUBDOCTOR_IMPORT_500 }, async () => {
  const file = join(tmp, 'huge.har');
  const gen = genhar('500MB', file);
  const bytes = statSync(file).size;
  try {
    const { st, seconds, peakHeap, samples, maxGap } = await importLarge(file, { ms: 600_000 });
    assert.equal(st.notes.error, null);
    assert.equal(st.seen, gen.entries);
    assert.deepEqual(failingUsers(st.findings), [...new Set(gen.failingUsers)].sort());
    metric('import 500 MB throughput', (bytes / 1e6 / seconds).toFixed(1), ' MB/s');
    metric('import 500 MB page peak JS heap', (peakHeap / 1e6).toFixed(1), ' MB');
    metric('import 500 MB worker wasm memory', (Math.max(...samples.map((p) => p.wasmBytes ?? 0)) / 1e6).toFixed(0), ' MB');
    metric('import 500 MB longest page timer gap', maxGap.toFixed(0));
  } finally {
    rmSync(file, { force: true });
  }
});
