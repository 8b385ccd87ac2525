// content.js: shows Hub Doctor's banner on Control Hub and Webex sites when
// the devtools page found an error in this tab. It adds exactly one element
// to the page, #hubdoctor-banner, and draws everything inside its shadow
// root; untrusted text goes in as text only.
//
// This is the one file that calls the browser without extension/browser.js.
// Content scripts cannot be ES modules, and importing the shim dynamically
// would need it listed in web_accessible_resources, which lets any Webex page
// load it and so detect that Hub Doctor is installed
// (https://developer.chrome.com/docs/extensions/reference/manifest/web-accessible-resources,
// https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/manifest.json/web_accessible_resources).
// It needs three calls that behave the same in Chrome and Firefox (runtime.id,
// i18n.getMessage, runtime.onMessage), so it keeps them in the small `ext`
// object below; scripts/e2e/package.test.mjs checks it uses nothing else.

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
  };

  const t = (key, subs) => ext.message(key, subs);
  let shownCount = 0;
  let dismissedAt = 0;
  let summary = '';

  ext.onMessage((msg, sender) => {
    // Only our own service worker may draw here (it sends from no tab).
    if (sender?.id !== ext.runtimeId() || sender.tab) return;
    if (!msg || msg.type !== 'hubdoctor-banner' || !Array.isArray(msg.items) || typeof msg.summary !== 'string') return;
    const items = msg.items.filter((it) => it && typeof it.email === 'string' && typeof it.cause === 'string');
    // A dismissed banner comes back only for a new failure.
    if (!items.length || items.length <= dismissedAt) return;
    // The summary may follow the items in a second message: keep the latest.
    if (msg.summary) summary = msg.summary;
    else if (items.length !== shownCount) summary = '';
    if (items.length !== shownCount || !document.getElementById('hubdoctor-banner')) show(items);
  });

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return node;
  }

  function show(items) {
    let host = document.getElementById('hubdoctor-banner');
    if (!host) {
      host = document.createElement('div');
      host.id = 'hubdoctor-banner';
      host.attachShadow({ mode: 'open' });
      document.documentElement.append(host);
    }
    host.setAttribute('role', 'alert');
    shownCount = items.length;
    const root = host.shadowRoot;
    root.replaceChildren();
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);

    const heading =
      items.length === 1 ? t('bannerHeadingOne') : t('bannerHeadingMany', [String(items.length)]);
    const list = el('ul', { class: 'items' });
    for (const it of items.slice(-5).reverse()) {
      list.append(el('li', {}, el('strong', { class: 'email' }, it.email || t('bannerUnknownUser')), ' — ', it.cause));
    }
    if (items.length > 5) list.append(el('li', { class: 'more' }, t('bannerMore', [String(items.length - 5)])));

    const copy = el('button', { type: 'button', class: 'primary' }, t('copySummary'));
    const status = el('span', { class: 'status', 'aria-live': 'polite' });
    copy.addEventListener('click', async () => {
      status.textContent = summary && (await copyText(summary)) ? t('copied') : t('copyFailed');
    });
    const close = el('button', { type: 'button', class: 'close', 'aria-label': t('dismiss'), title: t('dismiss') }, '×');
    close.addEventListener('click', () => {
      dismissedAt = shownCount;
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
          el('p', { class: 'pointer' }, t('bannerPointer')),
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
  .more, .pointer, .close { color: #a9adb4; }
  .close:hover { color: #e8eaed; background: #2c2e32; }
  .status { color: #6fcf8a; }
}`;
})();
