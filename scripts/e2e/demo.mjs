// demo.mjs (make demo): the main job with no Webex account. It starts the
// Control Hub stand-in and opens Chromium with the built extension, first
// with DevTools closed, as most admins work: it plays the failing "Add
// users" and shows Hub Doctor's banner and the toolbar button's popup. Then
// with DevTools open: the banner and the Hub Doctor panel. Without a display
// it writes screenshots to ./screenshots/ and prints their paths; with one
// it leaves the last browser open until you press Ctrl+C.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, addUsers, adminURL, launchChromium, poll, startStandin } from './harness.mjs';

const scenario = process.argv[2] ?? 'carrier';
const headless = !process.env.DISPLAY;
const standin = await startStandin();
const dir = join(ROOT, 'screenshots');
if (headless) mkdirSync(dir, { recursive: true });

// DevTools closed: the page observer, the background's engine, the banner, the popup.
const closed = await launchChromium(standin, { headless, devtools: false });
try {
  await closed.page.goto(adminURL(scenario));
  const t = await addUsers(closed.page);
  await poll(() => closed.page.evaluate(() => Boolean(document.getElementById('hubdoctor-banner'))), { what: 'the banner' });
  console.log(`DevTools closed: banner shown ${Date.now() - t} ms after the onboard response`);
  const tabId = await closed.sw.evaluate(async () => (await chrome.tabs.query({ active: true }))[0].id);
  const popup = await closed.context.newPage();
  await popup.setViewportSize({ width: 560, height: 640 });
  await popup.goto(`chrome-extension://${closed.extensionId}/extension/popup.html?tab=${tabId}`);
  await poll(() => popup.evaluate(() => document.querySelectorAll('#findings li').length > 0), { what: 'the finding in the popup' });
  console.log('DevTools closed: the toolbar popup lists the finding');
  if (headless) {
    const shots = [join(dir, 'banner-devtools-closed.png'), join(dir, 'popup.png')];
    await closed.page.bringToFront();
    await closed.page.screenshot({ path: shots[0] });
    await popup.screenshot({ path: shots[1] });
    for (const p of shots) console.log(p);
  }
} finally {
  await closed.close();
}

// DevTools open: the same banner, and the whole session in the panel.
const s = await launchChromium(standin, { headless });
try {
  const ready = await s.waitDevtoolsReady();
  console.log(`DevTools and the engine ready ${ready} ms after launch`);
  await s.page.goto(adminURL(scenario));
  const t = await addUsers(s.page);
  await poll(() => s.page.evaluate(() => Boolean(document.getElementById('hubdoctor-banner'))), { what: 'the banner' });
  console.log(`Banner shown ${Date.now() - t} ms after the onboard response`);
  const panel = await s.panelFrame();
  await poll(() => panel.evaluate(() => document.querySelectorAll('#findings li').length > 0), { what: 'the finding in the panel' });

  if (headless) {
    const shots = [join(dir, 'banner.png'), join(dir, 'panel.png'), join(dir, 'panel-dark.png')];
    await s.page.screenshot({ path: shots[0] });
    const frameEl = await panel.frameElement();
    await frameEl.screenshot({ path: shots[1] });
    await panel.evaluate(() => {
      document.documentElement.dataset.theme = 'dark';
    });
    await frameEl.screenshot({ path: shots[2] });
    for (const p of shots) console.log(p);
  } else {
    console.log('Hub Doctor is running: look at the page and at DevTools > Hub Doctor. Ctrl+C to stop.');
    await new Promise((resolve) => process.once('SIGINT', resolve));
  }
} finally {
  await s.close();
  standin.stop();
}
