// content.js: Hub Doctor in Control Hub's and the Webex sites' pages (the
// isolated world, from document_start). It does three things:
// - it shows the banner when the background found an error in this tab: it
//   adds exactly one element to the page, #hubdoctor-banner, and draws
//   everything inside its shadow root; untrusted text goes in as text only.
//   The banner's state is the list of findings the background sends, each
//   with its key: a dismissed one, or one shown before an in-page navigation
//   (Control Hub changes routes with history.pushState), does not come back.
// - on Control Hub, it relays the page observer's records
//   (extension/observer.js) to the background: a string detail, a size cap
//   and a rate limit per channel here; the strict schema, the rules' scopes
//   and the Webex hosts in the engine. Nothing goes back to the page.
// - on a Webex site page that names an SSO error, it hands the page to the
//   background (PAGE_HINTS, from the engine's catalog, written at build time
//   by scripts/scopes, say which pages do).
// The last two only while "Watch Control Hub without DevTools" is on.
//
// This is the one file that calls the browser without extension/browser.js.
// Content scripts cannot be ES modules, and importing the shim dynamically
// would need it listed in web_accessible_resources, which lets any Webex page
// load it and so detect that Hub Doctor is installed
// (https://developer.chrome.com/docs/extensions/reference/manifest/web-accessible-resources,
// https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/manifest.json/web_accessible_resources).
// The calls it needs behave the same in Chrome and Firefox, so it keeps them
// in the small `ext` object below; scripts/e2e/package.test.mjs checks it
// uses nothing else.

