// Real-Firefox tests of the built extension (dist/firefox plus a test-only
// probe page, see firefox-harness.mjs) against the Control Hub stand-in.
// Run: make test-firefox. Each test starts its own Firefox: DevTools opens
// on the initial tab only, and a fresh profile keeps the tests independent.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminURL, metric, poll } from './harness.mjs';
import { launchFirefox, startFirefoxStandin } from './firefox-harness.mjs';

let standin;
before(async () => {
  standin = await startFirefoxStandin();
});
after(() => standin?.stop());

/**
 * withFirefox runs fn with a fresh Firefox on url whose devtools page is
 * live. The probe needs a Webex page to be framed into, so the page loads
 * first; what it requested before the capture was live comes from getHAR.
 */
async function withFirefox(url, fn, opts) {
  const s = await launchFirefox(standin, opts);
  try {
    await s.page.goto(url);
    metric('firefox: page + devtools + wasm ready after launch', await s.waitReady());
    await fn(s);
  } finally {
    await s.close();
  }
}

async function addUsers(page) {
  const responded = page.waitForResponse((r) => r.url().includes('/users/onboard'));
  await page.click('#add-users');
  await responded;
  return Date.now();
}

async function waitFindings(s, n, what) {
  return poll(async () => {
    const a = await s.inspect();
    return a.state?.findings.length >= n ? a : null;
  }, { ms: 10_000, every: 100, what });
}

