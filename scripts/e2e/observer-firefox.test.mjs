// Real-Firefox tests of Hub Doctor with DevTools closed: the page observer
// (extension/observer.js) reads Control Hub's own calls, the content script
// relays them, the background's engine flags the failure and draws the
// banner, the badge and the toolbar popup (issue 10). Firefox ESR over
// WebDriver BiDi, the built package plus the test probe (firefox-harness.mjs):
// the probe reads the background's tab state, frames the popup, and flips the
// options page's switch. Run: make test-firefox.
//
// Most tests share one Firefox launched without DevTools, each in a tab of its
// own (the background keeps its state per tab and forgets a closed tab); the
// ones that need another launch (DevTools open, a short idle timeout, DevTools
// opened later) start their own.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminURL, metric, poll } from './harness.mjs';
import { launchFirefox, startFirefoxStandin } from './firefox-harness.mjs';

const ALEX = 'alex.dekker@example.com'; // fixture.CarrierEmail: fails in every onboard scenario
const BRAM = 'bram.visser@example.com'; // fixture.OtherEmail: added in the batch scenario
const ORG = '1eb65fdf-9643-417f-9974-ad72cae0e10f';
const CARRIER_RULE = 'onboard/carrier-email-exists';

let standin;
/** closed is the shared Firefox without DevTools; started on first use. */
let closed;
before(async () => {
  standin = await startFirefoxStandin();
});
after(async () => {
  await closed?.close();
  standin?.stop();
});

async function closedFirefox() {
  closed ??= await launchFirefox(standin, { devtools: false });
  return closed;
}

/** inTab runs fn(s, page) in a new tab of the shared Firefox without DevTools, on url, and closes the tab. */
async function inTab(url, fn) {
  const s = await closedFirefox();
  const page = await s.browser.newPage();
  try {
    await page.goto(url);
    await fn(s, page);
  } finally {
    await page.close().catch(() => {});
  }
}

/** withFirefox runs fn(s) with a Firefox of its own (opts for launchFirefox) on url. */
async function withFirefox(url, opts, fn) {
  const s = await launchFirefox(standin, opts);
  try {
    await s.page.goto(url);
    await fn(s);
  } finally {
    await s.close();
  }
}

/** addUsers clicks "Add users" for emails (or the scenario's own) and resolves once the onboard call was answered. */
async function addUsers(page, emails) {
  if (emails) await page.$eval('textarea#emails', (t, v) => { t.value = v; }, emails.join('\n'));
  const responded = page.waitForResponse((r) => r.url().includes('/users/onboard'));
  await page.click('#add-users');
  await responded;
}

/**
 * timeBanner starts timing, in the page, from the onboard call's response
 * to the banner naming email: the page's own clock on both ends (resource
 * timing gives responseEnd cross-origin too), so neither BiDi's event delays
 * nor the test's polling count. The returned function resolves with the ms
 * once the banner is there.
 */
async function timeBanner(page, email) {
  await page.evaluate((email) => {
    window.__bannerAt = null;
    const seen = new WeakSet();
    const check = () => {
      const root = document.getElementById('hubdoctor-banner')?.shadowRoot;
      if (!root) return;
      // The banner redraws its shadow root in place when it already shows.
      if (!seen.has(root)) {
        seen.add(root);
        mo.observe(root, { childList: true, subtree: true });
      }
      if (window.__bannerAt === null && [...root.querySelectorAll('.items .email')].some((n) => n.textContent === email)) {
        window.__bannerAt = performance.now();
      }
    };
    const mo = new MutationObserver(check);
    mo.observe(document.documentElement, { childList: true });
    check();
  }, email);
  return () =>
    page.evaluate(() => {
      const onboard = performance.getEntriesByType('resource').filter((e) => e.name.includes('/users/onboard')).at(-1);
      return Math.round(window.__bannerAt - onboard.responseEnd);
    });
}

/** result resolves with what the page shows after "Add users" ("Status: 400", …), once it stopped pending. */
function result(page) {
  return poll(() => page.$eval('#result', (r) => (r.dataset.state === 'pending' || !r.textContent ? null : r.textContent)), {
    what: 'the page to show the onboard result',
  });
}

