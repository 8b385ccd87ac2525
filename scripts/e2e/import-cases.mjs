// import-cases.mjs: what the offline-import tests check, the same in
// Chromium (import.test.mjs) and Firefox (import-firefox.test.mjs): the
// seeds' file, broken files, generated sessions and what their import must
// show.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

export const SEED = join(ROOT, 'testdata/sessions/chrome-seed-carrier.har');
const CARRIER = 'onboard/carrier-email-exists';

/** genhar writes a generated Control Hub session to file (more genhar flags in flags) and returns its summary. */
export function genhar(size, file, flags = []) {
  const out = execFileSync('go', ['run', './scripts/bench/genhar', '-size', size, ...flags, '-o', file], { cwd: ROOT, maxBuffer: 64 << 20 });
  return JSON.parse(out.toString());
}

/** assertCarrier checks an import state holds exactly the seeds' carrier finding. */
export function assertCarrier(st, why) {
  assert.equal(st.notes.error, null, `${why}: no error`);
  assert.deepEqual(st.findings.map((f) => f.rule), [CARRIER], `${why}: the carrier finding`);
  assert.equal(st.findings[0].email, 'alex.dekker@example.com');
}

/**
 * assertSanitizedExport checks the sanitized HAR an import of the seeds'
 * file exports, as text: tokens gone, the error kept, and the affected
 * user's address kept or, when pseudonymized, replaced with its domain kept.
 */
export function assertSanitizedExport(text, { pseudonymized = false } = {}) {
  const har = JSON.parse(text);
  assert.equal(har.log.entries.length, JSON.parse(readFileSync(SEED, 'utf8')).log.entries.length, 'every entry exported');
  assert.equal(har.log._sanitizer.tool, 'Hub Doctor');
  assert.ok(!text.includes('Bearer eyJ'), 'no bearer token survives');
  assert.match(text, /Error 10991/, 'the error stays');
  if (pseudonymized) {
    assert.ok(!text.includes('alex.dekker@example.com'), 'the address is replaced');
    assert.match(text, /user-[0-9a-f]{8}@example\.com/, 'by a pseudonym that keeps the domain');
  } else {
    assert.match(text, /alex\.dekker@example\.com/, 'the affected user stays for TAC');
  }
}

/**
 * brokenFiles are files that are not a whole HAR, each with the one-line
 * error the import must show and the findings it keeps.
 */
export function brokenFiles() {
  const seed = readFileSync(SEED);
  // Inside the entry after the failed onboard (the metrics beacon).
  const cut = seed.indexOf('/metrics/api/v1/clientmetrics/', seed.indexOf('/users/onboard'));
  assert.ok(cut > 0);
  return [
    { name: 'truncated.har', data: seed.subarray(0, cut), error: /^truncated\.har: entry \d+ at byte \d+: unexpected end of file/, findings: 1,
      reason: 'cut inside the entry after the failed onboard: that finding stays' },
    { name: 'page.har', data: Buffer.from('<!doctype html><title>Sign in</title>'), error: /^page\.har: byte 0: not JSON/, findings: 0,
      reason: 'an HTML page saved as .har' },
    { name: 'empty.har', data: Buffer.alloc(0), error: /^empty\.har: byte 0: file is empty/, findings: 0, reason: 'an empty file' },
  ];
}

/**
 * splitBrokenFiles writes in dir sessions large enough for two engines to
 * read (48 MB), broken in their second half, and returns each with the
 * one-line error `hubdoctor analyze` (dist/bin) gives for it, which the
 * import must give too, and with how many engines must have read it: 2
 * when the break is in an entry a rule reads (the part is taken over and
 * the break found in it), 1 when the file is cut short (the part cannot be
 * used and the first engine reads on).
 */
export function splitBrokenFiles(dir) {
  const whole = join(dir, 'split-whole.har');
  genhar('48MB', whole);
  const data = readFileSync(whole);
  rmSync(whole);
  // The last onboard batch, in the file's last quarter: its response's
  // HTTP version made no JSON value.
  const http = data.indexOf('"httpVersion": "', data.lastIndexOf('/users/onboard'));
  assert.ok(http > data.length / 2, 'a broken entry in the second half');
  const files = [
    { name: 'split-grammar.har', data: Buffer.concat([data.subarray(0, http), Buffer.from('"httpVersion": x"'), data.subarray(http + 16)]), engines: 2,
      reason: 'an onboard call in the second half is not valid JSON' },
    { name: 'split-cut.har', data: data.subarray(0, Math.floor(data.length * 0.9)), engines: 1, reason: 'cut short in the second half' },
  ];
  for (const f of files) {
    writeFileSync(join(dir, f.name), f.data);
    const cli = spawnSync(join(ROOT, 'dist/bin/hubdoctor'), ['analyze', f.name], { cwd: dir, maxBuffer: 64 << 20 });
    assert.ok(!cli.error, `dist/bin/hubdoctor (make cli): ${cli.error?.message}`);
    f.error = cli.stderr.toString().trim().split('\n').at(-1).replace(/^hubdoctor: /, '');
    assert.match(f.error, new RegExp(`^${f.name}: entry \\d+ at byte \\d+: `), `the CLI's error for ${f.name}`);
    delete f.data;
  }
  return files;
}

/** failingUsers is the sorted e-mails of users an onboard batch rejected. */
export function failingUsers(findings) {
  return [...new Set(findings.filter((f) => f.email && f.userStatus >= 400).map((f) => f.email))].sort();
}

/** assertLargeImport checks an import of a genhar session found what genhar wrote. */
export function assertLargeImport(st, gen) {
  assert.equal(st.notes.error, null);
  assert.equal(st.seen, gen.entries, 'every entry seen');
  assert.deepEqual(failingUsers(st.findings), [...new Set(gen.failingUsers)].sort(), 'the failing users genhar wrote');
}

/** assertIncreasing checks progress samples ({read, entries}) grow step by step. */
export function assertIncreasing(samples) {
  const distinct = samples.filter((p, i) => i === 0 || p.read !== samples[i - 1].read);
  assert.ok(distinct.length >= 3, `at least three progress steps, got ${distinct.length}`);
  for (let i = 1; i < distinct.length; i++) {
    assert.ok(distinct[i].read > distinct[i - 1].read, 'bytes read only grow');
    assert.ok(distinct[i].entries >= distinct[i - 1].entries, 'entries seen only grow');
  }
  assert.ok(distinct.at(-1).entries > distinct[0].entries, 'entries seen grow');
}

/** assertCancelled checks an import stopped by Cancel before the end of a file of total bytes. */
export function assertCancelled(st, samples, notesText, total) {
  assert.ok(st.notes.cancelled, 'the cancelled note');
  assert.ok(st.notes.cancelled.read < total, `stopped at ${st.notes.cancelled.read} of ${total} bytes`);
  assert.ok(samples.at(-1).read < total, 'the progress never reached the end');
  assert.match(notesText, /Reading stopped after/);
}
