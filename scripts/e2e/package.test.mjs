// The store packages (dist/hubdoctor-{chrome,firefox}-<version>.zip, built by
// make chrome-zip firefox-zip): only files the extension loads, a manifest
// per browser that differs from manifest.json by exactly one key, no
// web-accessible resources, and no code that could reach the network.
// No browser needed: make test-extension.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

// The one place the version is written; the build adds it to each manifest.
const VERSION = readFileSync(join(ROOT, 'internal', 'version', 'version.go'), 'utf8').match(/^const Version = "([^"]+)"$/m)[1];
const SOURCE = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));

// What may ship. Anything else (tests, fixtures, source maps, READMEs,
// .DS_Store, editor files, the Firefox tests' probe) fails the test.
const ALLOWED = [
  /^manifest\.json$/,
  /^_locales\/[a-z]{2}(_[A-Z]{2})?\/messages\.json$/,
  /^extension\/[a-z][a-z-]*\.(js|html|css)$/,
  /^extension\/icons\/icon-(16|32|48|96|128)\.png$/,
  /^extension\/engine\/(hubdoctor\.wasm|wasm_exec\.js)$/,
];
const FORBIDDEN = /(\.test\.|\.map$|\.DS_Store|README|probe|\.md$|testdata|fixture)/i;

const TARGETS = [
  { browser: 'chrome', dropped: ['background', 'scripts'] },
  { browser: 'firefox', dropped: ['background', 'service_worker'] },
];

const list = (zip) => execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean);
const read = (zip, name) => execFileSync('unzip', ['-p', zip, name], { maxBuffer: 64 << 20 });

