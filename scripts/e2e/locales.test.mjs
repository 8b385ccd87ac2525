// The extension's UI catalogs (extension/_locales/<lang>/messages.json):
// every language has exactly English's keys, every key is used somewhere in
// the extension or the manifest, placeholders agree across languages, the
// store texts fit the stores' limits, and each language has its store
// listing (store/<lang>.md). No browser needed: make test-extension.
//
// Serbian is shipped in Latin script under "sr": Chrome's and Firefox's
// _locales accept only the codes of
// https://developer.chrome.com/docs/extensions/reference/api/i18n#locales
// ("sr" is there, "sr_Latn" is not), and the engine's catalog serves "sr"
// with its sr-Latn text (internal/messages.Match), so the panel reads Latin
// throughout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

const LOCALES = join(ROOT, 'extension', '_locales');
const LANGS = ['en', 'nl', 'fr', 'ko', 'sr'];
// Chrome Web Store: the description at most 132 characters; the name at most 45 (both stores show it).
const MAX_DESCRIPTION = 132;
const MAX_NAME = 45;

const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
const catalog = (lang) => JSON.parse(readFileSync(join(LOCALES, lang, 'messages.json'), 'utf8'));
const en = catalog('en');

/** sources is the text of every extension page file and the manifest, where keys are referenced. */
function sources() {
  const out = [readFileSync(join(ROOT, 'manifest.json'), 'utf8')];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== '_locales' && name !== 'engine') walk(p);
      } else if (/\.(m?js|html)$/.test(name) && !/\.test\./.test(name)) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(ROOT, 'extension'));
  return out.join('\n');
}

/** placeholdersOf is the sorted $NAME$ tokens of a message and its placeholder definitions. */
function placeholdersOf(entry) {
  const used = [...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1].toLowerCase()).sort();
  const defined = Object.entries(entry.placeholders ?? {})
    .map(([name, p]) => `${name.toLowerCase()}=${p.content}`)
    .sort();
  return { used, defined };
}

test('exactly the shipped languages have a catalog, and en is the default_locale', () => {
  assert.deepEqual(readdirSync(LOCALES).sort(), [...LANGS].sort());
  assert.equal(JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')).default_locale, 'en');
});

test('en: every message is written, none is a TODO left for later', () => {
  for (const [k, e] of Object.entries(en)) {
    assert.ok(!/^\s*TODO/.test(e.message), `extension/_locales/en/messages.json: TODO ${k}: write the English message`);
  }
});

for (const lang of LANGS.filter((l) => l !== 'en')) {
  test(`${lang}: same keys as en, same placeholders, every message translated`, () => {
    const c = catalog(lang);
    // Each message names the key and the file to write it in.
    const file = `extension/_locales/${lang}/messages.json`;
    const missing = Object.keys(en).filter((k) => !(k in c));
    const extra = Object.keys(c).filter((k) => !(k in en));
    assert.deepEqual(missing, [], `${file} lacks these keys of extension/_locales/en/messages.json: add each, translated`);
    assert.deepEqual(extra, [], `${file} has keys en does not: remove them`);
    for (const [k, e] of Object.entries(en)) {
      assert.equal(typeof c[k].message, 'string', `${file}: ${k}.message`);
      assert.ok(c[k].message.trim(), `${file}: ${k} is empty`);
      assert.ok(!/^\s*TODO/.test(c[k].message), `${file}: TODO ${k}: translate the English ${JSON.stringify(e.message)}`);
      assert.deepEqual(placeholdersOf(c[k]), placeholdersOf(e), `${file}: ${k}: placeholders differ from en`);
    }
  });
}

test('catalogLanguage names each catalog\'s language, so the engine explains in the language of the UI', () => {
  const want = { en: 'en', nl: 'nl', fr: 'fr', ko: 'ko', sr: 'sr-Latn' };
  for (const lang of LANGS) assert.equal(catalog(lang).catalogLanguage.message, want[lang], lang);
});

test('every placeholder a message uses is defined, and every definition is used', () => {
  for (const lang of LANGS) {
    for (const [k, e] of Object.entries(catalog(lang))) {
      const { used, defined } = placeholdersOf(e);
      assert.deepEqual([...new Set(used)].sort(), defined.map((d) => d.split('=')[0]), `${lang}.${k}`);
    }
  }
});

test('every key is used by an extension file or the manifest', () => {
  const text = sources();
  const unused = Object.keys(en).filter((k) => {
    if (text.includes(`__MSG_${k}__`) || new RegExp(`['"\`]${k}['"\`]`).test(text)) return false;
    // A key built from a prefix, e.g. t(`severity_${sev}`).
    const i = k.indexOf('_');
    return !(i > 0 && text.includes(`\`${k.slice(0, i + 1)}\${`));
  });
  assert.deepEqual(unused, [], 'keys no file references');
});

test('every key the extension asks for exists', () => {
  const text = sources();
  const asked = new Set();
  for (const m of text.matchAll(/\b(?:t|message|ext\.message)\(\s*'([A-Za-z0-9_]+)'/g)) asked.add(m[1]);
  for (const m of text.matchAll(/data-i18n(?:-title)?="([A-Za-z0-9_]+)"/g)) asked.add(m[1]);
  for (const m of text.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) asked.add(m[1]);
  const unknown = [...asked].filter((k) => !(k in en));
  assert.deepEqual(unknown, [], 'keys asked for but missing from en');
});

test('store texts: name and description within the stores\' limits, a listing per language', () => {
  for (const lang of LANGS) {
    const c = catalog(lang);
    assert.ok(c.extName.message.length <= MAX_NAME, `${lang} extName`);
    const d = c.extDescription.message;
    assert.ok(d.length <= MAX_DESCRIPTION, `${lang} extDescription is ${d.length} characters, the Chrome Web Store takes ${MAX_DESCRIPTION}`);
    const listing = join(ROOT, 'store', `${lang}.md`);
    assert.ok(existsSync(listing), `store/${lang}.md is missing`);
    const body = readFileSync(listing, 'utf8');
    assert.ok(body.includes(d), `store/${lang}.md does not start from the short description in _locales/${lang}`);
    assert.ok(body.length > d.length + 400, `store/${lang}.md has no long description`);
    // The Chrome Web Store's forms: the single purpose, one justification
    // per permission the manifest asks for (and for remote code), the
    // privacy practices; each field at most 1,000 characters.
    const section = (name) => {
      const m = body.match(new RegExp(`<!-- ${name}:[^>]*-->\\n## [^\\n]+\\n\\n([\\s\\S]*?)(?=\\n<!--|$)`));
      assert.ok(m, `store/${lang}.md has no ${name} section`);
      return m[1].trim();
    };
    const purpose = section('single-purpose');
    assert.ok(purpose.length > 80 && purpose.length <= 1000, `${lang} single purpose: ${purpose.length} characters`);
    const perms = section('permissions').split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
    for (const want of [...MANIFEST.permissions, 'https://admin.webex.com/*', 'devtools_page']) {
      const line = perms.find((l) => l.includes(want));
      assert.ok(line, `store/${lang}.md justifies no ${want}`);
      assert.ok(line.length <= 1000, `${lang} justification of ${want}: ${line.length} characters`);
    }
    assert.equal(perms.length, 4, `${lang}: storage, content scripts, devtools_page and remote code`);
    const privacy = section('privacy');
    assert.ok(privacy.length > 80 && privacy.length <= 1000, `${lang} privacy practices: ${privacy.length} characters`);
  }
});
