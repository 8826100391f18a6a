import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Position } from 'geojson';
import { TerraDraw, TerraDrawPolygonMode, TerraDrawSelectMode } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { getCurrentScope, onScopeDispose, ref } from 'vue';
import type { AreaGeometry } from '@shared/domain/common';
import type { DisplayTransform } from '../basemap';

/** How close (screen pixels) a drawn corner jumps onto a neighbouring grid's corner. */
const SNAP_PX = 10;

export interface GridEditorOptions {
  /** Placement over the basemap (WGS-84 ↔ the basemap's system); identity by default. */
  transform?: Pick<DisplayTransform, 'toDisplay' | 'fromDisplay'>;
  /**
   * Outlines (WGS-84) whose corners a drawn corner snaps to: the neighbouring grids, so shared
   * edges come out shared instead of leaving gaps and slivers.
   */
  snapTargets?: () => readonly AreaGeometry[];
}

export type GridEditorMode = 'idle' | 'draw' | 'edit';

const identity = (p: readonly number[]): [number, number] => [p[0] ?? 0, p[1] ?? 0];

/** terra-draw refuses positions finer than 9 decimals (0.1 mm); generated outlines have more. */
function rounded(p: [number, number]): [number, number] {
  return [Math.round(p[0] * 1e9) / 1e9, Math.round(p[1] * 1e9) / 1e9];
}

/**
 * A ring without repeated consecutive positions (real outlines have some, and terra-draw
 * refuses such a polygon); the closing position stays.
 */
function withoutRepeats(ring: [number, number][]): [number, number][] {
  return ring.filter(
    (p, i) =>
      i === 0 || i === ring.length - 1 || p[0] !== ring[i - 1]?.[0] || p[1] !== ring[i - 1]?.[1],
  );
}

function polygonsOf(geometry: AreaGeometry): [number, number][][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/**
 * A polygon editor for one grid on the map screen's MapLibre map (terra-draw): load a grid's
 * outline to move its corners, or draw a new one; `geometry()` gives the result in WGS-84
 * (several drawn polygons make a MultiPolygon). Checks and saving are the caller's
 * (`saveGridBoundary`). Removes itself and its layers when stopped or when the calling
 * component unmounts.
 */
export function useGridEditor(map: MapLibreMap, options: GridEditorOptions = {}) {
  const toDisplay = options.transform?.toDisplay ?? identity;
  const fromDisplay = options.transform?.fromDisplay ?? identity;
  const mode = ref<GridEditorMode>('idle');
  /** Number of finished polygons in the editor. */
  const polygons = ref(0);
  let draw: TerraDraw | null = null;
  let ready: Promise<void> | null = null;
  let nextId = 0;

  // Nearest corner of a neighbouring grid within SNAP_PX of the pointer, in display coordinates.
  function snapToNeighbour(event: {
    containerX: number;
    containerY: number;
  }): Position | undefined {
    const targets = options.snapTargets?.() ?? [];
    let best: Position | undefined;
    let bestDistance = SNAP_PX;
    const bounds = map.getBounds();
    for (const geometry of targets) {
      for (const polygon of polygonsOf(geometry)) {
        for (const ring of polygon) {
          for (const corner of ring) {
            const shown = toDisplay(corner);
            if (!bounds.contains(shown)) continue;
            const point = map.project(shown);
            const distance = Math.hypot(point.x - event.containerX, point.y - event.containerY);
            if (distance < bestDistance) {
              bestDistance = distance;
              best = shown;
            }
          }
        }
      }
    }
    return best;
  }

  function countPolygons() {
    polygons.value = (draw?.getSnapshot() ?? []).filter(
      (f) => f.geometry.type === 'Polygon' && f.properties.mode === 'polygon',
    ).length;
  }

  function ensure(): Promise<TerraDraw> {
    if (draw && ready) return ready.then(() => draw as TerraDraw);
    const instance = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: 'gw-grid-editor' }),
      idStrategy: {
        isValidId: (id) => typeof id === 'string',
        getId: () => `grid-edit-${++nextId}`,
      },
      modes: [
        new TerraDrawPolygonMode({
          snapping: { toCustom: (event) => snapToNeighbour(event) },
          styles: {
            fillColor: '#409eff',
            fillOpacity: 0.25,
            outlineColor: '#1f6fd1',
            outlineWidth: 2,
          },
        }),
        new TerraDrawSelectMode({
          flags: {
            polygon: {
              feature: {
                draggable: false,
                coordinates: {
                  draggable: true,
                  deletable: true,
                  midpoints: true,
                  snappable: { toCustom: (event) => snapToNeighbour(event) },
                },
              },
            },
          },
        }),
      ],
    });
    draw = instance;
    ready = new Promise<void>((resolve) => instance.on('ready', () => resolve()));
    instance.on('change', countPolygons);
    instance.on('finish', (id, context) => {
      // A finished drawing goes straight to corner editing.
      if (context.action === 'draw') {
        instance.setMode('select');
        instance.selectFeature(id);
        mode.value = 'edit';
      }
      countPolygons();
    });
    instance.start();
    return ready.then(() => instance);
  }

  /** Shows a grid's outline for editing (none: start drawing a new one). */
  async function load(geometry: AreaGeometry | null | undefined): Promise<void> {
    const instance = await ensure();
    instance.clear();
    if (!geometry) {
      instance.setMode('polygon');
      mode.value = 'draw';
      countPolygons();
      return;
    }
    const features = polygonsOf(geometry).map((polygon) => ({
      id: `grid-edit-${++nextId}`,
      type: 'Feature' as const,
      properties: { mode: 'polygon' },
      geometry: {
        type: 'Polygon' as const,
        coordinates: polygon.map((ring) => withoutRepeats(ring.map((p) => rounded(toDisplay(p))))),
      },
    }));
    for (const result of instance.addFeatures(features))
      if (!result.valid) console.warn(`grid editor: outline part refused: ${result.reason ?? ''}`);
    instance.setMode('select');
    const first = features[0];
    if (first && features.length === 1) instance.selectFeature(first.id);
    mode.value = 'edit';
    countPolygons();
  }

  /** Throws the current outline away and starts drawing. */
  async function redraw(): Promise<void> {
    await load(null);
  }

  /** Adds one more polygon (a grid in two parts). */
  async function drawAnother(): Promise<void> {
    const instance = await ensure();
    instance.setMode('polygon');
    mode.value = 'draw';
  }

  /** The outline as drawn, in WGS-84: a Polygon, a MultiPolygon for several parts, or null. */
  function geometry(): AreaGeometry | null {
    const parts = (draw?.getSnapshot() ?? [])
      .filter((f) => f.geometry.type === 'Polygon' && f.properties.mode === 'polygon')
      .map((f) =>
        (f.geometry.coordinates as Position[][]).map((ring) => ring.map((p) => fromDisplay(p))),
      );
    const [only] = parts;
    if (!only) return null;
    return parts.length === 1
      ? { type: 'Polygon', coordinates: only }
      : { type: 'MultiPolygon', coordinates: parts };
  }

  /** Removes the editor's layers and listeners from the map. */
  function stop(): void {
    if (draw) {
      try {
        draw.stop();
      } catch {
        // The map may already be gone (the screen unmounted first): nothing left to remove.
      }
    }
    draw = null;
    ready = null;
    mode.value = 'idle';
    polygons.value = 0;
  }

  if (getCurrentScope()) onScopeDispose(stop);
  return { mode, polygons, load, redraw, drawAnother, geometry, stop };
}
