// harness.mjs: drives the built extension (dist/chrome, loaded unchanged) in
// Debian's Chromium against the Control Hub stand-in (scripts/standin), as
// /work/shared/BROWSER-TESTING.md describes: the real host names are mapped
// to the stand-in's loopback port, so nothing leaves the machine.

import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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

/** launchChromium starts Chromium with the extension and resolves with the session helpers. */
export async function launchChromium(standin, { devtools = true, headless = !process.env.DISPLAY || process.env.HEADLESS === '1', lang } = {}) {
  if (!existsSync(join(DIST, 'manifest.json'))) throw new Error(`${DIST}/manifest.json is missing: run make all first`);
  const profile = mkdtempSync(join(tmpdir(), 'hubdoctor-profile-'));
  const args = [
    `--disable-extensions-except=${DIST}`,
    `--load-extension=${DIST}`,
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
  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 10_000 }));
  const extensionId = new URL(sw.url()).host;
  const page = context.pages().find((p) => !p.url().startsWith('devtools://')) ?? (await context.newPage());
  const session = new Session({ context, page, sw, extensionId, profile, t0 });
  return session;
}

/** Session is one running browser with the extension loaded. */
export class Session {
  constructor(fields) {
    Object.assign(this, fields);
    this.cdp = null;
  }

  /** readyTabs asks the service worker which tabs have a ready devtools page. */
  readyTabs() {
    return this.sw.evaluate(() => globalThis.hubdoctorBackground.readyTabs());
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
      const port = readFileSync(join(this.profile, 'DevToolsActivePort'), 'utf8').split('\n')[0];
      // The DevTools window is a target of type "other": Playwright attaches
      // to it only with this set. Only for this client: set while the
      // launching client starts, it would count DevTools among the pages.
      process.env.PW_CHROMIUM_ATTACH_TO_OTHER = '1';
      try {
        this.cdp = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
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
    await this.cdp?.close().catch(() => {});
    await this.context.close().catch(() => {});
    rmSync(this.profile, { recursive: true, force: true });
  }
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

/** metric prints one measurement in a greppable form. */
export function metric(name, value, unit = 'ms') {
  console.log(`METRIC ${name}=${value}${unit}`);
}