/** bannerOf waits until page's banner names exactly emails (in the banner's order: newest first). */
function bannerOf(s, page, emails, ms = 15_000) {
  return poll(async () => {
    const b = await s.banner(page);
    return b && JSON.stringify(b.emails) === JSON.stringify(emails) ? b : null;
  }, { ms, every: 20, what: `the banner to name ${emails.join(', ')}` });
}

/** findings waits until the background holds n findings for page's tab. */
function findings(s, page, n, what = `${n} finding(s) in the background`) {
  return poll(async () => {
    const st = await s.tabState(page);
    return st.findings.length >= n ? st : null;
  }, { ms: 15_000, every: 100, what });
}

/** failedCalls waits until the background's failed calls of page's tab satisfy ok, and resolves with the tab's state. */
function failedCalls(s, page, ok, what) {
  return poll(async () => {
    const st = await s.tabState(page);
    return ok(st.failedCalls) ? st : null;
  }, { ms: 15_000, every: 100, what });
}

/** assertHarmless checks that calls are exactly the seeds' three harmless failures, each expected with its reason. */
function assertHarmless(calls) {
  assert.deepEqual(calls.map((c) => `${c.method} ${c.status}`).sort(), ['GET 400', 'GET 400', 'GET 404'], JSON.stringify(calls.map((c) => c.url)));
  for (const c of calls) assert.ok(c.expected && c.reason, `${c.url} is expected, with its reason`);
}

/** assertOneCarrierBanner checks a DevTools-closed banner that names alex alone, and that the page got nothing else from us. */
async function assertOneCarrierBanner(s, page, b) {
  assert.equal(b.open, true, 'the banner lives in an open shadow root');
  assert.equal(b.role, 'alert');
  assert.equal(b.hosts, 1, 'one banner host');
  assert.deepEqual(b.emails, [ALEX]);
  assert.equal(b.items.length, 1);
  assert.deepEqual(b.notes, [], 'no "needs DevTools" note on an onboarding failure');
  assert.match(b.pointer, /toolbar/, 'with DevTools closed, the banner points at the toolbar button');
  // The probe's frame is the test's; the extension adds the banner host only.
  assert.deepEqual(await s.added(page), ['hubdoctor-banner'], 'nothing but the banner host is added to the page');
}

/** assertCarrierFinding checks the background's one finding for alex, made from the observer's record. */
function assertCarrierFinding(st) {
  assert.equal(st.findings.length, 1, JSON.stringify(st.findings.map((f) => [f.rule, f.email])));
  const f = st.findings[0];
  assert.equal(f.rule, CARRIER_RULE);
  assert.equal(f.email, ALEX);
  assert.equal(f.orgId, ORG);
  assert.match(f.trackingId, /^ATLAS_[0-9a-f-]+_\d+$/);
  assert.match(f.response, /\[Error 10991\] Url already exists: alex\.dekker@example\.com/);
  assert.equal(typeof f.key, 'string');
  assert.equal(st.devtools, false, 'no devtools page inspects the tab');
  assert.equal(st.entries, 1, 'the observed onboard call is kept for the evidence');
  return f;
}

for (const client of ['fetch', 'xhr']) {
  test(`firefox devtools closed: carrier over ${client}: banner naming the user, one finding`, () =>
    inTab(adminURL('carrier') + (client === 'xhr' ? '&client=xhr' : ''), async (s, page) => {
      const latency = await timeBanner(page, ALEX);
      await addUsers(page);
      const b = await bannerOf(s, page, [ALEX]);
      const ms = await latency();
      // The first failure in a Firefox also starts the background's engine.
      metric('firefox devtools closed: onboard response → banner', ms);
      assert.ok(ms >= 0 && ms < 10_000, `banner ${ms} ms after the response`);
      await assertOneCarrierBanner(s, page, b);
      assert.equal(await result(page), 'Status: 400', 'the page itself works as without Hub Doctor');
      assertCarrierFinding(await findings(s, page, 1));
    }));
}

test('firefox devtools closed: batch flags only the failing user', () =>
  inTab(adminURL('batch'), async (s, page) => {
    assert.deepEqual((await page.$eval('textarea#emails', (t) => t.value)).split('\n'), [ALEX, BRAM]);
    await addUsers(page);
    const b = await bannerOf(s, page, [ALEX]);
    assert.equal(b.items.length, 1, 'one banner item');
    assertCarrierFinding(await findings(s, page, 1));
    assert.equal(await result(page), 'Status: 400');
  }));

