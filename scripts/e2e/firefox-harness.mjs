// firefox-harness.mjs: drives the built extension (dist/firefox) in Debian's
// Firefox ESR over WebDriver BiDi (puppeteer-core), against the Control Hub
// stand-in used as Firefox's HTTPS proxy (scripts/standin -firefox-profile),
// as docs/browser-testing.md describes. Nothing leaves the machine.
//
// Reading what the panel shows: BiDi reaches web pages only, not DevTools or
// extension pages, and refuses to navigate to moz-extension:// URLs. So the
// test loads a copy of dist/firefox with one addition, extension/probe.html,
// web-accessible on the Webex hosts in that copy only, and frames it into the
// inspected page. The probe asks the service worker for "hubdoctor-inspect"
// (extension/background.js), which relays to the devtools page over its port
// and returns the capture's snapshot, TAC summary and sanitized HAR: exactly
// what the panel renders and exports. The shipped package has no probe and
// no web-accessible resources.
//
// With DevTools closed (observer-firefox.test.mjs) the probe also reads what
// the background holds for its tab ("hubdoctor-tab", as the popup asks),
// frames the toolbar popup for its tab (extension/popup.html?tab=ID) and
// reads it, and flips the options page's switch (framed too). A frame in
// a web page gets no tabs or action API in Firefox, so the test copy adds a
// small module to the background page for the probe's tab ID, the tab's
// badge and the background's test hook (PROBE_BACKGROUND_JS).

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import puppeteer from 'puppeteer-core';
import { ROOT, adminURL, poll, readBanner, startStandin, useBrowser } from './harness.mjs';
import { overflowing, selfCheck } from './overflow.mjs';
import { failedCallsOp } from './failed-calls-view.mjs';

export const FIREFOX_DIST = resolve(process.env.HUBDOCTOR_FIREFOX_DIST ?? join(ROOT, 'dist', 'firefox'));
export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const GECKO_ID = 'hubdoctor@hubdoctor.invalid';

