import type { FontFacesSpecification } from 'maplibre-gl';
import unicodeRanges from '@fontsource/noto-sans-sc/unicode.json';

/**
 * The map's label font, bundled with the app (Noto Sans SC, SIL OFL, from @fontsource): labels must
 * not depend on the fonts of the machine, and there is no glyph server on a closed network. The
 * style declares it through `font-faces` and has no `glyphs` URL, so MapLibre draws every label
 * locally with these files.
 *
 * The font comes in @fontsource's ~100 subsets of 20–100 KB, each with its Unicode ranges (the
 * package's `unicode.json`, the same ranges as its CSS). MapLibre loads only the subsets that
 * hold characters it has to draw: the names of a street's grids and communities touch a handful
 * (~0.3 MB) instead of the whole 3.7 MB font.
 */
export const MAP_FONT = 'Noto Sans SC Regular';

// Every weight-400 subset file, as bundled asset URLs (Vite copies them into the build); not the
// package's all-in-one simplified-Chinese file, which would only duplicate the subsets.
const FILES = import.meta.glob<string>(
  [
    '../../../../node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-*-400-normal.woff2',
    '!../../../../node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff2',
  ],
  { query: '?url', import: 'default', eager: true },
);

/** Subset name (`[117]`, `latin` …) → its file's URL, or undefined if the package lacks it. */
function fileOf(subset: string): string | undefined {
  const name = subset.replace(/^\[(\d+)\]$/, '$1');
  const suffix = `/noto-sans-sc-${name}-400-normal.woff2`;
  for (const [path, url] of Object.entries(FILES)) if (path.endsWith(suffix)) return url;
  return undefined;
}

/** `font-faces` for the style; URLs are made absolute against the page (app:// or http://). */
export function mapFontFaces(base: string = document.baseURI): FontFacesSpecification {
  const faces: { url: string; 'unicode-range': string[] }[] = [];
  for (const [subset, ranges] of Object.entries(unicodeRanges as Record<string, string>)) {
    const url = fileOf(subset);
    if (url) faces.push({ url: new URL(url, base).href, 'unicode-range': ranges.split(',') });
  }
  return { [MAP_FONT]: faces };
}

/** How many subset files are bundled (a test checks that the glob found them all). */
export const FONT_SUBSET_COUNT = Object.keys(FILES).length;
