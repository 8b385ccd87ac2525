// The extension in each UI language, in real Chromium: started with --lang
// (harness.mjs), the banner on the stand-in's Control Hub page and the real
// DevTools panel must speak the browser's language, and English when the
// extension has no catalog for it. The expected texts come from the
// catalogs (languages.mjs). Firefox: languages-firefox.test.mjs. Part of
// make test-chromium.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUsers, adminURL, launchChromium, metric, poll, startStandin } from './harness.mjs';
import { CARRIER_RULE, LANGUAGE_CASES, expectedTexts } from './languages.mjs';

let standin;
before(async () => {
  standin = await startStandin();
});
after(() => standin?.stop());

const english = expectedTexts('en');

for (const { lang, shows, reason } of LANGUAGE_CASES) {
  test(`chromium --lang=${lang}: banner and DevTools panel in ${shows}${reason ? ` (${reason})` : ''}`, async () => {
    const want = expectedTexts(shows);
    if (shows !== 'en') assert.notEqual(want.bannerHeading, english.bannerHeading, `the ${shows} catalog must differ from English for this test to tell them apart`);
    const t0 = Date.now();
    const s = await launchChromium(standin, { lang });
    try {
      await s.waitDevtoolsReady();
      await s.page.goto(adminURL('carrier'));
      await addUsers(s.page);
      const banner = await poll(async () => ((await s.bannerText())?.includes('@') ? s.bannerText() : null), { ms: 5000, what: 'the banner' });
      assert.ok(banner.includes(want.bannerHeading), `the banner's heading is "${want.bannerHeading}"; banner text: ${banner}`);

      const frame = await s.panelFrame();
      const panel = await poll(
        () =>
          frame.evaluate(() => {
            const f = globalThis.hubdoctorPanel.state().findings[0];
            return f && { rule: f.rule, title: f.title, shown: document.querySelector('#findings h3')?.textContent ?? '', copy: document.getElementById('copy-summary').textContent };
          }),
        { what: 'the finding in the panel' },
      );
      assert.equal(panel.rule, CARRIER_RULE);
      assert.equal(panel.title, want.findingTitle, `the engine explains in ${want.engineLang}`);
      assert.ok(panel.shown.includes(want.findingTitle), `the panel shows the ${want.engineLang} title; it shows: ${panel.shown}`);
      assert.equal(panel.copy, want.copySummary, `the panel's own buttons are in ${shows}`);
      metric(`chromium ${lang}: launch → banner and panel checked`, Date.now() - t0);
    } finally {
      await s.close();
    }
  });
}
