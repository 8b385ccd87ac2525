// compat.mjs: what compat.test.mjs (Chromium) and compat-firefox.test.mjs
// share. The stand-in's compatibility page (scripts/standin/pages/compat.html)
// runs a matrix of fetch and XMLHttpRequest calls inside zone.js zones, as
// Control Hub (an Angular app) makes them, and writes what the page saw of
// each; the tests run it in a browser with the extension and in one without
// and compare. The page objects of Playwright and puppeteer-core share the
// few calls used here (evaluate, on/off('console')).

import assert from 'node:assert/strict';
import { metric, poll } from './harness.mjs';

/** compatURL is the compatibility page, with zone.js loaded before its script (as an Angular app) or without. */
export function compatURL({ zone = true } = {}) {
  return `https://admin.webex.com/__standin/compat${zone ? '' : '?zone=0'}`;
}

/** CARRIER is the e-mail of the onboard answer the page's first in-scope calls get (the seeds' 10991 failure). */
export const CARRIER = 'alex.dekker@example.com';

/**
 * runMatrix opens the compatibility page in page (unless open is false: the
 * page is already there) and runs the matrix once. It resolves with
 * {results, observed, info, consoleErrors}: results are what must not change
 * with the extension; observed the observer's records the page saw (empty
 * without the extension); consoleErrors the browser's console errors during
 * the run and its uncaught errors, sorted (two calls may log in either order).
 */
export async function runMatrix(page, { zone = true, open = true, label = '' } = {}) {
  if (open) await page.goto(compatURL({ zone }));
  await poll(() => page.evaluate(() => typeof window.compatRun === 'function'), { ms: 20_000, what: 'the compatibility page to load' });
  const consoleErrors = [];
  const onConsole = (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  };
  // Uncaught errors of any script in the page, the extension's content
  // scripts included, which the page's own counters cannot see.
  const onPageError = (err) => consoleErrors.push(`uncaught: ${err?.message ?? err}`);
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  const t0 = Date.now();
  let json;
  try {
    json = await page.evaluate(() => window.compatRun());
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
  }
  if (label) metric(`compat matrix ${label}`, Date.now() - t0);
  return { ...JSON.parse(json), consoleErrors: consoleErrors.sort() };
}

/** zonesIn collects every zone name a case recorded (its callbacks' Zone.current.name). */
function zonesIn(value, out = []) {
  if (Array.isArray(value)) {
    for (const v of value) zonesIn(v, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'zones' && v && typeof v === 'object') out.push(...Object.values(v).flat());
      else if ((k === 'zone' || k === 'blobZone' || k === 'zoneAtStart') && (typeof v === 'string' || v === null)) out.push(v);
      else zonesIn(v, out);
    }
  }
  return out;
}

const byName = (run, prefix) => {
  const c = run.results.cases.find((x) => x.name.startsWith(prefix));
  assert.ok(c, `the matrix has a case "${prefix}…"`);
  return c;
};

/**
 * assertSound checks that a run of the matrix measured what it claims, so
 * that two equal runs mean something: every case ended, nothing went
 * unhandled, every callback ran in its case's zone, and a few known answers
 * came back as the stand-in sends them.
 */
export function assertSound(run, { zone = true } = {}) {
  const r = run.results;
  assert.equal(r.zoneLoaded, zone, zone ? 'zone.js loaded (the stand-in serves it from node_modules: run npm ci)' : 'no zone.js on ?zone=0');
  assert.ok(r.cases.length >= 60, `the matrix ran ${r.cases.length} cases`);
  for (const c of r.cases) {
    assert.ok(!c.timedOut && !c.threwInCase && !c.caseRejected, `case ${c.case} (${c.name}) ended: ${JSON.stringify(c).slice(0, 400)}`);
    const zones = zonesIn(c);
    assert.ok(zones.length >= 1, `case ${c.case} (${c.name}) recorded its zone`);
    for (const z of zones) assert.equal(z, zone ? `case-${c.case}` : null, `case ${c.case} (${c.name}): every callback runs in the case's zone`);
  }
  assert.deepEqual(r.counters, { unhandledrejection: 0, error: 0, consoleError: 0, messages: [] }, 'no unhandled rejection, error event or console.error');

  // Known answers: the failing onboard call, the browser's own event orders.
  const onboard = byName(run, 'fetch string, in scope: POST onboard');
  assert.equal(onboard.response.status, 200);
  assert.match(onboard.body, /\[Error 10991\] Url already exists/);
  assert.equal(onboard.response.headers['x-compat-exposed'], 'exposed-onboard', 'an exposed header is readable');
  assert.equal(onboard.response.headers['x-compat-hidden'], null, 'a header CORS does not expose is not');
  assert.equal(byName(run, 'fetch in scope: headers as a one-shot iterator').body.includes('"custom":"iterator"'), true, 'the headers of a one-shot iterator reached the server');
  assert.equal(byName(run, 'fetch in scope: aborted while waiting').rejected.name, 'AbortError');
  assert.equal(byName(run, 'fetch in scope: aborted with a reason').rejectedWithReason, true, 'abort(reason) rejects with the reason itself');
  assert.equal(byName(run, 'fetch in scope: aborted in the middle of the body').bodyRejected.name, 'AbortError');
  const twoArgs = byName(run, 'xhr in scope: open(method, url) stays async');
  assert.equal(twoArgs.afterSend.readyState, 1, 'open(method, url) is asynchronous: send returns at once');
  assert.equal(twoArgs.read.status, 200);
  const sync = byName(run, 'xhr in scope: synchronous');
  assert.equal(sync.afterSend.readyState, 4, 'open(m, u, false) is synchronous: done when send returns');
  assert.equal(sync.read.status, 200);
  const aborted = byName(run, 'xhr in scope: aborted while waiting');
  assert.deepEqual(aborted.events.slice(-3), ['readystatechange:4', 'abort:4', 'loadend:4']);
  assert.deepEqual(aborted.afterAbort, { readyState: 0, status: 0 });
  assert.equal(byName(run, 'xhr in scope: timeout').events.includes('timeout:4'), true);
  assert.equal(byName(run, 'xhr: GET binary, responseType arraybuffer').read.bytes.length, 256);
  assert.equal(byName(run, 'xhr in scope: responseType blob').read.blob.size > 0, true);
}