const PROBE_HTML = '<!doctype html><meta charset="utf-8"><title>probe</title><script src="probe.js"></script>\n';
// The probe answers each postMessage from the page with a JSON text (a plain
// string crosses the frame boundary as is). Without an op it returns the
// service worker's answer plus what the extension's i18n gives its pages
// (the probe is one, like the panel): the browser's UI language and the
// panel's strings (data-i18n). With an op it drives the extension's HAR
// triage page, framed into the probe (same extension origin), as an admin
// would: a file set on its input or dropped on it, Cancel (clicked once the
// progress passes cancelAfter bytes, when given), Clear; checks its layout
// for clipped text (overflow.mjs); and reads
// what it shows, its progress sampled every 20 ms inside the page, the time
// from handing the last file over to the page showing it read, and its
// sanitized export (the function its Download button calls); drives and
// reads its "Failed calls" section (failed-calls-view.mjs) and asks for a
// call's "Copy for TAC" text as its button does. The ops of
// observerOps answer for the probe's tab with DevTools closed: tab-state,
// background, popup, switch.
const PROBE_JS = `const overflowing = ${overflowing};
const selfCheck = ${selfCheck};
const failedCallsOp = ${failedCallsOp};
let triage;
async function triagePage() {
  if (triage) return triage;
  const frame = document.createElement('iframe');
  frame.src = 'triage.html';
  // The width of the Chromium layout test's panel (layout.test.mjs).
  frame.style.width = '900px';
  frame.style.height = '800px';
  await new Promise((resolve) => { frame.onload = resolve; document.body.append(frame); });
  const w = frame.contentWindow;
  for (let i = 0; w.hubdoctorPanel?.state()?.status !== 'idle'; i++) {
    if (i > 400) throw new Error('the triage page engine did not start in 20 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  w.__samples = [];
  w.__maxGap = 0;
  w.__opened = null;
  // The time from handing a file over to the page showing it read (status
  // "file", the progress bar hidden), for the bench (browser-import.mjs).
  const status = w.document.getElementById('status');
  new w.MutationObserver(() => {
    if (status.dataset.state === 'reading') w.__reading = true;
    if (w.__opened !== null && w.__reading && status.dataset.state === 'file' && w.document.getElementById('import-progress').hidden) {
      w.__seconds = (w.performance.now() - w.__opened) / 1000;
      w.__opened = null;
    }
  }).observe(status, { attributes: true });
  let last = w.performance.now();
  w.setInterval(() => {
    const now = w.performance.now();
    w.__maxGap = Math.max(w.__maxGap, now - last);
    last = now;
    const p = w.hubdoctorPanel.state().progress;
    if (!p) return;
    w.__samples.push(p);
    if (w.__cancelAfter && p.read >= w.__cancelAfter) {
      w.__cancelAfter = 0;
      w.document.getElementById('import-cancel').click();
    }
  }, 20);
  return (triage = w);
}
async function triageOp(msg) {
  const w = await triagePage();
  const d = w.document;
  switch (msg.op) {
    case 'open': {
      w.__samples = [];
      w.__maxGap = 0;
      w.__cancelAfter = msg.cancelAfter ?? 0;
      w.__reading = false;
      w.__seconds = null;
      w.__opened = w.performance.now();
      const dt = new w.DataTransfer();
      dt.items.add(new w.File([msg.blob], msg.name, { type: 'application/json' }));
      if (msg.via === 'drop') {
        for (const type of ['dragover', 'drop']) d.body.dispatchEvent(new w.DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      } else {
        const input = d.getElementById('open-har');
        input.files = dt.files;
        input.dispatchEvent(new w.Event('change', { bubbles: true }));
      }
      return {};
    }
    case 'state':
      return {
        state: w.hubdoctorPanel.state(),
        notes: d.getElementById('notes').textContent,
        findingsText: d.getElementById('findings').textContent,
        progressHidden: d.getElementById('import-progress').hidden,
        samples: w.__samples,
        maxGap: w.__maxGap,
        seconds: w.__seconds ?? null,
      };
    case 'layout':
      return { bad: overflowing(d), selfCheck: selfCheck(d, overflowing), title: d.querySelector('#findings h3')?.textContent ?? '' };
    case 'brief': {
      // The state without its lists: cheap to ask for every 100 ms of a large import.
      const st = w.hubdoctorPanel.state();
      const calls = st.failedCalls;
      const brief = { status: st.status, harName: st.harName, progress: st.progress, maxGap: w.__maxGap,
        unexplained: calls.filter((c) => !c.expected && !c.rule).length, expected: calls.filter((c) => c.expected).length };
      if (msg.resetGap) w.__maxGap = 0;
      return brief;
    }
    case 'failed':
      return { view: await failedCallsOp(w, msg.actions), findings: w.hubdoctorPanel.state().findings };
    case 'failed-summary': {
      const call = w.hubdoctorPanel.state().failedCalls.find((c) => c.trackingId === msg.trackingId);
      return { summary: await w.hubdoctorPanel.failedCallSummary(call), session: await w.hubdoctorPanel.summary('markdown') };
    }
    case 'clear':
      d.getElementById('clear').click();
      return {};
    case 'har': {
      const har = await w.hubdoctorPanel.har(Boolean(msg.pseudonymize));
      return { har: typeof har === 'string' ? har : await har.text() };
    }
    default:
      throw new Error('unknown op ' + msg.op);
  }
}
// ---- Hub Doctor with DevTools closed: the tab's state, its popup, the switch ----
/** background asks the test copy's background helper (PROBE_BACKGROUND_JS) about this tab and the background page. */
async function background() {
  const a = await browser.runtime.sendMessage({ type: 'hubdoctor-probe-background' });
  if (!Number.isInteger(a?.tabId)) throw new Error('the background helper gave no tab: ' + JSON.stringify(a));
  return a;
}
const tabId = async () => (await background()).tabId;
/** popupOp frames the toolbar popup for this tab (popup.html?tab=ID), as the toolbar button shows it, and reads it. */
async function popupOp(msg) {
  const id = await tabId();
  const frame = document.createElement('iframe');
  frame.src = 'popup.html?tab=' + id;
  frame.style.width = '420px';
  frame.style.height = '600px';
  await new Promise((resolve) => { frame.onload = resolve; document.body.append(frame); });
  try {
    const w = frame.contentWindow;
    const d = w.document;
    for (let i = 0; d.body.dataset.ready !== 'true'; i++) {
      if (i > 400) throw new Error('the popup did not render in 20 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const text = (sel) => [...d.querySelectorAll(sel)].map((n) => n.textContent);
    return {
      tabId: w.hubdoctorPopup.tabId,
      status: d.getElementById('status-text').textContent,
      emptyHidden: d.getElementById('empty').hidden,
      devtoolsNoteHidden: d.getElementById('popup-devtools').hidden,
      copyDisabled: d.getElementById('copy-summary').disabled,
      downloadDisabled: d.getElementById('download-evidence').disabled,
      findings: text('#findings li.finding'),
      emails: text('#findings .fact-email'),
      orgs: text('#findings .fact-org'),
      tracking: text('#findings .fact-tracking'),
      responses: text('#findings .response pre'),
      scripts: d.querySelectorAll('#findings img, #findings script').length,
      pwned: w.__pwned,
      summary: await w.hubdoctorPopup.summary(),
      evidence: await w.hubdoctorPopup.evidence(),
      failedRows: [...d.querySelectorAll('#failed-calls tr.call')].map((r) => ({ linked: r.classList.contains('linked'), text: r.textContent })),
      failedExpected: d.querySelector('#failed-calls .expected-calls')?.textContent ?? '',
      failedCallSummary: msg.failedCall ? await w.hubdoctorPopup.failedCallSummary(msg.failedCall) : null,
    };
  } finally {
    frame.remove();
  }
}
const observerOps = {
  'tab-state': async () => {
    const id = await tabId();
    return { tabId: id, ...(await browser.runtime.sendMessage({ type: 'hubdoctor-tab', tabId: id })) };
  },
  popup: popupOp,
  background,
  switch: switchOp,
};
/**
 * switchOp flips "Watch Control Hub without DevTools" on the options page
 * (triage.html, framed here) to msg.on, as an admin clicks it, and resolves
 * once storage.local holds it, with what the page showed before the click.
 */
async function switchOp(msg) {
  const frame = document.createElement('iframe');
  frame.src = 'triage.html';
  await new Promise((resolve) => { frame.onload = resolve; document.body.append(frame); });
  try {
    const d = frame.contentWindow.document;
    let box;
    for (let i = 0; !(box = d.getElementById('watch-without-devtools')); i++) {
      if (i > 400) throw new Error('the options page showed no switch in 20 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const shown = box.checked;
    if (shown !== msg.on) box.click();
    for (let i = 0; (await browser.storage.local.get('watchWithoutDevtools')).watchWithoutDevtools !== msg.on; i++) {
      if (i > 200) throw new Error('the switch was not stored in 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    return { shown, stored: msg.on };
  } finally {
    frame.remove();
  }
}
addEventListener('message', async (ev) => {
  if (ev.data?.type !== 'hubdoctor-probe') return;
  let answer;
  try {
    if (observerOps[ev.data.op]) {
      answer = await observerOps[ev.data.op](ev.data);
    } else if (ev.data.op) {
      answer = await triageOp(ev.data);
    } else {
      answer = await browser.runtime.sendMessage({ type: 'hubdoctor-inspect' });
      answer = { ...(answer ?? { error: 'no answer' }), ui: { language: browser.i18n.getUILanguage(), copySummary: browser.i18n.getMessage('copySummary') } };
    }
  } catch (err) {
    answer = { error: String(err) };
  }
  ev.source.postMessage({ type: 'hubdoctor-probe-answer', id: ev.data.id, json: JSON.stringify(answer) }, '*');
});
`;

