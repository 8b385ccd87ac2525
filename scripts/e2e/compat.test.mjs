// "Never break Control Hub", in real Chromium: the page observer
// (extension/observer.js) wraps fetch and XMLHttpRequest in Control Hub's
// page, and Control Hub's zone.js (Angular) wraps them again on top. The
// stand-in's compatibility page runs a matrix of calls inside zones (see
// scripts/standin/pages/compat.html and compat.mjs); these tests run it in
// a browser with the extension (dist/chrome, unchanged, DevTools closed: the
// observer is the only path) and in the same browser without, and compare.
// Run: HUBDOCTOR_DIST=… node --test --test-concurrency=1 scripts/e2e/compat.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, poll, startStandin } from './harness.mjs';
import { CARRIER, assertObserved, assertSameAs, assertSound, compatURL, referenceRuns, runMatrix } from './compat.mjs';

let standin;
/** without holds the runs of a browser without the extension, by zone: true | false. */
let without;

before(async () => {
  standin = await startStandin();
  // The reference: a plain Chromium, no --load-extension, same flags otherwise.
  const s = await launchChromium(standin, { devtools: false, extension: false });
  try {
    without = await referenceRuns(s, 'Chromium');
  } finally {
    await s.close();
  }
});
after(() => standin?.stop());

/** tabId resolves with the ID of the one tab of s, as the service worker knows it. */
function tabId(s, sw = s.sw) {
  return poll(() => sw.evaluate(async () => {
    const tabs = await chrome.tabs.query({});
    return tabs.length === 1 ? tabs[0].id : null;
  }), { what: 'the one tab' });
}

/**
 * backgroundSaw waits until the background holds, for the tab, the finding
 * of the page's failing onboard call and observed entries: the records went
 * all the way (observer → content script → background's engine).
 */
function backgroundSaw(s, id, sw = s.sw) {
  return poll(async () => {
    const st = await sw.evaluate((tab) => globalThis.hubdoctorBackground.tabState(tab), id);
    return st.entries.length >= 5 && st.findings.some((f) => f.email === CARRIER) ? st : null;
  }, { ms: 20_000, what: 'the background to hold the observed calls and the carrier finding' });
}

test('the matrix runs the same with the extension as without it, with zone.js on top of the observer and without zone.js', async () => {
  const s = await launchChromium(standin, { devtools: false });
  try {
    const zoned = await runMatrix(s.page, { zone: true, label: 'with the extension (Chromium)' });
    assertSound(zoned, { zone: true });
    // zone.js wrapped the observer's functions, not the browser's: it came later.
    assert.deepEqual(zoned.results.properties.underZone.fetch, { length: 1, name: 'fetch', ownPrototype: false, constructible: false });
    assert.equal(zoned.info.fetchNative, false, 'the fetch under zone.js is the observer\'s');
    assertSameAs(zoned, without.get(true), { what: 'Chromium, zone.js' });
    assertObserved(zoned);
    const st = await backgroundSaw(s, await tabId(s));
    assert.ok(st.entries.length <= 40, 'the content script relays at most 20 records of each channel in 10 s');
    await poll(async () => {
      const now = await s.sw.evaluate((tab) => globalThis.hubdoctorBackground.tabState(tab), await tabId(s));
      return now.failedCalls.some((c) => c.status === 500 && c.url.includes('/compat/status'));
    }, { what: "a failing call no rule reads in the background's list" });

    const plain = await runMatrix(s.page, { zone: false, label: 'with the extension, no zone.js (Chromium)' });
    assertSound(plain, { zone: false });
    assertSameAs(plain, without.get(false), { what: 'Chromium, no zone.js' });
    assertObserved(plain);
  } finally {
    await s.close();
  }
});

// Chromium injects no content script into tabs that are already open when an
// extension is installed, enabled, updated or reloaded: they get the new
// instance's scripts at their next load only
// (https://stackoverflow.com/questions/10994324; reaching them would take
// chrome.scripting and host permissions, which Hub Doctor does not ask for).
// So "injection into an open tab" does not happen in Chromium. What does
// happen to an open tab is a reload (an update, chrome.runtime.reload(), the
// Reload button of chrome://extensions) or a disable and enable: the page
// keeps the observer it had, whose content script is cut off from the
// extension. The test does both to an open page and checks that it keeps
// working each time, and that the extension observes it again once the page
// loads anew.