/**
 * assertSameAs checks that a run with the extension saw exactly what the run
 * without it saw: every result (timings are not recorded) and the browser's
 * console errors. ignore lists properties.* paths left out, for a reason the
 * caller states.
 */
export function assertSameAs(withExtension, without, { what, ignore = [] } = {}) {
  const strip = (run) => {
    const results = structuredClone(run.results);
    for (const path of ignore) {
      const keys = path.split('.');
      const last = keys.pop();
      const parent = keys.reduce((o, k) => o?.[k], results);
      if (parent) delete parent[last];
    }
    return results;
  };
  const a = strip(withExtension);
  const b = strip(without);
  // Case by case first, for a message that names the case.
  assert.equal(a.cases.length, b.cases.length);
  for (let i = 0; i < a.cases.length; i++) assert.deepEqual(a.cases[i], b.cases[i], `${what}: case ${a.cases[i].case} (${a.cases[i].name})`);
  assert.deepEqual(a, b, `${what}: the whole result`);
  assert.deepEqual(withExtension.consoleErrors, without.consoleErrors, `${what}: the browser's console errors`);
}

const IN_SCOPE = /\/users\/onboard|\/licenses\/users/;

/**
 * assertObserved checks that the observer really recorded what it must (an
 * equal result proves nothing otherwise): at least min records of in-scope
 * calls on the rules' channel, each of an in-scope call, both fetch and XHR,
 * the first onboard call's record carrying what the page read; and on the
 * failed-calls channel, only calls that failed (status 400 or more, none in
 * scope), both fetch and XHR, each failing case's with what the page read.
 */
export function assertObserved(run, { min = 25 } = {}) {
  const obs = run.observed.filter((o) => o.channel === 'record');
  assert.ok(obs.length >= min, `the observer recorded ${obs.length} in-scope calls, want at least ${min}`);
  for (const o of obs) assert.match(o.url ?? '', IN_SCOPE, `a record of an in-scope call only: ${JSON.stringify(o).slice(0, 200)}`);
  assert.ok(obs.some((o) => o.via === 'fetch') && obs.some((o) => o.via === 'xhr'), 'records of fetch and of XHR calls');
  const page = byName(run, 'fetch string, in scope: POST onboard');
  const rec = obs.find((o) => o.via === 'fetch' && o.url === page.response.url);
  assert.ok(rec, 'the first onboard call was recorded');
  assert.equal(rec.status, page.response.status);
  assert.deepEqual(JSON.parse(rec.responseBody), JSON.parse(page.body), 'the record has the body the page read');
  const xhr = byName(run, 'xhr in scope: POST onboard');
  assert.ok(obs.some((o) => o.via === 'xhr' && o.status === xhr.read.status && o.responseBody === xhr.read.text), 'the XHR onboard call was recorded with what the page read');

  const failed = run.observed.filter((o) => o.channel === 'failed');
  for (const o of failed) {
    assert.ok(o.status >= 400 && !IN_SCOPE.test(o.url ?? ''), `a failed-call record of a failed call outside the rules' scope only: ${JSON.stringify(o).slice(0, 200)}`);
  }
  assert.ok(failed.some((o) => o.via === 'fetch') && failed.some((o) => o.via === 'xhr'), 'failed-call records of fetch and of XHR calls');
  const fetched = byName(run, 'fetch failing: GET 500, json read');
  const f500 = failed.find((o) => o.via === 'fetch' && o.url === fetched.response.url);
  assert.ok(f500, 'the failing GET 500 (fetch) was recorded');
  assert.equal(f500.status, 500);
  assert.deepEqual(JSON.parse(f500.responseBody), JSON.parse(fetched.body), 'its record has the body the page read');
  const posted = failed.find((o) => o.via === 'fetch' && o.method === 'POST' && o.status === 400);
  assert.equal(posted?.requestBody, '{"failing":true}', 'a failed POST keeps its request body');
  const unread = byName(run, 'fetch failing: GET 502, body never read');
  assert.ok(failed.some((o) => o.url === unread.response.url && o.status === 502 && /compat status 502/.test(o.responseBody ?? '')), 'a failed call whose body the page never reads is read on the side');
  const sync = failed.find((o) => o.via === 'xhr' && o.status === 503);
  assert.match(sync?.responseBody ?? '', /compat status 503/, 'the synchronous failing XHR was recorded with its body');
}

/**
 * referenceRuns runs the matrix, with zone.js and without, in s, a browser
 * without the extension, checks each run is sound and saw no observer, and
 * returns them by zone (true | false): what the runs with the extension must
 * equal.
 */
export async function referenceRuns(s, browser) {
  const runs = new Map();
  for (const zone of [true, false]) {
    const run = await runMatrix(s.page, { zone, label: `without the extension${zone ? '' : ', no zone.js'} (${browser})` });
    assertSound(run, { zone });
    assert.deepEqual(run.observed, [], 'no observer without the extension');
    runs.set(zone, run);
  }
  return runs;
}
