// browser.js: the one door to the WebExtension APIs. Every page, the service
// worker and the content script call the browser only through this module, so
// Chrome/Firefox differences live here and nowhere else. Feature detection
// only, never user-agent sniffing. Each onX(cb) returns its unsubscribe.
//
// The content script is the one exception: it cannot import a module without
// making it web-accessible (see extension/content.js), so it makes its three
// calls, identical in both browsers, itself.

const api = globalThis.browser ?? globalThis.chrome;

/**
 * twoEngineImport reports whether a large HAR file is read by two engines in
 * two workers (import-worker.js). Not in Firefox for now: Firefox ESR 153
 * hung opening a small file while the second engine's nested worker loaded
 * (scripts/e2e/failed-calls-firefox.test.mjs, every run; NOTES.md), so
 * there a file is read by one engine, as before.
 */
export function twoEngineImport() {
  return browserFamily() === 'chrome';
}

/** isExtensionContext reports whether the WebExtension APIs are reachable. */
export function isExtensionContext() {
  return Boolean(api?.runtime?.id);
}

/** hasDevtools reports whether this page runs inside DevTools (devtools page or panel). */
export function hasDevtools() {
  return Boolean(api?.devtools?.inspectedWindow);
}

/** runtimeId is our extension's ID ("" outside an extension). */
export function runtimeId() {
  return api?.runtime?.id ?? '';
}

/** getURL resolves a path inside the package. */
export function getURL(path) {
  return api.runtime.getURL(path);
}

/** version is the manifest version string. */
export function version() {
  return api?.runtime?.getManifest?.().version ?? '';
}

/**
 * message returns the UI string key from _locales, or fallback (or the key)
 * when there is no catalog (plain-page mode outside the extension).
 */
export function message(key, substitutions, fallback) {
  const text = api?.i18n?.getMessage?.(key, substitutions);
  return text || fallback || key;
}

/**
 * browserFamily is "firefox" or "chrome", from our own package URL's scheme
 * (moz-extension: vs chrome-extension:), which every extension context has.
 * runtime.getBrowserInfo would say it too, but Firefox does not offer it in
 * devtools pages, where the capture runs
 * (https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Content_scripts#webextension_apis,
 * https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Extending_the_developer_tools#the_devtools_page).
 */
export function browserFamily() {
  const url = api?.runtime?.getURL?.('') ?? globalThis.location?.href ?? '';
  return url.startsWith('moz-extension:') ? 'firefox' : 'chrome';
}

/**
 * uiLanguage is the language of the UI text the admin reads: the
 * catalogLanguage of the _locales catalog the browser picked ("fr",
 * "sr-Latn"), so the engine's explanations match it. i18n.getUILanguage is
 * not used first because Chromium's devtools pages report "en-US" from it
 * while getMessage serves the browser's language (seen with Chromium 156
 * --lang=fr, scripts/e2e/layout.test.mjs). Outside an extension:
 * navigator.language.
 */
export function uiLanguage() {
  return api?.i18n?.getMessage?.('catalogLanguage') || api?.i18n?.getUILanguage?.() || globalThis.navigator?.language || 'en';
}

function listen(event, cb) {
  event.addListener(cb);
  return () => event.removeListener(cb);
}

// Chrome's devtools.* functions take callbacks; Firefox's return promises
// (https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Chrome_incompatibilities#callbacks_and_the_chrome_namespace).
// callOrPromise serves both: it passes a callback and also follows a
// returned promise, whichever answers first. mapArgs turns the callback's
// arguments into one value.
function callOrPromise(fn, thisArg, args, mapArgs = (v) => v) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (...vals) => {
      if (!done) {
        done = true;
        resolve(mapArgs(...vals));
      }
    };
    try {
      const r = fn.call(thisArg, ...args, finish);
      if (r && typeof r.then === 'function') {
        r.then((v) => (Array.isArray(v) ? finish(...v) : finish(v)), reject);
      }
    } catch (err) {
      reject(err);
    }
  });
}

// ---- DevTools ----

