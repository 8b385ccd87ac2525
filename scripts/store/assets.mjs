// assets.mjs (make store-assets): the store listing pictures from the real
// product. For each UI language it starts Debian's Chromium headless with
// the built extension (dist/chrome, or HUBDOCTOR_DIST) in that language
// against the Control Hub stand-in, plays the seeds' failing "Add users"
// with DevTools closed and screenshots what an admin sees: the banner, the
// toolbar popup, the panel and the triage page on the seeds' HAR file, the
// TAC summary the panel exports, and the promo tile. The names and sizes are
// in pictures.mjs; store/README.md says which store takes which file.
//
// Composed pictures (the popup over the page, the summary as a document,
// the promo tile) are small HTML pages of real screenshots and real
// exported text, screenshot at the exact size: no image tool needed. The
// stand-in's notice ("It is not Cisco Control Hub") must be legible in
// every picture of the stand-in page: the script checks it before each
// screenshot and fails otherwise.
//
// Usage: node scripts/store/assets.mjs [lang ...]   (default: every language)

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, addUsers, adminURL, launchChromium, poll, readBanner, startStandin } from '../e2e/harness.mjs';
import { expectedTexts } from '../e2e/languages.mjs';
import { overflowing } from '../e2e/overflow.mjs';
import { LANGUAGES, PICTURES, ROOT, STORE } from './pictures.mjs';

const SEED = join(ROOT, 'testdata/sessions/chrome-seed-carrier.har');
const ICON = join(ROOT, 'extension/icons/icon-128.png');
const SIZE = { width: 1280, height: 800 };
// Chrome draws an extension's popup at the size of its document, at most
// 800×600, hanging below the toolbar at the window's right edge.
const POPUP_MAX_HEIGHT = 600;
const POPUP_RIGHT = 12;

const langs = process.argv.slice(2).length ? process.argv.slice(2) : LANGUAGES;
for (const lang of langs) if (!LANGUAGES.includes(lang)) throw new Error(`${lang}: not a UI language of the extension (${LANGUAGES.join(', ')})`);
// Without a Korean font Chromium draws boxes; make deps installs fonts-nanum.
if (langs.includes('ko') && !existsSync('/usr/share/fonts/truetype/nanum')) throw new Error('Korean pictures need fonts-nanum (make deps installs it)');

