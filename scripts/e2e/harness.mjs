// harness.mjs: drives the built extension (dist/chrome, loaded unchanged) in
// Debian's Chromium against the Control Hub stand-in (scripts/standin), as
// docs/browser-testing.md describes: the real host names are mapped
// to the stand-in's loopback port, so nothing leaves the machine.

import { spawn, execFileSync } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DIST = resolve(process.env.HUBDOCTOR_DIST ?? join(ROOT, 'dist', 'chrome'));
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PANEL_ID = 'HubDoctor'; // DevTools strips the spaces of "Hub Doctor"

/** poll calls fn until it returns a truthy value, or throws what after `ms`. */
export async function poll(fn, { ms = 10_000, every = 25, what = 'condition' } = {}) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(every);
  }
}

let standinBinary = null;

/**
 * startStandin builds and starts scripts/standin on a free port (with extra
 * flags args, e.g. -firefox-profile DIR) and resolves with its start line
 * ({port, hostRules, ...}) and stop().
 */
export async function startStandin(args = []) {
  if (!standinBinary) {
    const dir = mkdtempSync(join(tmpdir(), 'hubdoctor-standin-'));
    standinBinary = join(dir, 'standin');
    execFileSync('go', ['build', '-o', standinBinary, './scripts/standin'], { cwd: ROOT, stdio: 'inherit' });
  }
  const proc = spawn(standinBinary, ['-port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((res, rej) => {
    const rl = createInterface({ input: proc.stdout });
    rl.once('line', res);
    proc.once('exit', (code) => rej(new Error(`standin exited (${code}) before printing its port`)));
  });
  const info = JSON.parse(line);
  return {
    ...info,
    stop: () => {
      proc.kill('SIGTERM');
    },
  };
}

/**
 * launchChromium starts Chromium with the extension and resolves with the
 * session helpers. With extension: false it starts the same browser without
 * it (no sw, no extensionId), for tests that compare a page with and without.
 */
export async function launchChromium(standin, { devtools = true, headless = !process.env.DISPLAY || process.env.HEADLESS === '1', lang, extension = true } = {}) {
  if (extension && !existsSync(join(DIST, 'manifest.json'))) throw new Error(`${DIST}/manifest.json is missing: run make all first`);
  const profile = mkdtempSync(join(tmpdir(), 'hubdoctor-profile-'));
  const args = [
    ...(extension ? [`--disable-extensions-except=${DIST}`, `--load-extension=${DIST}`] : []),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--remote-debugging-port=0',
    '--ignore-certificate-errors',
    `--host-resolver-rules=${standin.hostRules}`,
  ];
  if (devtools) args.push('--auto-open-devtools-for-tabs');
  // The UI language (chrome.i18n): --lang, and LANGUAGE, which Chromium on Linux reads first.
  if (lang) args.push(`--lang=${lang}`);
  const t0 = Date.now();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    args,
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1280, height: 800 },
    ...(lang ? { env: { ...process.env, LANGUAGE: lang }, locale: lang } : {}),
  });
  const sw = !extension ? null : context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 10_000 }));
  const extensionId = sw ? new URL(sw.url()).host : null;
  const page = context.pages().find((p) => !p.url().startsWith('devtools://')) ?? (await context.newPage());
  const session = new Session({ context, page, sw, extensionId, profile, t0 });
  return session;
}

/** Session is one running browser with the extension loaded. */
export class Session {
  constructor(fields) {
    Object.assign(this, fields);
    this.cdp = null;
    // After stopServiceWorker, this.sw is a dead handle: Playwright keeps it
    // (the restarted worker has the same target ID) and an evaluate on it
    // never settles. inWorker then reaches the worker over a fresh client.
    this.swStopped = false;
    this.workerClient = null;
    this.tabIdByPage = new Map(); // page → its tab ID, for the pages tabIdOf has met
  }

  /** readyTabs asks the service worker which tabs have a ready devtools page. */
  readyTabs() {
    return this.inWorker(() => globalThis.hubdoctorBackground.readyTabs());
  }