test('firefox devtools closed: the harmless 400/404 calls give no banner and no finding', () =>
  inTab(adminURL('harmless'), async (s, page) => {
    // The page has made every one of its failing calls.
    await page.waitForSelector('html[data-background="done"]');
    // Absence cannot be polled for: give what may be in flight a moment
    // (the records of the other tests arrive within ~100 ms).
    await s.tabState(page);
    await sleep(1000);
    assert.equal(await s.banner(page), null, 'no banner');
    const st = await failedCalls(s, page, (cs) => cs.length >= 3, 'the three harmless calls in the background');
    assert.deepEqual(st.findings, [], 'no finding');
    assertHarmless(st.failedCalls);
    assert.equal(st.entries, 0, 'no harmless call is kept for the evidence');
    assert.equal((await s.background(page)).badge, '', 'no badge');
    assert.deepEqual(await s.added(page), [], 'nothing is added to the page');
    const p = await s.popup(page);
    assert.deepEqual(p.failedRows, [], 'no row for a harmless call');
    assert.match(p.failedExpected, /subscriptions\/pending/, 'folded away, with their paths');
    assert.equal(p.emptyHidden, false, 'the popup still says no problem was found');
  }));

test('firefox devtools closed: a failure no rule knows is listed in the popup with its tracking ID, without banner or badge', () =>
  inTab(adminURL('unknown'), async (s, page) => {
    await page.waitForSelector('html[data-background="done"]');
    const st = await failedCalls(s, page, (cs) => cs.some((c) => c.status === 500), 'the failed call in the background');
    const call = st.failedCalls.find((c) => c.status === 500);
    assert.match(call.url, /^https:\/\/atlas-a\.wbx2\.com\/admin\/api\/v1\/organizations\/[^/]+\/reports\/devices/);
    assert.equal(call.service, 'atlas');
    assert.match(call.trackingId, /^ATLAS_[0-9a-f-]+_\d+$/);
    assert.equal(call.message, 'Device report is not available');
    assert.equal(call.expected, false);
    assertHarmless(st.failedCalls.filter((c) => c !== call));
    await sleep(1000); // absence: what may be in flight arrives within ~100 ms
    assert.equal(await s.banner(page), null, 'no banner');
    assert.equal((await s.background(page)).badge, '', 'no badge');
    const p = await s.popup(page, { failedCall: call });
    assert.equal(p.failedRows.length, 1, JSON.stringify(p.failedRows));
    assert.ok(p.failedRows[0].text.includes(call.trackingId), `the row shows the tracking ID: ${p.failedRows[0].text}`);
    assert.equal(p.copyDisabled, false, 'a failure no rule knows makes a case for TAC');
    assert.ok(p.summary.includes(call.trackingId), 'the TAC summary names it');
    for (const want of [call.trackingId, ORG, 'Device report is not available']) assert.ok(p.failedCallSummary.includes(want), `Copy for TAC has ${want}`);
  }));

test('firefox devtools closed: a known failure banners once and its call links to the finding', () =>
  inTab(adminURL('outright'), async (s, page) => {
    await addUsers(page);
    const b = await poll(() => s.banner(page), { ms: 15_000, what: 'the banner' });
    assert.equal(b.items.length, 1);
    const st = await failedCalls(s, page, (cs) => cs.some((c) => c.url.includes('/users/onboard')), 'the onboard call in the background');
    assert.equal(st.findings.length, 1);
    const onboard = st.failedCalls.filter((c) => c.url.includes('/users/onboard'));
    assert.equal(onboard.length, 1);
    assert.equal(onboard[0].rule, st.findings[0].rule);
    assert.deepEqual(st.failedCalls.filter((c) => !c.expected && !c.rule), [], 'no failed call left unexplained');
    const p = await s.popup(page);
    assert.equal(p.findings.length, 1, 'the finding is listed once');
    assert.ok(p.failedRows.length >= 1 && p.failedRows.every((r) => r.linked), JSON.stringify(p.failedRows));
  }));