const started = Date.now();
const standin = await startStandin();
try {
  for (const lang of langs) {
    const t0 = Date.now();
    await pictures(lang);
    console.log(`store-assets: ${lang} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
} finally {
  standin.stop();
}
console.log(`store-assets: ${langs.length} languages × ${PICTURES.length} pictures in ${((Date.now() - started) / 1000).toFixed(1)} s (extension ${DIST})`);

/** pictures writes every picture of one language into store/<lang>/. */
async function pictures(lang) {
  const dir = join(STORE, lang);
  mkdirSync(dir, { recursive: true });
  const want = expectedTexts(lang);
  const written = new Set();
  const save = (file, png) => {
    const spec = PICTURES.find((p) => p.file === file);
    if (!spec) throw new Error(`${file} is not in pictures.mjs`);
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    if (w !== spec.width || h !== spec.height) throw new Error(`${lang}/${file}: ${w}×${h}, want ${spec.width}×${spec.height}`);
    writeFileSync(join(dir, file), png);
    written.add(file);
  };

  const s = await launchChromium(standin, { devtools: false, lang, headless: true });
  try {
    // (1) The banner, DevTools closed, on the stand-in's admin page.
    const admin = s.page;
    await admin.goto(adminURL('carrier'));
    await addUsers(admin);
    const shown = await poll(async () => {
      const b = await admin.evaluate(readBanner);
      return b?.emails.includes('alex.dekker@example.com') ? b : null;
    }, { ms: 20_000, what: 'the banner naming the seeds\' user' });
    if (shown.heading !== want.bannerHeading) throw new Error(`${lang}: the banner's heading is "${shown.heading}", not "${want.bannerHeading}"`);
    const banner = await admin.evaluate(() => {
      const r = document.getElementById('hubdoctor-banner').shadowRoot.querySelector('.banner').getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    });
    await settle(admin);
    await keepNoticeClearOf(admin, banner);
    save('screenshot-1-banner.png', await admin.screenshot());

    // (2) The toolbar popup. A test cannot click the toolbar button: the
    // popup's page opens in a tab at the popup's width, and its screenshot
    // is drawn over the page's where Chrome shows the popup.
    const tabId = await s.tabIdOf(admin);
    const popup = await s.openPopup(tabId);
    await poll(() => popup.evaluate(() => document.querySelectorAll('#findings li.finding').length > 0), { ms: 15_000, what: 'the finding in the popup' });
    const popupWidth = await popup.evaluate(() => Math.ceil(document.body.getBoundingClientRect().width));
    await popup.setViewportSize({ width: popupWidth, height: POPUP_MAX_HEIGHT });
    await settle(popup);
    // A string, as layout.test.mjs does: the extension page's CSP forbids
    // eval, so overflowing's source travels in the evaluated expression.
    const popupView = await popup.evaluate(`({
      height: Math.min(${POPUP_MAX_HEIGHT}, Math.ceil(document.body.getBoundingClientRect().height)),
      copy: document.getElementById('copy-summary').textContent,
      title: document.querySelector('#findings h3')?.textContent ?? '',
      bad: (${overflowing})(document),
    })`);
    if (popupView.copy !== want.copySummary) throw new Error(`${lang}: the popup's button says "${popupView.copy}", not "${want.copySummary}"`);
    if (!popupView.title.includes(want.findingTitle)) throw new Error(`${lang}: the popup's finding is "${popupView.title}", not "${want.findingTitle}"`);
    if (popupView.bad.length) throw new Error(`${lang}: clipped text in the popup: ${popupView.bad.join('; ')}`);
    const popupPng = await popup.screenshot({ clip: { x: 0, y: 0, width: popupWidth, height: popupView.height } });
    await popup.close();
    await admin.bringToFront();
    const at = { left: SIZE.width - POPUP_RIGHT - popupWidth - 2, top: 0 }; // 1px border each side
    await keepNoticeClearOf(admin, { ...at, right: SIZE.width, bottom: at.top + popupView.height + 2 });
    const pagePng = await admin.screenshot();
    const compose = await s.context.newPage();
    await show(
      compose,
      lang,
      `<style>
        body { margin: 0; width: ${SIZE.width}px; height: ${SIZE.height}px; overflow: hidden; position: relative; }
        .popup { position: absolute; left: ${at.left}px; top: ${at.top}px; border: 1px solid #c9ccd1; border-top: 0;
          border-radius: 0 0 8px 8px; overflow: hidden; box-shadow: 0 6px 20px rgba(0,0,0,.25); line-height: 0; }
      </style>
      <img src="${dataURL(pagePng)}" alt="">
      <div class="popup"><img src="${dataURL(popupPng)}" alt=""></div>`,
    );
    save('screenshot-2-popup.png', await compose.screenshot());

    // (3) The panel: panel.html as a plain page (no chrome.devtools) shows
    // an opened HAR file, with the same renderer as in DevTools.
    const panel = await s.context.newPage();
    const summaryLang = await openSeed(panel, s.extensionId, 'panel.html', want);
    await settle(panel);
    save('screenshot-3-panel.png', await panel.screenshot());

    // (5) The TAC summary, as the panel's "Download TAC summary" writes it.
    const d = panel.waitForEvent('download', { timeout: 20_000 });
    await panel.click('#download-summary');
    const download = await d;
    const markdown = readFileSync(await download.path(), 'utf8');
    if (!markdown.includes(want.findingTitle)) throw new Error(`${lang}: the TAC summary does not name "${want.findingTitle}"`);
    await show(compose, lang, summaryPage());
    await compose.evaluate((name) => {
      document.getElementById('file').textContent = name;
    }, download.suggestedFilename());
    await compose.evaluate(renderMarkdown, markdown);
    await settle(compose);
    save('screenshot-5-tac-summary.png', await compose.screenshot());
    console.log(`store-assets: ${lang}: TAC summary in ${summaryLang}`);

    // (4) The triage page (the options page) with the same file.
    const triage = await s.context.newPage();
    await openSeed(triage, s.extensionId, 'triage.html', want);
    await settle(triage);
    save('screenshot-4-triage.png', await triage.screenshot());

    // The promo tile: the icon, the name and the one-line description.
    const catalog = JSON.parse(readFileSync(join(ROOT, 'extension/_locales', lang, 'messages.json'), 'utf8'));
    await compose.setViewportSize({ width: 440, height: 280 });
    await show(compose, lang, promoTile());
    const tileBad = await compose.evaluate(
      ([name, description]) => {
        document.getElementById('name').textContent = name;
        document.getElementById('description').textContent = description;
        const tile = document.querySelector('.tile').getBoundingClientRect();
        return [...document.querySelectorAll('.tile *')]
          .filter((e) => {
            const r = e.getBoundingClientRect();
            return r.left < tile.left || r.top < tile.top || r.right > tile.right || r.bottom > tile.bottom;
          })
          .map((e) => e.id || e.tagName);
      },
      [catalog.extName.message, catalog.extDescription.message],
    );
    if (tileBad.length) throw new Error(`${lang}: the promo tile's text does not fit: ${tileBad.join(', ')}`);
    await settle(compose);
    save('promo-tile-440x280.png', await compose.screenshot());
  } finally {
    await s.close();
  }
  const missing = PICTURES.filter((p) => !written.has(p.file)).map((p) => p.file);
  if (missing.length) throw new Error(`${lang}: not written: ${missing.join(', ')}`);
}

/**
 * openSeed loads an extension page (panel.html or triage.html), opens the
 * seeds' HAR file in it and checks it shows the finding in the page's
 * language; where the page offers a TAC summary in the UI language, it
 * picks it. It resolves with the summary's language.
 */
async function openSeed(page, extensionId, path, want) {
  await page.goto(`chrome-extension://${extensionId}/extension/${path}`);
  await poll(() => page.evaluate(() => globalThis.hubdoctorPanel?.state()?.status === 'idle'), { ms: 20_000, what: `the engine in ${path}` });
  await page.evaluate(([text, name]) => globalThis.hubdoctorPanel.open(text, name), [readFileSync(SEED, 'utf8'), 'chrome-seed-carrier.har']);
  await poll(async () => {
    const st = await page.evaluate(() => globalThis.hubdoctorPanel.state());
    return st.status === 'file' && !st.progress && (await page.locator('#findings li.finding').count()) > 0;
  }, { ms: 20_000, what: `the finding in ${path}` });
  const title = await page.textContent('#findings h3');
  if (!title.includes(want.findingTitle)) throw new Error(`${path}: the finding is "${title}", not "${want.findingTitle}"`);
  if ((await page.locator('#summary-lang-choice').count()) && (await page.isVisible('#summary-lang-choice'))) {
    await page.check('#summary-lang');
    return want.engineLang;
  }
  return 'en';
}

/**
 * settle puts a page in the state a screenshot should show: no pointer
 * hovering a button, no focus ring, web fonts and images loaded.
 */
async function settle(page) {
  await page.mouse.move(SIZE.width - 1, SIZE.height - 1);
  await page.evaluate(async () => {
    document.activeElement?.blur?.();
    await document.fonts.ready;
    await Promise.all([...document.images].map((img) => img.decode().catch(() => {})));
  });
}

/**
 * keepNoticeClearOf makes the stand-in's notice wrap left of box (the
 * banner or the popup, which Chrome and the extension draw at the top
 * right, over the notice's line), then checks that every part of the
 * notice's text is inside the viewport, clear of box, and the topmost thing
 * where it is drawn. It throws otherwise: no picture may show the stand-in
 * without the line that says it is not Cisco Control Hub.
 */
async function keepNoticeClearOf(page, box) {
  const problems = await page.evaluate((box) => {
    const notice = document.getElementById('standin-notice');
    if (!notice) return ['no #standin-notice on the page'];
    const out = [];
    if (!/It is not Cisco Control Hub/.test(notice.textContent)) out.push(`the notice says "${notice.textContent}"`);
    notice.style.paddingRight = `${Math.max(0, innerWidth - box.left) + 20}px`;
    const style = getComputedStyle(notice);
    if (style.visibility !== 'visible' || style.display === 'none' || Number(style.opacity) < 1) out.push('the notice is hidden');
    const range = document.createRange();
    range.selectNodeContents(notice);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (!rects.length) out.push('the notice has no text on screen');
    for (const r of rects) {
      const where = `text at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`;
      if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) out.push(`${where} is outside the viewport`);
      if (r.left < box.right && r.right > box.left && r.top < box.bottom && r.bottom > box.top) out.push(`${where} is under the overlay`);
      for (const x of [r.left + 1, (r.left + r.right) / 2, r.right - 1]) {
        const hit = document.elementFromPoint(x, (r.top + r.bottom) / 2);
        if (!hit || !notice.contains(hit)) out.push(`${where}: ${hit ? `<${hit.tagName.toLowerCase()} id="${hit.id}">` : 'nothing'} is drawn over it at x=${Math.round(x)}`);
      }
    }
    return out;
  }, box);
  if (problems.length) throw new Error(`the stand-in notice is not legible: ${problems.join('; ')}`);
}