(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const ext = {
    runtimeId: () => api.runtime.id,
    message: (key, subs) => api.i18n.getMessage(key, subs) || key,
    // Never answers, so the listener returns nothing (a truthy return would
    // keep the message channel open).
    onMessage: (cb) => api.runtime.onMessage.addListener((msg, sender) => {
      cb(msg, sender);
    }),
    // The background may be waking up: a lost message costs one record, never
    // the page. Cut off from the extension (reloaded, updated or disabled
    // while the page stays open: Chrome leaves this script in the page),
    // sendMessage throws "Extension context invalidated" at once, which
    // would be an uncaught error in the page's console at each record.
    send: (msg) => {
      try {
        return api.runtime.sendMessage(msg).catch(() => undefined);
      } catch {
        return Promise.resolve(undefined);
      }
    },
    watching: () => api.storage.local.get({ watchWithoutDevtools: true }).then((s) => s.watchWithoutDevtools !== false),
  };

  /** PAGE_HINTS: one of them is in the lower-cased text of every page that names an SSO error. */
  const PAGE_HINTS = /*@scopes:pages@*/[];
  /**
   * The page observer's channels (extension/observer.js): the calls a rule
   * reads, and the other failed calls to Webex hosts. Each has its own rate,
   * so that a burst of failing calls never takes the rules' calls' turn.
   */
  const RECORD_EVENT = 'hubdoctor:record:v1';
  const FAILED_EVENT = 'hubdoctor:failed:v1';
  /** A record is at most MAX_RECORD characters; at most RATE_MAX of each channel go to the background in RATE_MS. */
  const MAX_RECORD = 3 << 20;
  const RATE_MAX = 20;
  const RATE_MS = 10_000;
  const MAX_PAGE = 1 << 20;
  const loaded = new Date(performance.timeOrigin).toISOString();

  // A new document in this tab: its banner starts empty.
  ext.send({ type: 'hubdoctor-hello' });

  // ---- the page observer's records ----

  if (location.origin === 'https://admin.webex.com') {
    let watching = null; // unknown until the setting is read
    // The record arrives inside the page's own call (its loadend, its
    // promise callback): keep that path to a push, and hand the records to
    // the background in a task of our own, where sendMessage's cost (about
    // a millisecond) no longer stands in the page's way.
    const queued = [];
    const flush = () => {
      for (const record of queued.splice(0)) ext.send({ type: 'hubdoctor-record', record });
    };
    const channels = [RECORD_EVENT, FAILED_EVENT].map((name) => {
      const sent = [];
      const early = [];
      const relay = (detail) => {
        const now = Date.now();
        while (sent.length && now - sent[0] > RATE_MS) sent.shift();
        if (sent.length >= RATE_MAX) return;
        sent.push(now);
        if (queued.push(detail) === 1) setTimeout(flush, 0);
      };
      const onRecord = (ev) => {
        const detail = ev.detail;
        if (typeof detail !== 'string' || detail.length > MAX_RECORD) return;
        if (watching === null) {
          if (early.length < RATE_MAX) early.push(detail);
        } else relay(detail);
      };
      document.addEventListener(name, onRecord);
      return { name, early, relay, onRecord };
    });
    ext.watching().then((on) => {
      watching = on;
      for (const c of channels) {
        if (on) c.early.splice(0).forEach(c.relay);
        else document.removeEventListener(c.name, c.onRecord);
      }
    });
  }

  // ---- a Webex site page that names an SSO error ----

  function checkPage() {
    const html = document.documentElement?.outerHTML ?? '';
    const text = html.slice(0, MAX_PAGE).toLowerCase().replace(/\s+/g, ' ');
    if (!PAGE_HINTS.some((h) => text.includes(h))) return;
    ext.watching().then((on) => {
      if (on) ext.send({ type: 'hubdoctor-page', html: html.slice(0, MAX_PAGE), loaded });
    });
  }
  if (location.origin !== 'https://admin.webex.com') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', checkPage, { once: true });
    else checkPage();
  }

  const t = (key, subs) => ext.message(key, subs);
  // hidden: keys of findings dismissed, or shown before an in-page
  // navigation; shown: keys on the banner now; href: the page it shows them on.
  const hidden = new Set();
  let shown = [];
  let href = location.href;
  let summary = '';

  ext.onMessage((msg, sender) => {
    // Only our own background may draw here (it sends from no tab).
    if (sender?.id !== ext.runtimeId() || sender.tab) return;
    if (!msg || msg.type !== 'hubdoctor-banner' || !Array.isArray(msg.items) || typeof msg.summary !== 'string') return;
    // Control Hub moved to another route since the banner was drawn: what it
    // showed belongs to the page left behind.
    if (location.href !== href) {
      shown.forEach((k) => hidden.add(k));
      href = location.href;
    }
    const items = msg.items.filter(
      (it) => it && typeof it.key === 'string' && typeof it.email === 'string' && typeof it.cause === 'string' && !hidden.has(it.key),
    );
    summary = msg.summary;
    if (!items.length) {
      document.getElementById('hubdoctor-banner')?.remove();
      shown = [];
      return;
    }
    show(items, msg.devtools === true);
  });

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return node;
  }

  function show(items, devtools) {
    let host = document.getElementById('hubdoctor-banner');
    if (!host) {
      host = document.createElement('div');
      host.id = 'hubdoctor-banner';
      host.attachShadow({ mode: 'open' });
      document.documentElement.append(host);
    }
    host.setAttribute('role', 'alert');
    shown = items.map((it) => it.key);
    const root = host.shadowRoot;
    root.replaceChildren();
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);

    const heading =
      items.length === 1 ? t('bannerHeadingOne') : t('bannerHeadingMany', [String(items.length)]);
    const list = el('ul', { class: 'items' });
    for (const it of items.slice(-5).reverse()) {
      const li = el('li', {}, el('strong', { class: 'email' }, it.email || t('bannerUnknownUser')), ' — ', it.cause);
      if (it.needsDevtools === true) li.append(el('span', { class: 'note' }, t('bannerSamlNeedsDevtools')));
      list.append(li);
    }
    if (items.length > 5) list.append(el('li', { class: 'more' }, t('bannerMore', [String(items.length - 5)])));

    const copy = el('button', { type: 'button', class: 'primary' }, t('copySummary'));
    const status = el('span', { class: 'status', 'aria-live': 'polite' });
    copy.addEventListener('click', async () => {
      status.textContent = summary && (await copyText(summary)) ? t('copied') : t('copyFailed');
    });
    const close = el('button', { type: 'button', class: 'close', 'aria-label': t('dismiss'), title: t('dismiss') }, '×');
    close.addEventListener('click', () => {
      shown.forEach((k) => hidden.add(k));
      shown = [];
      host.remove();
    });

    root.append(
      el(
        'div',
        { class: 'banner', part: 'banner' },
        el('div', { class: 'mark', 'aria-hidden': 'true' }, '!'),
        el(
          'div',
          { class: 'body' },
          el('p', { class: 'heading' }, heading),
          list,
          el('p', { class: 'pointer' }, t(devtools ? 'bannerPointer' : 'bannerPointerToolbar')),
          el('div', { class: 'actions' }, copy, status),
        ),
        close,
      ),
    );
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Pages may deny the async clipboard (permissions policy); the click
      // still allows the older command.
      const area = document.createElement('textarea');
      area.value = text;
      const root = document.getElementById('hubdoctor-banner')?.shadowRoot;
      if (!root) return false;
      root.append(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      return ok;
    }
  }

  const CSS = `
:host { all: initial; position: fixed; top: 16px; right: 16px; z-index: 2147483647; }
.banner { display: flex; gap: 12px; align-items: flex-start; box-sizing: border-box; width: min(440px, calc(100vw - 32px));
  padding: 14px 14px 14px 16px; background: #fff; color: #1f2328; border: 1px solid #e2e4e8; border-left: 4px solid #d0332c;
  border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,.18); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.mark { flex: none; width: 22px; height: 22px; border-radius: 50%; background: #d0332c; color: #fff; font-weight: 700;
  display: grid; place-items: center; font-size: 14px; margin-top: 1px; }
.body { flex: 1; min-width: 0; }
.heading { margin: 0 0 6px; font-weight: 600; font-size: 15px; }
.items { margin: 0 0 8px; padding: 0; list-style: none; }
.items li { margin: 0 0 4px; overflow-wrap: anywhere; }
.email { font-weight: 600; }
.more { color: #5b616b; }
.note { display: block; color: #5b616b; font-size: 13px; }
.pointer { margin: 0 0 10px; color: #5b616b; font-size: 13px; }
.actions { display: flex; align-items: center; gap: 10px; }
button { font: inherit; cursor: pointer; border-radius: 6px; }
.primary { background: #0b5cd5; color: #fff; border: 1px solid #0b5cd5; padding: 5px 12px; font-weight: 600; }
.primary:hover { background: #094cb0; }
.close { flex: none; background: transparent; border: 0; color: #5b616b; font-size: 20px; line-height: 1; padding: 2px 6px; }
.close:hover { color: #1f2328; background: #f0f1f3; }
button:focus-visible { outline: 2px solid #0b5cd5; outline-offset: 2px; }
.status { color: #1d7a3a; font-size: 13px; }
@media (prefers-color-scheme: dark) {
  .banner { background: #1e1f22; color: #e8eaed; border-color: #3a3c40; border-left-color: #f0625a; }
  .mark { background: #f0625a; color: #1e1f22; }
  .more, .pointer, .close, .note { color: #a9adb4; }
  .close:hover { color: #e8eaed; background: #2c2e32; }
  .status { color: #6fcf8a; }
}`;
})();
