// panel.js: the Hub Doctor panel. It renders a provider: the live capture
// handed over by the devtools page, or a HAR file opened or dropped here
// (import.js: streamed through the same engine in a worker), in DevTools, as
// a plain page outside DevTools, or in triage.html. Every text from a response or a
// header reaches the DOM as text only (dom.js never takes markup).

import * as ext from './browser.js';
import { el, t, localize } from './dom.js';
import { HarImport } from './import.js';
import { findingItem, renderFailedCalls } from './render.js';
import { copyText, downloadText, stamp } from './handover.js';

const $ = (id) => document.getElementById(id);

let provider = null;
let unsubscribe = null;
let rendered = 0; // findings already in the list (the list only grows until Clear)

localize();
applyTheme(ext.themeName());
ext.onThemeChanged(applyTheme);

function applyTheme(name) {
  if (name === 'dark') document.documentElement.dataset.theme = 'dark';
  else if (name) document.documentElement.dataset.theme = 'light';
}

function attach(p) {
  if (!p || p === provider) {
    if (p) render(p.snapshot());
    return;
  }
  unsubscribe?.();
  provider = p;
  rendered = 0;
  $('findings').replaceChildren();
  unsubscribe = p.subscribe(render);
  render(p.snapshot());
}

// The opened HAR file's provider, made on the first open in DevTools.
let fileProvider = null;
let live = null;

function fileView() {
  if (!fileProvider) {
    fileProvider = new HarImport();
    fileProvider.start().catch(() => {});
  }
  return fileProvider;
}

/** openFile shows the file provider and reads file (see HarImport.open). */
function openFile(file, name) {
  const p = fileView();
  attach(p);
  return p.open(file, name);
}

if (ext.hasDevtools()) {
  // The devtools page hands its capture over each time the panel is shown;
  // an opened file stays in view until "Back to live capture".
  addEventListener('hubdoctor-provider', () => {
    live = window.__hubdoctorProvider;
    if (!provider || provider !== fileProvider) attach(live);
  });
  live = window.__hubdoctorProvider;
  attach(live);
  addEventListener('unload', () => unsubscribe?.());
  $('open-triage').hidden = false;
  $('back-live').addEventListener('click', () => attach(live));
} else {
  attach(fileView());
}

$('open-har-button').addEventListener('click', () => $('open-har').click());
$('open-har').addEventListener('change', (ev) => {
  const f = ev.target.files?.[0];
  ev.target.value = ''; // the same file again is a new open
  if (f) openFile(f);
});
$('import-cancel').addEventListener('click', () => provider?.cancel?.());

// Drop a HAR file anywhere on the page.
const draggingFiles = (ev) => [...(ev.dataTransfer?.types ?? [])].includes('Files');
addEventListener('dragover', (ev) => {
  if (!draggingFiles(ev)) return;
  ev.preventDefault();
  ev.dataTransfer.dropEffect = 'copy';
  document.body.classList.add('dragging');
});
addEventListener('dragleave', (ev) => {
  if (!ev.relatedTarget) document.body.classList.remove('dragging');
});
addEventListener('drop', (ev) => {
  document.body.classList.remove('dragging');
  const f = ev.dataTransfer?.files?.[0];
  if (!f) return;
  ev.preventDefault();
  openFile(f);
});

// ---- status, notes, empty state ----

function statusText(s) {
  switch (s.status) {
    case 'starting':
      return t('statusStarting');
    case 'failed':
      return t('statusFailed');
    case 'idle':
      return t('statusIdle');
    case 'reading':
      return t('statusReading');
    case 'file':
      return t('statusFile', s.harName);
    default:
      return t('statusWatching');
  }
}

