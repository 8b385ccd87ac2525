// background.js: the service worker (Chrome) or background page (Firefox).
// It owns each tab's findings, however they were seen: from the devtools
// page's capture when DevTools is open, and from the page observer and the
// Webex site pages when it is not, which it analyses with its own engine.
// It keeps them in storage.session so that they outlive the worker's idle
// stop, deduplicates them by the key the engine gives, shows them on the
// tab's banner and toolbar badge, and answers the popup and the panel. It
// keeps the failed Webex calls the page observer saw too, for the popup:
// they change neither the banner nor the badge, which are for findings.
//
// Every message is validated: the devtools page speaks only for the tab it
// inspects; a content script only for its own tab, and a record only from
// Control Hub's page; our own extension pages may read a tab's findings.

import './engine/wasm_exec.js';
import * as ext from './browser.js';
import { loadEngine, pickLanguage } from './engine.js';

const MAX_ITEMS = 50;
const MAX_TEXT = 2000;
/** A tab keeps at most MAX_FINDINGS findings and MAX_ENTRIES observed calls (MAX_ENTRY_BYTES in all) for the evidence. */
const MAX_FINDINGS = 200;
const MAX_ENTRIES = 100;
const MAX_ENTRY_BYTES = 4 << 20;
/** A tab keeps the last MAX_FAILED failed calls (MAX_FAILED_BYTES of JSON in all: storage.session is small). */
const MAX_FAILED = 500;
const MAX_FAILED_BYTES = 2 << 20;
/** A failed call the popup asks a TAC summary for is at most MAX_CALL_BYTES of JSON (the engine caps its request and response). */
const MAX_CALL_BYTES = 256 << 10;
/** A finding about a page's own document found this shortly before the page says hello belongs to that page's banner. */
const DOCUMENT_GRACE_MS = 10_000;
const ADMIN_ORIGIN = 'https://admin.webex.com';

// ---- the engine, started on first need ----

let engine = null;
function startEngine() {
  engine ??= loadEngine().then((ns) => ({ ns, lang: pickLanguage(ns) }));
  return engine;
}

// ---- tab state ----

/** tabs caches each tab's state; storage.session holds it across restarts. */
const tabs = new Map();
/** devtools maps tabId → the port of the devtools page inspecting it. */
const ports = new Map();
/** devtoolsReady maps tabId → the time its devtools page reported ready (tests read it). */
const devtoolsReady = new Map();

const storeKey = (tabId) => `tab:${tabId}`;

/**
 * tabState resolves with a tab's state: {findings, entries, failed, page};
 * failed holds the failed calls as the engine's JSON, oldest first.
 */
async function tabState(tabId) {
  let st = tabs.get(tabId);
  if (!st) {
    st = (await ext.sessionStore.get(storeKey(tabId)).catch(() => undefined)) ?? {
      findings: [],
      entries: [],
      failed: [],
      // page: the banner of the document now shown: when it loaded and the keys of its findings.
      page: { keys: [] },
    };
    // Two callers may have loaded it at once: keep the first.
    if (tabs.has(tabId)) return tabs.get(tabId);
    tabs.set(tabId, st);
  }
  return st;
}

/** save writes a tab's state through, one write at a time per tab. */
const saving = new Map();
function save(tabId) {
  const prev = saving.get(tabId) ?? Promise.resolve();
  const next = prev.then(() => {
    const st = tabs.get(tabId);
    return st ? ext.sessionStore.set(storeKey(tabId), st) : undefined;
  }).catch((err) => console.warn('hubdoctor: cannot keep the tab state:', err));
  saving.set(tabId, next);
  return next;
}

/** serial runs a tab's updates in order, so two findings never race on one state. */
const queues = new Map();
function serial(tabId, fn) {
  const next = (queues.get(tabId) ?? Promise.resolve()).then(fn).catch((err) => console.warn('hubdoctor:', err));
  queues.set(tabId, next);
  return next;
}

/**
 * addFindings merges explained findings (each with the engine's key) into a
 * tab's state: a key already known is the same failure seen another way and
 * adds nothing. New errors join the banner of the page now shown.
 */
