// triage.js: the HAR triage page, for a support engineer or an admin with a
// HAR file exported earlier and no Control Hub open. It is the panel outside
// DevTools (panel.js: open or drop a file, progress, Cancel, findings,
// exports), in a whole tab; reachable from the panel's "Open in a tab" link
// and as the extension's options page. Its markup is panel.html's, read from
// the extension's own files (no network) and adapted before panel.js runs.

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

await import('./panel.js');
