import * as maplibre from 'maplibre-gl';
import { installBasemapProtocol } from './basemapFile';
import type { BasemapParts } from './display';
import { useBasemapStore } from './useBasemapStore';

/**
 * The basemap the map screen draws under its layers, with its coordinate shift: this device's
 * setting from 设置 → 底图 (`useBasemapStore`). None by default — the offline style then needs
 * nothing else and makes no request — in which case every coordinate is drawn as stored
 * (WGS-84). Read when a map is made; changing the setting takes effect the next time the map
 * screen opens (the settings are on another screen).
 */
export async function currentBasemap(): Promise<BasemapParts> {
  const store = useBasemapStore();
  // A PMTiles archive is read through MapLibre's protocol hook (`pmtiles://`).
  installBasemapProtocol(maplibre);
  const { sources, layers } = store.style;
  const transform = store.transform;
  return {
    sources,
    layers,
    toDisplay: (point) => transform.toDisplay(point),
    fromDisplay: (point) => transform.fromDisplay(point),
  };
}
