// browser.js: the one door to the WebExtension APIs. Every page, the service
// worker and the content script call the browser only through this module, so
// Chrome/Firefox differences live here and nowhere else. Feature detection
// only, never user-agent sniffing. Each onX(cb) returns its unsubscribe.
//
// This module imports nothing: the content script loads it with a dynamic
// import (content scripts cannot be ES modules), which only works for a
// web-accessible file without further imports.

const api = globalThis.browser ?? globalThis.chrome;

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
 * browserFamily is "firefox" or "chrome", by feature: runtime.getBrowserInfo
 * exists only in Firefox
 * (https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/runtime/getBrowserInfo).
 */
export function browserFamily() {
  return typeof api?.runtime?.getBrowserInfo === 'function' ? 'firefox' : 'chrome';
}

/** uiLanguage is the browser's UI language ("en-US"), or navigator.language. */
export function uiLanguage() {
  return api?.i18n?.getUILanguage?.() || globalThis.navigator?.language || 'en';
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
 * Chrome calls back (content, encoding); Firefox resolves [content, mimeType]
 * with text already decoded, so encoding is then null
 * (https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/devtools/network/onRequestFinished).
 */
export function getContent(request) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (v) => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    try {
      const r = request.getContent((content, encoding) =>
        finish({ content: content ?? null, encoding: encoding === 'base64' ? 'base64' : null }),
      );
      if (r && typeof r.then === 'function') {
        r.then((v) => finish({ content: (Array.isArray(v) ? v[0] : v) ?? null, encoding: null }), reject);
      }
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

/** themeName is DevTools' theme ("default"/"dark"), or null outside DevTools. */
export function themeName() {
  return api?.devtools?.panels?.themeName ?? null;
}

/**
 * onThemeChanged calls cb(themeName) when DevTools switches theme, where the
 * browser reports it (Firefox: devtools.panels.onThemeChanged; Chrome has no
 * such event, so there it is a no-op).
 */
export function onThemeChanged(cb) {
  const ev = api?.devtools?.panels?.onThemeChanged;
  return ev ? listen(ev, cb) : () => {};
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
