// Attribute notes in the panel: an SSO sign-in whose first name is longer
// than Webex accepts (testdata/sessions/chrome-sso-long-name.har, written by
// go test ./cmd/hubdoctor -update from internal/fixture) shows the note under
// the vocabulary's label, in the UI language. The engine words the note
// (Explained.notes), so the expected texts come from both catalogs: the label
// from extension/_locales, the note from internal/messages. The panel runs as
// a plain page on the HAR file, as in panel.test.mjs. Part of make
// test-chromium.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launchChromium, poll, startStandin } from './harness.mjs';
import { overflowing } from './overflow.mjs';

const FIXTURE = join(ROOT, 'testdata/sessions/chrome-sso-long-name.har');
const readJSON = (...path) => JSON.parse(readFileSync(join(ROOT, ...path), 'utf8'));

/** expected is the label and the note the panel must show with _locales/<locale>. */
function expected(locale) {
  const ui = readJSON('extension', '_locales', locale, 'messages.json');
  const engineLang = ui.catalogLanguage.message;
  const note = readJSON('internal', 'messages', 'locales', engineLang, 'report.json')['report.note.too-long']
    .replace('{attribute}', 'firstname')
    .replace('{length}', '35')
    .replace('{limit}', '32');
  return { label: ui.field_notes.message, note };
}

let standin;
before(async () => {
  standin = await startStandin();
});
after(() => standin?.stop());

for (const lang of ['en', 'fr', 'ko']) {
  test(`${lang}: the panel shows the attribute note, worded and labelled in ${lang}`, async () => {
    const want = expected(lang);
    const s = await launchChromium(standin, { devtools: false, lang });
    try {
      const panel = s.page;
      await panel.goto(`chrome-extension://${s.extensionId}/extension/panel.html`);
      await poll(() => panel.evaluate(() => globalThis.hubdoctorPanel?.state()?.status === 'idle'), { ms: 20_000, what: 'the engine in the panel' });
      await panel.evaluate(([text, name]) => globalThis.hubdoctorPanel.open(text, name), [readFileSync(FIXTURE, 'utf8'), 'chrome-sso-long-name.har']);
      await poll(() => panel.evaluate(() => document.querySelector('#findings li.finding .fact-notes') !== null), { ms: 20_000, what: 'the finding with its note' });
      const view = await panel.evaluate(`(() => {
        const dd = document.querySelector('#findings .fact-notes');
        return {
          label: dd.previousElementSibling.textContent,
          labelTag: dd.previousElementSibling.tagName,
          note: dd.textContent,
          markup: dd.children.length,
          bad: (${overflowing})(document.getElementById('findings')),
        };
      })()`);
      assert.equal(view.labelTag, 'DT', 'the note is a fact with its label');
      assert.equal(view.label, want.label, 'the vocabulary\'s label in the UI language');
      assert.equal(view.note, want.note, 'the engine\'s words for the note in the UI language');
      if (lang !== 'en') assert.doesNotMatch(view.note, /characters, over/, 'the note is not left in English');
      assert.equal(view.markup, 0, 'the note is text only');
      assert.deepEqual(view.bad, [], 'clipped or overflowing elements in the findings');
    } finally {
      await s.close();
    }
  });
}