async function addFindings(tabId, findings) {
  const st = await tabState(tabId);
  const known = new Set(st.findings.map((f) => f.key));
  let fresh = 0;
  for (const f of findings) {
    if (!f || typeof f.key !== 'string' || known.has(f.key)) continue;
    known.add(f.key);
    st.findings.push({ ...f, foundAt: Date.now() });
    if (f.severity === 'error') st.page.keys.push(f.key);
    fresh++;
  }
  if (!fresh) return;
  while (st.findings.length > MAX_FINDINGS) st.findings.shift();
  await save(tabId);
  await ext.setBadge(tabId, String(st.findings.length));
  await showBanner(tabId);
}

/** keepEntry adds an observed call's sanitized entry to the tab's evidence, within the caps. */
function keepEntry(st, entry) {
  keepLast(st.entries, entry, MAX_ENTRIES, MAX_ENTRY_BYTES);
}

/** keepLast appends text to list, then drops the oldest until list holds at most max texts and maxBytes in all. */
function keepLast(list, text, max, maxBytes) {
  list.push(text);
  let bytes = list.reduce((n, e) => n + e.length, 0);
  while (list.length > max || bytes > maxBytes) bytes -= list.shift().length;
}

// ---- the banner ----

/**
 * showBanner sends the tab's content script the findings of the page now
 * shown (the banner's whole state: a list, newest last), then the same with
 * the TAC summary for its copy button once the engine wrote it.
 */
async function showBanner(tabId) {
  const st = await tabState(tabId);
  const byKey = new Map(st.findings.map((f) => [f.key, f]));
  const shown = st.page.keys.map((k) => byKey.get(k)).filter(Boolean).slice(-MAX_ITEMS);
  const items = shown.map((f) => ({
    key: f.key,
    email: (f.email ?? '').slice(0, MAX_TEXT),
    cause: (f.title || f.cause || f.rule || '').slice(0, 300),
    // With DevTools closed no SAML response is seen: say how to get the attribute checks.
    needsDevtools: f.flow === 'sso-sign-in' && !f.samlSeen,
  }));
  const devtools = ports.has(tabId);
  const msg = { type: 'hubdoctor-banner', items, devtools, summary: '' };
  const page = st.page;
  deliver(tabId, msg, page);
  if (!items.length) return;
  try {
    const { ns } = await startEngine();
    const summary = await ns.summary(JSON.stringify(shown), JSON.stringify(summaryOptions('markdown', 'en')));
    deliver(tabId, { ...msg, summary }, page);
  } catch (err) {
    console.warn('hubdoctor: no TAC summary for the banner:', err);
  }
}

/**
 * deliver sends the banner of page (a tab state's page) to the tab's content
 * script, retrying for a few seconds while no content script listens yet (a
 * finding may be ready before the page's script runs). It gives up once the
 * tab shows another document: a fresh page never gets an old banner.
 */
async function deliver(tabId, msg, page) {
  for (let delay = 50; delay < 3200; delay *= 2) {
    if (tabs.get(tabId)?.page !== page) return;
    if (await ext.sendToTab(tabId, msg)) return;
    await new Promise((r) => setTimeout(r, delay));
  }
}

/**
 * pageLoaded starts the banner of a new document in the tab: a freshly
 * loaded page shows no earlier finding, but for one about this very
 * document found moments before (an SSO error page seen by DevTools).
 */
async function pageLoaded(tabId, url) {
  const st = await tabState(tabId);
  const now = Date.now();
  st.page = { keys: st.findings.filter((f) => f.url === url && now - f.foundAt < DOCUMENT_GRACE_MS).map((f) => f.key) };
  await save(tabId);
  if (st.findings.length) await ext.setBadge(tabId, String(st.findings.length));
  if (st.page.keys.length) await showBanner(tabId);
}

// ---- what the page saw, with DevTools closed ----

/**
 * observed merges what the engine made of a record or a page: its findings,
 * its failed calls, and its sanitized entry for the evidence, unless all the
 * record gave is a call the engine knows to be harmless.
 */
