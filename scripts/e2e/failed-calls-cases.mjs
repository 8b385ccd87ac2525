// failed-calls-cases.mjs: what the tests of the "Failed calls" section
// check, the same in Chromium (failed-calls.test.mjs) and Firefox
// (failed-calls-firefox.test.mjs): a generated session with failed calls no
// rule explains (genhar -failed), the carrier failures a finding explains
// and the calls Control Hub expects to fail; the section read with
// failed-calls-view.mjs.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, ROOT } from './harness.mjs';
import { genhar } from './import-cases.mjs';

/** SMALL is the session of the section's tests: 30 failed calls, 3 expected ones and one user the carrier rule explains (seed 1). */
export const SMALL = { size: '2MB', failed: 30, seed: 1 };
export const CARRIER = 'onboard/carrier-email-exists';

/** genFailed writes a genhar session with failed calls to file and returns genhar's account of it. */
export function genFailed(file, { size, failed, seed = 1 }) {
  return genhar(size, file, ['-failed', String(failed), '-seed', String(seed)]);
}

const catalog = JSON.parse(readFileSync(join(DIST, '_locales', 'en', 'messages.json'), 'utf8'));

/** msg is the English UI text of key with its placeholders filled, as the built extension shows it. */
export function msg(key, ...subs) {
  const e = catalog[key];
  return e.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, name) => subs[Number(e.placeholders[name.toLowerCase()].content.slice(1)) - 1]);
}

/**
 * CANARIES are secrets every session genhar writes carries, which no view
 * or copy may show: the fixture's bearer token and session cookie
 * (internal/fixture), and genhar's CANARY- values in URLs and bodies.
 */
export const CANARIES = [fixtureConstant('fixture.go', 'Token'), fixtureConstant('fixture.go', 'SessionCookie').split('=')[1], 'CANARY-'];

/** ORG is the organization of every generated session. */
const ORG = fixtureConstant('seeds.go', 'OrgID');

/** fixtureConstant is the string constant name of internal/fixture/file, read from the source the sessions are made with. */
function fixtureConstant(file, name) {
  const src = readFileSync(join(ROOT, 'internal', 'fixture', file), 'utf8');
  return src.match(new RegExp(`\\b${name}\\s*=\\s*"([^"]+)"`))[1];
}

/** assertNoCanary checks that text shows none of the CANARIES. */
export function assertNoCanary(text, where) {
  for (const c of CANARIES) assert.ok(!text.includes(c), `${where} shows the secret ${c.slice(0, 12)}…`);
}

/**
 * assertSection checks the section as first shown for genhar's session gen
 * (v: failedCallsOp's reading, findings: the page's findings): every failed
 * call no rule explains is a row with its status, tracking ID and message
 * and "Copy for TAC"; each user the carrier finding explains is a row linked
 * to the finding, not counted as unexplained; the expected calls are folded
 * away with their reason and source; chips count the classes.
 */
