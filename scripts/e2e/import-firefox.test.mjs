// Offline HAR triage in real Firefox: the extension's triage page (framed
// into the test probe, see firefox-harness.mjs) reads a HAR file set on its
// input or dropped on it in chunks, in its import worker, with the engine
// in WebAssembly; the same cases as import.test.mjs in Chromium: the seeds'
// file and its sanitized export, broken files, a large generated session
// with progress, and Cancel. The page gets each file from the stand-in
// (-files), as a download from a support case would arrive.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { metric, poll } from './harness.mjs';
import { useFirefoxWithFiles } from './firefox-harness.mjs';
import {
  SEED, assertCancelled, assertCarrier, assertIncreasing, assertLargeImport, assertSanitizedExport, brokenFiles, genhar, splitBrokenFiles,
} from './import-cases.mjs';

const LARGE = process.env.HUBDOCTOR_IMPORT_SIZE_FIREFOX ?? '100MB';

let files;
let standin;
let s;
useFirefoxWithFiles('hubdoctor-import-firefox-', (c) => ({ standin, s, tmp: files } = c));

/**
 * open hands the stand-in's file name to the triage page, through its input
 * or a drop; the page clicks Cancel once cancelAfter bytes are read.
 */
function open(name, { via = 'input', cancelAfter } = {}) {
  return s.triage('open', { fileURL: `/__standin/files/${name}`, name, via, cancelAfter });
}

/** imported waits until the triage page shows name read to its end (or its break). */
function imported(name, ms = 20_000) {
  return poll(async () => {
    const a = await s.triage('state');
    return a.state.status === 'file' && a.state.harName === name && !a.state.progress ? a : null;
  }, { ms, every: 100, what: `${name} to be read` });
}

test("firefox triage: the seeds' HAR through the file input and by drop shows the carrier finding; the export is sanitized (e-mails pseudonymized on request)", async () => {
  copyFileSync(SEED, join(files, 'seed.har'));
  await open('seed.har');
  const a = await imported('seed.har');
  assertCarrier(a.state, 'file input');
  assert.match(a.findingsText, /alex\.dekker@example\.com/, 'the finding is on the page');
  assert.equal(a.progressHidden, true, 'no progress bar once read');
  assertSanitizedExport((await s.triage('har')).har);
  assertSanitizedExport((await s.triage('har', { pseudonymize: true })).har, { pseudonymized: true });

  await s.triage('clear');
  copyFileSync(SEED, join(files, 'dropped.har'));
  await open('dropped.har', { via: 'drop' });
  assertCarrier((await imported('dropped.har')).state, 'drop');
});

test('firefox triage: broken files say where they broke, a truncated file keeps the findings before the break', async () => {
  for (const r of brokenFiles()) {
    writeFileSync(join(files, r.name), r.data);
    await open(r.name);
    const a = await imported(r.name);
    assert.match(a.state.notes.error ?? '', r.error, r.reason);
    assert.equal(a.state.findings.length, r.findings, r.reason);
    assert.ok(a.notes.includes(a.state.notes.error), `the note shows the one-line error (${r.reason}): ${a.notes}`);
  }
});

test('firefox triage: large files broken in their second half give the error the CLI gives', async () => {
  await poll(async () => (await s.triage('state')).state.workerReady, { ms: 60_000, every: 200, what: 'the import worker' });
  for (const f of splitBrokenFiles(files)) {
    try {
      await open(f.name);
      const a = await imported(f.name, 60_000);
      assert.equal(a.state.notes.error, f.error, f.reason);
      // One engine in Firefox (browser.js, twoEngineImport).
      assert.equal(a.state.engines, 1, `${f.reason}: engines`);
    } finally {
      rmSync(join(files, f.name), { force: true });
    }
  }
});

test(`firefox triage: a ${LARGE} session, progress grows and every failing user is found`, async () => {
  const gen = genhar(LARGE, join(files, 'large.har'));
  const bytes = statSync(join(files, 'large.har')).size;
  try {
    // As an admin would, the file comes once the page's import worker is ready.
    await poll(async () => (await s.triage('state')).state.workerReady, { ms: 60_000, every: 200, what: 'the import worker' });
    await open('large.har');
    const t0 = Date.now(); // the file is in the page: from here on, the import alone
    const a = await imported('large.har', 180_000);
    const seconds = (Date.now() - t0) / 1000;
    assertLargeImport(a.state, gen);
    assert.equal(a.state.engines, 1, 'one engine reads the file in Firefox (browser.js, twoEngineImport)');
    assertIncreasing(a.samples);
    metric(`firefox import ${(bytes / 1e6).toFixed(0)} MB throughput`, (bytes / 1e6 / seconds).toFixed(1), ' MB/s');
    metric(`firefox import ${(bytes / 1e6).toFixed(0)} MB longest page timer gap`, a.maxGap.toFixed(0));
    assert.ok(a.maxGap < 1000, `the page stays responsive: a timer was ${a.maxGap.toFixed(0)} ms late`);
  } finally {
    rmSync(join(files, 'large.har'), { force: true });
  }
});

test('firefox triage: Cancel stops reading and keeps what was found so far', async () => {
  genhar('60MB', join(files, 'cancel.har'));
  const total = statSync(join(files, 'cancel.har')).size;
  try {
    await open('cancel.har', { cancelAfter: 4e6 });
    const a = await imported('cancel.har');
    assertCancelled(a.state, a.samples, a.notes, total);
    await sleep(300);
    assert.equal((await s.triage('state')).state.seen, a.state.seen, 'nothing is read after Cancel');
  } finally {
    rmSync(join(files, 'cancel.har'), { force: true });
  }
});
