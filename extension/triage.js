// triage.js: the HAR triage page, for a support engineer or an admin with a
// HAR file exported earlier and no Control Hub open. It is the panel outside
// DevTools (panel.js: open or drop a file, progress, Cancel, findings,
// exports), in a whole tab; reachable from the panel's "Open in a tab" link
// and as the extension's options page. Its markup is panel.html's, read from
// the extension's own files (no network) and adapted before panel.js runs.

import * as ext from './browser.js';
import { el, t } from './dom.js';

const panel = new DOMParser().parseFromString(await (await fetch('panel.html')).text(), 'text/html');
document.body.append(...[...panel.body.childNodes].map((n) => document.importNode(n, true)));

const $ = (id) => document.getElementById(id);
// No live capture here: no way back to one, no second tab to open, and the
// TAC summary stays in English.
for (const id of ['back-live', 'open-triage', 'summary-lang-choice']) $(id).remove();
document.querySelector('h1').dataset.i18n = 'triageTitle';
// Opening a file is this page's first action.
$('copy-summary').classList.remove('primary');
$('open-har-button').classList.add('primary');
document.querySelector('main').prepend(el('p', { class: 'intro', 'data-i18n': 'triageIntro' }));
document.title = t('triageTitle');

// The options page's one setting: the page observer (extension/observer.js).
// The content script reads it before relaying anything.
if (ext.isExtensionContext()) {
  const box = el('input', { type: 'checkbox', id: 'watch-without-devtools' });
  box.checked = (await ext.getSettings()).watchWithoutDevtools;
  box.addEventListener('change', () => ext.setSetting('watchWithoutDevtools', box.checked));
  document.querySelector('main').prepend(
    el(
      'section',
      { class: 'settings', 'aria-labelledby': 'settings-title' },
      el('h2', { id: 'settings-title', 'data-i18n': 'settingsTitle' }),
      el('label', { class: 'check' }, box, el('span', { 'data-i18n': 'watchWithoutDevtools' })),
      el('p', { class: 'muted', 'data-i18n': 'watchWithoutDevtoolsHint' }),
    ),
  );
}

await import('./panel.js');