async function observed(tabId, result) {
  if (result.ruleErrors?.length) console.warn('hubdoctor: a check failed:', result.ruleErrors.join('; '));
  const st = await tabState(tabId);
  const calls = result.failedCalls ?? [];
  for (const c of calls) keepLast(st.failed, JSON.stringify(c), MAX_FAILED, MAX_FAILED_BYTES);
  const harmless = calls.length > 0 && calls.every((c) => c.expected) && !result.findings?.length;
  if (result.entry && !harmless) keepEntry(st, result.entry);
  if (result.findings?.length) await addFindings(tabId, result.findings);
  else await save(tabId);
}

async function observeRecord(tabId, record) {
  const { ns, lang } = await startEngine();
  await observed(tabId, await ns.observe(tabId, record, lang));
}

async function observePage(tabId, url, html, loaded) {
  // DevTools, when open, sees the page and the SAML response before it: it says more.
  if (ports.has(tabId)) return;
  const { ns, lang } = await startEngine();
  await observed(tabId, await ns.observePage(tabId, url, html, loaded, lang));
}

function isTabId(v) {
  return Number.isInteger(v) && v >= 0;
}

function isText(v, max = MAX_TEXT) {
  return typeof v === 'string' && v.length <= max;
}

/**
 * fromContentScript returns the sender's tab ID when the sender is our
 * content script in a tab's top frame, else null. An extension page opened in
 * a tab (the popup in a test, the triage page) has a tab too, but its URL is
 * ours.
 */
function fromContentScript(sender) {
  if (sender?.id !== ext.runtimeId() || !sender.tab || sender.frameId !== 0 || !isTabId(sender.tab.id)) return null;
  if (ext.isOwnPage(sender)) return null;
  return sender.tab.id;
}

