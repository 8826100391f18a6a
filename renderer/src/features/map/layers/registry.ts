import { boundariesLayer } from './boundariesLayer';
import { casesLayer } from './casesLayer';
import { gridsLayer } from './gridsLayer';
import { heatLayer } from './heatLayer';
import { householdsLayer } from './householdsLayer';
import { needsLayer } from './needsLayer';
import { specialGroupsLayer } from './specialGroupsLayer';
import {
  LAYER_KEYS,
  type LayerData,
  type LayerKey,
  type LayerMap,
  type LayerOptions,
  type MapLayerModule,
} from './types';

/** Every layer module, bottom to top (the order of `LAYER_KEYS`). */
export const LAYER_MODULES: readonly MapLayerModule[] = [
  boundariesLayer,
  gridsLayer,
  householdsLayer,
  heatLayer,
  casesLayer,
  needsLayer,
  specialGroupsLayer,
];

export function layerModule(key: LayerKey): MapLayerModule {
  const found = LAYER_MODULES.find((m) => m.key === key);
  if (!found) throw new Error(`no layer module ${key}`);
  return found;
}

/**
 * Adds and removes layer modules on one map, keeping them stacked in registry order whatever
 * order they are switched on in (a module goes under the first module above it that is on the
 * map), and hands data and control changes to the modules that are on.
 */
export class LayerManager {
  private readonly on = new Set<LayerKey>();

  constructor(
    private readonly map: LayerMap,
    private data: LayerData,
    private options: LayerOptions,
  ) {}

  has(key: LayerKey): boolean {
    return this.on.has(key);
  }

  /** Switches the given layers on and every other one off. */
  show(keys: Iterable<LayerKey>): void {
    const wanted = new Set(keys);
    for (const key of [...this.on]) if (!wanted.has(key)) this.remove(key);
    for (const key of LAYER_KEYS) if (wanted.has(key) && !this.on.has(key)) this.add(key);
  }

  add(key: LayerKey): void {
    if (this.on.has(key)) return;
    const beforeId = this.firstLayerAbove(key);
    layerModule(key).add(this.map, {
      data: this.data,
      options: this.options,
      ...(beforeId ? { beforeId } : {}),
    });
    this.on.add(key);
  }

  remove(key: LayerKey): void {
    if (!this.on.delete(key)) return;
    layerModule(key).remove(this.map);
  }

  /** Hands new data to the modules that are on and whose inputs changed (by identity). */
  setData(data: LayerData): void {
    const before = this.data;
    this.data = data;
    for (const key of this.on) {
      const module = layerModule(key);
      const previous = module.inputs(before);
      if (module.inputs(data).some((input, k) => input !== previous[k]))
        module.setData(this.map, data);
    }
  }

  setOptions(options: LayerOptions): void {
    this.options = options;
    for (const key of this.on) layerModule(key).setOptions(this.map, options);
  }

  /** Clickable layers of the modules that are on, topmost first. */
  interactiveLayerIds(): string[] {
    return [...LAYER_MODULES]
      .reverse()
      .filter((m) => this.on.has(m.key))
      .flatMap((m) => m.interactiveLayerIds);
  }

  /** The source to zoom into when a layer's feature (a cluster) is clicked, if it is one. */
  clusterSource(layerId: string): string | undefined {
    for (const m of LAYER_MODULES) if (m.clusterLayers?.[layerId]) return m.clusterLayers[layerId];
    return undefined;
  }

  /** Removes every module (the map is going away or its style is being replaced). */
  clear(): void {
    for (const key of [...this.on]) this.remove(key);
  }

  private firstLayerAbove(key: LayerKey): string | undefined {
    const index = LAYER_KEYS.indexOf(key);
    for (const above of LAYER_KEYS.slice(index + 1))
      if (this.on.has(above)) return layerModule(above).layerIds[0];
    return undefined;
  }
}
