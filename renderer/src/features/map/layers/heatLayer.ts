import type { FeatureCollection, Point } from 'geojson';
import type { HeatProps } from '../caseView';
import { type HeatCorners, type HeatRaster, heatRaster } from '../heatRaster';
import { LAYER_IDS, SOURCE_IDS } from '../mapIds';
import { HEAT_OPACITY } from '../palette';
import { type LayerMap, type MapLayerModule, removeIds } from './types';
import { whenSourcesLoaded } from './whenSourcesLoaded';

/**
 * 诉求热力图: where requests cluster, under the screen's time window and category filter. The
 * density of `caseView`'s heat cells is computed once per data or filter change (`heatRaster`)
 * and shown as one image: the map then draws a single textured quad per frame. A MapLibre
 * `heatmap` layer redraws every kernel and recolours the screen on every frame, which cost
 * ~33 ms a frame in software GL (bench:map) and pushed panning at street zoom over 100 ms.
 *
 * The quad is not free either: drawn in each of the ~10 frames MapLibre draws while the other
 * sources load (one as each batch of their tiles arrives), it cost 50–100 ms on the way to the
 * first idle map. So the layer goes on the map at once but stays hidden until the other data
 * sources have loaded (`whenSourcesLoaded`), and is shown in the frame that draws their last
 * tiles.
 */

type HeatCells = FeatureCollection<Point, HeatProps>;

/** What a MapLibre image source takes: the decoded image, no URL, no network. */
interface HeatImage {
  image: ImageData;
  coordinates: HeatCorners;
}

/**
 * Where the image goes when there is nothing to show: a 1×1 transparent image must still be
 * there, since an image source without one never finishes loading and the map never goes idle.
 * The spot (an 11 m square at 0°, 0°) is never in view, so MapLibre does not even draw it.
 */
const NOWHERE: HeatCorners = [
  [0, 0.0001],
  [0.0001, 0.0001],
  [0.0001, 0],
  [0, 0],
];

/**
 * The raster of each heat collection seen, so switching the layer off and on again, or a data
 * change that leaves the cases alone, does not compute it again (10–20 ms for a street).
 */
const rasters = new WeakMap<HeatCells, HeatRaster | null>();

function rasterOf(heat: HeatCells): HeatRaster | null {
  if (!rasters.has(heat)) rasters.set(heat, heatRaster(heat));
  return rasters.get(heat) ?? null;
}

function imageData(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number): ImageData {
  // Node (the unit tests' fake map) has no ImageData; MapLibre reads only these fields of it.
  return typeof ImageData === 'function'
    ? new ImageData(rgba, width, height)
    : { colorSpace: 'srgb', data: rgba, width, height };
}

function blankImage(): HeatImage {
  return { image: imageData(new Uint8ClampedArray(4), 1, 1), coordinates: NOWHERE };
}

function heatImage(heat: HeatCells): HeatImage {
  const raster = rasterOf(heat);
  if (!raster) return blankImage();
  return {
    image: imageData(raster.rgba, raster.width, raster.height),
    coordinates: raster.coordinates,
  };
}

/** Hands the image to the source, if it is on the map (MapLibre's `ImageSource.updateImage`). */
function showImage(map: LayerMap, image: HeatImage): void {
  const source = map.getSource(SOURCE_IDS.heat) as
    { updateImage?(options: HeatImage): unknown } | undefined;
  source?.updateImage?.(image);
}

/** The other data sources on the map (the basemap's are not waited for: it is only a backdrop). */
function otherDataSources(map: LayerMap): string[] {
  return Object.values(SOURCE_IDS).filter((id) => id !== SOURCE_IDS.heat && map.getSource(id));
}

/** A heat layer on the map but hidden, waiting for the other sources (one per map at most). */
interface Waiting {
  /** The cells to show: the latest data handed to the layer. */
  heat: HeatCells;
  /** The cells whose image the hidden source holds already, if any. */
  held: HeatCells | null;
  /** Computes the image ahead (see `wait`). */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Stops listening for the other sources (`whenSourcesLoaded`). */
  cancel(): void;
}

const waiting = new WeakMap<LayerMap, Waiting>();

/**
 * Keeps the (hidden) layer waiting for the other sources, then shows `heat`. The image is
 * computed in a task of its own right away: while MapLibre's workers index the other sources
 * this thread mostly waits, so the 10–20 ms are off the way to idle, and the hidden source
 * uploads the texture in one of the loading frames instead of the last one.
 */
function wait(map: LayerMap, heat: HeatCells): void {
  const state: Waiting = { heat, held: null, timer: undefined, cancel: () => {} };
  waiting.set(map, state);
  state.timer = setTimeout(() => {
    showImage(map, heatImage(state.heat));
    state.held = state.heat;
  }, 0);
  state.cancel = whenSourcesLoaded(
    map,
    () => otherDataSources(map),
    () => reveal(map),
  );
}

/** Stops waiting, if the layer was: nothing of it runs later. */
function stopWaiting(map: LayerMap): Waiting | undefined {
  const state = waiting.get(map);
  if (!state) return undefined;
  waiting.delete(map);
  clearTimeout(state.timer);
  state.cancel();
  return state;
}

/** Shows the latest cells: the other sources have loaded. */
function reveal(map: LayerMap): void {
  const state = stopWaiting(map);
  if (!state) return;
  if (state.held !== state.heat) showImage(map, heatImage(state.heat));
  map.setPaintProperty(LAYER_IDS.heat, 'raster-opacity', HEAT_OPACITY);
}

export const heatLayer: MapLayerModule = {
  key: 'heat',
  sourceIds: [SOURCE_IDS.heat],
  layerIds: [LAYER_IDS.heat],
  interactiveLayerIds: [],
  inputs: (data) => [data.cases.heat],
  add(map, { data, beforeId }) {
    // No `url`: the source starts empty and takes the decoded image directly, so nothing is
    // encoded, fetched or decoded again (and the page's CSP has nothing to allow).
    map.addSource(SOURCE_IDS.heat, { type: 'image', coordinates: NOWHERE });
    showImage(map, blankImage());
    // The layer goes in now, hidden, rather than later: the registry stacks the layers added
    // after this one on top of its id, so the id must be on the map from the start.
    map.addLayer(
      {
        id: LAYER_IDS.heat,
        type: 'raster',
        source: SOURCE_IDS.heat,
        paint: {
          // At 0 MapLibre skips the layer altogether (no quad, no texture reads).
          'raster-opacity': 0,
          // Shown at once: the style's default 300 ms fade would be 300 ms more frames to idle.
          'raster-opacity-transition': { duration: 0, delay: 0 },
          'raster-resampling': 'linear',
          'raster-fade-duration': 0,
        },
      },
      beforeId,
    );
    wait(map, data.cases.heat);
  },
  remove(map) {
    stopWaiting(map);
    removeIds(map, this.layerIds, this.sourceIds);
  },
  setData(map, data) {
    const state = waiting.get(map);
    if (state) state.heat = data.cases.heat;
    else showImage(map, heatImage(data.cases.heat));
  },
  setOptions() {
    // Filtering happens before the data gets here (`caseView`).
  },
};
