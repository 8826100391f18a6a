import { describe, expect, it } from 'vitest';
import unicodeRanges from '@fontsource/noto-sans-sc/unicode.json';
import { NO_BASEMAP } from './display';
import { FONT_SUBSET_COUNT, MAP_FONT, mapFontFaces } from './fontFaces';
import { BACKGROUND_LAYER_ID } from './mapIds';
import { offlineStyle } from './style';

const BASE = 'app://gridwork/index.html';

describe('offline style', () => {
  const style = offlineStyle(NO_BASEMAP, mapFontFaces(BASE));

  it('needs no network: no glyphs, no sprite, only the background', () => {
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(style.sources).toEqual({});
    expect(style.layers.map((l) => l.id)).toEqual([BACKGROUND_LAYER_ID]);
  });

  it('draws labels with the bundled font, every subset from the app itself', () => {
    const faces = style['font-faces']?.[MAP_FONT];
    if (!Array.isArray(faces)) throw new Error('no font faces');
    expect(FONT_SUBSET_COUNT).toBe(Object.keys(unicodeRanges).length);
    expect(faces).toHaveLength(FONT_SUBSET_COUNT);
    for (const face of faces) {
      expect(face.url.startsWith('app://gridwork/')).toBe(true);
      expect(face.url).toMatch(/\.woff2$/);
      expect(face['unicode-range']?.length).toBeGreaterThan(0);
    }
    // Characters of real labels are covered: 和平里街道, 第1网格.
    const covered = (ch: string) =>
      faces.some((face) =>
        face['unicode-range']?.some((range) => {
          const [from = '', to] = range.trim().slice(2).split('-');
          const cp = ch.codePointAt(0) ?? 0;
          return cp >= Number.parseInt(from, 16) && cp <= Number.parseInt(to ?? from, 16);
        }),
      );
    for (const ch of '和平里街道第1网格') expect(covered(ch), ch).toBe(true);
  });

  it('puts the basemap between the background and our layers', () => {
    const withBasemap = offlineStyle(
      {
        ...NO_BASEMAP,
        sources: { basemap: { type: 'raster', tiles: ['http://tiles.intranet/{z}/{x}/{y}.png'] } },
        layers: [{ id: 'basemap-raster', type: 'raster', source: 'basemap' }],
      },
      mapFontFaces(BASE),
    );
    expect(withBasemap.layers.map((l) => l.id)).toEqual([BACKGROUND_LAYER_ID, 'basemap-raster']);
    expect(Object.keys(withBasemap.sources)).toEqual(['basemap']);
  });
});