test('firefox devtools closed: hostile markup in the response is shown as text and never runs', () =>
  inTab(adminURL('hostile'), async (s, page) => {
    await addUsers(page);
    const b = await bannerOf(s, page, [ALEX]);
    assert.equal(b.items.length, 1);
    const inBanner = await page.evaluate(() => document.getElementById('hubdoctor-banner').shadowRoot.querySelectorAll('img, script').length);
    assert.equal(inBanner, 0, 'no element was made from the markup in the banner');
    const st = await findings(s, page, 1);
    assert.match(st.findings[0].response, /<img src=x onerror=/, 'the finding carries the markup as text');
    const p = await s.popup(page);
    assert.equal(p.scripts, 0, 'no element was made from the markup in the popup');
    assert.equal(p.pwned, undefined, 'no script ran in the popup');
    assert.match(p.responses.join('\n'), /<img src=x onerror=.*<script>window\.__pwned=2<\/script>/s, 'the popup shows the markup as text');
    assert.equal(await page.evaluate(() => globalThis.__pwned), undefined, 'no script ran in the page');
  }));

test('firefox devtools closed: SSO "Auto Account Creation failed (31)" gives a banner that says DevTools is needed for the SAML check', () =>
  // The site's page auto-posts the SAML response to the site, which sends the
  // browser to the dashboard that names the error (scripts/standin/sso.go).
  inTab('https://example.webex.com/', async (s, page) => {
    await poll(() => page.url().includes('/dashboard'), { ms: 15_000, what: 'the Webex site to land on its dashboard' });
    const b = await poll(async () => {
      const x = await s.banner(page);
      return x?.notes.length ? x : null;
    }, { ms: 15_000, what: 'the banner on the Webex site' });
    assert.equal(b.role, 'alert');
    assert.equal(b.items.length, 1);
    assert.deepEqual(b.notes, ['To check the SAML attributes, open DevTools (F12) and sign in again.']);
    const st = await findings(s, page, 1, 'the SSO finding');
    const f = st.findings.find((x) => x.flow === 'sso-sign-in');
    assert.ok(f, `findings: ${JSON.stringify(st.findings.map((x) => x.rule))}`);
    assert.match(`${f.title} ${f.cause} ${f.response ?? ''}`, /31|Auto Account Creation/i);
    assert.ok(!f.samlSeen, 'no SAML response is seen with DevTools closed');
    assert.equal(st.findings.length, 1);
  }));

test('firefox devtools closed: the background suspended between two failures flags both', () =>
  // Firefox runs an MV3 background as an event page, suspended when idle
  // (30 s by default): 1 s here, so it stops between the two failures.
  withFirefox(adminURL('carrier'), { devtools: false, extraPrefs: { 'extensions.background.idle.timeout': 1000 } }, async (s) => {
    await addUsers(s.page);
    await bannerOf(s, s.page, [ALEX]);
    const first = await s.background();
    assert.equal(first.engineStarted, true, 'the engine ran for the first failure');
    // Each question wakes the background page anew: a new instance whose
    // engine has not started means it was really suspended, Go heap and all.
    const woke = await poll(async () => {
      const x = await s.background();
      return x.instance !== first.instance && x.engineStarted === false ? x : null;
      // Three quiet seconds between questions, three times the idle timeout:
      // a busy machine slows Firefox's idle timer, not the answer.
    }, { ms: 90_000, every: 3000, what: 'the background page to be suspended' });
    // The tab's state came back from storage.session.
    assert.equal((await s.tabState()).findings.length, 1, 'the first finding outlived the suspension');
    const latency = await timeBanner(s.page, BRAM);
    await addUsers(s.page, [BRAM]);
    const b = await bannerOf(s, s.page, [BRAM, ALEX]);
    metric('firefox devtools closed: onboard response → banner, background woken', await latency());
    assert.equal(b.items.length, 2);
    const st = await findings(s, s.page, 2);
    assert.deepEqual(st.findings.map((f) => f.email), [ALEX, BRAM]);
    assert.equal((await s.background()).badge, '2');
    assert.equal(woke.engineStarted, false);
  }));

test('firefox devtools closed: two tabs, the banner only in the failing one', async () => {
  const s = await closedFirefox();
  const quiet = await s.browser.newPage();
  const failing = await s.browser.newPage();
  try {
    await quiet.goto(adminURL('carrier'));
    await failing.goto(adminURL('carrier'));
    const [a, b] = [await s.background(quiet), await s.background(failing)];
    assert.notEqual(a.tabId, b.tabId);
    await addUsers(failing);
    await bannerOf(s, failing, [ALEX]);
    assert.equal((await findings(s, failing, 1)).findings[0].email, ALEX);
    assert.equal((await s.background(failing)).badge, '1');
    assert.equal(await s.banner(quiet), null, 'no banner in the other tab');
    assert.deepEqual((await s.tabState(quiet)).findings, [], 'no finding in the other tab');
    assert.equal((await s.background(quiet)).badge, '', 'no badge on the other tab');
  } finally {
    await quiet.close().catch(() => {});
    await failing.close().catch(() => {});
  }
});

