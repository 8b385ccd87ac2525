// The "Failed calls" section in real Firefox: the extension's triage page
// (framed into the test probe, see firefox-harness.mjs) opens a generated
// session; the same cases as failed-calls.test.mjs in Chromium: the table,
// the filter and the chips, a row expanded to its sanitized request and
// response, "Copy for TAC" with no secret, the expected calls folded away
// with reason and source, the call the carrier finding explains linked to
// it; then a large session with thousands of failed calls, how late the
// page's timers fire while it is read and filtered (METRIC lines).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { metric, poll } from './harness.mjs';
import { useFirefoxWithFiles } from './firefox-harness.mjs';
import { CARRIER, SMALL, assertCopied, assertNoCanary, assertSection, assertSessionSummary, filterCases, genFailed, msg } from './failed-calls-cases.mjs';

const LARGE = process.env.HUBDOCTOR_FAILED_SIZE_FIREFOX ?? '200MB';
const LARGE_FAILED = Number(process.env.HUBDOCTOR_FAILED_COUNT ?? 4000);

let files;
let standin;
let s;
useFirefoxWithFiles('hubdoctor-failed-firefox-', (c) => ({ standin, s, tmp: files } = c));

/**
 * openFile hands the stand-in's file name to the triage page's input and
 * resolves once it is read (the first also waits for the page's import
 * worker to start its engine, slow on a loaded machine).
 */
async function openFile(name, ms = 90_000) {
  await s.triage('open', { fileURL: `/__standin/files/${name}`, name });
  return poll(async () => {
    const b = await s.triage('brief');
    return b.status === 'file' && b.harName === name && !b.progress ? b : null;
  }, { ms, every: 100, what: `${name} to be read` });
}

const view = async (actions = []) => (await s.triage('failed', { actions })).view;

test('firefox triage: the failed calls of a session, filtered, expanded, copied for TAC, the expected ones folded, the explained ones linked', async () => {
  const gen = genFailed(join(files, 'failed.har'), SMALL);
  const b = await openFile('failed.har');
  assert.equal(b.unexplained, gen.failed.length, 'the engine found every failed call genhar wrote');
  const { view: first, findings } = await s.triage('failed', { actions: [] });
  assertSection(first, gen, findings);

  for (const c of filterCases(gen)) c.check(await view(c.actions));

  const at = first.rows.findIndex((r) => r.message.startsWith('Place'));
  let v = await view([{ expand: at }]);
  assert.equal(v.rows[at].expanded, 'true');
  assert.equal(v.details[0].id, v.rows[at].controls, 'the toggle names the details it controls');
  const call = gen.failed.find((f) => f.trackingId === v.rows[at].tracking);
  assert.match(v.details[0].request, /^POST https:\/\/cpapi-a\.wbx2\.com\//);
  assert.ok(v.details[0].response.includes(call.message));
  assertNoCanary(v.details[0].text, 'the expanded row');
  v = await view([{ expand: at }]);
  assert.equal(v.details.length, 0, 'collapsed again');

  for (const kind of ['Place', 'User']) {
    const i = first.rows.findIndex((r) => r.message.startsWith(kind));
    const f = gen.failed.find((x) => x.trackingId === first.rows[i].tracking);
    v = await view([{ copy: i }]);
    // A script's click carries no user activation, which Firefox's
    // clipboard wants: the page says so or that it copied; either way the
    // text handed over is the engine's summary of the call.
    assert.ok([msg('copied'), msg('copyFailed')].includes(v.toast), v.toast);
    const { summary, session } = await s.triage('failed-summary', { trackingId: f.trackingId });
    assert.deepEqual(v.copied, [summary], 'Copy for TAC hands over the engine\'s summary of the call');
    assertCopied(summary, f, `Copy for TAC of ${kind}…`);
    assertSessionSummary(session, gen);
  }

  v = await view([{ openExpected: true }]);
  assert.equal(v.expected.open, true);
  const linkedAt = first.rows.findIndex((r) => r.linked);
  v = await view([{ finding: linkedAt }]);
  assert.equal(v.focusedFinding, CARRIER, 'the finding has the focus');
});

test(`firefox triage: a ${LARGE} session with ${LARGE_FAILED} failed calls stays responsive while read and filtered`, async () => {
  const gen = genFailed(join(files, 'large-failed.har'), { size: LARGE, failed: LARGE_FAILED });
  const mb = (statSync(join(files, 'large-failed.har')).size / 1e6).toFixed(0);
  try {
    const t0 = Date.now();
    const read = await openFile('large-failed.har', 300_000);
    const seconds = (Date.now() - t0) / 1000;
    assert.equal(read.unexplained, gen.failed.length, 'every failed call genhar wrote');
    assert.equal(read.expected, gen.expected, 'every expected call');
    await s.triage('brief', { resetGap: true });
    let v = await view();
    assert.equal(v.rows.length, 200, 'the first 200 rows in the document');
    assert.equal(v.more, msg('failedShowMore', 200));
    const pick = gen.failed.at(-3);
    const times = {};
    let stall = 0; // the longest a task held the page during the actions (failed-calls-view.mjs)
    const timed = async (name, actions, check) => {
      const t = Date.now();
      v = await view(actions);
      times[name] = Date.now() - t;
      stall = Math.max(stall, v.stall);
      check(v);
    };
    await timed('filter by tracking ID', [{ filter: pick.trackingId }], (x) => assert.deepEqual(x.rows.map((r) => r.tracking), [pick.trackingId]));
    await timed('filter emptied', [{ filter: '' }], (x) => assert.equal(x.rows.length, 200));
    await timed('5xx chip', [{ chip: '5xx' }], (x) => assert.ok(x.rows.every((r) => r.status >= 500)));
    await timed('chip released and show more', [{ chip: '5xx' }, { more: true }], (x) => assert.equal(x.rows.length, 400));
    const filtered = (await s.triage('brief')).maxGap;

    metric(`firefox failed calls ${mb} MB import seconds`, seconds.toFixed(1), ' s');
    metric(`firefox failed calls ${mb} MB (${LARGE_FAILED} calls) longest timer gap while read`, read.maxGap.toFixed(0), ' ms');
    metric(`firefox failed calls ${mb} MB longest timer gap while filtered`, filtered.toFixed(0), ' ms');
    metric(`firefox failed calls ${mb} MB longest stall of the page while filtered`, stall.toFixed(0), ' ms');
    for (const [name, ms] of Object.entries(times)) metric(`firefox failed calls ${mb} MB ${name}`, ms, ' ms');
    // While the file is read, the import worker's engine takes a core of
    // the two this machine shares with other runs: at load 10-15 the page's
    // timer was seen 1.1-1.6 s late while the same run's filtering held it
    // 0-250 ms, and 58-180 ms late at lower load. So 2 s there; the
    // section's own work is bounded at 1 s.
    assert.ok(read.maxGap < 2000, `the page stays responsive while read: a timer was ${read.maxGap.toFixed(0)} ms late`);
    assert.ok(stall < 1000, `the section's work holds the page less than 1 s: ${stall.toFixed(0)} ms`);
  } finally {
    rmSync(join(files, 'large-failed.har'), { force: true });
  }
});
