// Real-Chromium tests of the built extension (dist/chrome, unchanged) against
// the Control Hub stand-in. Run: node --test scripts/e2e/ (make test-chromium).
// Each test starts its own browser: a DevTools window belongs to one tab, and
// a fresh profile keeps the tests independent.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { addUsers, adminURL, launchChromium, metric, poll, readBanner, startStandin } from './harness.mjs';

// The brief's budget for request-finished → banner; raise it on a loaded
// machine with HUBDOCTOR_BANNER_BUDGET_MS rather than editing the test.
const BANNER_BUDGET_MS = Number(process.env.HUBDOCTOR_BANNER_BUDGET_MS ?? 1000);

let standin;
before(async () => {
  standin = await startStandin();
});
after(() => standin?.stop());

/** withBrowser runs fn with a fresh browser whose devtools page is ready. */
async function withBrowser(fn, opts) {
  const s = await launchChromium(standin, opts);
  try {
    if (opts?.devtools !== false) metric('devtools+wasm ready after launch', await s.waitDevtoolsReady());
    await fn(s);
  } finally {
    await s.close();
  }
}

/** banner resolves with #hubdoctor-banner as the admin reads it (harness.mjs readBanner), or null. */
function banner(page) {
  return page.evaluate(readBanner);
}

/** onlyBannerAdded checks that the extension added nothing to the page but the banner host. */
function extraNodes(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[id^="hubdoctor"], [class*="hubdoctor"]')].filter((n) => n.id !== 'hubdoctor-banner').length,
  );
}

async function waitFindings(s, n, what) {
  return poll(async () => {
    const st = await s.panelState();
    return st.findings.length >= n ? st : null;
  }, { what });
}

test('carrier: banner with the e-mail within budget, panel finding with org and tracking ID', () =>
  withBrowser(async (s) => {
    await s.page.goto(adminURL('carrier'));
    const responded = await addUsers(s.page);
    const b = await poll(() => banner(s.page), { ms: 5000, every: 5, what: 'the banner' });
    const latency = Date.now() - responded;
    metric('onboard response → banner', latency);
    assert.equal(b.open, true, 'the banner lives in an open shadow root');
    assert.equal(b.role, 'alert');
    assert.match(b.text, /alex\.dekker@example\.com/);
    assert.match(b.text, /DevTools > Hub Doctor/);
    assert.equal(await extraNodes(s.page), 0, 'nothing but the banner host is added to the page');
    assert.ok(latency <= BANNER_BUDGET_MS, `banner after ${latency} ms, budget ${BANNER_BUDGET_MS} ms`);

    const st = await waitFindings(s, 1, 'the finding in the panel');
    assert.equal(st.findings.length, 1);
    const f = st.findings[0];
    assert.equal(f.rule, 'onboard/carrier-email-exists');
    assert.equal(f.email, 'alex.dekker@example.com');
    const panel = await s.panelFrame();
    const shown = await panel.evaluate(() => ({
      org: document.querySelector('.fact-org')?.textContent,
      tracking: document.querySelector('.fact-tracking')?.textContent,
      title: document.querySelector('.finding h3')?.textContent,
      steps: document.querySelectorAll('.fix ol li').length,
      response: document.querySelector('.response pre')?.textContent ?? '',
      status: document.getElementById('status-text').textContent,
    }));
    assert.equal(shown.org, '1eb65fdf-9643-417f-9974-ad72cae0e10f');
    assert.match(shown.tracking, /^ATLAS_[0-9a-f-]+_30$/);
    assert.equal(shown.title, f.title);
    assert.ok(shown.steps >= 2, 'the fix is numbered steps');
    assert.match(shown.response, /Url already exists/);
    assert.match(shown.response, /\n {2}/, 'the JSON body is pretty-printed');
    assert.match(shown.status, /\d+ requests seen · \d+ inspected/);
  }));

test('batch: one user fails, one is added → exactly one finding and one banner item', () =>
  withBrowser(async (s) => {
    await s.page.goto(adminURL('batch'));
    await addUsers(s.page);
    const b = await poll(() => banner(s.page), { ms: 5000, what: 'the banner' });
    assert.equal(b.items.length, 1, `banner items: ${JSON.stringify(b.items)}`);
    const st = await waitFindings(s, 1, 'the finding');
    await sleep(300); // a second finding would have arrived with the same response
    assert.equal((await s.panelState()).findings.length, 1);
    assert.equal(st.findings[0].email, 'alex.dekker@example.com');

    // A second failure stacks into the same banner, with a count.
    await addUsers(s.page);
    const two = await poll(async () => ((await banner(s.page))?.items.length === 2 ? banner(s.page) : null), { ms: 5000, what: 'two items' });
    assert.match(two.heading, /2 problems/);
    assert.equal(await s.page.evaluate(() => document.querySelectorAll('#hubdoctor-banner').length), 1);
    // Dismiss removes it; nothing is left behind in the page.
    await s.page.click('#hubdoctor-banner >> button.close');
    assert.equal(await banner(s.page), null);
  }));

