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
        ? el('section', { class: 'fix' }, el('h4', {}, t('headingFix')), el('ol', {}, f.steps.map((step) => el('li', {}, step))))
        : null,
      helpLinks(f.links),
      el(
        'div',
        { class: 'columns' },
        el('section', {}, el('h4', {}, t('headingFacts')), facts(f)),
        el('section', {}, el('h4', {}, t('headingRequest')), request(f)),
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
    el('h4', {}, t('headingHelp')),
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

function facts(f) {
  return dl([
    [t('factEmail'), f.email, 'fact-email'],
    [t('factOrg'), f.orgId, 'fact-org mono'],
    [t('factTracking'), f.trackingId, 'fact-tracking mono'],
    [t('factCodes'), f.codes, 'fact-codes'],
    [t('factUserStatus'), f.userStatus || null],
    [t('factMissing'), f.missingAttributes, 'fact-missing'],
    [t('factUnexpected'), f.unexpectedAttributes, 'fact-unexpected'],
    [t('factEncrypted'), f.assertionEncrypted ? t('valueEncrypted') : null],
  ]);
}

function request(f) {
  return dl([
    [t('factMethod'), f.method],
    [t('factURL'), f.url, 'mono url'],
    [t('factStatus'), f.status || null],
    [t('factTime'), f.time ? new Date(f.time).toLocaleString() : null],
  ]);
}

function responseBody(f) {
  if (!f.response) return el('p', { class: 'muted' }, t('noBody'));
  let text = f.response;
  try {
    text = JSON.stringify(JSON.parse(f.response), null, 2);
  } catch {
    // Not JSON (an HTML error page, a SAML form): show it as it came.
  }
  return el(
    'details',
    { class: 'response', open: true },
    el('summary', {}, t('headingResponse')),
    el('pre', { tabindex: '0' }, text),
    f.bodyTruncated ? el('p', { class: 'muted' }, t('bodyTruncated')) : null,
  );
}