function originOf(url) {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

// Registered at once, at the top level: the message that wakes the worker
// arrives before the engine is ready, and handlers await it.
ext.onRequest((msg, sender) => {
  if (!msg || typeof msg !== 'object') return undefined;
  const tabId = fromContentScript(sender);
  if (tabId !== null) {
    const page = originOf(sender.url);
    switch (msg.type) {
      case 'hubdoctor-hello':
        if (!page) return undefined;
        return serial(tabId, () => pageLoaded(tabId, sender.url)).then(() => ({ ok: true }));
      case 'hubdoctor-record':
        // Records come only from Control Hub's page, where the observer runs.
        if (page?.origin !== ADMIN_ORIGIN || !isText(msg.record, 3 << 20)) return undefined;
        return serial(tabId, () => observeRecord(tabId, msg.record)).then(() => ({ ok: true }));
      case 'hubdoctor-page':
        if (page?.protocol !== 'https:' || !page.hostname.endsWith('.webex.com') || !isText(msg.html, 1 << 20) || !isText(msg.loaded, 40)) {
          return undefined;
        }
        return serial(tabId, () => observePage(tabId, sender.url, msg.html, msg.loaded)).then(() => ({ ok: true }));
      default:
        return undefined;
    }
  }
  if (!ext.isOwnPage(sender)) return undefined;
  // Our own pages: the popup, the panel, the Firefox tests' probe.
  switch (msg.type) {
    case 'hubdoctor-inspect':
      if (msg.tabId !== undefined && !isTabId(msg.tabId)) return undefined;
      return inspectTab(msg.tabId);
    case 'hubdoctor-tab':
      if (!isTabId(msg.tabId)) return undefined;
      return tabState(msg.tabId).then((st) => ({
        findings: st.findings,
        failedCalls: failedCalls(st),
        entries: st.entries.length,
        devtools: ports.has(msg.tabId),
      }));
    case 'hubdoctor-tab-summary':
      if (!isTabId(msg.tabId) || !isText(msg.lang ?? '', 20)) return undefined;
      return tabSummary(msg.tabId, msg.format, msg.lang);
    case 'hubdoctor-tab-evidence':
      if (!isTabId(msg.tabId)) return undefined;
      return tabEvidence(msg.tabId, msg.pseudonymize === true);
    case 'hubdoctor-failed-summary':
      if (!msg.call || typeof msg.call !== 'object' || !isText(msg.lang ?? '', 20)) return undefined;
      return failedCallSummary(msg.call, msg.format, msg.lang);
    default:
      return undefined;
  }
});

/** failedCalls returns a tab's failed calls, oldest first. */
function failedCalls(st) {
  return st.failed.map((c) => JSON.parse(c));
}

function summaryOptions(format, lang) {
  return { format, lang: lang || 'en', browser: ext.browserFamily(), harName: 'hubdoctor-evidence.har' };
}

async function tabSummary(tabId, format = 'markdown', lang = 'en') {
  const st = await tabState(tabId);
  const { ns } = await startEngine();
  const options = { ...summaryOptions(format, lang), failedCalls: failedCalls(st) };
  return { summary: await ns.summary(JSON.stringify(st.findings), JSON.stringify(options)) };
}

/** failedCallSummary resolves with the engine's TAC summary of one failed call the popup lists. */
async function failedCallSummary(call, format = 'markdown', lang = 'en') {
  const json = JSON.stringify(call);
  if (json.length > MAX_CALL_BYTES) return { error: `the failed call is ${json.length} bytes of JSON, over ${MAX_CALL_BYTES}` };
  const { ns } = await startEngine();
  return { summary: await ns.failedCallSummary(json, JSON.stringify(summaryOptions(format, lang))) };
}

async function tabEvidence(tabId, pseudonymize) {
  const st = await tabState(tabId);
  const { ns } = await startEngine();
  return { har: await ns.evidenceHAR(`[${st.entries.join(',')}]`, pseudonymize) };
}

ext.onTabRemoved((tabId) => {
  tabs.delete(tabId);
  queues.delete(tabId);
  saving.delete(tabId);
  ext.sessionStore.remove(storeKey(tabId)).catch(() => {});
  engine?.then(({ ns }) => ns.forgetTab(tabId)).catch(() => {});
});

// ---- the devtools page ----

/** asked maps an inspect request's id → its resolve. */
const asked = new Map();
let lastId = 0;

/**
 * inspectTab resolves with what the devtools page inspecting tabId (or any
 * tab when tabId is undefined) shows and exports: {tabId, state, summary,
 * har}, or {error} when no devtools page answers within 10 s. The Firefox
 * tests' door (scripts/e2e/firefox.test.mjs): WebDriver BiDi cannot reach
 * DevTools' pages, so a test's extension page asks here.
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

function fromOurDevtools(port) {
  const s = port.sender;
  return s?.id === ext.runtimeId() && typeof s.url === 'string' && s.url.startsWith(ext.getURL('extension/devtools.html'));
}

/** devtoolsFindings returns the findings of a devtools page's message, or null when malformed. */
function devtoolsFindings(msg) {
  if (!Array.isArray(msg.findings) || msg.findings.length === 0 || msg.findings.length > MAX_ITEMS) return null;
  for (const f of msg.findings) {
    if (!f || !isText(f.key, 4 * MAX_TEXT) || !isText(f.rule) || !isText(f.email ?? '') || !isText(f.title ?? '')) return null;
  }
  return msg.findings;
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
    if (msg.type === 'findings' && msg.tabId === tabId) {
      const findings = devtoolsFindings(msg);
      if (findings) serial(tabId, () => addFindings(tabId, findings));
    }
  });
  port.onDisconnect(() => {
    if (tabId !== null) {
      devtoolsReady.delete(tabId);
      if (ports.get(tabId) === port) ports.delete(tabId);
    }
  });
});

// For the tests: what the background holds, without a message round trip.
globalThis.hubdoctorBackground = {
  readyTabs: () => [...devtoolsReady.keys()],
  tabState: (tabId) => tabState(tabId).then((st) => ({ ...JSON.parse(JSON.stringify(st)), failedCalls: failedCalls(st) })),
  engineStarted: () => engine !== null,
};