/**
 * show loads a composition page in lang (html is this script's own markup:
 * text from the product goes in afterwards, as text) and waits for its
 * images and fonts. lang picks the fonts, e.g. Korean glyphs.
 */
async function show(page, lang, html) {
  await page.setContent(`<!doctype html><html lang="${lang}"><meta charset="utf-8">${html}`);
  await settle(page);
}

function dataURL(png) {
  return `data:image/png;base64,${png.toString('base64')}`;
}

/**
 * summaryPage is a plain document view for the exported Markdown: a window
 * titled with the file's name (#file), the text rendered into #doc by
 * renderMarkdown. The text runs on below the window's edge, as a long
 * document does.
 */
function summaryPage() {
  return `<style>
    body { margin: 0; width: ${SIZE.width}px; height: ${SIZE.height}px; overflow: hidden; background: #e6e8ec;
      font: 14px/1.55 system-ui, "Segoe UI", Roboto, sans-serif; color: #1f2328; }
    .window { position: absolute; left: 150px; right: 150px; top: 28px; bottom: 0; background: #fff; border: 1px solid #cfd3d9;
      border-bottom: 0; border-radius: 8px 8px 0 0; box-shadow: 0 8px 28px rgba(0,0,0,.14); overflow: hidden; }
    .title { display: flex; align-items: center; gap: 8px; height: 38px; padding: 0 16px; background: #f6f7f9; border-bottom: 1px solid #e2e4e8;
      color: #4b515b; font-size: 13px; }
    .title img { width: 16px; height: 16px; }
    #doc { padding: 18px 44px; }
    h1 { font-size: 19px; line-height: 1.35; margin: 0 0 14px; }
    h2 { font-size: 16px; margin: 20px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #e2e4e8; }
    p, ul, ol, pre, blockquote { margin: 0 0 10px; }
    ul, ol { padding-left: 24px; }
    li { margin: 2px 0; }
    code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
    code { background: #f0f2f5; border-radius: 4px; padding: 1px 4px; }
    pre { background: #f6f8fa; border: 1px solid #e2e4e8; border-radius: 6px; padding: 10px 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
    pre code { background: none; padding: 0; }
    blockquote { margin: 4px 0; padding: 2px 10px; border-left: 3px solid #d0d5dc; color: #4b515b; overflow-wrap: anywhere; }
    hr { border: 0; border-top: 1px solid #e2e4e8; margin: 16px 0; }
    /* Korean wraps between words, not inside them. */
    :lang(ko) { word-break: keep-all; }
    .fade { position: absolute; left: 0; right: 0; bottom: 0; height: 56px; background: linear-gradient(rgba(255,255,255,0), #fff); }
  </style>
  <div class="window"><div class="title"><img src="${dataURL(readFileSync(ICON))}" alt=""><span id="file"></span></div><div id="doc"></div><div class="fade"></div></div>`;
}

