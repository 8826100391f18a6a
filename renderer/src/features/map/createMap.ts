import 'maplibre-gl/dist/maplibre-gl.css';
import {
  Map as MapLibreMap,
  type StyleSpecification,
  setWorkerCount,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

// MapLibre 6 has no bundled worker: without this URL its workers never start, and GeoJSON layers
// silently never draw (only the background does). The worker file ships in the app's assets.
setWorkerUrl(workerUrl);
setWorkerCount(2);

/** Beijing's centre, for a device with no data yet. */
export const DEFAULT_CENTER: [number, number] = [116.404, 39.915];

/**
 * A MapLibre map on `container` with the given (offline) style. Attribution stays on: the
 * boundary data's licence asks for it and it carries the 示意 note.
 */
export function createMap(container: HTMLElement, style: StyleSpecification): MapLibreMap {
  return new MapLibreMap({
    container,
    style,
    center: DEFAULT_CENTER,
    zoom: 11,
    minZoom: 8,
    maxZoom: 19,
    attributionControl: { compact: false },
    // Rotation only confuses a grid worker comparing the map with the street.
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    // Labels appear at once instead of fading in over 300 ms of extra frames.
    fadeDuration: 0,
  });
}

/** Resolves once the map's style (and so `addSource`/`addLayer`) is ready. */
export function styleReady(map: MapLibreMap): Promise<void> {
  return map.isStyleLoaded() ? Promise.resolve() : new Promise((r) => map.once('load', () => r()));
}