test('harmless failing calls: no banner, no finding', () =>
  withBrowser(async (s) => {
    await s.page.goto(adminURL('harmless'));
    await s.page.waitForSelector('html[data-background="done"]');
    // Let every captured request go through the engine.
    await poll(async () => (await s.panelState()).seen >= 5, { what: 'the harmless requests to be seen' });
    await sleep(500);
    assert.equal(await banner(s.page), null);
    const st = await s.panelState();
    assert.equal(st.findings.length, 0, JSON.stringify(st.findings.map((f) => f.rule)));
    assert.equal(st.notes.internalError, false);
  }));

test('a failure no rule knows: in the live session the panel gets, with its tracking ID, beside the harmless ones; no banner', () =>
  withBrowser(async (s) => {
    await s.page.goto(adminURL('unknown'));
    await s.page.waitForSelector('html[data-background="done"]');
    const st = await poll(async () => {
      const x = await s.panelState();
      return x.failedCalls.length >= 4 ? x : null;
    }, { what: 'the failed calls in the panel' });
    const call = st.failedCalls.find((c) => c.status === 500);
    assert.ok(call, JSON.stringify(st.failedCalls.map((c) => `${c.status} ${c.url}`)));
    assert.match(call.url, /\/reports\/devices/);
    assert.match(call.trackingId, /^ATLAS_[0-9a-f-]+_\d+$/);
    assert.equal(call.message, 'Device report is not available');
    assert.equal(call.expected, false);
    assert.match(call.response, /Device report is not available/, 'the response, for the expanded row');
    const others = st.failedCalls.filter((c) => c !== call);
    assert.deepEqual(others.map((c) => c.status).sort(), [400, 400, 404]);
    assert.ok(others.every((c) => c.expected && c.reason), 'the harmless calls are expected, each with its reason');
    assert.equal(st.findings.length, 0);
    assert.equal(st.notes.internalError, false);
    const panel = await s.panelFrame();
    const row = await panel.evaluate(() => [...document.querySelectorAll('#failed-calls tr.call')].map((r) => r.textContent));
    assert.equal(row.length, 1);
    assert.ok(row[0].includes(call.trackingId), 'the panel lists it with its tracking ID');
    await sleep(500);
    assert.equal(await banner(s.page), null, 'no banner for a failure no rule knows');
  }));

test('SSO "Auto Account Creation failed (31)": banner and finding with the SAML attributes at fault', () =>
  withBrowser(async (s) => {
    await s.page.goto('https://example.webex.com/');
    const b = await poll(() => banner(s.page), { ms: 8000, what: 'the banner on the Webex site' });
    assert.equal(b.role, 'alert');
    const st = await waitFindings(s, 1, 'the SSO finding');
    const f = st.findings.find((x) => x.flow === 'sso-sign-in');
    assert.ok(f, `findings: ${JSON.stringify(st.findings.map((x) => x.rule))}`);
    assert.ok((f.missingAttributes?.length ?? 0) + (f.unexpectedAttributes?.length ?? 0) > 0, 'names the attributes at fault');
    const panel = await s.panelFrame();
    const shown = await panel.evaluate(() =>
      [...document.querySelectorAll('.fact-missing, .fact-unexpected')].map((n) => n.textContent).join(' | '),
    );
    assert.ok(shown.length > 0, 'the panel lists the attributes');
  }));

test('hostile markup in a response is shown as text and never runs', () =>
  withBrowser(async (s) => {
    await s.page.goto(adminURL('hostile'));
    await addUsers(s.page);
    const b = await poll(() => banner(s.page), { ms: 5000, what: 'the banner' });
    assert.ok(b);
    await waitFindings(s, 1, 'the finding');
    const panel = await s.panelFrame();
    const seen = await panel.evaluate(() => ({
      pwned: globalThis.__pwned,
      text: document.querySelector('.response pre')?.textContent ?? '',
      imgs: document.querySelectorAll('main img, main script').length,
    }));
    assert.equal(seen.pwned, undefined, 'no script ran in the panel');
    assert.equal(seen.imgs, 0, 'no element was made from the markup');
    assert.match(seen.text, /<img src=x onerror=/, 'the markup is shown as text');
    assert.equal(await s.page.evaluate(() => globalThis.__pwned), undefined, 'no script ran in the page');
    const inBanner = await s.page.evaluate(() => document.getElementById('hubdoctor-banner').shadowRoot.querySelectorAll('img, script').length);
    assert.equal(inBanner, 0);
  }));

