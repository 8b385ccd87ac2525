// Offline HAR triage in real Chromium: a HAR file opened (file input) or
// dropped on the panel as a plain page and on triage.html is read in chunks
// by the import worker and analysed by the streaming engine; broken files
// say where they broke and keep what came before; progress and Cancel work
// on a large generated session, whose throughput and the page's peak JS heap
// are printed as METRIC lines. A 500 MB run is opt-in: HUBDOCTOR_IMPORT_500=1.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, metric, poll, useChromium } from './harness.mjs';
import {
  SEED, assertCancelled, assertCarrier, assertIncreasing, assertLargeImport, assertSanitizedExport, brokenFiles, failingUsers, genhar, splitBrokenFiles,
} from './import-cases.mjs';
const LARGE = process.env.HUBDOCTOR_IMPORT_SIZE ?? '200MB';

let standin;
let s;
let tmp;
useChromium('hubdoctor-import-', (c) => ({ standin, s, tmp } = c));

/** openPage loads an extension page and waits for its engine and its import worker's. */
async function openPage(path) {
  const page = s.page;
  await page.goto(`chrome-extension://${s.extensionId}/extension/${path}`);
  await poll(() => page.evaluate(() => globalThis.hubdoctorPanel?.state()?.status === 'idle' && globalThis.hubdoctorPanel.state().workerReady), { ms: 60_000, what: `the engines in ${path}` });
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

test('triage.html: a file chosen while the engines still warm up is read (the warm-up stops for it)', async () => {
  const page = s.page;
  await page.goto(`chrome-extension://${s.extensionId}/extension/triage.html`);
  // The page's own engine is ready; the import worker was only just started.
  await poll(() => page.evaluate(() => globalThis.hubdoctorPanel?.state()?.status === 'idle'), { ms: 60_000, what: 'the page engine' });
  assert.equal((await state(page)).workerReady, false, 'the file is chosen before the import worker is warm');
  await page.setInputFiles('#open-har', SEED);
  assertCarrier(await imported(page, 'chrome-seed-carrier.har'), 'file chosen early');
});

for (const path of ['panel.html', 'triage.html']) {
  test(`${path}: the seeds' HAR opened with the file input shows the carrier finding, and the sanitized HAR downloads (e-mails pseudonymized on request)`, async () => {
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
    assertSanitizedExport(readFileSync(await (await d).path(), 'utf8'));
    await page.check('#pseudonymize');
    const p = page.waitForEvent('download');
    await page.click('#download-har');
    assertSanitizedExport(readFileSync(await (await p).path(), 'utf8'), { pseudonymized: true });
    await page.uncheck('#pseudonymize');

    await page.click('#clear');
    await dropFile(page, readFileSync(SEED, 'utf8'), 'dropped.har');
    assertCarrier(await imported(page, 'dropped.har'), 'drop');
  });
}

test('broken files: the message says where, a truncated file keeps the findings before the break', async () => {
  const page = await openPage('triage.html');
  for (const r of brokenFiles()) {
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

test('large files broken in their second half: the error the CLI gives, whether two engines read them or one', async () => {
  const page = await openPage('triage.html');
  for (const f of splitBrokenFiles(tmp)) {
    try {
      await page.setInputFiles('#open-har', join(tmp, f.name));
      const st = await imported(page, f.name, 60_000);
      assert.equal(st.notes.error, f.error, f.reason);
      assert.equal(st.engines, f.engines, `${f.reason}: engines`);
    } finally {
      rmSync(join(tmp, f.name), { force: true });
    }
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
async function importLarge(file, { cancelAfter = 0, ms = 120_000 } = {}) {
  const page = await openPage('triage.html');
  await page.evaluate((cancelAfter) => {
    globalThis.__samples = [];
    globalThis.__maxGap = 0;
    let last = performance.now();
    globalThis.__sampler = setInterval(() => {
      const now = performance.now();
      globalThis.__maxGap = Math.max(globalThis.__maxGap, now - last);
      last = now;
      const p = globalThis.hubdoctorPanel.state().progress;
      if (!p) return;
      globalThis.__samples.push(p);
      // Clicked here, as the admin would, once the bar passes cancelAfter:
      // a click from the test over CDP can come after the end of the file.
      if (cancelAfter && p.read >= cancelAfter) {
        cancelAfter = 0;
        document.getElementById('import-cancel').click();
      }
    }, 20);
  }, cancelAfter);
  const stopHeap = await sampleHeap(page);
  const t0 = Date.now();
  await page.setInputFiles('#open-har', file);
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

test(`a ${LARGE} session: progress grows, every failing user is found, throughput and peak heap`, async () => {
  const file = join(tmp, 'large.har');
  const gen = genhar(LARGE, file);
  const bytes = statSync(file).size;
  try {
    const { page, st, seconds, peakHeap, samples, maxGap } = await importLarge(file);
    assertLargeImport(st, gen);
    assert.equal(st.engines, 2, 'two engines read the file');
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
    const { page, st, samples } = await importLarge(file, { cancelAfter: 4e6 });
    assertCancelled(st, samples, await page.textContent('#notes'), total);
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
    assertLargeImport(st, gen);
    metric('import 500 MB throughput', (bytes / 1e6 / seconds).toFixed(1), ' MB/s');
    metric('import 500 MB page peak JS heap', (peakHeap / 1e6).toFixed(1), ' MB');
    metric('import 500 MB worker wasm memory', (Math.max(...samples.map((p) => p.wasmBytes ?? 0)) / 1e6).toFixed(0), ' MB');
    metric('import 500 MB longest page timer gap', maxGap.toFixed(0));
  } finally {
    rmSync(file, { force: true });
  }
});
