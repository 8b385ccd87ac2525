// The engine compiled to WebAssembly, under Node, as the extension's panel
// runs it on a dropped file: load hubdoctor.wasm with the wasm_exec.js of the
// same Go, then hubdoctor.analyzeHAR(bytes) on the whole file.
//
//   node wasm.mjs ENGINE.wasm WASM_EXEC.js FILE
//
// Prints the analyzeHAR result as JSON on standard output and, on standard
// error, "analyzeHAR <seconds>": the call alone, without loading the engine.
// Exit status 2 with a one-line message when the engine cannot start or the
// call rejects.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';

const [wasmPath, execPath, file] = process.argv.slice(2);

function fail(msg) {
  process.stderr.write(`wasm: ${msg}\n`);
  process.exit(2);
}

if (!file) fail('usage: node wasm.mjs ENGINE.wasm WASM_EXEC.js FILE');

// wasm_exec.js is a classic script that sets globalThis.Go; it needs fs for
// the engine's console output, as wasm_exec_node.js provides it.
const require = createRequire(import.meta.url);
globalThis.fs ??= require('node:fs');
try {
  require(execPath);
} catch (e) {
  fail(`loading ${execPath}: ${e.message}`);
}

const ready = new Promise((resolve) => { globalThis.__hubdoctorReady = resolve; });
const go = new globalThis.Go();
let instance;
try {
  ({ instance } = await WebAssembly.instantiate(readFileSync(wasmPath), go.importObject));
} catch (e) {
  fail(`instantiating ${wasmPath}: ${e.message}`);
}
const exited = go.run(instance).then(() => fail('the engine exited before it was ready'));
await Promise.race([ready, exited]);

const data = readFileSync(file);
const start = performance.now();
let res;
try {
  res = await globalThis.hubdoctor.analyzeHAR(new Uint8Array(data.buffer, data.byteOffset, data.length), basename(file), 'en');
} catch (e) {
  fail(`analyzeHAR ${file}: ${e.message}`);
}
process.stderr.write(`analyzeHAR ${((performance.now() - start) / 1000).toFixed(3)}\n`);
process.stdout.write(JSON.stringify(res) + '\n');
// The Go program serves forever (select {}): leave without waiting for it.
process.exit(0);