test('exports: TAC summary and HAR are sanitized (no canary survives)', () =>
  withBrowser(async (s) => {
    await s.page.goto(adminURL('secrets'));
    await addUsers(s.page);
    await waitFindings(s, 1, 'the finding');
    const canaries = await s.page.evaluate(async () => (await (await fetch('/__standin/canaries')).json()).canaries);
    assert.ok(canaries.length >= 3);
    const panel = await s.panelFrame();
    const out = await panel.evaluate(async () => ({
      markdown: await globalThis.hubdoctorPanel.summary('markdown'),
      har: await globalThis.hubdoctorPanel.har(),
    }));
    assert.match(out.markdown, /alex\.dekker@example\.com|1eb65fdf/, 'the summary names the case');
    const har = JSON.parse(out.har);
    assert.ok(har.log.entries.length >= 5, `HAR has ${har.log.entries.length} entries`);
    assert.ok(har.log.entries.some((e) => e.request.url.includes('/users/onboard')), 'the onboard call is in the HAR');
    for (const c of canaries) {
      assert.ok(!out.markdown.includes(c.value), `summary leaks ${c.name}`);
      assert.ok(!out.har.includes(c.value), `HAR leaks ${c.name} (${c.where})`);
    }
    // The buttons produce the same text as a Blob download.
    const download = s.devtoolsPages().then(([dt]) => dt.waitForEvent('download', { timeout: 5000 }).catch(() => null));
    await panel.click('#download-summary');
    const d = await download;
    if (d) assert.match(d.suggestedFilename(), /^hubdoctor-tac-summary-\d{8}-\d{4}\.md$/);
  }));

test('capture started after the failure: the backfill from DevTools\' log finds it', () =>
  withBrowser(async (s) => {
    await s.page.goto(adminURL('carrier'));
    await addUsers(s.page);
    // A devtools page that starts late (DevTools opened, or the extension
    // enabled, after the failure) boots exactly like this: a new Capture whose
    // only source is getHAR(). Reloading the extension under a live DevTools
    // window would be closer, but Chromium then hides the new devtools page
    // from CDP clients.
    const dt = await s.devtoolsFrame();
    const late = await dt.evaluate(async () => {
      const { Capture } = await import('./capture.js');
      const c = new Capture();
      await c.start();
      c.unsubscribe.forEach((off) => off());
      return { backfilled: c.metrics.backfilled, findings: c.list.map((f) => f.email), lateOpen: c.notes.lateOpen };
    });
    metric('backfilled entries', late.backfilled, '');
    assert.ok(late.backfilled >= 5, `getHAR gave ${late.backfilled} entries`);
    assert.deepEqual(late.findings, ['alex.dekker@example.com']);
  }));

test('the panel hints to repeat the step when DevTools missed the page load', () =>
  withBrowser(async (s) => {
    // DevTools opened on a page that had loaded: the log is empty.
    await s.page.goto(adminURL('harmless'));
    // Its background calls must be over, or one finishing during the check
    // counts as seen and the hint rightly stays off.
    await s.page.waitForSelector('html[data-background="done"]');
    const dt = await s.devtoolsFrame();
    const lateOpen = await dt.evaluate(async () => {
      const { Capture } = await import('./capture.js');
      const ext = await import('./browser.js');
      const c = new Capture();
      // Stand in for a DevTools that recorded nothing before it opened.
      c.boot = async function boot() {
        this.engine = globalThis.hubdoctor;
        this.before = null;
        this.status = 'watching';
        await this.checkLateOpen();
      };
      await c.start();
      c.unsubscribe.forEach((off) => off());
      return ext.hasDevtools() && c.notes.lateOpen;
    });
    assert.equal(lateOpen, true);
    // The live panel shows the note text from the catalogue when it is set.
    await dt.evaluate(() => {
      globalThis.hubdoctorCapture.notes.lateOpen = true;
      globalThis.hubdoctorCapture.changed();
    });
    const panel = await s.panelFrame();
    await poll(() => panel.isVisible('#hint-late-open'), { what: 'the hint' });
    assert.match(await panel.textContent('#hint-late-open'), /repeat the step with DevTools open/);
  }));

test('a failing engine call does not stop later detections', () =>
  withBrowser(async (s) => {
    const dt = await s.devtoolsFrame();
    await s.page.goto(adminURL('carrier'));
    // Feed the capture an entry the engine must reject, through the same path
    // live entries take; use the engine's panic hook when it is compiled in.
    const rejected = await dt.evaluate(async () => {
      const c = globalThis.hubdoctorCapture;
      if (typeof globalThis.hubdoctor._panicForTest === 'function') {
        await globalThis.hubdoctor._panicForTest().catch(() => {});
      }
      c.enqueue(
        {
          startedDateTime: 'not a time',
          request: { method: 'POST', url: 'https://license-a.wbx2.com/license/api/v1/organization/x/users/onboard/', headers: 7 },
          response: { status: 200, content: { mimeType: 'application/json' } },
          // Undecodable base64: ParseEntry rejects it, as it would a corrupt capture.
          getContent: (cb) => cb('%%% not base64 %%%', 'base64'),
        },
        false,
      );
      await c.chain;
      return c.notes.internalError;
    });
    assert.equal(rejected, true, 'the rejection is noted, not thrown');
    await addUsers(s.page);
    await poll(() => banner(s.page), { ms: 5000, what: 'the banner after the rejected call' });
    const st = await waitFindings(s, 1, 'the finding after the rejected call');
    assert.equal(st.findings[0].email, 'alex.dekker@example.com');
    const panel = await s.panelFrame();
    assert.ok(await panel.isVisible('#note-internal'), 'the unobtrusive note shows');
  }));