test('firefox carrier: banner with the e-mail, finding with org and tracking ID, English summary', () =>
  withFirefox(adminURL('carrier'), async (s) => {
    const responded = await addUsers(s.page);
    const b = await poll(async () => ((await s.banner())?.text.includes('@') ? s.banner() : null), { ms: 8000, every: 10, what: 'the banner' });
    metric('firefox: onboard response → banner', Date.now() - responded);
    assert.equal(b.open, true, 'the banner lives in an open shadow root');
    assert.equal(b.role, 'alert');
    assert.match(b.text, /alex\.dekker@example\.com/);

    const a = await waitFindings(s, 1, 'the finding');
    assert.equal(a.state.findings.length, 1);
    const f = a.state.findings[0];
    assert.equal(f.rule, 'onboard/carrier-email-exists');
    assert.equal(f.email, 'alex.dekker@example.com');
    assert.equal(f.orgId, '1eb65fdf-9643-417f-9974-ad72cae0e10f');
    assert.match(f.trackingId, /^ATLAS_[0-9a-f-]+_30$/);
    // Firefox's getContent resolved with the body: the verbatim response is there.
    assert.match(f.response, /Url already exists/);
    assert.equal(f.bodyTruncated, undefined, 'a small body is not marked truncated');
    assert.ok(a.state.inspected >= 1 && a.state.seen >= 2, `seen ${a.state.seen}, inspected ${a.state.inspected}`);
    assert.equal(a.state.notes.internalError, false);
    assert.match(a.summary, /^# Adding users in Control Hub/, 'the TAC summary is in English by default');
    assert.match(a.summary, /\*\*Browser:\*\* firefox/, 'the summary names the browser the capture came from');
  }));

test('firefox harmless failing calls: no banner, no finding', () =>
  withFirefox(adminURL('harmless'), async (s) => {
    await s.page.waitForSelector('html[data-background="done"]');
    await poll(async () => (await s.inspect()).state?.seen >= 5, { every: 100, what: 'the harmless requests to be seen' });
    await sleep(500);
    assert.equal(await s.banner(), null);
    const a = await s.inspect();
    assert.equal(a.state.findings.length, 0, JSON.stringify(a.state.findings.map((f) => f.rule)));
    assert.equal(a.state.notes.internalError, false);
  }));

test('firefox: a failure no rule knows is in the live session the panel gets, with its tracking ID; no banner', () =>
  withFirefox(adminURL('harmless'), async (s) => {
    // The capture listens first: calls made while DevTools starts may be missed (the lateOpen note).
    await s.waitReady();
    await s.page.goto(adminURL('unknown'));
    await s.page.waitForSelector('html[data-background="done"]');
    let last;
    const a = await poll(async () => {
      const x = await s.inspect();
      last = x.state;
      const calls = x.state?.failedCalls ?? [];
      return calls.some((c) => c.status === 500) && calls.filter((c) => c.expected).length >= 3 ? x : null;
    }, { every: 100, what: 'the failed calls in the live session' }).catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify({ seen: last?.seen, notes: last?.notes, calls: last?.failedCalls?.map((c) => c.status) })}`);
    });
    const call = a.state.failedCalls.find((c) => c.status === 500);
    assert.match(call.url, /\/reports\/devices/);
    assert.match(call.trackingId, /^ATLAS_[0-9a-f-]+_\d+$/);
    assert.equal(call.message, 'Device report is not available');
    assert.equal(call.expected, false);
    const others = a.state.failedCalls.filter((c) => c.status !== 500);
    assert.ok(others.every((c) => [400, 404].includes(c.status) && c.expected && c.reason), `the harmless calls are expected, each with its reason: ${JSON.stringify(others.map((c) => c.status))}`);
    assert.equal(a.state.findings.length, 0);
    assert.ok(a.summary.includes(call.trackingId), 'with no finding, the TAC summary names the failed call');
    await sleep(500);
    assert.equal(await s.banner(), null, 'no banner for a failure no rule knows');
  }));

test('firefox exports: TAC summary and HAR are sanitized (no canary survives)', () =>
  withFirefox(adminURL('secrets'), async (s) => {
    await addUsers(s.page);
    const a = await waitFindings(s, 1, 'the finding');
    const canaries = await s.page.evaluate(async () => (await (await fetch('/__standin/canaries')).json()).canaries);
    assert.ok(canaries.length >= 3, `${canaries.length} canaries`);
    assert.match(a.summary, /alex\.dekker@example\.com|1eb65fdf/, 'the summary names the case');
    const har = JSON.parse(a.har);
    assert.ok(har.log.entries.length >= 5, `HAR has ${har.log.entries.length} entries`);
    const onboard = har.log.entries.find((e) => e.request.method === 'POST' && e.request.url.includes('/users/onboard'));
    assert.ok(onboard, 'the onboard call is in the HAR');
    assert.match(onboard.response.content.text ?? '', /Url already exists/, 'the inspected body is in the HAR');
    for (const c of canaries) {
      assert.ok(!a.summary.includes(c.value), `summary leaks ${c.name}`);
      assert.ok(!a.har.includes(c.value), `HAR leaks ${c.name} (${c.where})`);
    }
  }));

test('firefox: a body over devtools.netmonitor.responseBodyLimit is missed, and the panel says so', () =>
  // Firefox keeps no body over responseBodyLimit bytes (1 MiB by default):
  // getContent then resolves with "" while content.size is the real size.
  // A limit below the onboard answer's size reproduces it.
  withFirefox(
    adminURL('carrier'),
    async (s) => {
      await addUsers(s.page);
      const postedOnboard = (x) => JSON.parse(x.har).log.entries.find((e) => e.request.method === 'POST' && e.request.url.includes('/users/onboard'));
      // The HAR copy is kept right after the analysis: wait for both.
      const a = await poll(async () => {
        const x = await s.inspect();
        return x.state?.notes.bodyMissing >= 1 && postedOnboard(x) ? x : null;
      }, { every: 100, what: 'the capture to note the missing body' });
      const onboard = postedOnboard(a);
      assert.ok(onboard.response.content.size > 0 && !onboard.response.content.text, 'Firefox recorded the size but not the body');
      assert.equal(a.state.findings.length, 0, 'no finding can come from a missing body');
    },
    { extraPrefs: { 'devtools.netmonitor.responseBodyLimit': 120 } },
  ));
