// The committed store pictures (make check-store-assets, part of make
// test): every picture of pictures.mjs exists for every UI language, at the
// exact pixel size the stores ask for, and each language's picture differs
// from the English one where the text is, so no language ships English
// pictures by mistake. It reads the files only: make store-assets makes
// them (a browser run), this check takes a second.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { LANGUAGES, PICTURES, STORE } from './pictures.mjs';

// The least share of pixels a translated picture must change against the
// English one. Measured on the first set (make store-assets): 0.86 % (the
// Serbian banner picture: only the banner's text is translated, the
// stand-in page is English) to 22 %; the English set made twice differs by
// 0.005 % at most (the summary window's title carries the time).
const MIN_CHANGED = 0.005;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** pngSize reads the width and height from the IHDR chunk, bytes 16–23 of a PNG file. */
function pngSize(buf) {
  assert.ok(buf.subarray(0, 8).equals(PNG_SIGNATURE), 'a PNG signature');
  assert.equal(buf.toString('latin1', 12, 16), 'IHDR', 'IHDR first');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/**
 * decodePNG returns {width, height, channels, pixels} of an 8-bit,
 * non-interlaced RGB or RGBA PNG (what Chromium's screenshots are): the
 * IDAT chunks inflated and the scanline filters undone. It throws on any
 * other kind, so a change of format fails loudly instead of comparing noise.
 */
export function decodePNG(buf) {
  const { width, height } = pngSize(buf);
  const [depth, colour, , , interlace] = buf.subarray(24, 29);
  if (depth !== 8 || ![2, 6].includes(colour) || interlace !== 0) {
    throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${interlace}`);
  }
  const channels = colour === 6 ? 4 : 3;
  const idat = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  assert.equal(raw.length, height * (stride + 1), 'the inflated data holds every scanline');
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels] : 0;
      const b = up[i];
      const c = i >= channels ? up[i - channels] : 0;
      let v;
      switch (filter) {
        case 0: v = 0; break;
        case 1: v = a; break;
        case 2: v = b; break;
        case 3: v = (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`scanline ${y}: unknown filter ${filter}`);
      }
      out[i] = (line[i] + v) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** changedShare is the share of pixels whose colour differs between two decoded pictures of one size. */
function changedShare(a, b) {
  assert.equal(a.width, b.width);
  assert.equal(a.height, b.height);
  let changed = 0;
  for (let p = 0; p < a.width * a.height; p++) {
    for (let k = 0; k < 3; k++) {
      if (a.pixels[p * a.channels + k] !== b.pixels[p * b.channels + k]) {
        changed++;
        break;
      }
    }
  }
  return changed / (a.width * a.height);
}

test('the decoder reads what it should: a picture equals itself, and a changed pixel is seen', () => {
  const file = join(STORE, 'en', PICTURES[0].file);
  if (!existsSync(file)) return assert.fail(`${file} is missing: run make store-assets`);
  const a = decodePNG(readFileSync(file));
  assert.equal(changedShare(a, a), 0);
  const b = { ...a, pixels: Buffer.from(a.pixels) };
  b.pixels[0] ^= 0xff;
  assert.equal(changedShare(a, b), 1 / (a.width * a.height));
  // Text on the page is not one flat colour: the decoded picture must hold many colours.
  const colours = new Set();
  for (let p = 0; p < a.width * a.height; p += 7) colours.add(a.pixels.readUIntBE(p * a.channels, 3));
  assert.ok(colours.size > 50, `the decoded banner picture has ${colours.size} colours`);
});

for (const lang of LANGUAGES) {
  test(`store/${lang}/: every picture, at its exact size, nothing else`, () => {
    const dir = join(STORE, lang);
    assert.ok(existsSync(dir), `${dir} is missing: run make store-assets`);
    for (const { file, width, height } of PICTURES) {
      const path = join(dir, file);
      assert.ok(existsSync(path), `${path} is missing: run make store-assets`);
      assert.deepEqual(pngSize(readFileSync(path)), { width, height }, `${lang}/${file} is ${width}×${height}`);
    }
    const extra = readdirSync(dir).filter((f) => !PICTURES.some((p) => p.file === f));
    assert.deepEqual(extra, [], `store/${lang}/ holds only the pictures of pictures.mjs`);
  });
}

for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
  test(`store/${lang}/: each picture is translated (at least ${MIN_CHANGED * 100} % of its pixels differ from English)`, () => {
    for (const { file } of PICTURES) {
      const share = changedShare(decodePNG(readFileSync(join(STORE, 'en', file))), decodePNG(readFileSync(join(STORE, lang, file))));
      assert.ok(share >= MIN_CHANGED, `${lang}/${file}: only ${(share * 100).toFixed(2)} % of the pixels differ from en/${file}`);
    }
  });
}
