import type { FeatureCollection } from 'geojson';
import type { FilterSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import type { CaseView } from '../caseView';
import type { GridMetric, MapFeatures } from '../mapData';

export type { CaseFilter } from '../caseView';

/**
 * The part of MapLibre's `Map` a layer module touches. Narrow on purpose: the unit tests drive
 * the modules with a small fake that records which ids each one adds and removes.
 */
export interface LayerMap {
  addSource(id: string, source: SourceSpecification): unknown;
  removeSource(id: string): unknown;
  getSource(id: string): unknown;
  addLayer(layer: LayerSpecification, beforeId?: string): unknown;
  removeLayer(id: string): unknown;
  getLayer(id: string): unknown;
  setFilter(id: string, filter: FilterSpecification | null): unknown;
  setPaintProperty(id: string, name: string, value: unknown): unknown;
  /** True when the source has nothing left to load for the current view. */
  isSourceLoaded(id: string): boolean;
  on(type: LayerMapEvent, listener: () => void): unknown;
  off(type: LayerMapEvent, listener: () => void): unknown;
}

/**
 * The map events a layer module may listen to: `sourcedata` (a source or one of its tiles
 * changed) and `render` (a frame was drawn). A module that listens removes its listeners in
 * `remove`.
 */
export type LayerMapEvent = 'sourcedata' | 'render';

/** The map screen's switchable layers, bottom to top. */
export const LAYER_KEYS = [
  'boundaries',
  'grids',
  'households',
  'heat',
  'cases',
  'needs',
  'specialGroups',
] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];

/** A grid choropleth: the metric and its class breaks (`choroplethBreaks`). */
export interface Choropleth {
  metric: GridMetric;
  breaks: readonly number[];
}

/** What the screen's controls decide and every layer may read. */
export interface LayerOptions {
  /** Grid choropleth; null = plain outlines. */
  choropleth: Choropleth | null;
  /** The grid selected on the map (highlighted), if any. */
  selectedGrid: string | null;
}

/** Reference outlines (district and street), loaded from shared/data/beijing. */
export interface BoundaryData {
  districts: FeatureCollection;
  streets: FeatureCollection;
  /** Source credit shown by the map, in the user's language (it says 示意). */
  attribution: string;
}

/** Everything a module may draw. */
export interface LayerData {
  features: MapFeatures;
  boundaries: BoundaryData;
  /** The cases under the screen's filters (`caseView`). */
  cases: CaseView;
}

export interface LayerContext {
  data: LayerData;
  options: LayerOptions;
  /** The layer id to insert this module's layers under (keeps the registry's order). */
  beforeId?: string;
}

/**
 * One switchable layer: it adds its sources and layers, and removes exactly those. `setData`
 * replaces its sources' data (the manager calls it only when one of `inputs` changed: handing a
 * worker 50k points again costs seconds); `setOptions` applies paint and filters from the
 * controls without touching data.
 */
export interface MapLayerModule {
  key: LayerKey;
  sourceIds: readonly string[];
  layerIds: readonly string[];
  /** Layers a click can pick, top first. */
  interactiveLayerIds: readonly string[];
  /** Cluster layers: a click zooms into the cluster of this source. */
  clusterLayers?: Readonly<Record<string, string>>;
  /** The parts of the data this module draws (compared by identity). */
  inputs(data: LayerData): readonly unknown[];
  add(map: LayerMap, context: LayerContext): void;
  remove(map: LayerMap): void;
  setData(map: LayerMap, data: LayerData): void;
  setOptions(map: LayerMap, options: LayerOptions): void;
}

/** Replaces a GeoJSON source's data, if the source is on the map. */
export function setSourceData(map: LayerMap, id: string, data: FeatureCollection): void {
  const source = map.getSource(id) as { setData?(data: FeatureCollection): unknown } | undefined;
  source?.setData?.(data);
}

/** Switches a GeoJSON source's clustering on or off (if the source is on the map). */
export function setSourceClustered(map: LayerMap, id: string, cluster: boolean): void {
  const source = map.getSource(id) as
    | {
        getClusterOptions?(): { cluster?: boolean };
        setClusterOptions?(options: { cluster: boolean }): unknown;
      }
    | undefined;
  if (source?.getClusterOptions?.().cluster !== cluster) source?.setClusterOptions?.({ cluster });
}

/** Removes the given layers then sources, skipping any that are not there. */
export function removeIds(
  map: LayerMap,
  layerIds: readonly string[],
  sourceIds: readonly string[],
): void {
  for (const id of [...layerIds].reverse()) if (map.getLayer(id)) map.removeLayer(id);
  for (const id of sourceIds) if (map.getSource(id)) map.removeSource(id);
}