// The probe is framed into a web page, where Firefox gives an extension frame
// only what content scripts get (runtime, storage, i18n: no tabs, no action).
// So the test copy adds this module to the background page, beside
// background.js: it answers the probe alone with the probe's tab (the
// sender's), that tab's toolbar badge, and the background's test hook
// (globalThis.hubdoctorBackground). instance is new each time the
// background page starts: a changed one means it was suspended and woke.
const PROBE_BACKGROUND_JS = `const instance = crypto.randomUUID();
const startedAt = Date.now();
browser.runtime.onMessage.addListener((msg, sender) => {
  if (msg?.type !== 'hubdoctor-probe-background') return undefined;
  if (sender.id !== browser.runtime.id || !String(sender.url).startsWith(browser.runtime.getURL('extension/probe.html'))) return undefined;
  const tabId = sender.tab?.id;
  const hook = globalThis.hubdoctorBackground;
  return (async () => ({
    tabId,
    instance,
    startedAt,
    engineStarted: hook ? hook.engineStarted() : null,
    readyTabs: hook ? hook.readyTabs() : [],
    badge: Number.isInteger(tabId) ? await browser.action.getBadgeText({ tabId }) : null,
  }))();
});
`;

/**
 * startFirefoxStandin starts the stand-in with a Firefox profile template
 * (proxy prefs and certificate overrides) and extra flags args, and resolves with its start line,
 * the prefs of its user.js, and stop().
 */