/**
 * renderMarkdown renders the subset of Markdown the TAC summary uses
 * (headings, paragraphs, bullet and numbered lists, a quote inside a list
 * item, fenced code, a rule; inline code, bold, italic) into #doc. It runs
 * in the page, and the text reaches the DOM only as text.
 */
function renderMarkdown(md) {
  const doc = document.getElementById('doc');
  const inline = (parent, text) => {
    for (const part of text.split(/(`[^`]+`|\*\*[^*]+\*\*|(?<!\w)_[^_]+_(?!\w))/)) {
      if (!part) continue;
      let node;
      if (/^`.+`$/.test(part)) node = Object.assign(document.createElement('code'), { textContent: part.slice(1, -1) });
      else if (/^\*\*.+\*\*$/.test(part)) inline((node = document.createElement('strong')), part.slice(2, -2));
      else if (/^_.+_$/.test(part)) inline((node = document.createElement('em')), part.slice(1, -1));
      else node = document.createTextNode(part);
      parent.append(node);
    }
    return parent;
  };
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  let list = null;
  let para = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m;
    if (line.startsWith('```')) {
      const code = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
      const pre = document.createElement('pre');
      pre.append(Object.assign(document.createElement('code'), { textContent: code.join('\n') }));
      doc.append(pre);
      list = para = null;
    } else if ((m = /^(#{1,6}) (.*)$/.exec(line))) {
      doc.append(inline(document.createElement(`h${m[1].length}`), m[2]));
      list = para = null;
    } else if (/^(-{3,}|\*{3,})$/.test(line)) {
      doc.append(document.createElement('hr'));
      list = para = null;
    } else if ((m = /^(-|\d+\.) (.*)$/.exec(line))) {
      const tag = m[1] === '-' ? 'UL' : 'OL';
      if (!list || list.tagName !== tag) doc.append((list = document.createElement(tag)));
      list.append(inline(document.createElement('li'), m[2]));
      para = null;
    } else if (list && (m = /^ {2,}> ?(.*)$/.exec(line))) {
      list.lastElementChild.append(inline(document.createElement('blockquote'), m[1]));
    } else if (line.trim() === '') {
      list = para = null;
    } else if (para) {
      inline(para, ` ${line}`);
    } else {
      doc.append((para = inline(document.createElement('p'), line)));
      list = null;
    }
  }
}

/** promoTile is the 440×280 tile's markup; the name and description are set as text. */
function promoTile() {
  return `<style>
    body { margin: 0; width: 440px; height: 280px; overflow: hidden; }
    .tile { box-sizing: border-box; width: 440px; height: 280px; padding: 24px 26px; display: flex; align-items: center; gap: 22px;
      background: #f4f7fc; color: #1f2328; font-family: system-ui, "Segoe UI", Roboto, sans-serif; }
    img { flex: none; width: 128px; height: 128px; }
    #name { margin: 0 0 8px; font-size: 28px; line-height: 1.15; font-weight: 700; color: #0b3f8f; }
    #description { margin: 0; font-size: 15px; line-height: 1.4; color: #3b414b; }
    :lang(ko) { word-break: keep-all; }
  </style>
  <div class="tile"><img src="${dataURL(readFileSync(ICON))}" alt=""><div><h1 id="name"></h1><p id="description"></p></div></div>`;
}
