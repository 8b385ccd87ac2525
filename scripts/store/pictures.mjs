// pictures.mjs: the store listing pictures, one list for the script that
// makes them (assets.mjs, make store-assets) and the check of the committed
// ones (assets.test.mjs, make check-store-assets), so both agree on the
// names and sizes.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const STORE = join(ROOT, 'store');

/** LANGUAGES are the extension's UI languages: one picture set each, in store/<lang>/. */
export const LANGUAGES = readdirSync(join(ROOT, 'extension', '_locales'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/**
 * PICTURES are the files in each store/<lang>/, with their exact pixel
 * sizes. The screenshots are 1280×800, the size both the Chrome Web Store
 * and addons.mozilla.org ask for (one set serves both); the promo tile is
 * the Chrome Web Store's small promo tile.
 */
export const PICTURES = [
  { file: 'screenshot-1-banner.png', width: 1280, height: 800, what: 'the banner on the stand-in admin page, DevTools closed' },
  { file: 'screenshot-2-popup.png', width: 1280, height: 800, what: 'the toolbar popup with the finding, over the admin page' },
  { file: 'screenshot-3-panel.png', width: 1280, height: 800, what: 'the Hub Doctor panel with the finding (the seeds\' HAR file)' },
  { file: 'screenshot-4-triage.png', width: 1280, height: 800, what: 'the HAR triage page (options page) with the same file' },
  { file: 'screenshot-5-tac-summary.png', width: 1280, height: 800, what: 'the exported TAC summary (Markdown) as a document' },
  { file: 'promo-tile-440x280.png', width: 440, height: 280, what: 'the Chrome Web Store small promo tile' },
];
