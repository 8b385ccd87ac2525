// The panel as a plain page (no DevTools): it analyses a fixture HAR with the
// same engine ("mock provider"), so the UI is tested without DevTools.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launchChromium, poll, startStandin } from './harness.mjs';

const FIXTURE = join(ROOT, 'internal/engine/testdata/rules/onboard__carrier-email-exists/chrome-positive.har');

let standin;
let s;
let panel;
before(async () => {
  standin = await startStandin();
  s = await launchChromium(standin, { devtools: false });
  panel = s.page;
  await panel.goto(`chrome-extension://${s.extensionId}/extension/panel.html`);
  await poll(() => panel.evaluate(() => globalThis.hubdoctorPanel?.state()?.status === 'idle'), { what: 'the engine in the panel' });
  await panel.evaluate(([text, name]) => globalThis.hubdoctorPanel.open(text, name), [readFileSync(FIXTURE, 'utf8'), 'chrome-positive.har']);
});
after(async () => {
  await s?.close();
  standin?.stop();
});

test('a HAR file renders its findings as a list with headings, newest first', async () => {
  const view = await panel.evaluate(() => ({
    items: document.querySelectorAll('ol#findings > li.finding').length,
    h3: [...document.querySelectorAll('#findings h3')].map((h) => h.textContent),
    status: document.getElementById('status-text').textContent,
    empty: document.getElementById('empty').hidden,
  }));
  assert.ok(view.items >= 1, 'at least one finding');
  assert.equal(view.h3.length, view.items, 'each finding has a heading');
  assert.match(view.status, /chrome-positive\.har/);
  assert.equal(view.empty, true, 'the empty state is hidden');
});

test('every action is a real, focusable button reachable with Tab', async () => {
  const labels = [];
  await panel.focus('body');
  for (let i = 0; i < 12; i++) {
    await panel.keyboard.press('Tab');
    labels.push(await panel.evaluate(() => document.activeElement?.id || document.activeElement?.tagName));
  }
  for (const id of ['copy-summary', 'download-summary', 'download-har', 'clear']) {
    assert.ok(labels.includes(id), `${id} is reachable with Tab (order: ${labels.join(',')})`);
  }
  const outline = await panel.evaluate(() => {
    document.getElementById('clear').focus();
    return getComputedStyle(document.getElementById('clear')).outlineStyle;
  });
  assert.notEqual(outline, 'none', 'focus is visible');
});

test('follows a dark colour scheme', async () => {
  const bg = () => panel.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await panel.emulateMedia({ colorScheme: 'light' });
  const light = await bg();
  await panel.emulateMedia({ colorScheme: 'dark' });
  const dark = await bg();
  assert.notEqual(light, dark);
  assert.equal(dark, 'rgb(27, 28, 31)');
  await panel.emulateMedia({ colorScheme: 'light' });
});

test('Download sanitized HAR goes through a Blob download', async () => {
  const d = panel.waitForEvent('download');
  await panel.click('#download-har');
  const file = await d;
  assert.match(file.suggestedFilename(), /^hubdoctor-sanitized-\d{8}-\d{4}\.har$/);
  const text = readFileSync(await file.path(), 'utf8');
  assert.ok(JSON.parse(text).log.entries.length > 0);
});

test('Clear empties the list and shows the empty state', async () => {
  await panel.click('#clear');
  await poll(() => panel.evaluate(() => document.querySelectorAll('#findings li.finding').length === 0), { what: 'an empty list' });
  assert.equal(await panel.isVisible('#empty'), true);
});
