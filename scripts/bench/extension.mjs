// extension.mjs: the live extension's figures, measured in real headless
// Chromium with the built dist/chrome against the Control Hub stand-in, each
// against its target:
//   - engine ready after the devtools page starts (the capture's own clock);
//   - per-request cost for a request that needs no body, timed in the
//     devtools page over the seeds' answered (2xx) calls: the decision
//     alone, and the whole handling (decision + the sanitized copy kept for
//     the export); and the decision for the seeds' failed calls, whose body
//     the engine reads to list them (it asks the engine each time);
//   - onboard response → banner, timed inside the Control Hub page (fetch
//     resolved → #hubdoctor-banner inserted), median of several runs;
//   - the .wasm's size, raw and gzip -9.
// Run by `make bench` after `make chrome`; prints a table and PASS/FAIL lines.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { startStandin, launchChromium, adminURL, poll, DIST } from '../e2e/harness.mjs';

const RUNS = Number(process.env.BENCH_BANNER_RUNS ?? 7);
const CALLS = Number(process.env.BENCH_NEEDSBODY_CALLS ?? 5000);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const standin = await startStandin();
const session = await launchChromium(standin);
const rows = [];
try {
  await session.waitDevtoolsReady();
  const dt = await session.devtoolsFrame();
  await poll(() => dt.evaluate(() => globalThis.hubdoctorCapture?.metrics?.engineReadyMs != null), { what: 'the engine ready time' });
  const readyMs = await dt.evaluate(() => globalThis.hubdoctorCapture.metrics.engineReadyMs);
  rows.push(['engine ready after the devtools page starts', `${readyMs} ms`, readyMs <= 150, '≤ 150 ms']);

  // The seeds' answered calls and background traffic (the 2xx majority):
  // no rule reads their bodies. Two figures: the decision alone (wantsBody:
  // the status, scope hints, then the engine when a hint matches: one in
  // five here, the page asset on admin.webex.com, which the SSO rules'
  // hint "webex.com" lets through), and the
  // whole handling of such a request in the devtools page (the decision,
  // serializing the entry and keeping its sanitized copy for the export,
  // made in one engine call per batch of requests: here 20, fewer than a
  // page load's burst). Then the decision for the seeds' failed calls,
  // which crosses into the engine each time (it lists them, so it wants
  // their bodies). The page's clock is coarse (100 µs in extension pages):
  // requests are timed in batches.
  const perCall = await dt.evaluate(async (calls) => {
    const c = globalThis.hubdoctorCapture;
    const failed = [
      ['GET', 'https://atlas-a.wbx2.com/admin/api/v1/subscriptions/pending/', 400, 'application/json'],
      ['GET', 'https://atlas-a.wbx2.com/admin/api/v1/organizations/1eb65fdf-9643-417f-9974-ad72cae0e10f', 404, 'application/json'],
    ];
    const reqs = [
      ['GET', 'https://atlas-a.wbx2.com/admin/api/v1/organizations/1eb65fdf-9643-417f-9974-ad72cae0e10f', 200, 'application/json'],
      ['POST', 'https://metrics-a.wbx2.com/metrics/api/v1/clientmetrics/', 204, ''],
      ['GET', 'https://admin.webex.com/main.6c1f.js', 200, 'text/javascript'],
      ['GET', 'https://cpapi-a.wbx2.com/api/v1/customers/1eb65fdf-9643-417f-9974-ad72cae0e10f?basicInfo=true', 200, 'application/json; charset=utf-8'],
      ['GET', 'https://pulse-a.wbx2.com/webex-pulse/api/v1/pulse/', 200, 'application/json'],
    ];
    const entry = ([method, url, status, mimeType]) => ({
      startedDateTime: new Date().toISOString(), time: 120,
      request: { method, url, httpVersion: 'http/2.0', headers: [
        { name: ':authority', value: new URL(url).host }, { name: 'accept', value: 'application/json, text/plain, */*' },
        { name: 'authorization', value: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln' }, { name: 'cookie', value: 'cisPRODAdminSession=4f1d' },
        { name: 'trackingid', value: 'ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000001_1' }, { name: 'user-agent', value: navigator.userAgent },
      ], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status, statusText: '', httpVersion: 'http/2.0', headers: [
        { name: 'content-type', value: mimeType }, { name: 'trackingid', value: 'ATLAS_6e1c9d3a-8f7b-4c2e-9a1d-000000000001_1' },
      ], cookies: [], content: { size: 120, mimeType }, redirectURL: '', headersSize: -1, bodySize: -1 },
      cache: {}, timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0.2, wait: 110, receive: 2 },
      getContent: (cb) => cb('', ''),
    });
    const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
    const BATCH = 100;
    const decisions = (list) => {
      const us = [];
      let needed = 0;
      for (let i = 0; i < calls; i += BATCH) {
        const t0 = performance.now();
        for (let j = i; j < i + BATCH; j++) {
          const [m, u, st, mt] = list[j % list.length];
          if (c.wantsBody({ method: m, url: u }, { status: st, content: { mimeType: mt } })) needed++;
        }
        us.push(((performance.now() - t0) / BATCH) * 1000);
      }
      return { us: median(us), needed };
    };
    const answered = decisions(reqs);
    const failing = decisions(failed);
    const handle = [];
    for (let i = 0; i < calls / 5; i += 20) {
      const batch = Array.from({ length: 20 }, (_, j) => entry(reqs[(i + j) % reqs.length]));
      const t0 = performance.now();
      for (const e of batch) await c.process(e, false);
      await c.enqueueFlush(); // their sanitized copies, batched, count too
      handle.push(((performance.now() - t0) / batch.length) * 1000);
    }
    c.clear();
    return { decideUs: answered.us, handleUs: median(handle), needed: answered.needed, failedUs: failing.us, failedNeeded: failing.needed };
  }, CALLS);
  if (perCall.needed !== 0) throw new Error(`the devtools page wanted a body for ${perCall.needed} answered requests no rule reads`);
  if (perCall.failedNeeded !== CALLS) throw new Error(`the devtools page wanted a body for ${perCall.failedNeeded} of ${CALLS} failed Webex calls`);
  rows.push([`per-request decision, 2xx, no body needed (${CALLS} requests)`, `${perCall.decideUs.toFixed(1)} µs median`, perCall.decideUs <= 50, '≤ 50 µs']);
  rows.push([`per-request decision, failed Webex call, body wanted (${CALLS} requests; crosses into the engine)`, `${perCall.failedUs.toFixed(1)} µs median`, null, '']);
  rows.push(['per-request handling, no body needed (decision + sanitized copy for the export)', `${perCall.handleUs.toFixed(0)} µs median`,
    perCall.handleUs <= 50, '≤ 50 µs']);

  const latencies = [];
  for (let i = 0; i < RUNS; i++) {
    // Findings survive navigation and their banner comes back on the new
    // page: start each run from a cleared capture and no banner.
    await dt.evaluate(() => globalThis.hubdoctorCapture.clear());
    await session.page.goto(adminURL('carrier'));
    await session.page.evaluate(() => {
      document.getElementById('hubdoctor-banner')?.remove();
      const fetch0 = window.fetch;
      window.fetch = async (...args) => {
        const r = await fetch0(...args);
        if (String(args[0]).includes('/users/onboard')) window.__hdResponded = performance.now();
        return r;
      };
      new MutationObserver((_, obs) => {
        if (document.getElementById('hubdoctor-banner')) {
          window.__hdBanner = performance.now();
          obs.disconnect();
        }
      }).observe(document.documentElement, { childList: true, subtree: true });
    });
    await session.page.click('#add-users');
    const t = await poll(() => session.page.evaluate(() => (window.__hdBanner && window.__hdResponded ? window.__hdBanner - window.__hdResponded : null)),
      { ms: 10_000, every: 10, what: 'the banner' });
    latencies.push(t);
  }
  const lat = median(latencies);
  rows.push([`onboard response → banner (median of ${RUNS})`, `${lat.toFixed(0)} ms (runs: ${latencies.map((x) => x.toFixed(0)).join(', ')})`, lat <= 300, '≤ 300 ms']);
} finally {
  await session.close();
  standin.stop();
}

const wasm = readFileSync(join(DIST, 'extension', 'engine', 'hubdoctor.wasm'));
const gz = gzipSync(wasm, { level: 9 }).length;
rows.push(['.wasm size, raw', `${(wasm.length / 1e6).toFixed(2)} MB`, wasm.length <= 4e6, '≤ 4 MB']);
rows.push(['.wasm size, gzip -9', `${(gz / 1e6).toFixed(3)} MB`, gz <= 1.2e6, '≤ 1.2 MB']);

console.log('\nHub Doctor extension bench: headless Chromium, dist/chrome, Control Hub stand-in\n');
console.log('| figure | measured | target | |\n| --- | --- | --- | --- |');
// ok is null for a figure shown without a target.
for (const [name, value, ok, target] of rows) console.log(`| ${name} | ${value} | ${target} | ${ok === null ? 'info' : ok ? 'PASS' : 'FAIL'} |`);