/** inspectedTabId is the tab DevTools inspects. */
export function inspectedTabId() {
  return api.devtools.inspectedWindow.tabId;
}

/** onRequestFinished calls cb(harEntry) for every request DevTools captures from now on. */
export function onRequestFinished(cb) {
  return listen(api.devtools.network.onRequestFinished, cb);
}

/** onNavigated calls cb(url) when the inspected page navigates. */
export function onNavigated(cb) {
  return listen(api.devtools.network.onNavigated, cb);
}

/** getHAR resolves with the HAR log of what DevTools captured so far. */
export function getHAR() {
  return callOrPromise(api.devtools.network.getHAR, api.devtools.network, [], (log) => log ?? { entries: [] });
}

/**
 * getContent resolves with {content, encoding} of a captured request.
 * Chrome calls back (content, encoding), encoding "base64" for binary
 * bodies (https://developer.chrome.com/docs/extensions/reference/api/devtools/network#type-Request).
 * Firefox returns a promise of [content, mimeType], text already decoded, so
 * encoding is then null
 * (https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/devtools/network/onRequestFinished).
 * Firefox keeps at most devtools.netmonitor.responseBodyLimit bytes of a
 * body (1 MiB by default; https://bugzilla.mozilla.org/show_bug.cgi?id=1386212);
 * the entry's response.content.size still says the whole size, so the engine
 * marks such a finding bodyTruncated and the panel says so.
 */
export function getContent(request) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (content, encoding) => {
      if (done) return;
      done = true;
      if (Array.isArray(content)) [content, encoding] = [content[0], null]; // Firefox's [content, mimeType]
      resolve({ content: typeof content === 'string' ? content : null, encoding: encoding === 'base64' ? 'base64' : null });
    };
    try {
      const r = request.getContent((content, encoding) => finish(content, encoding));
      if (r && typeof r.then === 'function') r.then((v) => finish(v, null), reject);
    } catch (err) {
      reject(err);
    }
  });
}

/** evalInspected evaluates expr in the inspected page and resolves with its value (undefined on an exception). */
export function evalInspected(expr) {
  return callOrPromise(api.devtools.inspectedWindow.eval, api.devtools.inspectedWindow, [expr], (result, exception) =>
    exception ? undefined : result,
  );
}

/**
 * themeName is DevTools' theme as "light" or "dark", or null outside
 * DevTools. Chrome says "default" for light
 * (https://developer.chrome.com/docs/extensions/reference/api/devtools/panels#property-themeName),
 * Firefox "light" (https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/devtools/panels/themeName).
 */
export function themeName() {
  return normalizeTheme(api?.devtools?.panels?.themeName);
}

function normalizeTheme(name) {
  if (!name) return null;
  return name === 'dark' ? 'dark' : 'light';
}

/**
 * onThemeChanged calls cb(themeName) when DevTools switches theme, where the
 * browser reports it (Firefox: devtools.panels.onThemeChanged; Chrome has no
 * such event, so there it is a no-op).
 */
export function onThemeChanged(cb) {
  const ev = api?.devtools?.panels?.onThemeChanged;
  return ev ? listen(ev, (name) => cb(normalizeTheme(name))) : () => {};
}

/** createPanel adds a DevTools panel and resolves with it. */
export function createPanel(title, iconPath, pagePath) {
  return callOrPromise(api.devtools.panels.create, api.devtools.panels, [title, iconPath, pagePath]);
}

/** onPanelShown calls cb(panelWindow) each time the panel is shown. */
export function onPanelShown(panel, cb) {
  return listen(panel.onShown, cb);
}

// ---- Messaging ----

/**
 * connect opens a port to the service worker. The wrapper's onMessage and
 * onDisconnect return their unsubscribe.
 */
export function connect(name) {
  const port = api.runtime.connect({ name });
  return wrapPort(port);
}

