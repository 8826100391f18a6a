// A stand-in for MapLibre's map in the layer tests (not shipped code).
import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';
import type { MapFeatures } from '../mapData';
import type { LayerMap, LayerMapEvent } from './types';

/** Map data with nothing in it: a test fills in the part it is about. */
export function emptyFeatures(): MapFeatures {
  const empty = { type: 'FeatureCollection' as const, features: [] };
  return {
    grids: empty,
    buildings: empty,
    buildingGroups: [],
    cases: empty,
    needs: empty,
    specialGroups: empty,
    metrics: new Map(),
    bounds: null,
  };
}

/**
 * Just enough of a MapLibre map to see which ids each module touches, and in what order. It
 * throws where MapLibre would refuse (a duplicate or missing id, a source still in use), keeps
 * what sources were given (`data`) and paint values (`paint`), and lets a test say which
 * sources are still loading (`loading`) and fire the map's events (`emit`).
 */
export class FakeMap implements LayerMap {
  sources = new Map<string, SourceSpecification>();
  layers: LayerSpecification[] = [];
  calls: string[] = [];
  /** The last data or image handed to each source. */
  data = new Map<string, unknown>();
  filters = new Map<string, unknown>();
  /** `layerId paintName` → value, from the layer spec and `setPaintProperty`. */
  paint = new Map<string, unknown>();
  /** Sources that have not finished loading (every other one has). */
  loading = new Set<string>();
  listeners = new Map<LayerMapEvent, Set<() => void>>();

  addSource(id: string, source: SourceSpecification) {
    if (this.sources.has(id)) throw new Error(`source ${id} already exists`);
    this.sources.set(id, source);
    this.calls.push(`addSource ${id}`);
  }
  removeSource(id: string) {
    if (this.layers.some((l) => 'source' in l && l.source === id))
      throw new Error(`source ${id} is still in use`);
    if (!this.sources.delete(id)) throw new Error(`no source ${id}`);
    this.data.delete(id);
    this.calls.push(`removeSource ${id}`);
  }
  getSource(id: string) {
    // GeoJSON sources take `setData`, the heat map's image source `updateImage`.
    return this.sources.has(id)
      ? {
          setData: (data: unknown) => void this.data.set(id, data),
          updateImage: (image: unknown) => void this.data.set(id, image),
        }
      : undefined;
  }
  addLayer(layer: LayerSpecification, beforeId?: string) {
    if (this.getLayer(layer.id)) throw new Error(`layer ${layer.id} already exists`);
    if ('source' in layer && typeof layer.source === 'string' && !this.sources.has(layer.source))
      throw new Error(`layer ${layer.id} uses missing source ${layer.source}`);
    const index = beforeId ? this.layers.findIndex((l) => l.id === beforeId) : -1;
    if (beforeId && index < 0) throw new Error(`no layer ${beforeId} to insert before`);
    this.layers.splice(index < 0 ? this.layers.length : index, 0, layer);
    if ('paint' in layer)
      for (const [name, value] of Object.entries(layer.paint ?? {}))
        this.paint.set(`${layer.id} ${name}`, value);
    this.calls.push(`addLayer ${layer.id}`);
  }
  removeLayer(id: string) {
    const index = this.layers.findIndex((l) => l.id === id);
    if (index < 0) throw new Error(`no layer ${id}`);
    this.layers.splice(index, 1);
    for (const key of [...this.paint.keys()]) if (key.startsWith(`${id} `)) this.paint.delete(key);
    this.calls.push(`removeLayer ${id}`);
  }
  getLayer(id: string) {
    return this.layers.find((l) => l.id === id);
  }
  setFilter(id: string, filter: unknown) {
    if (!this.getLayer(id)) throw new Error(`no layer ${id}`);
    this.filters.set(id, filter);
  }
  setPaintProperty(id: string, name: string, value: unknown) {
    if (!this.getLayer(id)) throw new Error(`no layer ${id}`);
    this.paint.set(`${id} ${name}`, value);
  }
  isSourceLoaded(id: string) {
    // MapLibre reports an error for a source that is not there; a module must not ask.
    if (!this.sources.has(id)) throw new Error(`no source ${id}`);
    return !this.loading.has(id);
  }
  on(type: LayerMapEvent, listener: () => void) {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }
  off(type: LayerMapEvent, listener: () => void) {
    this.listeners.get(type)?.delete(listener);
  }
  /** Fires an event at the listeners there are now (like MapLibre, which copies the list). */
  emit(type: LayerMapEvent) {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener();
  }
  /** How many listeners are registered, over every event. */
  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}
