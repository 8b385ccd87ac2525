// languages.mjs: what the extension must show in each UI language, read from
// the catalogs the build ships (extension/_locales) and the engine's own
// (internal/messages/locales), so the browser tests in
// languages.test.mjs (Chromium) and languages-firefox.test.mjs compare with
// the translations, not with copies of them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

/**
 * LANGUAGE_CASES lists the UI languages the tests start a browser in, and
 * the extension catalog each must show: the five shipped ones, and German,
 * which has none, so the extension falls back to English (default_locale).
 */
export const LANGUAGE_CASES = [
  { lang: 'en', shows: 'en' },
  { lang: 'nl', shows: 'nl' },
  { lang: 'fr', shows: 'fr' },
  { lang: 'ko', shows: 'ko' },
  // Serbian Latin ships under _locales/sr; the engine's catalog is sr-Latn.
  { lang: 'sr', shows: 'sr' },
  { lang: 'de', shows: 'en', reason: 'no German catalog: English is the fallback' },
];

/** The finding the stand-in's "carrier" scenario produces. */
export const CARRIER_RULE = 'onboard/carrier-email-exists';

/**
 * expectedTexts returns the texts the UI must show when the extension picked
 * its _locales/<locale> catalog: the banner heading for one failure, the
 * panel's Copy TAC summary button, and the carrier finding's title from the
 * engine catalog the extension names in catalogLanguage. It throws when a
 * catalog or key is missing, naming the file.
 */
export function expectedTexts(locale) {
  const ui = readJSON(join(ROOT, 'extension', '_locales', locale, 'messages.json'));
  const message = (key) => {
    const m = ui.json[key]?.message;
    if (typeof m !== 'string' || !m) throw new Error(`${ui.path}: no message "${key}"`);
    return m;
  };
  const engineLang = message('catalogLanguage');
  const engine = readJSON(join(ROOT, 'internal', 'messages', 'locales', engineLang, 'onboard.json'));
  const title = engine.json[`${CARRIER_RULE}.title`];
  if (typeof title !== 'string' || !title) throw new Error(`${engine.path}: no "${CARRIER_RULE}.title"`);
  return { engineLang, bannerHeading: message('bannerHeadingOne'), copySummary: message('copySummary'), findingTitle: title };
}

function readJSON(path) {
  try {
    return { path, json: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (err) {
    throw new Error(`${path}: ${err.message}`);
  }
}
