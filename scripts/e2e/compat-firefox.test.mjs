// "Never break Control Hub", in real Firefox: the same matrix as
// compat.test.mjs (scripts/standin/pages/compat.html, compat.mjs), run in a
// Firefox with the extension (the test copy of dist/firefox, DevTools closed:
// the observer is the only path) and in one without, and compared. Firefox
// also injects an installed extension's content scripts into the tabs
// already open, the observer included, after zone.js patched the page: the
// second test installs the extension into an open page and runs the matrix
// there again.
// Run: HUBDOCTOR_FIREFOX_DIST=… node --test --test-concurrency=1 scripts/e2e/compat-firefox.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { metric, poll } from './harness.mjs';
import { launchFirefox, startFirefoxStandin } from './firefox-harness.mjs';
import { CARRIER, assertObserved, assertSameAs, assertSound, compatURL, referenceRuns, runMatrix } from './compat.mjs';

let standin;
/** without holds the runs of a Firefox without the extension, by zone: true | false. */
let without;

before(async () => {
  standin = await startFirefoxStandin();
  // The reference: the same Firefox and profile, the extension not installed.
  const s = await launchFirefox(standin, { devtools: false, install: false });
  try {
    without = await referenceRuns(s, 'Firefox');
  } finally {
    await s.close();
  }
});
after(() => standin?.stop());

/** bannerNames waits for the banner and checks it names the carrier's e-mail: the records went all the way (observer → content script → background's engine → banner). */
async function bannerNames(s, email, label) {
  const t0 = Date.now();
  const b = await poll(async () => {
    const x = await s.banner();
    return x?.emails?.includes(email) || x?.text?.includes(email) ? x : null;
  }, { ms: 20_000, every: 100, what: `the banner to name ${email}` });
  metric(`banner after the matrix, ${label} (Firefox)`, Date.now() - t0);
  assert.equal(b.hosts, 1);
}

test('the matrix runs the same with the extension as without it, with zone.js on top of the observer and without zone.js (Firefox)', async () => {
  const s = await launchFirefox(standin, { devtools: false });
  try {
    const zoned = await runMatrix(s.page, { zone: true, label: 'with the extension (Firefox)' });
    assertSound(zoned, { zone: true });
    assert.deepEqual(zoned.results.properties.underZone.fetch, { length: 1, name: 'fetch', ownPrototype: false, constructible: false });
    assert.equal(zoned.info.fetchNative, false, 'the fetch under zone.js is the observer\'s');
    assertSameAs(zoned, without.get(true), { what: 'Firefox, zone.js' });
    assertObserved(zoned);
    await bannerNames(s, CARRIER, 'extension installed at launch');

    const plain = await runMatrix(s.page, { zone: false, label: 'with the extension, no zone.js (Firefox)' });
    assertSound(plain, { zone: false });
    assertSameAs(plain, without.get(false), { what: 'Firefox, no zone.js' });
    assertObserved(plain);
  } finally {
    await s.close();
  }
});

// Installed into an open page, the observer comes after zone.js: it wraps
// zone.js's fetch, open and send, so those the page sees are the observer's
// (named and shaped as the browser's: fetch.length 1, no prototype) rather
// than zone.js's wrappers (anonymous, length 0). That is what a late
// wrapper is, whoever writes it; no page reads it (zone.js itself reads its
// wrappers' marker only to print them). Everything a call does is compared.
const LATE_SHAPE = [
  'properties.zone.fetchPatched',
  'properties.fetch.fn',
  'properties.fetch.lengthIsOne',
  'properties.xhr.open.fn',
  'properties.xhr.send.fn',
];

test('installing the extension into an open Control Hub tab leaves the page working, and the late observer records (Firefox)', async () => {
  const s = await launchFirefox(standin, { devtools: false, install: false });
  try {
    await s.page.goto(compatURL({ zone: true }));
    const before = await runMatrix(s.page, { zone: true, open: false });
    assertSameAs(before, without.get(true), { what: 'Firefox, the open page before the install' });
    assert.deepEqual(await s.page.evaluate(() => window.compatPatchedSinceLoad()), { fetch: false, open: false, send: false });

    await s.install();
    await poll(async () => {
      const p = await s.page.evaluate(() => window.compatPatchedSinceLoad());
      return p.fetch && p.open && p.send;
    }, { ms: 20_000, what: 'Firefox to inject the observer into the open page' });

    const late = await runMatrix(s.page, { zone: true, open: false, label: 'same page, extension installed into it (Firefox)' });
    assertSound(late, { zone: true });
    assertSameAs(late, before, { what: 'Firefox, the open page after the install', ignore: LATE_SHAPE });
    const p = late.results.properties;
    assert.deepEqual(p.fetch.fn, { length: 1, name: 'fetch', ownPrototype: false, constructible: false }, 'the late fetch is shaped as the browser\'s');
    assert.deepEqual(p.xhr.open.fn, { length: 2, name: 'open', ownPrototype: false, constructible: false });
    assert.deepEqual(p.xhr.send.fn, { length: 0, name: 'send', ownPrototype: false, constructible: false });
    assert.deepEqual(p.fetch.descriptor, before.results.properties.fetch.descriptor, 'window.fetch stays writable and configurable');
    // The late observer records fetch and XHR calls alike (its natives are
    // zone.js's wrappers then, and Promise is zone.js's ZoneAwarePromise).
    assertObserved(late);
    await bannerNames(s, CARRIER, 'extension installed into the open page');
  } finally {
    await s.close();
  }
});
