// The UI in the languages that stress the layout: Korean (wide glyphs) and
// French (long strings). For each, Chromium runs with that UI language; the
// banner (on the stand-in's Control Hub page) and the panel (as a plain page
// on a fixture HAR) must show translated text with nothing clipped: no
// element whose content is wider than its box. Screenshots go to
// screenshots/ for a human look. Part of make test-chromium.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, addUsers, adminURL, launchChromium, poll, startStandin } from './harness.mjs';
import { overflowing, selfCheck } from './overflow.mjs';

const FIXTURE = join(ROOT, 'internal/engine/testdata/rules/onboard__carrier-email-exists/chrome-positive.har');
const SHOTS = join(ROOT, 'screenshots');

// A text from each language's catalog, to prove the UI is not in English.
const CASES = [
  { lang: 'ko', copy: 'TAC 요약 복사' },
  { lang: 'fr', copy: 'Copier le résumé TAC' },
];

let standin;
before(async () => {
  standin = await startStandin();
  mkdirSync(SHOTS, { recursive: true });
});
after(() => standin?.stop());

for (const { lang, copy } of CASES) {
  test(`${lang}: the banner shows translated text, nothing clipped`, async () => {
    const s = await launchChromium(standin, { lang });
    try {
      await s.waitDevtoolsReady();
      await s.page.goto(adminURL('batch'));
      await addUsers(s.page);
      await addUsers(s.page);
      await poll(() => s.page.evaluate(() => document.getElementById('hubdoctor-banner')?.shadowRoot?.querySelectorAll('.items li').length === 2), {
        what: 'a banner with two items',
      });
      const view = await s.page.evaluate(`({
        bad: (${overflowing})(document.getElementById('hubdoctor-banner').shadowRoot),
        button: document.getElementById('hubdoctor-banner').shadowRoot.querySelector('.primary').textContent,
        items: [...document.getElementById('hubdoctor-banner').shadowRoot.querySelectorAll('.items li')].map((li) => li.textContent),
      })`);
      await s.page.locator('#hubdoctor-banner').screenshot({ path: join(SHOTS, `banner-${lang}.png`) });
      assert.equal(view.button, copy, `the banner speaks ${lang}`);
      for (const item of view.items) assert.doesNotMatch(item, /carrier's Webex Calling account/, 'the engine explains in the admin\'s language');
      assert.deepEqual(view.bad, [], 'clipped or overflowing elements in the banner');
    } finally {
      await s.close();
    }
  });

  test(`${lang}: the panel shows translated text and findings, nothing clipped`, async () => {
    const s = await launchChromium(standin, { devtools: false, lang });
    try {
      const panel = s.page;
      await panel.setViewportSize({ width: 900, height: 900 });
      await panel.goto(`chrome-extension://${s.extensionId}/extension/panel.html`);
      await poll(() => panel.evaluate(() => globalThis.hubdoctorPanel?.state()?.status === 'idle'), { what: 'the engine in the panel' });
      await panel.evaluate(([text, name]) => globalThis.hubdoctorPanel.open(text, name), [readFileSync(FIXTURE, 'utf8'), 'chrome-positive.har']);
      await poll(() => panel.evaluate(() => document.querySelectorAll('#findings li.finding').length > 0), { what: 'the finding' });
      const view = await panel.evaluate(`({
        bad: (${overflowing})(document),
        copy: document.getElementById('copy-summary').textContent,
        langChoice: !document.getElementById('summary-lang-choice').hidden,
        title: document.querySelector('#findings h3').textContent,
        // The check itself must see a clipped element when there is one.
        selfCheck: (${selfCheck})(document, ${overflowing}),
      })`);
      await panel.screenshot({ path: join(SHOTS, `panel-${lang}.png`), fullPage: true });
      assert.equal(view.copy, copy, `the panel speaks ${lang}`);
      assert.ok(view.langChoice, 'the admin may write the TAC summary in their language');
      assert.doesNotMatch(view.title, /carrier's Webex Calling account/, 'the engine explains in the admin\'s language');
      assert.equal(view.selfCheck, 1, 'the check finds a deliberately clipped element');
      assert.deepEqual(view.bad, [], 'clipped or overflowing elements in the panel');
    } finally {
      await s.close();
    }
  });
}
