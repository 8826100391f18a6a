import type { Map as MapLibreMap } from 'maplibre-gl';
import { generateDemoStreet, type DemoOptions } from '@shared/demo';
import type { Case } from '@shared/domain/case';
import type { Need } from '@shared/domain/need';
import type { OrgUnit } from '@shared/domain/org';
import type { Resident } from '@shared/domain/people';
import type { Building, Household } from '@shared/domain/place';
import { loadBoundaries } from '../src/features/map/boundaries';
import { createMap, styleReady } from '../src/features/map/createMap';
import { NO_BASEMAP } from '../src/features/map/display';
import { LayerManager } from '../src/features/map/layers/registry';
import type { LayerKey, LayerOptions } from '../src/features/map/layers/types';
import { type MapRecords, buildMapFeatures, dayNumber } from '../src/features/map/mapData';
import { offlineStyle } from '../src/features/map/style';
import { caseView } from '../src/features/map/caseView';
import type { MapBenchResult } from './mapBenchResult';

/**
 * In-page part of `npm run bench:map`: a generated street (not timed) is turned into the map's
 * features and drawn with the app's own layer modules and the screen's default layers plus the
 * heat map, default case window (90 days); timed from "records in memory" (what the screen has
 * after reading the database) to the map's `idle` event. Then the window is widened to all time
 * (every case), and the map is panned at street zoom and at building zoom while every frame's
 * duration is recorded.
 */

function log(line: string) {
  const el = document.getElementById('log');
  if (el) el.textContent += `\n${line}`;
}

function idle(map: MapLibreMap): Promise<void> {
  return new Promise((resolve) => map.once('idle', () => resolve()));
}

/** Idle after one more frame: `idle` may already have fired in the frame that just ended. */
function settled(map: MapLibreMap): Promise<void> {
  const done = idle(map);
  map.triggerRepaint();
  return done;
}

function collect(options: DemoOptions): MapRecords {
  const orgUnits: OrgUnit[] = [];
  const buildings: Building[] = [];
  const households: Household[] = [];
  const cases: Case[] = [];
  const needs: Need[] = [];
  const taggedResidents: Resident[] = [];
  const lastVisits = new Map<string, string>();
  for (const batch of generateDemoStreet(options)) {
    if (batch.table === 'orgUnits') orgUnits.push(...batch.rows);
    else if (batch.table === 'buildings') buildings.push(...batch.rows);
    else if (batch.table === 'households') households.push(...batch.rows);
    else if (batch.table === 'cases') cases.push(...batch.rows);
    else if (batch.table === 'needs') needs.push(...batch.rows);
    else if (batch.table === 'residents') {
      for (const r of batch.rows) if (r.tags.length > 0) taggedResidents.push(r);
    } else if (batch.table === 'visits') {
      for (const v of batch.rows) {
        const seen = lastVisits.get(v.householdId);
        if (!seen || v.visitedAt > seen) lastVisits.set(v.householdId, v.visitedAt);
      }
    }
  }
  return { orgUnits, buildings, households, cases, needs, taggedResidents, lastVisits };
}

/** Pans back and forth and returns every frame's duration (rAF to rAF) while it moves. */
async function panFrames(map: MapLibreMap, moves: number): Promise<number[]> {
  const frames: number[] = [];
  let last = performance.now();
  let running = true;
  const tick = (now: number) => {
    frames.push(now - last);
    last = now;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame((now) => {
    last = now;
    requestAnimationFrame(tick);
  });
  for (let k = 0; k < moves; k += 1) {
    const dx = k % 2 === 0 ? 400 : -400;
    const dy = k % 4 < 2 ? 150 : -150;
    map.panBy([dx, dy], { duration: 900 });
    await new Promise<void>((resolve) => map.once('moveend', () => resolve()));
  }
  running = false;
  await settled(map);
  // The first sample spans the call's own set-up, not a frame.
  return frames.slice(1);
}

const percentile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ??
  0;

let generated: { key: string; records: MapRecords } | null = null;

async function run(options: DemoOptions): Promise<MapBenchResult> {
  // Generated once per page: later runs (`--runs`) measure the map again on the same street.
  const key = JSON.stringify(options);
  if (generated?.key !== key) {
    log('generating the street (not timed)…');
    generated = { key, records: collect(options) };
  }
  const { records } = generated;
  const now = new Date(options.now);
  log(`${records.households.length} households, ${records.cases.length} cases`);
  const container = document.getElementById('map');
  if (!container) throw new Error('no map container');
  const map = createMap(container, offlineStyle(NO_BASEMAP));
  await styleReady(map);
  await settled(map);

  const visible: LayerKey[] = ['boundaries', 'grids', 'households', 'heat', 'cases'];
  const layerOptions: LayerOptions = { choropleth: null, selectedGrid: null };
  const today = dayNumber(now);
  // Reference outlines load while the screen reads the database (`preloadBoundaries`): not
  // part of "data ready → idle".
  const boundaries = await loadBoundaries(records.orgUnits, NO_BASEMAP.toDisplay);

  log('timing: data ready → idle');
  const started = performance.now();
  const features = buildMapFeatures(records, { now, role: 'grid-worker' });
  const base = { features, boundaries };
  const cases = caseView(features.cases, { windowDays: 90, category: null }, today);
  const built = performance.now();
  const manager = new LayerManager(map, { ...base, cases }, layerOptions);
  const drawn = idle(map);
  manager.show(visible);
  const bounds = features.bounds;
  if (bounds)
    map.fitBounds(
      [
        [bounds[0], bounds[1]],
        [bounds[2], bounds[3]],
      ],
      { padding: 40, animate: false },
    );
  await drawn;
  const ready = performance.now();

  log('timing: all-time window');
  const allStarted = performance.now();
  const allDrawn = idle(map);
  manager.setData({
    ...base,
    cases: caseView(features.cases, { windowDays: null, category: null }, today),
  });
  await allDrawn;
  const allMs = performance.now() - allStarted;
  // Back to the default window for the panning runs.
  const back = idle(map);
  manager.setData({ ...base, cases });
  await back;

  const pans: MapBenchResult['pans'] = [];
  const streetZoom = map.getZoom();
  for (const [label, zoom] of [
    ['street zoom (fit to street)', streetZoom],
    ['building zoom', 17],
  ] as const) {
    log(`panning at ${label}`);
    map.jumpTo({ zoom, center: map.getCenter() });
    await settled(map);
    const frames = await panFrames(map, 6);
    pans.push({
      label,
      zoom: Math.round(zoom * 10) / 10,
      frames: frames.length,
      worstMs: Math.max(...frames),
      p95Ms: percentile(frames, 0.95),
    });
  }
  map.remove();
  return {
    households: records.households.length,
    cases: records.cases.length,
    caseFeatures: features.cases.features.length,
    buildMs: built - started,
    renderMs: ready - built,
    toIdleMs: ready - started,
    allTimeMs: allMs,
    windowCases: cases.points.features.length,
    heatCells: cases.heat.features.length,
    pans,
  };
}

window.runMapBench = (options) =>
  run(options).catch((error: unknown) => {
    throw new Error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  });
