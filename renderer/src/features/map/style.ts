import type { FontFacesSpecification, StyleSpecification } from 'maplibre-gl';
import type { BasemapParts } from './display';
import { mapFontFaces } from './fontFaces';
import { BACKGROUND_LAYER_ID } from './mapIds';
import { MAP_COLORS } from './palette';

/**
 * The map's style, built in code and complete without any network: a plain background, the
 * optional basemap's sources and layers (settings → 底图; none by default), and the bundled label
 * font. No `glyphs` and no `sprite` URL — MapLibre then draws labels locally with the
 * `font-faces` files, and nothing is ever fetched from outside the app. Our own data layers are
 * added on top by the layer modules (`layers/`).
 */
export function offlineStyle(
  basemap: BasemapParts,
  fontFaces: FontFacesSpecification = mapFontFaces(),
): StyleSpecification {
  return {
    version: 8,
    name: 'gridwork-offline',
    sources: { ...basemap.sources },
    layers: [
      {
        id: BACKGROUND_LAYER_ID,
        type: 'background',
        paint: { 'background-color': MAP_COLORS.background },
      },
      ...basemap.layers,
    ],
    'font-faces': fontFaces,
  };
}