  /**
   * inWorker evaluates fn(arg) in the extension's service worker and resolves
   * with the result; it fails after `ms` rather than hang on a worker that
   * stopped under it.
   */
  async inWorker(fn, arg, { ms = 15_000 } = {}) {
    const sw = this.swStopped ? await this.liveWorker(ms) : this.sw;
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the service worker did not answer within ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([sw.evaluate(fn, arg), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** liveWorker resolves with a handle on the running service worker, over a client connected after the last stop. */
  async liveWorker(ms) {
    if (!this.workerClient) this.workerClient = await this.connect();
    const url = `chrome-extension://${this.extensionId}/`;
    return poll(() => this.workerClient.contexts()[0]?.serviceWorkers().find((w) => w.url().startsWith(url)), {
      ms,
      what: 'the restarted service worker',
    });
  }

  /** connect opens a second CDP client on the browser (Playwright's own client is this.context's). */
  async connect() {
    const port = readFileSync(join(this.profile, 'DevToolsActivePort'), 'utf8').split('\n')[0];
    return chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  }

  /** browserCDP resolves with a browser-level CDP session. */
  async browserCDP() {
    if (!this.browserSession) {
      // A persistent context may have no Browser object: then use a second client's.
      const browser = this.context.browser() ?? (this.browserClient ??= await this.connect());
      this.browserSession = await browser.newBrowserCDPSession();
    }
    return this.browserSession;
  }

  /** workerTargets resolves with the CDP targets of the extension's service worker (none while it is stopped). */
  async workerTargets() {
    const url = `chrome-extension://${this.extensionId}/`;
    const { targetInfos } = await (await this.browserCDP()).send('Target.getTargets');
    return targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(url));
  }

  /**
   * stopServiceWorker stops the extension's service worker as Chrome does
   * when it is idle (its globals, the Go heap among them, are gone; the next
   * event starts a new one), and resolves once its target is gone. Closing
   * a service worker's target stops the worker (what Puppeteer's
   * WebWorker.close does for extension tests).
   */
  async stopServiceWorker() {
    const [target] = await this.workerTargets();
    if (!target) throw new Error('the service worker is not running');
    this.swStopped = true;
    await this.workerClient?.close().catch(() => {});
    this.workerClient = null;
    await (await this.browserCDP()).send('Target.closeTarget', { targetId: target.targetId });
    await poll(async () => (await this.workerTargets()).length === 0, { what: 'the service worker to stop' });
  }

  /** allTabIds resolves with the IDs of every tab (tabs.query needs no permission when it asks for no URL). */
  allTabIds() {
    return this.inWorker(async () => (await chrome.tabs.query({})).map((t) => t.id));
  }

  /**
   * tabIdOf resolves with the tab ID of page: the first page's is the only
   * tab's at the first call; newTab learns the others'.
   */
  async tabIdOf(page = this.page) {
    if (this.tabIdByPage.has(page)) return this.tabIdByPage.get(page);
    if (page !== this.page) throw new Error('tabIdOf knows the first page and those newTab opened');
    const ids = await this.allTabIds();
    if (ids.length !== 1) throw new Error(`tabIdOf(the first page) needs it to be the only tab, there are ${ids.length}`);
    this.tabIdByPage.set(page, ids[0]);
    return ids[0];
  }

  /** newTab opens a tab and resolves with {page, tabId}: the tab ID is the one that was not there before. */
  async newTab() {
    await this.tabIdOf(this.page).catch(() => {});
    const before = new Set(await this.allTabIds());
    const page = await this.context.newPage();
    const tabId = await poll(async () => (await this.allTabIds()).find((id) => !before.has(id)), { what: "the new tab's ID" });
    this.tabIdByPage.set(page, tabId);
    return { page, tabId };
  }

  /** tabState resolves with what the background holds for a tab: {findings, entries, page}. */
  tabState(tabId) {
    return this.inWorker((id) => globalThis.hubdoctorBackground.tabState(id), tabId);
  }

  /** badge resolves with the toolbar button's badge text for a tab. */
  badge(tabId) {
    return this.inWorker((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
  }

  /** extensionPage opens one of the extension's pages (path under the extension root) in a new tab. */
  async extensionPage(path) {
    const page = await this.context.newPage();
    await page.goto(`chrome-extension://${this.extensionId}/${path}`);
    return page;
  }

  /**
   * openPopup opens the toolbar popup for tabId in a tab of its own (a
   * test cannot click the toolbar button) and resolves once it rendered.
   */
  async openPopup(tabId) {
    const popup = await this.extensionPage(`extension/popup.html?tab=${tabId}`);
    await popup.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    return popup;
  }

  /**
   * openDevtoolsOn opens DevTools on the tab of an already loaded page, as
   * F12 would, and resolves once its devtools page reported ready:
   * chrome://inspect's "inspect" on the page's row opens an undocked DevTools
   * window on that very tab (a DevToolsWindow like F12's, so the extension's
   * devtools page loads, with that tab's ID), headless too.
   * --auto-open-devtools-for-tabs opens DevTools only for new tabs, and
   * Playwright's keyboard.press('F12') (a key event sent to the page over
   * CDP) did not open it here. The chrome://inspect tab is closed afterwards.
   */
  async openDevtoolsOn(page) {
    const tabId = await this.tabIdOf(page);
    const inspect = await this.context.newPage();
    try {
      await inspect.goto('chrome://inspect/#pages');
      const url = page.url();
      // The list refreshes itself; wait for the page's row.
      const row = inspect.locator('#pages-list .row').filter({ has: inspect.locator('.url', { hasText: url }) }).first();
      await row.locator('.action', { hasText: 'inspect' }).first().click({ timeout: 15_000 });
      await poll(async () => (await this.readyTabs()).includes(tabId), { ms: 20_000, what: 'the devtools page of the tab to report ready' });
    } finally {
      await inspect.close().catch(() => {});
    }
  }

  /** waitDevtoolsReady resolves with the ms from launch until a devtools page reported ready. */
  async waitDevtoolsReady(ms = 15_000) {
    await poll(async () => (await this.readyTabs()).length > 0, { ms, what: 'the devtools page to report ready' });
    return Date.now() - this.t0;
  }

  /** devtoolsFrame resolves with the devtools page's frame, over a second CDP client. */
  async devtoolsFrame() {
    const url = `chrome-extension://${this.extensionId}/extension/devtools.html`;
    return poll(async () => {
      const pages = await this.devtoolsPages();
      for (const p of pages) {
        const f = p.frames().find((fr) => fr.url() === url);
        if (f) return f;
      }
      return null;
    }, { what: 'the devtools page frame' });
  }

  async devtoolsPages() {
    if (!this.cdp) {
      // The DevTools window is a target of type "other": Playwright attaches
      // to it only with this set. Only for this client: set while the
      // launching client starts, it would count DevTools among the pages.
      process.env.PW_CHROMIUM_ATTACH_TO_OTHER = '1';
      try {
        this.cdp = await this.connect();
      } finally {
        delete process.env.PW_CHROMIUM_ATTACH_TO_OTHER;
      }
    }
    const pages = this.cdp.contexts().flatMap((c) => c.pages());
    return pages.filter((p) => p.url().startsWith('devtools://'));
  }

  /** panelFrame shows the Hub Doctor panel in DevTools and resolves with its frame once it rendered. */
  async panelFrame() {
    const url = `chrome-extension://${this.extensionId}/extension/panel.html`;
    const dt = await this.devtoolsFrame();
    const host = dt.page();
    const find = () => host.frames().find((fr) => fr.url() === url);
    if (!find()) {
      await host.evaluate((id) => globalThis.DevToolsAPI.showPanel(id), `chrome-extension://${this.extensionId}${PANEL_ID}`);
    }
    const frame = await poll(find, { what: 'the panel frame' });
    await poll(() => frame.evaluate(() => Boolean(globalThis.hubdoctorPanel?.state())), { what: 'the panel to attach to the capture' });
    return frame;
  }

  /** panelState resolves with the panel's state snapshot. */
  async panelState() {
    const frame = await this.panelFrame();
    return frame.evaluate(() => JSON.parse(JSON.stringify(globalThis.hubdoctorPanel.state())));
  }

  /** bannerText resolves with the banner's shadow-root text, or null when there is none. */
  bannerText(page = this.page) {
    return page.evaluate(() => {
      const host = document.getElementById('hubdoctor-banner');
      return host ? host.shadowRoot?.textContent ?? '' : null;
    });
  }

  async close() {
    for (const client of [this.cdp, this.workerClient, this.browserClient]) await client?.close().catch(() => {});
    await this.context.close().catch(() => {});
    // Chromium may still be writing the profile's last files as it exits.
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

/**
 * readBanner runs in the page (page.evaluate(readBanner), Playwright or
 * Puppeteer) and returns the banner as the admin reads it, or null when
 * there is none: its role, whether its shadow root is open, how many banner
 * hosts the page has, its text, heading and pointer, each item (e-mail,
 * note, text) and the e-mails and notes alone, and how many elements it
 * holds that the banner never draws (any would have come from markup).
 */
export function readBanner() {
  const host = document.getElementById('hubdoctor-banner');
  if (!host) return null;
  const root = host.shadowRoot;
  const items = [...(root?.querySelectorAll('.items li:not(.more)') ?? [])].map((li) => ({
    email: li.querySelector('.email')?.textContent ?? '',
    note: li.querySelector('.note')?.textContent ?? '',
    text: li.textContent,
  }));
  return {
    role: host.getAttribute('role'),
    open: Boolean(root),
    hosts: document.querySelectorAll('#hubdoctor-banner').length,
    text: root?.querySelector('.banner')?.textContent ?? '',
    heading: root?.querySelector('.heading')?.textContent ?? '',
    pointer: root?.querySelector('.pointer')?.textContent ?? '',
    items,
    emails: items.map((it) => it.email),
    notes: items.map((it) => it.note).filter(Boolean),
    foreign: root ? [...root.querySelectorAll('*')].filter((n) => !['STYLE', 'DIV', 'P', 'UL', 'LI', 'STRONG', 'SPAN', 'BUTTON'].includes(n.tagName)).length : 0,
  };
}

/** adminURL is the stand-in's Control Hub page for a scenario. */
export function adminURL(scenario) {
  return `https://admin.webex.com/?scenario=${encodeURIComponent(scenario)}`;
}

/**
 * addUsers clicks "Add users" on the admin page and resolves with the
 * Node-side time the onboard response arrived.
 */
export async function addUsers(page) {
  const response = page.waitForResponse((r) => r.url().includes('/users/onboard'));
  await page.click('#add-users');
  await response;
  return Date.now();
}

/**
 * standinGet fetches path from the stand-in as host (e.g. admin.webex.com)
 * from Node, without a browser, and resolves with {status, body}. The
 * stand-in's certificate is a throwaway one made at its start, hence no
 * verification: the connection never leaves 127.0.0.1.
 */
export function standinGet(standin, host, path) {
  return new Promise((resolve, reject) => {
    const req = httpsGet({ host: '127.0.0.1', port: standin.port, path, servername: host, headers: { host }, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`standinGet ${host}${path}: no answer in 10 s`)));
  });
}

/** metric prints one measurement in a greppable form. */
/**
 * useBrowser gives a test file its temporary folder, stand-in and browser:
 * before the file's tests, start(tmp) starts the stand-in and the browser
 * and resolves with {standin, s}, and set receives {tmp, standin, s}; after
 * them the browser is closed, the stand-in stopped and the folder removed.
 */
export function useBrowser(prefix, start, set) {
  const ctx = {};
  before(async () => {
    ctx.tmp = mkdtempSync(join(tmpdir(), prefix));
    Object.assign(ctx, await start(ctx.tmp));
    set(ctx);
  });
  after(async () => {
    await ctx.s?.close();
    ctx.standin?.stop();
    if (ctx.tmp) rmSync(ctx.tmp, { recursive: true, force: true });
  });
}

/** useChromium is useBrowser with a Chromium whose DevTools stay closed. */
export function useChromium(prefix, set) {
  useBrowser(prefix, async () => {
    const standin = await startStandin();
    return { standin, s: await launchChromium(standin, { devtools: false }) };
  }, set);
}

export function metric(name, value, unit = 'ms') {
  console.log(`METRIC ${name}=${value}${unit}`);
}