test('firefox devtools closed: after an in-page navigation the banner names only the new failure; a dismissed one stays away', () =>
  inTab(adminURL('carrier'), async (s, page) => {
    await addUsers(page, [ALEX]);
    await bannerOf(s, page, [ALEX]);
    // Control Hub's side menu changes routes with history.pushState.
    await page.click('nav.side a[href="/groups"]');
    await poll(() => page.evaluate(() => location.pathname === '/groups'), { what: 'the route to change' });
    await addUsers(page, [BRAM]);
    const b = await bannerOf(s, page, [BRAM]);
    assert.equal(b.items.length, 1, 'the failure on the route left behind is not shown again');
    assert.equal((await findings(s, page, 2)).findings.length, 2, 'both are still in the tab\'s findings');

    const close = await page.evaluateHandle(() => document.getElementById('hubdoctor-banner').shadowRoot.querySelector('button.close'));
    await close.click();
    await poll(async () => (await s.banner(page)) === null, { what: 'the dismissed banner to go' });
    const third = 'carla.jansen@example.com';
    await addUsers(page, [third]);
    const c = await bannerOf(s, page, [third]);
    assert.equal(c.items.length, 1, 'the dismissed failure does not come back');
    const st = await findings(s, page, 3);
    assert.deepEqual(st.findings.map((f) => f.email), [ALEX, BRAM, third]);
    assert.equal((await s.background(page)).badge, '3', 'the badge counts every finding in the tab');
  }));

test('firefox devtools closed: badge and popup: the finding, the TAC summary and the partial HAR', () =>
  inTab(adminURL('carrier'), async (s, page) => {
    await addUsers(page);
    await bannerOf(s, page, [ALEX]);
    const st = await findings(s, page, 1);
    const f = assertCarrierFinding(st);
    assert.equal((await s.background(page)).badge, '1', 'the toolbar badge counts the tab\'s findings');

    const p = await s.popup(page);
    assert.equal(p.tabId, st.tabId, 'the popup shows this tab');
    assert.equal(p.status, 'Findings: 1');
    assert.equal(p.findings.length, 1);
    assert.deepEqual(p.emails, [ALEX]);
    assert.deepEqual(p.orgs, [ORG]);
    assert.deepEqual(p.tracking, [f.trackingId]);
    assert.equal(p.emptyHidden, true);
    assert.equal(p.devtoolsNoteHidden, true, 'DevTools is closed');
    assert.equal(p.copyDisabled, false);
    assert.equal(p.downloadDisabled, false);

    // The TAC summary: what TAC asks for, and the response as the service gave it.
    for (const fact of [ORG, ALEX, f.trackingId, '5302', '10991']) assert.ok(p.summary.includes(fact), `the summary names ${fact}`);
    // It quotes the response as the service gave it, indented for reading.
    const quoted = p.summary.match(/\n```json\n([\s\S]*?)\n```\n/);
    assert.ok(quoted, 'the summary has the response as a JSON block');
    assert.deepEqual(JSON.parse(quoted[1]), JSON.parse(f.response), 'the summary quotes the response verbatim');
    assert.ok(p.summary.includes(`[Error 10991] Url already exists: ${ALEX}`), 'the error text is there word for word');

    // The evidence: a HAR 1.2 of the observed call, sanitized, marked partial.
    const har = JSON.parse(p.evidence);
    assert.equal(har.log.version, '1.2');
    assert.match(har.log.comment, /^Partial:/, 'the HAR says it is partial');
    assert.equal(har.log.entries.length, 1);
    const [e] = har.log.entries;
    assert.equal(e.request.method, 'POST');
    assert.match(e.request.url, /\/users\/onboard/);
    assert.match(e.response.content.text ?? '', /Url already exists/);
    const token = await page.evaluate(() => data.token); // the page's bearer token (scripts/standin/pages/admin.html)
    assert.ok(token && !p.evidence.includes(token), 'the bearer token is not in the evidence');
    assert.ok(!p.summary.includes(token), 'the bearer token is not in the summary');
  }));

