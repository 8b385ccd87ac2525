// demo.mjs (make demo): the main job with no Webex account. It starts the
// Control Hub stand-in, opens Chromium with the built extension and DevTools,
// plays the failing "Add users" and shows Hub Doctor's banner and panel.
// Without a display it writes screenshots to ./screenshots/ and prints their
// paths; with one it leaves the browser open until you press Ctrl+C.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, addUsers, adminURL, launchChromium, poll, startStandin } from './harness.mjs';

const scenario = process.argv[2] ?? 'carrier';
const headless = !process.env.DISPLAY;
const standin = await startStandin();
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
    const dir = join(ROOT, 'screenshots');
    mkdirSync(dir, { recursive: true });
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