function render(s) {
  const status = $('status');
  status.dataset.state = s.status;
  const parts = [statusText(s)];
  if (s.status === 'watching' || s.status === 'file') {
    parts.push(t('countSeen', s.seen), t('countInspected', s.inspected), t('countFindings', s.findings.length));
  }
  $('status-text').textContent = parts.join(' · ');
  // Only the DevTools panel has a live capture to go back to (triage.html has no such button).
  if ($('back-live')) $('back-live').hidden = !(live && provider === fileProvider);
  renderProgress(s);

  const notes = [];
  if (s.notes.error) notes.push(note('error', s.source === 'file' ? t('noteFileError', s.notes.error) : `${t('statusFailed')}: ${s.notes.error}`));
  if (s.notes.lateOpen && s.findings.length === 0) notes.push(note('hint', t('hintLateOpen'), 'hint-late-open'));
  if (s.notes.networkSilent && s.seen === 0) notes.push(note('hint', t('hintNetworkTab'), 'hint-network-tab'));
  if (s.notes.bodyMissing) notes.push(note('hint', t('hintBodyLimit', s.notes.bodyMissing), 'hint-body-limit'));
  if (s.notes.internalError) notes.push(note('quiet', t('noteInternal'), 'note-internal'));
  if (s.notes.dropped) notes.push(note('quiet', t('noteDropped', s.notes.dropped)));
  if (s.notes.cancelled) notes.push(note('hint', t('noteImportCancelled', mb(s.notes.cancelled.read), s.notes.cancelled.entries), 'note-cancelled'));
  $('notes').replaceChildren(...notes);

  // A failure no rule knows is no finding, but the section below lists it.
  const unknown = s.failedCalls.some((c) => !c.expected);
  $('empty').hidden = s.findings.length > 0 || unknown;
  $('empty-text').textContent = s.source === 'file' ? t('emptyFile') : t('emptyLive');
  // The choice of summary language matters only when the admin's is not
  // English (and only pages that offer it: triage.html reuses this file).
  if ($('summary-lang')) {
    $('summary-lang-choice').hidden = !provider?.lang || provider.lang === 'en';
    $('summary-lang').checked = Boolean(provider && provider.summaryLang !== 'en');
  }
  // With no finding, the failed calls no rule knows still make a case summary.
  for (const id of ['copy-summary', 'download-summary']) $(id).disabled = !(s.findings.length > 0 || unknown);
  $('download-har').disabled = s.source === 'file' ? s.status !== 'file' || Boolean(s.progress) : s.status !== 'watching';

  const list = $('findings');
  if (s.findings.length < rendered) {
    list.replaceChildren();
    rendered = 0;
  }
  // Newest first: the new findings are at the head of the snapshot.
  const fresh = s.findings.slice(0, s.findings.length - rendered);
  list.prepend(...fresh.map(findingItem));
  rendered = s.findings.length;

  renderFailedCalls($('failed-calls'), s.failedCalls, {
    findings: s.findings,
    summary: (call) => provider.failedCallSummary(call),
    notify: toast,
  });
}

/** mb formats a byte count in MB (10^6 bytes), as the progress shows it. */
function mb(bytes) {
  return (bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0);
}

function renderProgress(s) {
  const p = s.progress;
  $('import-progress').hidden = !p;
  if (!p) return;
  $('import-bar').max = Math.max(p.total, 1);
  $('import-bar').value = p.read;
  $('import-text').textContent =
    p.kind === 'sanitize'
      ? t('sanitizeProgress', s.harName, mb(p.read), mb(p.total))
      : t('importProgress', s.harName, mb(p.read), mb(p.total), p.entries);
  $('import-cancel').hidden = p.kind !== 'import';
}

function note(kind, text, id) {
  return el('p', { class: `note ${kind}`, id, role: kind === 'quiet' ? null : 'note' }, text);
}

// ---- exports ----

function toast(text) {
  const node = $('toast');
  node.textContent = text;
  node.classList.add('shown');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => node.classList.remove('shown'), 4000);
}

function download(text, name, type) {
  downloadText(text, name, type);
  toast(t('downloaded', name));
}

async function guarded(fn) {
  try {
    await fn();
  } catch (err) {
    toast(t('exportFailed', err?.message ?? String(err)));
  }
}

$('copy-summary').addEventListener('click', () =>
  guarded(async () => toast((await copyText(await provider.summary('markdown'))) ? t('copied') : t('copyFailed'))),
);
$('download-summary').addEventListener('click', () =>
  guarded(async () => download(await provider.summary('markdown'), `hubdoctor-tac-summary-${stamp()}.md`, 'text/markdown')),
);
$('download-har').addEventListener('click', () =>
  guarded(async () => download(await provider.har($('pseudonymize').checked), `hubdoctor-sanitized-${stamp()}.har`, 'application/json')),
);
$('clear').addEventListener('click', () => provider?.clear());
$('summary-lang')?.addEventListener('change', (ev) => {
  if (provider) provider.summaryLang = ev.target.checked ? provider.lang : 'en';
});

// For tests and for the curious: the same functions the buttons use.
window.hubdoctorPanel = {
  state: () => provider?.snapshot(),
  summary: (format = 'markdown') => provider.summary(format),
  failedCallSummary: (call) => provider.failedCallSummary(call),
  har: (pseudonymize = false) => provider.har(pseudonymize),
  open: (data, name) => openFile(data, name),
  cancel: () => provider?.cancel?.(),
};