test('firefox devtools closed: the switch off: no banner, no finding, the page works', () =>
  inTab(adminURL('carrier'), async (s, page) => {
    // The shared Firefox gets the switch back on whatever happens.
    let restored;
    try {
      assert.equal((await s.setWatching(false, page)).shown, true, 'the options page shows the switch on by default');
      // The content script reads the setting when the document starts.
      await page.reload();
      await addUsers(page);
      assert.equal(await result(page), 'Status: 400', 'the page shows its own error');
      await s.tabState(page);
      await sleep(1000);
      assert.equal(await s.banner(page), null, 'no banner');
      const st = await s.tabState(page);
      assert.deepEqual(st.findings, [], 'no finding');
      assert.equal(st.entries, 0, 'nothing was relayed');
      assert.equal((await s.background(page)).badge, '');
    } finally {
      restored = await s.setWatching(true, page);
    }
    assert.equal(restored.shown, false, 'the options page showed the switch off');
    // The same steps with the switch on again: now they are flagged.
    await page.reload();
    await addUsers(page);
    await bannerOf(s, page, [ALEX]);
  }));

test('firefox: DevTools open too: one finding in the capture, in the tab state and on the banner', () =>
  withFirefox(adminURL('carrier'), {}, async (s) => {
    metric('firefox: page + devtools + wasm ready after launch', await s.waitReady());
    await addUsers(s.page);
    const b = await poll(async () => {
      const x = await s.banner();
      return x?.emails.length ? x : null;
    }, { ms: 15_000, every: 20, what: 'the banner' });
    // Both doors saw the call: the capture has its finding, and the
    // observer's record went through the background (its entry is kept).
    const a = await poll(async () => {
      const x = await s.inspect();
      return x.state?.findings.length >= 1 ? x : null;
    }, { ms: 15_000, every: 100, what: 'the capture\'s finding' });
    const st = await poll(async () => {
      const x = await s.tabState();
      return x.entries >= 1 && x.findings.length >= 1 ? x : null;
    }, { ms: 15_000, every: 100, what: 'the observer\'s record in the background' });
    // The capture's findings reach the background over a port; let a
    // second, differently keyed copy arrive if there were one.
    await sleep(1000);
    const after = await s.tabState();
    assert.equal(after.devtools, true);
    assert.equal(a.state.findings.length, 1, 'one finding in the capture');
    assert.equal(after.findings.length, 1, `one finding in the tab state: ${JSON.stringify(after.findings.map((f) => f.key))}`);
    assert.equal(after.findings[0].key, st.findings[0].key);
    assert.equal(a.state.findings[0].email, ALEX);
    const b2 = await s.banner();
    assert.deepEqual(b2.emails, [ALEX], 'one banner item');
    assert.equal(b.hosts, 1);
    assert.match(b2.pointer, /DevTools/, 'with DevTools open, the banner points at the panel');
    assert.equal((await s.background()).badge, '1');
  }));

test('firefox: DevTools opened after a failure made with it closed lists that finding', () =>
  withFirefox(adminURL('carrier'), { devtools: false, systemAccess: true }, async (s) => {
    await addUsers(s.page);
    await bannerOf(s, s.page, [ALEX]);
    const st = await findings(s, s.page, 1);
    assert.deepEqual((await s.background()).readyTabs, [], 'DevTools is closed');
    assert.equal((await s.inspect()).error, 'no devtools page is open');
    const t0 = Date.now();
    await s.openDevtools();
    await poll(async () => (await s.inspect()).state?.status === 'watching', { ms: 20_000, every: 200, what: 'the devtools page to start' });
    metric('firefox: DevTools opened → devtools page watching', Date.now() - t0);
    const a = await poll(async () => {
      const x = await s.inspect();
      return x.state?.findings.length >= 1 ? x : null;
    }, { ms: 15_000, every: 100, what: 'the finding made while DevTools was closed, in the capture' });
    assert.equal(a.tabId, st.tabId);
    assert.equal(a.state.findings.length, 1);
    assert.equal(a.state.findings[0].email, ALEX);
    assert.equal(a.state.findings[0].key, st.findings[0].key, 'the same finding, not a new one');
    assert.match(a.summary, /alex\.dekker@example\.com/, 'the panel\'s TAC summary names it');
    assert.equal((await s.tabState()).devtools, true);
  }));
