// failed-calls-view.mjs: what the failed-calls tests do to and read from the
// "Failed calls" section (extension/render.js renderFailedCalls), the same
// in Chromium (failed-calls.test.mjs evaluates it in the page) and Firefox
// (firefox-harness.mjs carries its source into the test probe, which runs
// it in the framed triage page: extension pages may not evaluate strings).

/**
 * failedCallsOp does actions in order in window w, as an admin would, each
 * followed by the section's update, then resolves with what the section shows. An action
 * is one of {filter: text}, {chip: '4xx'|'5xx'|'item'}, {expand: row},
 * {more: true}, {openExpected: true}, {finding: row} (its "Explained above"
 * link), {copy: row} ("Copy for TAC": resolves once the toast changed, with
 * the text handed to the clipboard in copied). row counts the table's rows
 * from 0. It runs in the page: it uses nothing from this module's scope.
 */
export async function failedCallsOp(w, actions = []) {
  const d = w.document;
  const sec = d.getElementById('failed-calls');
  // The section's next task, and then each until it has all its rows (aria-busy).
  const settled = async () => {
    do await new Promise((resolve) => w.setTimeout(resolve, 0));
    while (sec.hasAttribute('aria-busy'));
  };
  const rowAt = (i) => {
    const row = sec.querySelectorAll('tr.call')[i];
    if (!row) throw new Error(`no row ${i} among ${sec.querySelectorAll('tr.call').length}`);
    return row;
  };
  const text = (n) => n?.textContent ?? '';
  const copied = [];
  let focusedFinding = null;
  for (const a of actions) {
    if (a.filter !== undefined) {
      const box = sec.querySelector('.failed-filter');
      box.value = a.filter;
      box.dispatchEvent(new w.Event('input', { bubbles: true }));
    } else if (a.chip) {
      sec.querySelector(`.chip[data-class="${a.chip}"]`).click();
    } else if (a.expand !== undefined) {
      rowAt(a.expand).querySelector('.row-toggle').click();
    } else if (a.more) {
      sec.querySelector('.failed-more').click();
    } else if (a.openExpected) {
      sec.querySelector('.expected-calls summary').click();
    } else if (a.finding !== undefined) {
      rowAt(a.finding).querySelector('.finding-link').click();
      focusedFinding = d.activeElement?.closest('li.finding')?.dataset.rule ?? null;
    } else if (a.copy !== undefined) {
      // What the button hands to the clipboard (the clipboard itself may
      // refuse a script's click without the user's activation).
      const clip = w.navigator.clipboard;
      const write = clip.writeText.bind(clip);
      clip.writeText = (s) => {
        copied.push(s);
        return write(s);
      };
      const toast = d.getElementById('toast');
      toast.textContent = '';
      rowAt(a.copy).querySelector('.copy-tac').click();
      for (let i = 0; !toast.textContent; i++) {
        if (i > 200) throw new Error('Copy for TAC showed no toast in 10 s');
        await new Promise((resolve) => w.setTimeout(resolve, 50));
      }
      delete clip.writeText;
    }
    await settled();
  }
  const box = sec.querySelector('.expected-calls');
  return {
    hidden: sec.hidden,
    heading: text(sec.querySelector('h2')),
    status: text(sec.querySelector('.failed-status')),
    columns: [...sec.querySelectorAll('thead th[scope="col"]')].map((th) => text(th)),
    rows: [...sec.querySelectorAll('tr.call')].map((r) => ({
      status: Number(text(r.querySelector('.col-status').firstChild)),
      path: text(r.querySelector('.col-path')),
      service: text(r.querySelector('.col-service')),
      tracking: text(r.querySelector('.col-tracking')),
      message: text(r.querySelector('.message')),
      item: Boolean(r.querySelector('.col-status .tag')),
      linked: r.querySelector('.finding-link') ? text(r.querySelector('.finding-link')) : null,
      copy: Boolean(r.querySelector('.copy-tac')),
      expanded: r.querySelector('.row-toggle').getAttribute('aria-expanded'),
      controls: r.querySelector('.row-toggle').getAttribute('aria-controls'),
    })),
    details: [...sec.querySelectorAll('tr.call-detail:not([hidden])')].map((tr) => ({
      id: tr.id,
      request: text(tr.querySelector('.call-request')),
      response: text(tr.querySelector('.call-response')),
      text: text(tr),
    })),
    chips: Object.fromEntries(
      [...sec.querySelectorAll('.chip')].map((c) => [
        c.dataset.class,
        { tag: c.tagName, pressed: c.getAttribute('aria-pressed'), count: Number(text(c.querySelector('.chip-count'))), hidden: c.hidden },
      ]),
    ),
    noMatch: !sec.querySelector('.failed-nomatch').hidden,
    more: sec.querySelector('.failed-more').hidden ? null : text(sec.querySelector('.failed-more')),
    expected: {
      hidden: box.hidden,
      open: box.open,
      summary: text(box.querySelector('summary')),
      items: [...box.querySelectorAll('li')].map((li) => {
        const a = li.querySelector('a');
        return { text: text(li), reason: text(li.querySelector('.reason')), href: a?.href ?? null, target: a?.target ?? null, rel: a?.rel ?? null };
      }),
    },
    focusedFinding,
    copied,
    toast: text(d.getElementById('toast')),
  };
}
