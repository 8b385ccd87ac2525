// popup.js: the toolbar button's popup. It lists the findings the
// background holds for the active tab (found with DevTools closed or open)
// and the failed Webex calls the page observer saw, with the panel's
// renderers, and hands over the TAC summaries and the evidence: a
// sanitized, partial HAR of the calls the page observer read.

import * as ext from './browser.js';
import { localize, t } from './dom.js';
import { findingItem, renderFailedCalls } from './render.js';
import { copyText, downloadText, stamp } from './handover.js';

const $ = (id) => document.getElementById(id);

localize();

function toast(text) {
  const node = $('toast');
  node.textContent = text;
  node.classList.add('shown');
}

async function guarded(fn) {
  try {
    await fn();
  } catch (err) {
    toast(t('exportFailed', err?.message ?? String(err)));
  }
}

/** ask sends the background a request about this tab and fails with its one-line error. */
async function ask(msg) {
  const answer = await ext.request({ ...msg, tabId });
  if (!answer || answer.error) throw new Error(answer?.error ?? 'no answer from the background');
  return answer;
}

// The tab whose toolbar button was clicked; a test that opens this page in a
// tab of its own names the tab to show with ?tab=ID.
const asked = new URLSearchParams(location.search).get('tab');
const tabId = asked !== null ? Number(asked) : await ext.activeTabId();

/** failedCallSummary asks the background's engine for one failed call's TAC summary ("Copy for TAC"). */
const failedCallSummary = (call) => ask({ type: 'hubdoctor-failed-summary', call }).then((a) => a.summary);

async function render() {
  const state = tabId === null ? { findings: [], failedCalls: [], entries: 0, devtools: false } : await ask({ type: 'hubdoctor-tab' });
  const findings = [...state.findings].reverse(); // newest first, as in the panel
  // A failure no rule knows is no finding, but it makes a case for TAC.
  const unknown = state.failedCalls.some((c) => !c.expected);
  $('status-text').textContent = t('countFindings', String(findings.length));
  $('empty').hidden = findings.length > 0 || unknown;
  $('popup-devtools').hidden = !state.devtools;
  $('copy-summary').disabled = findings.length === 0 && !unknown;
  $('download-evidence').disabled = state.entries === 0;
  $('popup-evidence-note').hidden = state.entries === 0;
  $('findings').replaceChildren(...findings.map(findingItem));
  renderFailedCalls($('failed-calls'), state.failedCalls, { findings, summary: failedCallSummary, notify: toast });
  return state;
}

$('copy-summary').addEventListener('click', () =>
  guarded(async () => {
    const { summary } = await ask({ type: 'hubdoctor-tab-summary', format: 'markdown' });
    toast((await copyText(summary)) ? t('copied') : t('copyFailed'));
  }),
);
$('download-evidence').addEventListener('click', () =>
  guarded(async () => {
    const { har } = await ask({ type: 'hubdoctor-tab-evidence' });
    const name = `hubdoctor-evidence-${stamp()}.har`;
    downloadText(har, name, 'application/json');
    toast(t('downloaded', name));
  }),
);

// For tests: the same functions the buttons use.
window.hubdoctorPopup = {
  tabId,
  state: render,
  summary: () => ask({ type: 'hubdoctor-tab-summary', format: 'markdown' }).then((a) => a.summary),
  evidence: () => ask({ type: 'hubdoctor-tab-evidence' }).then((a) => a.har),
  failedCallSummary,
};

await render();
document.body.dataset.ready = 'true';