export function assertSection(v, gen, findings) {
  assert.equal(v.hidden, false, 'the section is shown');
  assert.equal(v.heading, msg('failedCallsHeading'));
  assert.equal(v.columns.length, 9, 'a header cell per column');
  for (const f of gen.failed) {
    const r = v.rows.find((x) => x.tracking === f.trackingId);
    assert.ok(r, `a row for the failed call of entry ${f.entry} (${f.trackingId})`);
    assert.equal(r.status, f.status, `entry ${f.entry}: status`);
    assert.ok(r.message.includes(f.message), `entry ${f.entry}: the service's words, got ${r.message}`);
    assert.ok(r.copy && !r.linked, `entry ${f.entry}: Copy for TAC, no finding`);
    assert.ok(r.path.startsWith('/') && !/CANARY|\?/.test(r.path), `entry ${f.entry}: a path template, got ${r.path}`);
    assert.ok(r.service, `entry ${f.entry}: a service`);
  }
  const carrier = findings.find((f) => f.rule === CARRIER);
  assert.ok(carrier, 'the carrier finding');
  const linked = v.rows.filter((r) => r.linked);
  assert.equal(linked.length, gen.failingUsers.length, 'each user the carrier rule explains is a linked row');
  for (const r of linked) {
    assert.equal(r.linked, msg('failedSeeFinding', carrier.title));
    assert.ok(r.item && !r.copy, 'a per-item failure, its summary is the finding\'s');
  }
  assert.equal(v.rows.length, gen.failed.length + gen.failingUsers.length, 'the table lists nothing else (the expected calls are folded away)');
  const n5 = gen.failed.filter((f) => f.status >= 500).length;
  assert.deepEqual(
    Object.fromEntries(Object.entries(v.chips).map(([k, c]) => [k, [c.tag, c.pressed, c.count]])),
    { '4xx': ['BUTTON', 'false', gen.failed.length - n5], '5xx': ['BUTTON', 'false', n5], item: ['BUTTON', 'false', gen.failingUsers.length] },
    'toggle buttons counting 4xx, 5xx and per-item failures',
  );
  assert.ok(v.status.includes(msg('failedUnexplained', gen.failed.length)), v.status);
  assert.ok(v.status.includes(msg('failedLinked', gen.failingUsers.length)), v.status);
  assert.equal(v.more, null, 'no "Show more" under 200 rows');

  assert.ok(gen.expected > 0, 'the session has expected calls');
  assert.equal(v.expected.hidden, false);
  assert.equal(v.expected.open, false, 'the expected calls are folded away');
  assert.equal(v.expected.summary, msg('failedExpected', gen.expected));
  let listed = 0;
  for (const it of v.expected.items) {
    listed += Number(it.text.match(/×(\d+)/)?.[1] ?? 1);
    assert.match(it.text, /subscriptions\/pending\/ → 400/);
    assert.ok(it.reason.length > 20, `a reason: ${it.reason}`);
    assert.match(it.href ?? '', /^https:\/\//, 'its public source');
    assert.equal(it.target, '_blank');
    assert.match(it.rel, /noopener/);
  }
  assert.equal(listed, gen.expected, 'every expected call is in the folded list');
}

/**
 * filterCases are the filter and chip actions and what each must leave in
 * the table, for genhar's session gen.
 */
export function filterCases(gen) {
  const n5 = gen.failed.filter((f) => f.status >= 500).length;
  const pick = gen.failed[Math.floor(gen.failed.length * 0.7)];
  const rows = (v) => v.rows.length;
  return [
    { reason: 'a tracking ID', actions: [{ filter: pick.trackingId }], check: (v) => assert.deepEqual(v.rows.map((r) => r.tracking), [pick.trackingId]) },
    { reason: 'the service\'s words', actions: [{ filter: 'conflict on USER' }],
      check: (v) => assert.equal(rows(v), gen.failed.filter((f) => f.message.startsWith('Conflict on user')).length) },
    { reason: 'a status', actions: [{ filter: '502' }], check: (v) => assert.equal(rows(v), gen.failed.filter((f) => f.status === 502).length) },
    { reason: 'nothing matches', actions: [{ filter: 'no-such-call' }], check: (v) => assert.ok(rows(v) === 0 && v.noMatch) },
    { reason: 'the filter emptied', actions: [{ filter: '' }], check: (v) => assert.ok(rows(v) === gen.failed.length + gen.failingUsers.length && !v.noMatch) },
    { reason: 'the 5xx chip', actions: [{ chip: '5xx' }],
      check: (v) => assert.ok(rows(v) === n5 && v.rows.every((r) => r.status >= 500) && v.chips['5xx'].pressed === 'true') },
    { reason: 'the 5xx and per-item chips', actions: [{ chip: 'item' }],
      check: (v) => assert.equal(rows(v), n5 + gen.failingUsers.length) },
    { reason: 'a chip and the filter together', actions: [{ filter: pick.trackingId }],
      check: (v) => assert.equal(rows(v), pick.status >= 500 ? 1 : 0) },
    { reason: 'both chips released, filter emptied', actions: [{ chip: '5xx' }, { chip: 'item' }, { filter: '' }],
      check: (v) => assert.ok(rows(v) === gen.failed.length + gen.failingUsers.length && v.chips['5xx'].pressed === 'false') },
  ];
}

/**
 * assertCopied checks a "Copy for TAC" text for the failed call f of
 * genhar's session: the engine's summary of that call (its tracking ID,
 * the org, the service's words) with no secret.
 */
export function assertCopied(text, f, where) {
  assert.ok(text.includes(f.trackingId), `${where}: the tracking ID`);
  assert.ok(text.includes(f.message), `${where}: the service's words`);
  assert.ok(text.includes(ORG), `${where}: the org ID`);
  assertNoCanary(text, where);
}

/**
 * assertSessionSummary checks the TAC summary of genhar's session gen (the
 * "Copy TAC summary" button's): it lists the first failed calls no rule
 * explains with their tracking IDs, and no secret.
 */
export function assertSessionSummary(text, gen) {
  for (const f of gen.failed.slice(0, 10)) assert.ok(text.includes(f.trackingId), `the session summary lists ${f.trackingId}`);
  assertNoCanary(text, 'the session summary');
}