function wrapPort(port) {
  return {
    name: port.name,
    sender: port.sender,
    post: (msg) => port.postMessage(msg),
    onMessage: (cb) => listen(port.onMessage, cb),
    onDisconnect: (cb) => listen(port.onDisconnect, cb),
    disconnect: () => port.disconnect(),
  };
}

/** onConnect calls cb(port) for every port another extension context opens to us. */
export function onConnect(cb) {
  return listen(api.runtime.onConnect, (port) => cb(wrapPort(port)));
}

/**
 * onMessage calls cb(message, sender) for one-off messages. It never answers,
 * so the listener returns nothing (a truthy return would keep the channel open).
 */
export function onMessage(cb) {
  return listen(api.runtime.onMessage, (msg, sender) => {
    cb(msg, sender);
  });
}

/**
 * onRequest calls answer(message, sender) for one-off messages and, when it
 * returns a promise, sends back what the promise resolves to (undefined:
 * not for us, let other listeners answer). The sendResponse + `return true`
 * form is the one both browsers take
 * (https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/runtime/onMessage#sending_an_asynchronous_response_using_sendresponse).
 */
export function onRequest(answer) {
  return listen(api.runtime.onMessage, (msg, sender, sendResponse) => {
    const reply = answer(msg, sender);
    if (!reply) return false;
    reply.then(sendResponse, (err) => sendResponse({ error: String(err?.message ?? err) }));
    return true;
  });
}

/** request sends msg to the other extension pages and resolves with the first answer. */
export function request(msg) {
  return api.runtime.sendMessage(msg);
}

/**
 * isOwnPage reports whether sender is one of our extension pages (not a
 * content script, whose sender.url is the web page's).
 */
export function isOwnPage(sender) {
  return sender?.id === runtimeId() && typeof sender.url === 'string' && sender.url.startsWith(getURL(''));
}

/**
 * sendToTab sends msg to the content scripts of tabId. It needs no "tabs"
 * permission. It resolves false when no content script listens there.
 */
export async function sendToTab(tabId, msg) {
  try {
    await api.tabs.sendMessage(tabId, msg);
    return true;
  } catch {
    return false;
  }
}

// ---- Tabs, toolbar button, storage (the background and the popup) ----

/** onTabRemoved calls cb(tabId) when a tab closes. It needs no "tabs" permission. */
export function onTabRemoved(cb) {
  return listen(api.tabs.onRemoved, (tabId) => cb(tabId));
}

/**
 * activeTabId resolves with the ID of the active tab of the current window
 * (the one whose toolbar button opened the popup), or null. tabs.query
 * needs no permission when it asks for no URL or title.
 */
export async function activeTabId() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/**
 * setBadge shows text on the toolbar button for tabId ("" clears it).
 * Chrome forgets a tab's badge when the tab loads a new document
 * (https://developer.chrome.com/docs/extensions/reference/api/action#method-setBadgeText),
 * so the background sets it again then.
 */
export async function setBadge(tabId, text) {
  try {
    await api.action.setBadgeBackgroundColor({ tabId, color: '#d0332c' });
    await api.action.setBadgeText({ tabId, text });
  } catch {
    // The tab closed meanwhile.
  }
}

/**
 * sessionStore is storage.session: kept in memory across the background's
 * restarts (Chrome stops an idle service worker after 30 s), never on disk,
 * gone when the browser closes. Chrome lets only extension pages and the
 * background read it, not content scripts
 * (https://developer.chrome.com/docs/extensions/reference/api/storage#property-session).
 */
export const sessionStore = {
  get: async (key) => (await api.storage.session.get(key))[key],
  set: (key, value) => api.storage.session.set({ [key]: value }),
  remove: (key) => api.storage.session.remove(key),
};

/** settings are the admin's choices, in storage.local, with their defaults. */
export const SETTINGS = { watchWithoutDevtools: true };

/** getSettings resolves with every setting. */
export async function getSettings() {
  return { ...SETTINGS, ...(await api.storage.local.get(Object.keys(SETTINGS))) };
}

/** setSetting stores one setting. */
export function setSetting(name, value) {
  return api.storage.local.set({ [name]: value });
}
