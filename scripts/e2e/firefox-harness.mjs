// firefox-harness.mjs: drives the built extension (dist/firefox) in Debian's
// Firefox ESR over WebDriver BiDi (puppeteer-core), against the Control Hub
// stand-in used as Firefox's HTTPS proxy (scripts/standin -firefox-profile),
// as /work/shared/BROWSER-TESTING.md describes. Nothing leaves the machine.
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

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import puppeteer from 'puppeteer-core';
import { ROOT, poll, startStandin } from './harness.mjs';
import { overflowing, selfCheck } from './overflow.mjs';

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
// what it shows, its progress sampled every 20 ms inside the page, and its
// sanitized export (the function its Download button calls).
const PROBE_JS = `const overflowing = ${overflowing};
const selfCheck = ${selfCheck};
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
      };
    case 'layout':
      return { bad: overflowing(d), selfCheck: selfCheck(d, overflowing), title: d.querySelector('#findings h3')?.textContent ?? '' };
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
/** The tab the probe is framed into (tabs.getCurrent works in an extension frame of a tab). */
async function tabId() {
  const tab = await browser.tabs.getCurrent();
  if (!Number.isInteger(tab?.id)) throw new Error('tabs.getCurrent gave no tab');
  return tab.id;
}
/** popupOp frames the toolbar popup for this tab (popup.html?tab=ID), as the toolbar button shows it, and reads it. */
async function popupOp() {
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
      scripts: d.querySelectorAll('#findings img, #findings script').length,
      pwned: w.__pwned,
      summary: await w.hubdoctorPopup.summary(),
      evidence: await w.hubdoctorPopup.evidence(),
    };
  } finally {
    frame.remove();
  }
}
/** background reads the background page's test hook without waking it: getViews lists it only while it runs. */
function backgroundOp() {
  const [bg] = browser.extension.getViews({ type: 'background' });
  if (!bg) return { running: false };
  const hook = bg.hubdoctorBackground;
  return { running: true, hook: Boolean(hook), engineStarted: hook ? hook.engineStarted() : null, readyTabs: hook ? hook.readyTabs() : [] };
}
const observerOps = {
  tab: async () => ({ tabId: await tabId() }),
  'tab-state': async () => {
    const id = await tabId();
    return { tabId: id, ...(await browser.runtime.sendMessage({ type: 'hubdoctor-tab', tabId: id })) };
  },
  badge: async () => ({ text: await browser.action.getBadgeText({ tabId: await tabId() }) }),
  popup: popupOp,
  background: backgroundOp,
  setting: async (msg) => {
    await browser.storage.local.set({ [msg.name]: msg.value });
    return { settings: await browser.storage.local.get(null) };
  },
};
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
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'extension', 'probe.html'), PROBE_HTML);
  writeFileSync(join(dir, 'extension', 'probe.js'), PROBE_JS);
}

/**
 * launchFirefox starts Firefox ESR headless with the extension installed,
 * and with DevTools open on the initial tab unless devtools is false, and
 * resolves with the session. extraPrefs go into the profile (e.g. a smaller
 * response body limit).
 */
export async function launchFirefox(standin, { extraPrefs = {}, lang, devtools = true } = {}) {
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
    args: [...(devtools ? ['-devtools'] : []), '-profile', profile],
    extraPrefsFirefox: prefs,
  });
  try {
    await browser.installExtension(ext);
    // -devtools opens DevTools on the initial tab only.
    const [page] = await browser.pages();
    return new FirefoxSession({ browser, page, uuid, work, t0 });
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

  /** ask posts msg to the probe framed into the current page and resolves with its JSON answer. */
  async ask(msg, ms = 5000) {
    const id = ++this.asked;
    const json = await this.page.evaluate(
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

  /** banner resolves with the banner's shadow-root text and role, or null when there is none. */
  banner() {
    return this.page.evaluate(() => {
      const host = document.getElementById('hubdoctor-banner');
      if (!host) return null;
      return { role: host.getAttribute('role'), open: Boolean(host.shadowRoot), text: host.shadowRoot?.querySelector('.banner')?.textContent ?? '' };
    });
  }

  async close() {
    await this.browser.close().catch(() => {});
    rmSync(this.work, { recursive: true, force: true });
  }
}
