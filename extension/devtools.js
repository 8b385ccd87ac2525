// devtools.js: the devtools page. It lives as long as DevTools is open on a
// tab, panel shown or not, so it owns the live capture; the panel only
// renders it. Findings go to the background, which owns the tab's banner,
// with the inspected tab's ID passed explicitly; what the background found
// while DevTools was closed joins the capture when it starts.

import * as ext from './browser.js';
import { Capture } from './capture.js';

const tabId = ext.inspectedTabId();

// Relay is the port to the background. The worker may be stopped when
// idle, which drops the port: reconnect on the next message.
const relay = {
  port: null,
  ready: false,
  post(msg) {
    if (!this.port) {
      this.port = ext.connect('devtools');
      this.port.onDisconnect(() => {
        this.port = null;
      });
      this.port.onMessage((msg) => {
        if (msg?.type === 'inspect') inspect(msg.id).then((answer) => this.port?.post(answer));
      });
      this.port.post({ type: 'hello', tabId, ready: this.ready });
    }
    this.port.post(msg);
  },
};

const capture = new Capture({
  onFindings: (findings) => relay.post({ type: 'findings', tabId, findings }),
  // What the background holds for the tab: {findings, failedCalls, …}.
  earlier: () => ext.request({ type: 'hubdoctor-tab', tabId }),
  onReady: () => {
    relay.ready = true;
    relay.post({ type: 'hello', tabId, ready: true });
  },
});
capture.start().catch((err) => console.error('hubdoctor: engine failed to start:', err));

// Tests and the panel reach the capture here.
globalThis.hubdoctorCapture = capture;

/**
 * inspect answers the service worker's "inspect" with what the panel shows
 * and exports: the Firefox tests' door (scripts/e2e/firefox.test.mjs), as
 * WebDriver BiDi cannot reach DevTools' pages. background.js only asks on
 * behalf of our own extension pages.
 */
async function inspect(id) {
  try {
    await capture.ready;
    // The snapshot hands over the live list of failed calls: a copy, so that
    // the answer shows the list the summary was written from.
    const snap = capture.snapshot();
    const state = { ...snap, failedCalls: [...snap.failedCalls] };
    const summary = state.findings.length || state.failedCalls.length ? await capture.summary('markdown') : '';
    return { type: 'inspected', id, tabId, state, summary, har: await capture.har() };
  } catch (err) {
    return { type: 'inspected', id, tabId, error: String(err?.message ?? err) };
  }
}

ext
  .createPanel(ext.message('panelTitle', undefined, 'Hub Doctor'), 'extension/icons/icon-32.png', 'extension/panel.html')
  .then((panel) =>
    ext.onPanelShown(panel, (win) => {
      // The panel window is ours (same origin): hand it the capture. If its
      // script has not run yet, it picks the capture up when it does.
      win.__hubdoctorProvider = capture;
      win.dispatchEvent(new win.CustomEvent('hubdoctor-provider'));
    }),
  )
  .catch((err) => console.error('hubdoctor: cannot create the panel:', err));
