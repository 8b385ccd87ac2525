// The extension's own import path, measured for make bench: headless
// Chromium with the built extension (dist/chrome) opens FILE in
// triage.html through its file input, as an admin or a support engineer
// would; the import worker reads it in chunks into the streaming engine.
//
//   node browser-import.mjs FILE
//
// Prints the result (findings, entries, error) as JSON on standard output
// and, on standard error, "import <seconds>" (file chosen → findings shown,
// without the browser's start-up) and "heap <MB>" (the page's peak JS heap).
// Exit status 2 with a one-line message when the import cannot run.
import { basename } from 'node:path';
import { launchChromium, poll } from '../e2e/harness.mjs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('browser-import: usage: node browser-import.mjs FILE\n');
  process.exit(2);
}

// No Control Hub page is visited: nothing to map to a stand-in.
const s = await launchChromium({ hostRules: '' }, { devtools: false, headless: true });
try {
  const page = s.page;
  await page.goto(`chrome-extension://${s.extensionId}/extension/triage.html`);
  await poll(() => page.evaluate(() => globalThis.hubdoctorPanel?.state()?.status === 'idle'), { what: 'the engine' });
  const cdp = await page.context().newCDPSession(page);
  let peak = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, (await cdp.send('Runtime.getHeapUsage')).usedSize);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const t0 = performance.now();
  await page.setInputFiles('#open-har', file);
  const st = await poll(async () => {
    const st = await page.evaluate(() => JSON.parse(JSON.stringify(globalThis.hubdoctorPanel.state())));
    return st.status === 'file' && st.harName === basename(file) && !st.progress ? st : null;
  }, { ms: 600_000, every: 20, what: 'the import to end' });
  const seconds = (performance.now() - t0) / 1000;
  running = false;
  await sampler;
  process.stderr.write(`import ${seconds.toFixed(3)}\nheap ${(peak / 1e6).toFixed(1)}\n`);
  process.stdout.write(JSON.stringify({ findings: st.findings, entries: st.seen, error: st.notes.error }) + '\n');
} catch (e) {
  process.stderr.write(`browser-import: ${e.message.split('\n')[0]}\n`);
  process.exitCode = 2;
} finally {
  await s.close();
}