for (const { browser, dropped } of TARGETS) {
  const zip = join(ROOT, 'dist', `hubdoctor-${browser}-${VERSION}.zip`);

  test(`${browser} zip: only the files the extension loads`, () => {
    assert.ok(existsSync(zip), `${zip} is missing: run make ${browser}-zip`);
    const names = list(zip);
    const stray = names.filter((n) => FORBIDDEN.test(n) || !ALLOWED.some((re) => re.test(n)));
    assert.deepEqual(stray, [], `files that must not ship in ${browser}`);
    for (const must of ['manifest.json', '_locales/en/messages.json', 'extension/engine/hubdoctor.wasm', 'extension/engine/wasm_exec.js']) {
      assert.ok(names.includes(must), `${must} is in the ${browser} zip`);
    }
  });

  test(`${browser} zip: the manifest is manifest.json minus ${dropped.join('.')} plus the version, and everything it names is packed`, () => {
    const m = JSON.parse(read(zip, 'manifest.json'));
    const want = structuredClone(SOURCE);
    delete want[dropped[0]][dropped[1]];
    assert.equal(SOURCE.version, undefined, 'manifest.json leaves the version to the build');
    assert.equal(m.version, VERSION, 'the zip\'s manifest has internal/version\'s version, as its name and the CLI do');
    delete m.version;
    assert.deepEqual(m, want);
    assert.equal(m.web_accessible_resources, undefined, 'no web-accessible resources: pages must not be able to detect the extension');
    const names = new Set(list(zip));
    const named = [
      ...Object.values(m.icons),
      m.devtools_page,
      m.action.default_popup,
      ...Object.values(m.action.default_icon),
      ...(m.background.scripts ?? [m.background.service_worker]),
      ...m.content_scripts.flatMap((c) => c.js),
    ];
    for (const n of named) assert.ok(names.has(n), `${n} (named in the manifest) is packed`);
    for (const lang of ['en', 'nl', 'fr', 'ko', 'sr']) assert.ok(names.has(`_locales/${lang}/messages.json`), `${lang} is packed`);
  });

  test(`${browser} zip: no extension code can reach the network`, () => {
    for (const n of list(zip).filter((x) => x.endsWith('.js') && x !== 'extension/engine/wasm_exec.js')) {
      let src = read(zip, n).toString('utf8');
      if (n === 'extension/observer.js') {
        // The page observer wraps the page's own fetch and XMLHttpRequest:
        // it only forwards the page's calls, unchanged, and starts none.
        assert.doesNotMatch(src, /new\s+(XHR|XMLHttpRequest|g\.XMLHttpRequest)\b/, 'the observer makes no request of its own');
        const forwards = src.match(/apply\((nativeFetch|natives\.(open|send|setRequestHeader)), this, arguments\)/g) ?? [];
        assert.equal(forwards.length, 4, 'fetch, open, send and setRequestHeader forward the page\'s own call');
        assert.doesNotMatch(src.replace(/apply\((nativeFetch|natives\.\w+), this, arguments\)/g, ''), /(nativeFetch|natives\.(open|send))\s*\(|call\((nativeFetch|natives\.(open|send))\b/, 'no other call of the natives');
        src = src.replace(/\b(XMLHttpRequest|fetch)\b/g, 'wrapped');
      }
      assert.doesNotMatch(src, /\b(XMLHttpRequest|WebSocket|EventSource|sendBeacon|RTCPeerConnection)\b/, `${n} uses a network API`);
      // fetch only reads files of our own package: the engine, found beside
      // engine.js, and the panel's markup for the triage page.
      for (const m of src.matchAll(/\bfetch\(([^)]*)\)/g)) {
        assert.match(m[1], /^(WASM_URL$|'panel\.html')/, `${n}: fetch(${m[1]}) is not a read of our own package`);
        if (m[1] === 'WASM_URL') assert.match(src, /^const WASM_URL = new URL\('engine\/hubdoctor\.wasm', import\.meta\.url\);$/m, `${n}: WASM_URL is not the engine beside it`);
      }
    }
  });
}

test('content.js calls only the five browser functions it names (it cannot import the shim)', () => {
  const src = readFileSync(join(ROOT, 'extension', 'content.js'), 'utf8');
  const calls = new Set([...src.matchAll(/\bapi\.([a-zA-Z0-9.]+)/g)].map((m) => m[1]));
  assert.deepEqual([...calls].sort(), ['i18n.getMessage', 'runtime.id', 'runtime.onMessage.addListener', 'runtime.sendMessage', 'storage.local.get']);
  assert.doesNotMatch(src, /\bimport\s*\(|\bimport\s+[\w{*]/, 'no import: it would need web_accessible_resources');
});

test('observer.js, in the page, calls no browser API and sends only its two events', () => {
  const src = readFileSync(join(ROOT, 'extension', 'observer.js'), 'utf8');
  assert.doesNotMatch(src, /\b(chrome|browser)\./, 'the MAIN world has no extension APIs');
  assert.doesNotMatch(src, /\bimport\s*\(|\bimport\s+[\w{*]/);
  // The calls a rule reads, and the other failed Webex calls (issue 11).
  assert.deepEqual([...new Set(src.match(/'hubdoctor:[a-z:0-9]+'/g))], ["'hubdoctor:record:v1'", "'hubdoctor:failed:v1'"]);
  const built = readFileSync(join(ROOT, 'dist', 'chrome', 'extension', 'observer.js'), 'utf8');
  assert.doesNotMatch(built, /@scopes:/, 'the build writes the scopes in');
});

test('conventions: only browser.js reaches the WebExtension APIs (content.js keeps its own five calls), and no extension file writes markup', () => {
  const dir = join(ROOT, 'extension');
  const files = readdirSync(dir).filter((n) => n.endsWith('.js') || n.endsWith('.mjs'));
  assert.ok(files.length > 10, 'the extension files are found');
  for (const n of files) {
    // Comments may cite URLs and names; code may not.
    const code = readFileSync(join(dir, n), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    if (n !== 'browser.js' && n !== 'content.js') {
      assert.doesNotMatch(code, /(?<![\w.])(chrome|browser)\s*(\?\.|\.(?!js\b)|\[)/, `${n} reaches chrome/browser itself: go through browser.js`);
    }
    assert.doesNotMatch(code, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write\(|createContextualFragment/, `${n} writes markup: untrusted text must reach the DOM as text`);
  }
});