export async function startFirefoxStandin(args = []) {
  const template = mkdtempSync(join(tmpdir(), 'hubdoctor-ffprofile-'));
  const s = await startStandin(['-firefox-profile', template, ...args]);
  const prefs = {};
  for (const m of readFileSync(join(template, 'user.js'), 'utf8').matchAll(/^user_pref\("([^"]+)", (.*)\);$/gm)) {
    prefs[m[1]] = JSON.parse(m[2]);
  }
  if (!prefs['network.proxy.ssl_port']) throw new Error(`standin wrote no proxy prefs into ${template}/user.js`);
  return {
    ...s,
    template,
    prefs,
    stop: () => {
      s.stop();
      rmSync(template, { recursive: true, force: true });
    },
  };
}

/** testCopy copies dist/firefox into dir and adds the probe page, web-accessible on the Webex hosts. */
function testCopy(dir) {
  if (!existsSync(join(FIREFOX_DIST, 'manifest.json'))) throw new Error(`${FIREFOX_DIST}/manifest.json is missing: run make firefox first`);
  cpSync(FIREFOX_DIST, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  if (manifest.web_accessible_resources) throw new Error('dist/firefox/manifest.json has web_accessible_resources: pages could fingerprint the extension');
  // Every host a content script runs on: Control Hub and the Webex sites (SSO).
  const matches = [...new Set(manifest.content_scripts.flatMap((c) => c.matches))];
  manifest.web_accessible_resources = [{ resources: ['extension/probe.html', 'extension/probe.js'], matches }];
  manifest.background.scripts.push('extension/probe-background.js');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'extension', 'probe.html'), PROBE_HTML);
  writeFileSync(join(dir, 'extension', 'probe.js'), PROBE_JS);
  writeFileSync(join(dir, 'extension', 'probe-background.js'), PROBE_BACKGROUND_JS);
}

/**
 * launchFirefox starts Firefox ESR headless with the extension installed,
 * and with DevTools open on the initial tab unless devtools is false, and
 * resolves with the session. extraPrefs go into the profile (e.g. a smaller
 * response body limit, a short idle timeout for the background page).
 * systemAccess lets the session open DevTools later (openDevtools).
 * install: false starts it without the extension (compat-firefox.test.mjs
 * compares a page with and without it, and installs it later with install()).
 */
