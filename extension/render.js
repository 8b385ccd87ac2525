// render.js: one finding as the admin reads it, and the session's failed
// calls, for every view that lists findings (the panel, the triage page, the
// toolbar popup). Every text from a response or a header reaches the DOM as
// text only (dom.js never takes markup).

import { el, t } from './dom.js';
import { copyText } from './handover.js';

/** findingItem is the list item of one explained finding. */
export function findingItem(f) {
  const sev = ['error', 'warning', 'info'].includes(f.severity) ? f.severity : 'info';
  return el(
    'li',
    // The call and rule it is about: the failed calls it explains link here.
    { class: `finding ${sev}`, 'data-entry': f.entry, 'data-rule': f.rule, 'data-email': f.email },
    el(
      'article',
      { 'aria-label': f.title ?? f.rule, tabindex: '-1' },
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

// ---- failed calls ----

/** PAGE is how many rows of failed calls are in the document at first, and how many "Show more" adds. */
const PAGE = 200;
/** BATCH is how many rows go into the document in one task. */
const BATCH = 50;

const views = new WeakMap();

/**
 * renderFailedCalls shows the session's failed calls (engine.FailedCall, in
 * entry order) in container, the "Failed calls" section of the panel, the
 * triage page and the popup: a table of the calls no rule explains and of
 * those a finding explains (linked to it), a filter box and status-class
 * chips over the data, the expected calls folded away with their reason and
 * source, each row expanding to the sanitized request and response, and
 * "Copy for TAC". The table holds the first PAGE rows that pass the filter,
 * PAGE more at each "Show more", added BATCH a task: thousands of calls
 * stay smooth.
 *
 * Calling it again on the same container updates the view: calls that grew
 * from the same first call are appended (a live session, an import's
 * progress); any other list is shown anew, keeping the filter.
 *
 * options:
 *   summary(call) → Promise<string>  the call's TAC summary (the engine's failedCallSummary)
 *   notify(text)                     tells the admin what a button did
 *   findings                         the findings listed beside, to name the finding a call links to
 */
export function renderFailedCalls(container, calls, options = {}) {
  let view = views.get(container);
  if (!view) {
    view = new FailedCallsView(container);
    views.set(container, view);
  }
  view.update(calls ?? [], options);
  return view;
}

// The status classes of the chips: a per-item failure inside a 2xx
// envelope, else the HTTP status class.
const CLASSES = ['4xx', '5xx', 'item'];

// One formatter for every row (toLocaleTimeString makes one per call).
const timeOfDay = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

function statusClass(call) {
  if (call.item) return 'item';
  return call.status >= 500 ? '5xx' : '4xx';
}

/** FailedCallsView is the state of one container's section: the calls, the filter, the rows in the document. */
class FailedCallsView {
  constructor(container) {
    this.container = container;
    this.options = {};
    this.query = '';
    this.pressed = new Set();
    this.resetData();
    this.build();
  }

  resetData() {
    this.calls = null;
    this.first = undefined;
    this.read = 0; // calls of this.calls already sorted into rows and expected
    this.rows = []; // {call, cls, hay} of the table: unexplained and explained calls
    this.expected = new Map(); // group key → {call, count}
    this.counts = { '4xx': 0, '5xx': 0, item: 0 };
    this.linked = 0;
    this.matches = []; // indexes into rows passing the filter and chips
    this.shown = 0; // matches in the document
    this.limit = PAGE;
  }

  build() {
    const id = `failed-${Math.random().toString(36).slice(2, 8)}`;
    this.ids = { title: `${id}-title`, status: `${id}-status` };
    // Asked once: every row repeats them.
    this.labels = { details: t('failedDetails'), item: t('failedChipItem'), copy: t('failedCopy') };
    this.rowIds = 0;
    this.filter = el('input', {
      type: 'search',
      class: 'failed-filter',
      placeholder: t('failedFilterPlaceholder'),
      'aria-label': t('failedFilterLabel'),
      'aria-controls': `${id}-table`,
      autocomplete: 'off',
      spellcheck: 'false',
    });
    this.filter.addEventListener('input', () => this.schedule(() => this.setQuery(this.filter.value)));
    this.chips = Object.fromEntries(
      CLASSES.map((cls) => {
        const label = cls === 'item' ? t('failedChipItem') : cls;
        const count = el('span', { class: 'chip-count' }, '0');
        const chip = el('button', { type: 'button', class: `chip chip-${cls}`, 'aria-pressed': 'false', 'data-class': cls }, label, ' ', count);
        chip.addEventListener('click', () => this.toggle(cls));
        return [cls, { chip, count }];
      }),
    );
    this.counter = el('p', { class: 'failed-status muted', id: this.ids.status, 'aria-live': 'polite' });
    // Each call is a <tbody> of its own (its row and, once expanded, its
    // details), after the head.
    this.head = [
      el('caption', { class: 'visually-hidden' }, t('failedCallsHeading')),
      el(
        'thead',
        { role: 'rowgroup' },
        el(
          'tr',
          { role: 'row' },
          el('th', { scope: 'col', role: 'columnheader', class: 'col-toggle' }, el('span', { class: 'visually-hidden' }, t('failedDetails'))),
          el('th', { scope: 'col', role: 'columnheader', class: 'col-time' }, t('field_time')),
          el('th', { scope: 'col', role: 'columnheader', class: 'col-method' }, t('field_method')),
          el('th', { scope: 'col', role: 'columnheader', class: 'col-path' }, t('field_path')),
          el('th', { scope: 'col', role: 'columnheader', class: 'col-status' }, t('field_status')),
          el('th', { scope: 'col', role: 'columnheader', class: 'col-service' }, t('field_service')),
          el('th', { scope: 'col', role: 'columnheader', class: 'col-tracking' }, t('field_tracking')),
          el('th', { scope: 'col', role: 'columnheader', class: 'col-message' }, t('field_description')),
          el('th', { scope: 'col', role: 'columnheader', class: 'col-copy' }, el('span', { class: 'visually-hidden' }, t('failedCopy'))),
        ),
      ),
    ];
    // The roles are the table's own: its rows are laid out as grids
    // (panel.css), and a changed display may drop a table's semantics.
    this.table = el('table', { class: 'failed-table', role: 'table', id: `${id}-table`, 'aria-describedby': this.ids.status }, this.head);
    this.more = el('button', { type: 'button', class: 'failed-more', hidden: true });
    this.more.addEventListener('click', () => {
      this.limit += PAGE;
      this.fill();
    });
    this.noMatch = el('p', { class: 'muted failed-nomatch', hidden: true }, t('failedNoMatch'));
    this.expectedCount = el('span', {});
    this.expectedList = el('ul', { class: 'expected-list' });
    this.expectedBox = el(
      'details',
      { class: 'expected-calls', hidden: true },
      el('summary', {}, this.expectedCount),
      el('p', { class: 'muted' }, t('failedExpectedHint')),
      this.expectedList,
    );
    this.container.classList.add('failed-calls');
    this.container.setAttribute('aria-labelledby', this.ids.title);
    this.container.replaceChildren(
      el('h2', { id: this.ids.title }, t('failedCallsHeading')),
      el(
        'div',
        { class: 'failed-tools' },
        this.filter,
        el('div', { class: 'chips', role: 'group', 'aria-label': t('failedChipsLabel') }, CLASSES.map((c) => this.chips[c].chip)),
      ),
      this.counter,
      el('div', { class: 'table-scroll' }, this.table),
      this.noMatch,
      this.more,
      this.expectedBox,
    );
  }

  /** update takes the provider's list of calls (see renderFailedCalls). */
  update(calls, options) {
    this.options = options;
    const fresh = calls !== this.calls && !(this.calls && calls.length >= this.read && calls[0] === this.first);
    if (fresh) {
      this.resetData();
      this.table.replaceChildren(...this.head);
      this.expectedList.replaceChildren();
    }
    this.calls = calls;
    this.first = calls[0];
    const before = this.rows.length;
    let expectedChanged = false;
    for (; this.read < calls.length; this.read++) {
      const call = calls[this.read];
      if (call.expected) {
        const key = `${call.method} ${call.path} ${call.status} ${call.reason}`;
        const group = this.expected.get(key);
        if (group) group.count++;
        else this.expected.set(key, { call, count: 1 });
        expectedChanged = true;
        continue;
      }
      const row = { call, cls: statusClass(call), hay: haystack(call) };
      this.counts[row.cls]++;
      if (call.rule) this.linked++;
      this.rows.push(row);
    }
    for (let i = before; i < this.rows.length; i++) if (this.passes(this.rows[i])) this.matches.push(i);
    if (expectedChanged) this.renderExpected();
    this.container.hidden = calls.length === 0;
    this.fill();
  }

  passes(row) {
    if (this.pressed.size && !this.pressed.has(row.cls)) return false;
    return !this.query || row.hay.includes(this.query);
  }

  /**
   * schedule runs fn in a task of its own, once however many times it is
   * asked before (keystrokes typed meanwhile are one filter). A task, not
   * an animation frame: Firefox gives a frame out of view about one frame a
   * second (layout.throttled_frame_rate), and the table must fill anyway.
   */
  schedule(fn) {
    this.next = fn;
    this.task ??= setTimeout(() => {
      this.task = null;
      this.next();
    });
  }

  setQuery(text) {
    const q = text.trim().toLowerCase();
    if (q === this.query) return;
    this.query = q;
    this.refilter();
  }

  toggle(cls) {
    if (this.pressed.has(cls)) this.pressed.delete(cls);
    else this.pressed.add(cls);
    this.chips[cls].chip.setAttribute('aria-pressed', String(this.pressed.has(cls)));
    this.refilter();
  }

  /** refilter runs the filter over the data and shows the first page of what passes. */
  refilter() {
    this.matches = [];
    for (let i = 0; i < this.rows.length; i++) if (this.passes(this.rows[i])) this.matches.push(i);
    this.table.replaceChildren(...this.head);
    this.shown = 0;
    this.limit = PAGE;
    this.fill();
  }

  /**
   * fill shows the matches up to the limit, and updates the counts, the
   * chips and "Show more". Rows go in BATCH at a time, one batch per task
   * (see schedule), the section aria-busy until the last, so no task holds
   * the page long and input and paint come between batches.
   */
  fill() {
    const shown = Math.min(this.matches.length, this.limit);
    this.addRows();
    for (const cls of CLASSES) {
      const { chip, count } = this.chips[cls];
      count.textContent = String(this.counts[cls]);
      chip.hidden = this.counts[cls] === 0 && !this.pressed.has(cls);
    }
    const parts = [t('failedUnexplained', this.rows.length - this.linked), t('failedLinked', this.linked)];
    if (this.query || this.pressed.size) parts.push(t('failedMatching', this.matches.length));
    if (shown < this.matches.length) parts.push(t('failedShown', shown, this.matches.length));
    this.counter.textContent = parts.join(' · ');
    const left = this.matches.length - shown;
    this.more.hidden = left <= 0;
    if (left > 0) this.more.textContent = t('failedShowMore', Math.min(left, PAGE));
    this.noMatch.hidden = this.matches.length > 0 || this.rows.length === 0;
    this.table.hidden = this.rows.length === 0;
  }

  /** addRows adds the next batch of rows, and asks for a task for the one after. */
  addRows() {
    const target = Math.min(this.matches.length, this.limit);
    const end = Math.min(target, this.shown + BATCH);
    if (end > this.shown) {
      const frag = document.createDocumentFragment();
      for (let i = this.shown; i < end; i++) frag.append(this.rowOf(this.rows[this.matches[i]]));
      this.table.append(frag);
      this.shown = end;
    }
    const more = this.shown < target;
    this.container.toggleAttribute('aria-busy', more);
    if (more) {
      this.batch ??= setTimeout(() => {
        this.batch = null;
        this.addRows();
      });
    }
  }

  renderExpected() {
    const groups = [...this.expected.values()];
    const total = groups.reduce((n, g) => n + g.count, 0);
    this.expectedBox.hidden = total === 0;
    this.expectedCount.textContent = t('failedExpected', total);
    this.expectedList.replaceChildren(...groups.map(expectedItem));
  }

  /** rowOf is a call's <tbody>: the row, and its details made on the first expand. */
  rowOf({ call, cls }) {
    const detailId = `${this.ids.title}-row${++this.rowIds}`;
    const toggle = el('button', { type: 'button', class: 'row-toggle', 'aria-expanded': 'false', 'aria-label': this.labels.details });
    const time = call.time ? new Date(call.time) : null;
    const message = call.item ? `${call.item}: ${call.message ?? ''}` : (call.message ?? '');
    const row = el(
      'tr',
      { class: `call ${cls}${call.rule ? ' linked' : ''}`, role: 'row' },
      el('td', { role: 'cell', class: 'col-toggle' }, toggle),
      el('td', { role: 'cell', class: 'col-time mono', title: call.time ?? '' }, time && !Number.isNaN(time.getTime()) ? timeOfDay.format(time) : ''),
      el('td', { role: 'cell', class: 'col-method mono' }, call.method ?? ''),
      el('td', { role: 'cell', class: 'col-path mono', title: call.url ?? '' }, call.path ?? ''),
      el('td', { role: 'cell', class: 'col-status' }, String(call.status ?? ''), call.item ? el('span', { class: 'tag' }, this.labels.item) : null),
      el('td', { role: 'cell', class: 'col-service' }, call.service ?? ''),
      el('td', { role: 'cell', class: 'col-tracking mono' }, call.trackingId ?? ''),
      el('td', { role: 'cell', class: 'col-message' }, el('span', { class: 'message' }, message), call.rule ? this.findingLink(call) : null),
      el('td', { role: 'cell', class: 'col-copy' }, call.rule ? null : this.copyButton(call)),
    );
    const body = el('tbody', { class: 'call-group', role: 'rowgroup' }, row);
    let detail = null;
    const flip = () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      row.classList.toggle('open', open);
      // The details are made on the first expand; the toggle names them from then on.
      if (!detail) {
        detail = body.appendChild(detailRow(call, detailId));
        toggle.setAttribute('aria-controls', detailId);
      }
      detail.hidden = !open;
    };
    toggle.addEventListener('click', flip);
    // A click anywhere on the row but its buttons and links expands it too.
    row.addEventListener('click', (ev) => {
      if (!ev.target.closest('button, a, input') && !getSelection()?.toString()) flip();
    });
    return body;
  }

  copyButton(call) {
    const button = el('button', { type: 'button', class: 'copy-tac' }, this.labels.copy);
    button.addEventListener('click', async () => {
      const notify = this.options.notify ?? (() => {});
      try {
        if (!this.options.summary) throw new Error('no summary for this view');
        notify((await copyText(await this.options.summary(call))) ? t('copied') : t('copyFailed'));
      } catch (err) {
        notify(t('exportFailed', err?.message ?? String(err)));
      }
    });
    return button;
  }

  /** findingLink is the way from a call a rule explains to its finding in the list beside. */
  findingLink(call) {
    const f = (this.options.findings ?? []).find((x) => sameCall(x, call));
    const link = el('button', { type: 'button', class: 'finding-link link' }, t('failedSeeFinding', f?.title || call.rule));
    link.addEventListener('click', () => {
      const item = [...this.container.ownerDocument.querySelectorAll('li.finding')].find((li) => sameCall(li.dataset, call, Number(li.dataset.entry)));
      const target = item?.querySelector('article');
      if (!target) return;
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
      item.classList.add('flash');
      setTimeout(() => item.classList.remove('flash'), 1600);
    });
    return link;
  }
}

/** sameCall tells whether a finding (or a finding item's data) is about the call: its entry, its rule, and its user for a per-item failure. */
function sameCall(f, call, entry = f.entry) {
  if (entry !== call.entry || f.rule !== call.rule) return false;
  return !call.item || !f.email || f.email.toLowerCase() === call.item.toLowerCase();
}

/** haystack is what the filter box searches in a call: path, message, tracking ID, service, status, and the failed item. */
function haystack(call) {
  return [call.path, call.message, call.trackingId, call.service, call.status, call.item, call.method].filter((v) => v !== undefined && v !== null).join('\n').toLowerCase();
}

function detailRow(call, id) {
  return el(
    'tr',
    { class: 'call-detail', id, role: 'row' },
    el(
      'td',
      { colspan: '9', role: 'cell' },
      dl([
        [t('field_url'), call.url, 'mono url'],
        [t('field_codes'), call.codes, 'fact-codes'],
        [t('field_time'), call.time ? new Date(call.time).toLocaleString() : null],
      ]),
      el('h4', {}, t('field_request')),
      el('pre', { class: 'call-request', tabindex: '0' }, call.request || ''),
      el('h4', {}, t('headingResponse')),
      call.response ? el('pre', { class: 'call-response', tabindex: '0' }, call.response) : el('p', { class: 'muted' }, t('noBody')),
    ),
  );
}

/** expectedItem is one kind of harmless call: what it is, how often, why it is harmless, and where that is written. */
function expectedItem({ call, count }) {
  const source = /^https:\/\//.test(call.source ?? '') ? call.source : null;
  return el(
    'li',
    { class: 'expected' },
    el('span', { class: 'mono' }, `${call.method} ${call.path} → ${call.status}`),
    count > 1 ? el('span', { class: 'muted' }, ` ×${count}`) : null,
    el('p', { class: 'reason' }, call.reason ?? ''),
    source
      ? el('p', { class: 'source' }, `${t('failedSource')} `, el('a', { href: source, target: '_blank', rel: 'noopener noreferrer' }, source.replace(/^https:\/\//, '')))
      : null,
  );
}
