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

export const FIREFOX_DIST = resolve(process.env.HUBDOCTOR_FIREFOX_DIST ?? join(ROOT, 'dist', 'firefox'));
export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const GECKO_ID = 'hubdoctor@hubdoctor.invalid';

const PROBE_HTML = '<!doctype html><meta charset="utf-8"><title>probe</title><script src="probe.js"></script>\n';
// The probe answers one postMessage from the page with the service worker's
// answer, as JSON text (a plain string crosses the frame boundary as is).
// It adds what the extension's i18n gives its pages (the probe is one, like
// the panel): the browser's UI language and the panel's strings (data-i18n).
const PROBE_JS = `addEventListener('message', async (ev) => {
  if (ev.data?.type !== 'hubdoctor-probe') return;
  let answer;
  try {
    answer = await browser.runtime.sendMessage({ type: 'hubdoctor-inspect' });
  } catch (err) {
    answer = { error: String(err) };
  }
  const ui = { language: browser.i18n.getUILanguage(), copySummary: browser.i18n.getMessage('copySummary') };
  ev.source.postMessage({ type: 'hubdoctor-probe-answer', id: ev.data.id, json: JSON.stringify({ ...(answer ?? { error: 'no answer' }), ui }) }, '*');
});
`;

/**
 * startFirefoxStandin starts the stand-in with a Firefox profile template
 * (proxy prefs and certificate overrides) and resolves with its start line,
 * the prefs of its user.js, and stop().
 */
export async function startFirefoxStandin() {
  const template = mkdtempSync(join(tmpdir(), 'hubdoctor-ffprofile-'));
  const s = await startStandin(['-firefox-profile', template]);
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
  manifest.web_accessible_resources = [
    { resources: ['extension/probe.html', 'extension/probe.js'], matches: manifest.content_scripts[0].matches },
  ];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'extension', 'probe.html'), PROBE_HTML);
  writeFileSync(join(dir, 'extension', 'probe.js'), PROBE_JS);
}

/**
 * launchFirefox starts Firefox ESR headless with DevTools open on the
 * initial tab and the extension installed, and resolves with the session.
 * extraPrefs go into the profile (e.g. a smaller response body limit).
 */
export async function launchFirefox(standin, { extraPrefs = {}, lang } = {}) {
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
    args: ['-devtools', '-profile', profile],
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
  async inspect() {
    const id = ++this.asked;
    const json = await this.page.evaluate(
      (url, id) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the probe did not answer in 5 s')), 5000);
          addEventListener('message', function onAnswer(ev) {
            if (ev.data?.type !== 'hubdoctor-probe-answer' || ev.data.id !== id) return;
            removeEventListener('message', onAnswer);
            clearTimeout(timer);
            resolve(ev.data.json);
          });
          let frame = document.getElementById('hubdoctor-test-probe');
          const ask = () => frame.contentWindow.postMessage({ type: 'hubdoctor-probe', id }, '*');
          if (frame) return ask();
          frame = document.createElement('iframe');
          frame.id = 'hubdoctor-test-probe';
          frame.hidden = true;
          frame.src = url;
          frame.onload = ask;
          document.body.append(frame);
        }),
      `moz-extension://${this.uuid}/extension/probe.html`,
      id,
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
