// The extension in each UI language, in real Firefox ESR: the banner on the
// stand-in's Control Hub page and what the panel shows (through the probe,
// firefox-harness.mjs) must speak the browser's language, and English when
// the extension has no catalog for it. The expected texts come from the
// catalogs (languages.mjs); Chromium: languages.test.mjs.
//
// Firefox's UI language is intl.locale.requested, but Firefox only switches
// to a language whose language pack is installed; WebExtension i18n follows
// the UI language. Debian ships the packs as firefox-esr-l10n-<lang> (make
// deps installs them). In Korean (wide glyphs) and French (long strings) the
// banner and the panel (the triage page, framed into the probe, on a fixture
// HAR) are also checked for clipped text, as layout.test.mjs does in
// Chromium. Part of make test-firefox.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, addUsers, adminURL, metric, poll } from './harness.mjs';
import { launchFirefox, startFirefoxStandin } from './firefox-harness.mjs';
import { CARRIER_RULE, LANGUAGE_CASES, expectedTexts } from './languages.mjs';
import { overflowing } from './overflow.mjs';

// The languages whose layout is checked, and the HAR the panel shows then.
const LAYOUT = new Set(['ko', 'fr']);
const FIXTURES = join(ROOT, 'internal/engine/testdata/rules/onboard__carrier-email-exists');

let standin;
before(async () => {
  standin = await startFirefoxStandin(['-files', FIXTURES]);
});
after(() => standin?.stop());

const english = expectedTexts('en');

for (const { lang, shows, reason } of LANGUAGE_CASES) {
  test(`firefox intl.locale.requested=${lang}: banner and panel in ${shows}${reason ? ` (${reason})` : ''}`, async () => {
    const want = expectedTexts(shows);
    if (shows !== 'en') assert.notEqual(want.bannerHeading, english.bannerHeading, `the ${shows} catalog must differ from English for this test to tell them apart`);
    const t0 = Date.now();
    const s = await launchFirefox(standin, { lang });
    try {
      await s.page.goto(adminURL('carrier'));
      await s.waitReady();
      const { ui } = await s.inspect();
      // Without the language pack Firefox stays en-US whatever was requested.
      assert.equal(ui.language.split('-')[0], lang, `Firefox's UI language is ${ui.language}: is firefox-esr-l10n-${lang} installed (make deps)?`);
      assert.equal(ui.copySummary, want.copySummary, `the panel's own buttons are in ${shows}`);

      await addUsers(s.page);
      const banner = await poll(async () => ((await s.banner())?.text.includes('@') ? s.banner() : null), { ms: 8000, every: 50, what: 'the banner' });
      assert.ok(banner.text.includes(want.bannerHeading), `the banner's heading is "${want.bannerHeading}"; banner text: ${banner.text}`);

      const a = await poll(async () => ((await s.inspect()).state?.findings.length ? s.inspect() : null), { every: 100, what: 'the finding' });
      const f = a.state.findings[0];
      assert.equal(f.rule, CARRIER_RULE);
      assert.equal(f.title, want.findingTitle, `the engine explains in ${want.engineLang}`);

      if (LAYOUT.has(lang)) {
        const bad = await s.page.evaluate(`(${overflowing})(document.getElementById('hubdoctor-banner').shadowRoot)`);
        assert.deepEqual(bad, [], 'clipped or overflowing elements in the banner');
        await s.triage('open', { fileURL: '/__standin/files/chrome-positive.har', name: 'chrome-positive.har' });
        await poll(async () => (await s.triage('state')).state.status === 'file', { every: 100, what: 'the fixture in the triage page' });
        const layout = await s.triage('layout');
        assert.equal(layout.selfCheck, 1, 'the check finds a deliberately clipped element (the page is laid out)');
        assert.equal(layout.title, want.findingTitle, `the panel's finding is in ${want.engineLang}`);
        assert.deepEqual(layout.bad, [], 'clipped or overflowing elements in the panel');
      }
      metric(`firefox ${lang}: launch → banner and panel checked`, Date.now() - t0);
    } finally {
      await s.close();
    }
  });
}
