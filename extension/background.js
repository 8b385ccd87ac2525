// background.js: the service worker routes findings from a devtools page to
// the content script of the tab that page inspects. It validates every
// message: only our own devtools page may talk to it, only in the known
// shapes, and only about the tab it said hello for.

import * as ext from './browser.js';

const MAX_ITEMS = 50;
const MAX_TEXT = 2000;
const MAX_SUMMARY = 512 << 10;

/** devtoolsReady maps tabId → time its devtools page reported ready (tests read it). */
const devtoolsReady = new Map();

/** ports maps tabId → the port of the devtools page inspecting it. */
const ports = new Map();
/** asked maps an inspect request's id → its resolve. */
const asked = new Map();
let lastId = 0;

globalThis.hubdoctorBackground = {
  readyTabs: () => [...devtoolsReady.keys()],
};

/**
 * inspectTab resolves with what the devtools page inspecting tabId (or any
 * tab when tabId is undefined) shows and exports: {tabId, state, summary,
 * har}, or {error} when no devtools page answers within 10 s.
 */
function inspectTab(tabId) {
  const port = tabId === undefined ? ports.values().next().value : ports.get(tabId);
  if (!port) return Promise.resolve({ error: 'no devtools page is open' });
  const id = ++lastId;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      asked.delete(id);
      resolve({ error: 'the devtools page did not answer' });
    }, 10_000);
    asked.set(id, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    port.post({ type: 'inspect', id });
  });
}

// The Firefox tests' door (scripts/e2e/firefox.test.mjs): WebDriver BiDi
// cannot reach DevTools' pages, so a test's extension page asks here for
// what the panel shows. Only our own extension pages may ask; web pages and
// content scripts cannot.
ext.onRequest((msg, sender) => {
  if (msg?.type !== 'hubdoctor-inspect' || !ext.isOwnPage(sender)) return undefined;
  if (msg.tabId !== undefined && !isTabId(msg.tabId)) return undefined;
  return inspectTab(msg.tabId);
});

function fromOurDevtools(port) {
  const s = port.sender;
  return s?.id === ext.runtimeId() && typeof s.url === 'string' && s.url.startsWith(ext.getURL('extension/devtools.html'));
}

function isTabId(v) {
  return Number.isInteger(v) && v >= 0;
}

function isText(v, max = MAX_TEXT) {
  return typeof v === 'string' && v.length <= max;
}

/** bannerMessage returns the message for the content script, or null when msg is malformed. */
function bannerMessage(msg) {
  if (!Array.isArray(msg.items) || msg.items.length === 0 || msg.items.length > MAX_ITEMS) return null;
  if (!isText(msg.summary, MAX_SUMMARY)) return null;
  const items = [];
  for (const it of msg.items) {
    if (!it || !isText(it.email) || !isText(it.title) || !isText(it.cause)) return null;
    items.push({ email: it.email, title: it.title, cause: it.cause });
  }
  return { type: 'hubdoctor-banner', items, summary: msg.summary };
}

/**
 * deliver sends the banner to the tab's content script, retrying for a few
 * seconds: a finding about a page's own document (the SSO error page) is
 * ready before that page's content script listens.
 */
async function deliver(tabId, msg) {
  for (let delay = 50; delay < 3200; delay *= 2) {
    if (await ext.sendToTab(tabId, msg)) return;
    await new Promise((r) => setTimeout(r, delay));
  }
}

ext.onConnect((port) => {
  if (port.name !== 'devtools' || !fromOurDevtools(port)) {
    port.disconnect();
    return;
  }
  let tabId = null;
  port.onMessage((msg) => {
    if (!msg || typeof msg !== 'object' || !isTabId(msg.tabId)) return;
    if (msg.type === 'inspected' && msg.tabId === tabId && asked.has(msg.id)) {
      asked.get(msg.id)(msg);
      asked.delete(msg.id);
      return;
    }
    if (msg.type === 'hello') {
      tabId = msg.tabId;
      ports.set(tabId, port);
      if (msg.ready === true) devtoolsReady.set(tabId, Date.now());
      return;
    }
    // A devtools page speaks only for the tab it inspects.
    if (msg.type === 'banner' && msg.tabId === tabId) {
      const out = bannerMessage(msg);
      if (out) deliver(tabId, out);
    }
  });
  port.onDisconnect(() => {
    if (tabId !== null) {
      devtoolsReady.delete(tabId);
      if (ports.get(tabId) === port) ports.delete(tabId);
    }
  });
});
