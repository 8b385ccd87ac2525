// render.js: one finding as the admin reads it, for every view that lists
// findings (the panel, the triage page, the toolbar popup). Every text from a
// response or a header reaches the DOM as text only (dom.js never takes
// markup).

import { el, t } from './dom.js';

/** findingItem is the list item of one explained finding. */
export function findingItem(f) {
  const sev = ['error', 'warning', 'info'].includes(f.severity) ? f.severity : 'info';
  return el(
    'li',
    { class: `finding ${sev}` },
    el(
      'article',
      { 'aria-label': f.title ?? f.rule },
      el(
        'header',
        {},
        el('span', { class: `badge ${sev}` }, t(`severity_${sev}`)),
        el('h3', {}, f.title || f.rule),
        f.email ? el('span', { class: 'who' }, f.email) : null,
      ),
      el('p', { class: 'cause' }, f.cause ?? ''),
      f.steps?.length
        ? el('section', { class: 'fix' }, el('h4', {}, t('field_fix')), el('ol', {}, f.steps.map((step) => el('li', {}, step))))
        : null,
      helpLinks(f.links),
      el(
        'div',
        { class: 'columns' },
        el('section', {}, el('h4', {}, t('headingFacts')), facts(f)),
        el('section', {}, el('h4', {}, t('field_request')), request(f)),
      ),
      responseBody(f),
    ),
  );
}

function helpLinks(links) {
  const safe = (links ?? []).filter((u) => /^https:\/\//.test(u));
  if (!safe.length) return null;
  return el(
    'section',
    { class: 'help' },
    el('h4', {}, t('field_help')),
    el(
      'ul',
      {},
      safe.map((u) => el('li', {}, el('a', { href: u, target: '_blank', rel: 'noopener noreferrer' }, u.replace(/^https:\/\//, '')))),
    ),
  );
}

function dl(rows) {
  const shown = rows.filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  return el(
    'dl',
    {},
    shown.map(([k, v, cls]) => [el('dt', {}, k), el('dd', { class: cls }, Array.isArray(v) ? v.join(', ') : String(v))]),
  );
}

// The labels are the one vocabulary (field_*): the CLI report and the TAC
// summary use the same keys, with the same texts, from the engine's catalog.
function facts(f) {
  return dl([
    [t('field_email'), f.email, 'fact-email'],
    [t('field_org'), f.orgId, 'fact-org mono'],
    [t('field_tracking'), f.trackingId, 'fact-tracking mono'],
    [t('field_codes'), f.codes, 'fact-codes'],
    [t('field_user_status'), f.userStatus || null],
    [t('field_missing'), f.missingAttributes, 'fact-missing'],
    [t('field_unexpected'), f.unexpectedAttributes, 'fact-unexpected'],
    // The engine words the notes in the finding's language (Explained.notes).
    [t('field_notes'), f.notes?.join('; '), 'fact-notes'],
    [t('field_assertion'), f.assertionEncrypted ? t('valueEncrypted') : null],
  ]);
}

function request(f) {
  return dl([
    [t('field_method'), f.method],
    [t('field_url'), f.url, 'mono url'],
    [t('field_status'), f.status || null],
    [t('field_time'), f.time ? new Date(f.time).toLocaleString() : null],
  ]);
}

// responseBody shows the response as the engine made it ready to show
// (responseDisplay: JSON indented, as the TAC summary quotes it; other text
// as it came).
function responseBody(f) {
  if (!f.response) return el('p', { class: 'muted' }, t('noBody'));
  return el(
    'details',
    { class: 'response', open: true },
    el('summary', {}, t('headingResponse')),
    el('pre', { tabindex: '0' }, f.responseDisplay ?? f.response),
    f.bodyTruncated ? el('p', { class: 'muted' }, t('bodyTruncated')) : null,
  );
}
