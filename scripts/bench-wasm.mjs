// bench-wasm measures the engine as the extension runs it, under Node: the
// time until globalThis.hubdoctor is ready, and the per-call cost of
// needsBody (called for every request in DevTools) and analyzeEntry (called
// for the few requests whose body is needed). It prints medians.
//
// usage: node scripts/bench-wasm.mjs [dist/chrome/extension/engine]
// (make chrome first; the directory holds hubdoctor.wasm and wasm_exec.js)
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { bindExports } from '../extension/engine.js';

const dir = path.resolve(process.argv[2] ?? 'dist/chrome/extension/engine');
const require = createRequire(import.meta.url);
// wasm_exec.js writes through globalThis.fs when present (console output).
globalThis.fs ??= fs;
require(path.join(dir, 'wasm_exec.js'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const us = (ms) => `${(ms * 1000).toFixed(1)} µs`;

// ready: from instantiating the module to hubdoctor.ready.
const bytes = fs.readFileSync(path.join(dir, 'hubdoctor.wasm'));
const t0 = performance.now();
const ready = new Promise((resolve) => { globalThis.__hubdoctorReady = resolve; });
const go = new Go();
const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
go.run(instance);
await ready;
const readyMs = performance.now() - t0;
// The extension's loader adds the //go:wasmexport functions (needsBody).
const hd = bindExports(globalThis.hubdoctor, instance);

// A realistic mix of Control Hub traffic: mostly requests no rule wants.
const org = '1eb65fdf-9643-417f-9974-ad72cae0e10f';
const requests = [
  ['GET', `https://atlas-a.wbx2.com/admin/api/v1/organizations/${org}`, 200, 'application/json;charset=UTF-8'],
  ['GET', 'https://atlas-a.wbx2.com/admin/api/v1/subscriptions/pending/', 400, 'application/json'],
  ['POST', 'https://col.eum-appdynamics.com/eumcollector/beacons/browser/v2/AD-AAB-AAW-PYC/adrum', 200, 'text/plain'],
  ['GET', 'https://admin.webex.com/main.6c1f.js', 200, 'text/javascript'],
  ['POST', `https://license-a.wbx2.com/license/api/v1/organization/${org}/users/onboard/`, 200, 'application/json'],
];

function perCall(n, fn) {
  // Batches of 100 calls: one call is below the timer's resolution.
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    for (let j = 0; j < 100; j++) fn(j);
    samples.push((performance.now() - t) / 100);
  }
  return median(samples);
}

for (let i = 0; i < 2000; i++) hd.needsBody(...requests[i % requests.length]); // warm up
const needsBody = perCall(200, (j) => hd.needsBody(...requests[j % requests.length]));
// The same call on a URL with no path: what crossing the bridge costs,
// apart from the rules' scopes.
const bridgeOnly = perCall(200, () => hd.needsBody('GET', 'x', 200, ''));

const entry = JSON.stringify({
  startedDateTime: '2026-11-20T09:15:02.000Z',
  request: { method: 'POST', url: requests[4][1], headers: [{ name: 'trackingid', value: 'ATLAS_x_1' }],
    postData: { mimeType: 'application/json', text: '{"users":[{"email":"alex.dekker@example.com"}]}' } },
  response: { status: 200, headers: [{ name: 'content-type', value: 'application/json' }],
    content: { size: 0, mimeType: 'application/json' } },
});
const body = JSON.stringify([{ email: 'alex.dekker@example.com', status: 400, errorList: [{ errorCode: 5302,
  description: `POST failed: HTTP/1.1 409 Conflict (url = https://cpapi-r.wbx2.com/api/v1/customers/${org}/users, request/response TrackingId = ATLAS_b4f7_30, errorCode = '5302', error = '[Error 10991] Url already exists: alex.dekker@example.com')` }] }]);
const first = await hd.analyzeEntry(entry, body, '', 'en');
if (first.findings.length !== 1) throw new Error(`analyzeEntry: expected 1 finding, got ${JSON.stringify(first)}`);
const samples = [];
for (let i = 0; i < 300; i++) {
  const t = performance.now();
  await hd.analyzeEntry(entry, body, '', 'en');
  samples.push(performance.now() - t);
}

const size = bytes.length;
console.log(`hubdoctor.wasm   ${(size / 1e6).toFixed(2)} MB raw`);
console.log(`ready            ${readyMs.toFixed(0)} ms (instantiate + Go start + register)`);
console.log(`needsBody        ${us(needsBody)} median per call`);
console.log(`  of which        ${us(bridgeOnly)} crossing the bridge (needsBody on a bare URL)`);
console.log(`analyzeEntry     ${us(median(samples))} median per call (onboard POST with the 10991 body, explained)`);
process.exit(0);