export async function launchFirefox(standin, { extraPrefs = {}, lang, devtools = true, systemAccess = false, install = true } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'hubdoctor-firefox-'));
  const profile = join(work, 'profile');
  const ext = join(work, 'ext');
  cpSync(standin.template, profile, { recursive: true });
  testCopy(ext);
  const uuid = randomUUID();
  const prefs = {
    ...standin.prefs,
    // A known moz-extension:// host, so the test can name the probe's URL.
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
    ...(lang ? { 'intl.locale.requested': lang } : {}),
    ...extraPrefs,
  };
  const t0 = Date.now();
  // puppeteer rewrites user.js with its own prefs, so the stand-in's go in
  // as extraPrefsFirefox; cert_override.txt stays in the profile.
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    args: [...(devtools ? ['-devtools'] : []), ...(systemAccess ? ['-remote-allow-system-access'] : []), '-profile', profile],
    extraPrefsFirefox: prefs,
  });
  try {
    if (install) await browser.installExtension(ext);
    // -devtools opens DevTools on the initial tab only.
    const [page] = await browser.pages();
    return new FirefoxSession({ browser, page, uuid, work, t0, systemAccess, ext });
  } catch (err) {
    await browser.close().catch(() => {});
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

/** FirefoxSession is one running Firefox with the extension installed. */
export class FirefoxSession {
  constructor(fields) {
    Object.assign(this, fields);
    this.asked = 0;
  }

  /**
   * inspect resolves with what the devtools page shows and exports
   * ({tabId, state, summary, har} or {error}) and the extension pages' i18n
   * ({ui: {language, copySummary}}), through the probe framed into the
   * current page.
   */
  inspect() {
    return this.ask({});
  }

  /**
   * triage drives the extension's HAR triage page inside the probe: op is
   * open ({fileURL, name, via: 'input'|'drop', cancelAfter}: the page
   * fetches fileURL and hands the file over), state, layout, clear or har
   * ({pseudonymize}). It resolves with the
   * probe's answer and throws the probe's error.
   */
  async triage(op, args = {}) {
    const a = await this.ask({ op, ...args }, 30_000);
    if (a.error) throw new Error(`triage ${op}: ${a.error}`);
    return a;
  }

  /**
   * install installs the extension into a session launched with install:
   * false. Firefox injects its content scripts into the open tabs they match.
   */
  install() {
    return this.browser.installExtension(this.ext);
  }

  /**
   * tabState resolves with what the background holds for page's tab
   * ({tabId, findings, entries (count), devtools}), as the popup and the
   * devtools page ask for it.
   */
  tabState(page = this.page) {
    return this.probe('tab-state', {}, page);
  }

  /**
   * background resolves with page's tab ({tabId}), its toolbar badge text
   * ({badge}), and the background page's test hook: {instance (new at each
   * start of the background page), engineStarted, readyTabs}.
   */
  background(page = this.page) {
    return this.probe('background', {}, page);
  }

  /**
   * popup frames the toolbar popup for page's tab into the probe and
   * resolves with what it shows (status, findings' text and facts, the
   * failed calls' rows and the folded expected ones) and what its buttons
   * hand over ({summary, evidence}: the TAC summary and the HAR; with
   * failedCall, {failedCallSummary}: that call's "Copy for TAC").
   */
  popup(page = this.page, { failedCall } = {}) {
    return this.probe('popup', { failedCall }, page, 30_000);
  }

  /**
   * setWatching flips the options page's "Watch Control Hub without
   * DevTools" to on, and resolves with {shown}: whether the page showed it
   * on before the click.
   */
  setWatching(on, page = this.page) {
    return this.probe('switch', { on }, page, 30_000);
  }

  /** probe asks the probe framed into page for op and throws its error. */
  async probe(op, args = {}, page = this.page, ms = 10_000) {
    const a = await this.ask({ op, ...args }, ms, page);
    if (a.error) throw new Error(`probe ${op}: ${a.error}`);
    return a;
  }

  /**
   * openDevtools opens DevTools on page's tab, as F12 does, on a Firefox
   * launched with systemAccess. Keys sent over WebDriver BiDi reach the
   * page, not the browser's shortcuts, so this evaluates the same call F12
   * ends in (gDevTools.showToolboxForTab) in the browser window's chrome
   * context, which Firefox's WebDriver BiDi offers ("moz:scope": "chrome")
   * with -remote-allow-system-access.
   */
  async openDevtools(page = this.page) {
    if (!this.systemAccess) throw new Error('openDevtools needs launchFirefox(standin, {systemAccess: true})');
    await page.bringToFront();
    const c = this.browser.connection;
    const tree = await c.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
    const win = tree.result.contexts.find((x) => x.url === 'chrome://browser/content/browser.xhtml');
    if (!win) throw new Error('no browser window among the chrome contexts');
    const r = await c.send('script.evaluate', {
      expression: `(async () => {
        const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
        const { gDevTools } = require('devtools/client/framework/devtools');
        await gDevTools.showToolboxForTab(gBrowser.selectedTab);
        return gBrowser.selectedBrowser.currentURI.spec;
      })()`,
      target: { context: win.context },
      awaitPromise: true,
    });
    if (r.result.type !== 'success') throw new Error(`opening DevTools failed: ${r.result.exceptionDetails?.text}`);
    return r.result.result.value;
  }

  /** ask posts msg to the probe framed into page (the current one by default) and resolves with its JSON answer. */
  async ask(msg, ms = 5000, page = this.page) {
    const id = ++this.asked;
    const json = await page.evaluate(
      async (url, msg, ms) => {
        if (msg.fileURL) {
          const r = await fetch(msg.fileURL);
          if (!r.ok) throw new Error(`${msg.fileURL}: HTTP ${r.status}`);
          msg = { ...msg, blob: await r.blob() };
        }
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`the probe did not answer in ${ms} ms`)), ms);
          addEventListener('message', function onAnswer(ev) {
            if (ev.data?.type !== 'hubdoctor-probe-answer' || ev.data.id !== msg.id) return;
            removeEventListener('message', onAnswer);
            clearTimeout(timer);
            resolve(ev.data.json);
          });
          let frame = document.getElementById('hubdoctor-test-probe');
          const post = () => frame.contentWindow.postMessage({ ...msg, type: 'hubdoctor-probe' }, '*');
          if (frame) return post();
          frame = document.createElement('iframe');
          frame.id = 'hubdoctor-test-probe';
          // Off screen but laid out, so the triage page inside can be
          // checked for clipped text.
          frame.style.cssText = 'position: fixed; left: -10000px; top: 0; width: 920px; height: 820px; border: 0';
          frame.src = url;
          frame.onload = post;
          document.body.append(frame);
        });
      },
      `moz-extension://${this.uuid}/extension/probe.html`,
      { ...msg, id },
      ms,
    );
    return JSON.parse(json);
  }

  /** waitReady resolves with the ms from launch until the devtools page answered with a live capture. */
  async waitReady(ms = 20_000) {
    await poll(async () => (await this.inspect()).state?.status === 'watching', { ms, every: 200, what: 'the devtools page to report a live capture' });
    return Date.now() - this.t0;
  }

  /** banner resolves with page's banner (harness.mjs readBanner), or null when there is none. */
  banner(page = this.page) {
    return page.evaluate(readBanner);
  }


  /**
   * added resolves with the elements the extension and the test added to
   * page: [id] of each element whose id or class names hubdoctor, the test's
   * probe frame (hubdoctor-test-probe) aside.
   */
  added(page = this.page) {
    return page.evaluate(() =>
      [...document.querySelectorAll('[id*="hubdoctor"], [class*="hubdoctor"]')].map((n) => n.id || n.className).filter((id) => id !== 'hubdoctor-test-probe'),
    );
  }

  async close() {
    await this.browser.close().catch(() => {});
    rmSync(this.work, { recursive: true, force: true });
  }
}

/**
 * useFirefoxWithFiles gives a test file a Firefox with the extension on a
 * Control Hub page of the stand-in, which serves the files of the test's
 * temporary folder (useBrowser: set receives {tmp, standin, s}).
 */
export function useFirefoxWithFiles(prefix, set) {
  useBrowser(prefix, async (tmp) => {
    const standin = await startFirefoxStandin(['-files', tmp]);
    const s = await launchFirefox(standin);
    await s.page.goto(adminURL('harmless'));
    return { standin, s };
  }, set);
}
