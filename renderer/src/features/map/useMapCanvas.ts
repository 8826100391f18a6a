import {
  type GeoJSONSource,
  type MapGeoJSONFeature,
  type Map as MapLibreMap,
  Marker,
} from 'maplibre-gl';
import { type Ref, onBeforeUnmount, ref, watch } from 'vue';
import { createMap, styleReady } from './createMap';
import type { BasemapParts, LngLat } from './display';
import { LayerManager } from './layers/registry';
import type { LayerData, LayerKey, LayerOptions } from './layers/types';
import { MAP_COLORS } from './palette';
import { offlineStyle } from './style';

/** `idle` once everything asked for is drawn (tests and the bench wait for it). */
export type CanvasState = 'starting' | 'rendering' | 'idle';

/** Pixels around a click that still count as a hit: points are small. */
const CLICK_TOLERANCE = 5;

/**
 * The MapLibre map of the map screen and its layer modules: created by `create`, removed on
 * unmount (with its listeners and workers). Layers follow `visible`, their filters and paint
 * follow `options`; `onPick` receives the topmost clickable feature under a click (or null), and
 * a click on a household cluster zooms into it instead.
 */
export function useMapCanvas(
  container: Ref<HTMLElement | null>,
  visible: Ref<readonly LayerKey[]>,
  options: Ref<LayerOptions>,
  onPick: (feature: MapGeoJSONFeature | null) => void,
) {
  const state = ref<CanvasState>('starting');
  let map: MapLibreMap | null = null;
  let manager: LayerManager | null = null;
  let basemap: BasemapParts | null = null;
  let marker: Marker | null = null;

  const rendering = () => {
    if (map) state.value = 'rendering';
  };

  /**
   * Creates the map with the basemap and nothing else yet: the style, the workers and the
   * canvas start while the screen reads the database.
   */
  function create(parts: BasemapParts): void {
    if (!container.value || map) return;
    basemap = parts;
    const created = createMap(container.value, offlineStyle(parts));
    map = created;
    created.on('idle', () => {
      state.value = 'idle';
    });
    created.on('movestart', rendering);
    created.on('click', onClick);
    created.on('mousemove', onHover);
  }

  /** Draws the first data and fits `bounds` (display system). */
  async function show(
    data: LayerData,
    bounds: [number, number, number, number] | null,
  ): Promise<void> {
    const created = map;
    if (!created || manager) return;
    await styleReady(created);
    if (map !== created) return;
    rendering();
    manager = new LayerManager(created, data, options.value);
    manager.show(visible.value);
    if (bounds) fitBounds(bounds, false);
  }

  function setData(data: LayerData): void {
    rendering();
    manager?.setData(data);
  }

  /**
   * The clickable feature under a point: first what is drawn exactly there (topmost first, so
   * the circle the user sees is the one picked), else the nearest thing within a few pixels.
   */
  function hitsAt(point: { x: number; y: number }): MapGeoJSONFeature | null {
    if (!map || !manager) return null;
    const layers = manager.interactiveLayerIds().filter((id) => map?.getLayer(id));
    if (layers.length === 0) return null;
    const exact = map.queryRenderedFeatures([point.x, point.y], { layers });
    const near =
      exact.length > 0
        ? exact
        : map.queryRenderedFeatures(
            [
              [point.x - CLICK_TOLERANCE, point.y - CLICK_TOLERANCE],
              [point.x + CLICK_TOLERANCE, point.y + CLICK_TOLERANCE],
            ],
            { layers },
          );
    // The manager lists layers topmost first: the first layer with a hit wins.
    for (const id of layers) {
      const hit = near.find((f) => f.layer.id === id);
      if (hit) return hit;
    }
    return null;
  }

  function onClick(event: { point: { x: number; y: number } }) {
    const hit = hitsAt(event.point);
    const clusterSource = hit ? manager?.clusterSource(hit.layer.id) : undefined;
    if (hit && clusterSource) {
      void zoomIntoCluster(hit, clusterSource);
      return;
    }
    onPick(hit);
  }

  function onHover(event: { point: { x: number; y: number } }) {
    if (map) map.getCanvas().style.cursor = hitsAt(event.point) ? 'pointer' : '';
  }

  async function zoomIntoCluster(feature: MapGeoJSONFeature, sourceId: string) {
    const source = map?.getSource<GeoJSONSource>(sourceId);
    const id = feature.properties.cluster_id;
    if (!map || !source || typeof id !== 'number' || feature.geometry.type !== 'Point') return;
    const zoom = await source.getClusterExpansionZoom(id);
    const [lng = 0, lat = 0] = feature.geometry.coordinates;
    map.easeTo({ center: [lng, lat], zoom });
  }

  /** Fits an area (display system). */
  function fitBounds(bounds: [number, number, number, number], animate = true) {
    map?.fitBounds(
      [
        [bounds[0], bounds[1]],
        [bounds[2], bounds[3]],
      ],
      { padding: 40, animate, maxZoom: 18 },
    );
  }

  /** Flies to a stored (WGS-84) point. */
  function flyTo(point: LngLat, zoom = 18) {
    map?.flyTo({ center: basemap ? basemap.toDisplay(point) : point, zoom });
  }

  /** Fits a stored (WGS-84) box. */
  function fitStored(bounds: [number, number, number, number]) {
    const shift = basemap?.toDisplay ?? ((p: LngLat) => p);
    const [west, south] = shift([bounds[0], bounds[1]]);
    const [east, north] = shift([bounds[2], bounds[3]]);
    fitBounds([west, south, east, north]);
  }

  /** Rings the selected record's position (WGS-84), or removes the ring. */
  function highlight(point: LngLat | null) {
    if (!map || !point) {
      marker?.remove();
      return;
    }
    if (!marker) {
      const ring = document.createElement('div');
      ring.className = 'gw-map-highlight';
      ring.style.borderColor = MAP_COLORS.gridSelected;
      ring.dataset.testid = 'map-highlight';
      marker = new Marker({ element: ring });
    }
    marker.setLngLat(basemap ? basemap.toDisplay(point) : point).addTo(map);
  }

  watch(visible, (keys) => {
    rendering();
    manager?.show(keys);
  });
  watch(options, (value) => {
    rendering();
    manager?.setOptions(value);
  });

  onBeforeUnmount(() => {
    manager = null;
    map?.remove();
    map = null;
  });

  /** The MapLibre map once created (for tools that draw on it, such as the grid editor). */
  const instance = (): MapLibreMap | null => map;

  return { state, create, show, setData, fitBounds, flyTo, fitStored, highlight, instance };
}