/**
 * extensionsPage runs fn(page) on chrome://extensions, with developer mode on
 * (as a developer who loaded the unpacked extension has it: Chromium
 * disables an unpacked extension that reloads without it, "unsupported
 * developer extension"), and closes it, so that the admin page is again the
 * one tab.
 */
async function extensionsPage(s, fn) {
  const page = await s.context.newPage();
  try {
    await page.goto('chrome://extensions/');
    await poll(() => page.evaluate(() => Boolean(globalThis.chrome?.developerPrivate && globalThis.chrome?.management)), { what: 'chrome://extensions' });
    await page.evaluate(() => chrome.developerPrivate.updateProfileConfiguration({ inDeveloperMode: true }));
    return await fn(page);
  } finally {
    await page.close();
  }
}

/** restarted runs fn, which restarts the extension, and resolves with its new service worker once the background is up. */
async function restarted(s, fn) {
  const next = s.context.waitForEvent('serviceworker', { timeout: 20_000 });
  await fn();
  const sw = await next;
  await poll(() => sw.evaluate(() => Boolean(globalThis.hubdoctorBackground)), { ms: 20_000, what: 'the restarted background' });
  s.sw = sw;
  return sw;
}

test('an open Control Hub tab keeps working when the extension reloads, or is disabled and enabled, and is observed again once it loads anew', async () => {
  const s = await launchChromium(standin, { devtools: false });
  try {
    // Loaded with the extension running. No matrix run before the restart:
    // the content script relays at most 20 records in 10 s, and the run
    // after the reload must find it with its budget whole, so that it tries
    // to reach the extension.
    await s.page.goto(compatURL({ zone: true }));
    const extId = s.extensionId;
    await extensionsPage(s, () => {});

    // 1. chrome.runtime.reload() in the service worker (what an update does),
    // after evaluate has answered: the worker stops at once.
    await restarted(s, () => s.sw.evaluate(() => {
      setTimeout(() => chrome.runtime.reload(), 0);
    }));
    assert.equal(await s.sw.evaluate(() => chrome.runtime.id), extId, 'the same extension, reloaded');
    const reloaded = await runMatrix(s.page, { zone: true, open: false, label: 'same page, after the extension reloaded (Chromium)' });
    assertSound(reloaded, { zone: true });
    assertSameAs(reloaded, without.get(true), { what: 'Chromium, the open page after chrome.runtime.reload()' });
    // The page's observer is the earlier instance's: it still records, into
    // a content script the extension no longer hears (and which must not
    // throw into the page's console for it: assertSameAs compares the
    // uncaught errors too).
    assertObserved(reloaded);
    const id = await tabId(s);
    assert.equal((await s.sw.evaluate((tab) => globalThis.hubdoctorBackground.tabState(tab), id)).entries.length, 0, 'the reloaded extension heard nothing from the open page');

    // 2. Disabled and enabled again, as the switch of chrome://extensions does.
    await extensionsPage(s, async (page) => {
      await page.evaluate((x) => chrome.management.setEnabled(x, false), extId);
      const disabled = await runMatrix(s.page, { zone: true, open: false, label: 'same page, extension disabled (Chromium)' });
      assertSameAs(disabled, without.get(true), { what: 'Chromium, the open page with the extension disabled' });
      await restarted(s, () => page.evaluate((x) => chrome.management.setEnabled(x, true), extId));
    });
    const enabled = await runMatrix(s.page, { zone: true, open: false, label: 'same page, extension enabled again (Chromium)' });
    assertSameAs(enabled, without.get(true), { what: 'Chromium, the open page after the extension was enabled again' });

    // 3. A page load gets the running instance's scripts: observed again, all the way.
    const fresh = await runMatrix(s.page, { zone: true, label: 'page loaded after the restarts (Chromium)' });
    assertSameAs(fresh, without.get(true), { what: 'Chromium, the page loaded after the restarts' });
    assertObserved(fresh);
    await backgroundSaw(s, await tabId(s));
  } finally {
    await s.close();
  }
});
