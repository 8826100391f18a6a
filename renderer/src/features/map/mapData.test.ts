import { describe, expect, it } from 'vitest';
import { collectDemoStreet, rowsOf } from '@shared/demo/collectDemoStreet';
import type { Case } from '@shared/domain/case';
import type { Resident } from '@shared/domain/people';
import type { LngLat } from './display';
import {
  CASE_STATUSES,
  type MapRecords,
  OVERDUE_CLASS,
  buildMapFeatures,
  choroplethBreaks,
  dayNumber,
  isOverdueCase,
} from './mapData';
import { CASE_CLUSTER_THRESHOLD, caseView } from './caseView';
import { heatRaster, mercatorX, mercatorY } from './heatRaster';
import { selectionFromFeature } from './mapSelection';
import { LAYER_IDS } from './mapIds';

const NOW = '2026-11-29T06:00:00.000Z';
const now = new Date(NOW);
const street = collectDemoStreet({ seed: 11, households: 1000, now: NOW });

function demoRecords(): MapRecords {
  const residents = rowsOf(street, 'residents');
  return {
    orgUnits: rowsOf(street, 'orgUnits'),
    buildings: rowsOf(street, 'buildings'),
    households: rowsOf(street, 'households'),
    cases: rowsOf(street, 'cases'),
    needs: rowsOf(street, 'needs'),
    taggedResidents: residents.filter((r) => r.tags.length > 0),
    lastVisits: new Map(),
  };
}

describe('buildMapFeatures', () => {
  const records = demoRecords();
  const built = buildMapFeatures(records, { now, role: 'grid-worker' });

  it('makes one point per building and per located case, pointing back at the record', () => {
    const perBuilding = new Set(records.households.map((h) => h.buildingId));
    expect(built.buildings.features).toHaveLength(perBuilding.size);
    expect(built.buildings.features.reduce((sum, f) => sum + f.properties.n, 0)).toBe(
      records.households.length,
    );
    const first = built.buildings.features[0];
    const group = built.buildingGroups[first?.properties.i ?? -1];
    expect(first?.geometry.coordinates).toEqual(group?.building?.location);
    for (const i of group?.households ?? [])
      expect(records.households[i]?.buildingId).toBe(group?.buildingId);
    const located = records.cases.filter((c) => c.location !== null);
    expect(built.cases.features).toHaveLength(located.length);
    for (const f of built.cases.features.slice(0, 200)) {
      const record = records.cases[f.properties.i];
      expect(f.geometry.coordinates).toEqual(record?.location);
      expect(f.properties.c).toBe(record?.category.slice(0, 2));
      expect(f.properties.d).toBe(dayNumber(record?.receivedAt ?? ''));
    }
  });

  it('colours cases by status, and open cases past their deadline as overdue', () => {
    for (const f of built.cases.features) {
      const record = records.cases[f.properties.i];
      if (!record) throw new Error('dangling index');
      expect(f.properties.k).toBe(
        isOverdueCase(record, NOW) ? OVERDUE_CLASS : CASE_STATUSES.indexOf(record.status),
      );
    }
    expect(built.cases.features.some((f) => f.properties.k === OVERDUE_CLASS)).toBe(true);
  });

  it('counts per-grid metrics in the same pass', () => {
    const grids = records.orgUnits.filter((u) => u.level === 'grid');
    expect(built.grids.features.filter((f) => f.geometry.type !== 'Point')).toHaveLength(
      grids.length,
    );
    // One label point per grid.
    expect(built.grids.features.filter((f) => f.geometry.type === 'Point')).toHaveLength(
      grids.length,
    );
    let households = 0;
    let open = 0;
    for (const [, m] of built.metrics) {
      households += m.households;
      open += m.openCases;
      expect(m.overdueCases).toBeLessThanOrEqual(m.openCases);
    }
    expect(households).toBe(records.households.length);
    expect(open).toBe(
      records.cases.filter((c) => !['resolved', 'followed-up', 'archived'].includes(c.status))
        .length,
    );
    const first = built.grids.features[0]?.properties;
    expect(first?.households).toBe(built.metrics.get(first?.code ?? '')?.households);
  });

  it('fits the scope to the grids', () => {
    const [west, south, east, north] = built.bounds ?? [0, 0, 0, 0];
    for (const h of records.households) {
      expect(h.location[0]).toBeGreaterThanOrEqual(west);
      expect(h.location[0]).toBeLessThanOrEqual(east);
      expect(h.location[1]).toBeGreaterThanOrEqual(south);
      expect(h.location[1]).toBeLessThanOrEqual(north);
    }
  });

  it('skips deleted records and cases without a location (but still counts the latter)', () => {
    const [h0, h1] = records.households;
    const [c0, c1] = records.cases;
    if (!h0 || !h1 || !c0 || !c1) throw new Error('demo too small');
    const cases: Case[] = [
      { ...c0, deleted: true },
      { ...c1, location: null, status: 'handling', handleDeadline: '2020-01-01T00:00:00.000Z' },
    ];
    const small = buildMapFeatures(
      { ...records, households: [{ ...h0, deleted: true }, h1], cases, needs: [] },
      { now, role: null },
    );
    expect(small.buildingGroups.flatMap((g) => g.households)).toEqual([1]);
    expect(small.cases.features).toEqual([]);
    const m = small.metrics.get(c1.gridCode ?? '');
    expect(m?.openCases).toBe(1);
    expect(m?.overdueCases).toBe(1);
  });

  it('applies the display shift to every position', () => {
    const shift = ([lng, lat]: LngLat): LngLat => [lng + 1, lat - 1];
    const shifted = buildMapFeatures(records, { now, role: null, toDisplay: shift });
    const a = built.cases.features[0]?.geometry.coordinates ?? [];
    const b = shifted.cases.features[0]?.geometry.coordinates ?? [];
    expect(b).toEqual([(a[0] ?? 0) + 1, (a[1] ?? 0) - 1]);
    const ring = (f: (typeof built.grids.features)[number] | undefined) =>
      f?.geometry.type === 'Polygon' ? f.geometry.coordinates[0]?.[0] : undefined;
    const p = ring(built.grids.features[0]) ?? [];
    expect(ring(shifted.grids.features[0])).toEqual([(p[0] ?? 0) + 1, (p[1] ?? 0) - 1]);
    expect(shifted.bounds?.[0]).toBeCloseTo((built.bounds?.[0] ?? 0) + 1, 9);
  });

  it('puts needs at their household', () => {
    expect(records.needs.length).toBeGreaterThan(0);
    for (const f of built.needs.features) {
      const need = records.needs[f.properties.i];
      const household = records.households.find((h) => h.id === need?.householdId);
      expect(f.geometry.coordinates).toEqual(household?.location);
    }
  });
});

describe('caseView', () => {
  const records = demoRecords();
  const { cases } = buildMapFeatures(records, { now, role: null });
  const today = dayNumber(now);

  it('keeps the cases inside the time window and category', () => {
    const all = caseView(cases, { windowDays: null, category: null }, today);
    expect(all.points.features).toHaveLength(cases.features.length);
    const recent = caseView(cases, { windowDays: 30, category: null }, today);
    expect(recent.points.features.length).toBeGreaterThan(0);
    expect(recent.points.features.length).toBeLessThan(cases.features.length / 4);
    for (const f of recent.points.features) {
      const received = Date.parse(records.cases[f.properties.i]?.receivedAt ?? '');
      expect(received).toBeGreaterThan(now.getTime() - 31 * 86_400_000);
    }
    const top = cases.features[0]?.properties.c ?? '';
    const one = caseView(cases, { windowDays: null, category: top }, today);
    expect(one.points.features.length).toBe(
      records.cases.filter((c) => c.location && c.category.startsWith(top)).length,
    );
  });

  it('groups the points only when there are many', () => {
    expect(caseView(cases, { windowDays: null, category: null }, today).clustered).toBe(false);
    const first = cases.features[0];
    if (!first) throw new Error('no case');
    const many = Array.from({ length: CASE_CLUSTER_THRESHOLD + 1 }, () => first);
    const view = caseView(
      { type: 'FeatureCollection', features: many },
      { windowDays: null, category: null },
      today,
    );
    expect(view.clustered).toBe(true);
    expect(view.heat.features).toHaveLength(1);
    expect(view.heat.features[0]?.properties.n).toBe(CASE_CLUSTER_THRESHOLD + 1);
  });

  it('sums the cases into heat cells, each at the mean of its cases', () => {
    const view = caseView(cases, { windowDays: 90, category: null }, today);
    const total = view.heat.features.reduce((sum, f) => sum + f.properties.n, 0);
    expect(total).toBe(view.points.features.length);
    expect(view.heat.features.length).toBeLessThan(view.points.features.length);
    const single = caseView(
      { type: 'FeatureCollection', features: cases.features.slice(0, 1) },
      { windowDays: null, category: null },
      today,
    );
    expect(single.heat.features[0]?.geometry.coordinates).toEqual(
      cases.features[0]?.geometry.coordinates,
    );
  });

  it('draws the heat cells as an image that covers every case, hottest at the busiest cell', () => {
    const view = caseView(cases, { windowDays: 90, category: null }, today);
    const raster = heatRaster(view.heat);
    if (!raster) throw new Error('no heat raster');
    const [[west, north], [east], , [, south]] = raster.coordinates;
    const at = ([lng = 0, lat = 0]: number[]) => {
      const x = (mercatorX(lng) - mercatorX(west)) / (mercatorX(east) - mercatorX(west));
      const y = (mercatorY(lat) - mercatorY(north)) / (mercatorY(south) - mercatorY(north));
      const o = (Math.floor(y * raster.height) * raster.width + Math.floor(x * raster.width)) * 4;
      return { red: raster.rgba[o] ?? 0, alpha: raster.rgba[o + 3] ?? 0 };
    };
    for (const f of view.points.features)
      expect(at(f.geometry.coordinates).alpha).toBeGreaterThan(0);
    const byCount = [...view.heat.features].sort((a, b) => b.properties.n - a.properties.n);
    const busiest = at(byCount[0]?.geometry.coordinates ?? []);
    const quietest = at(byCount.at(-1)?.geometry.coordinates ?? []);
    expect(busiest.alpha).toBeGreaterThanOrEqual(quietest.alpha);
    // Past the ramp's first stop the colour darkens (less red) as the density grows.
    expect(busiest.red).toBeLessThan(quietest.red);
  });
});

describe('special-group households', () => {
  const records = demoRecords();
  const tagged = (tags: string[]): Resident => {
    const base = records.taggedResidents[0];
    if (!base) throw new Error('no tagged resident in the demo');
    return { ...base, tags };
  };

  it('are shown only to roles that may see special groups', () => {
    expect(buildMapFeatures(records, { now, role: 'department' }).specialGroups.features).toEqual(
      [],
    );
    expect(buildMapFeatures(records, { now, role: 'admin' }).specialGroups.features).toEqual([]);
    const worker = buildMapFeatures(records, { now, role: 'grid-worker' }).specialGroups;
    expect(worker.features.length).toBe(
      new Set(
        records.taggedResidents.filter((r) => r.status === 'active').map((r) => r.householdId),
      ).size,
    );
  });

  it('hide sensitive-only households from street staff, and their due state too', () => {
    const sensitiveOnly = {
      ...records,
      taggedResidents: [tagged(['severe-mental-disorder'])],
    };
    expect(buildMapFeatures(sensitiveOnly, { now, role: 'street' }).specialGroups.features).toEqual(
      [],
    );
    const both = { ...records, taggedResidents: [tagged(['advanced-age-elder'])] };
    expect(buildMapFeatures(both, { now, role: 'street' }).specialGroups.features).toHaveLength(1);
  });

  it('are marked due unless visited within their interval, and counted per grid', () => {
    const resident = tagged(['living-alone-elder']);
    const never = buildMapFeatures(
      { ...records, taggedResidents: [resident] },
      { now, role: 'grid-worker' },
    );
    expect(never.specialGroups.features[0]?.properties.due).toBe(1);
    expect(never.metrics.get(resident.gridCode)?.dueSpecial).toBe(1);
    const visited = buildMapFeatures(
      {
        ...records,
        taggedResidents: [resident],
        lastVisits: new Map([[resident.householdId, '2026-11-28T00:00:00.000Z']]),
      },
      { now, role: 'grid-worker' },
    );
    expect(visited.specialGroups.features[0]?.properties.due).toBe(0);
    expect(visited.metrics.get(resident.gridCode)?.dueSpecial).toBe(0);
  });
});

describe('selectionFromFeature', () => {
  const records = demoRecords();

  const features = buildMapFeatures(records, { now, role: null });

  it('finds the record behind a feature by its index', () => {
    const pick = (layer: string, p: Record<string, unknown>) =>
      selectionFromFeature(layer, p, records, features);
    expect(pick(LAYER_IDS.casePoint, { i: 3, k: OVERDUE_CLASS })).toEqual({
      kind: 'case',
      record: records.cases[3],
      overdue: true,
    });
    expect(pick(LAYER_IDS.specialGroupPoint, { i: 5, due: 1 })).toMatchObject({
      kind: 'household',
      household: records.households[5],
      special: true,
      due: true,
    });
    expect(pick(LAYER_IDS.casePoint, { i: 1e9 })).toBeNull();
    expect(pick(LAYER_IDS.buildingCluster, { i: 1 })).toBeNull();
  });

  it('opens a building as the list of its households, by unit and room', () => {
    const index = features.buildingGroups.findIndex((g) => g.households.length > 3);
    const sel = selectionFromFeature(LAYER_IDS.buildingPoint, { i: index }, records, features);
    if (sel?.kind !== 'building') throw new Error('expected a building');
    expect(sel.building).toBe(features.buildingGroups[index]?.building);
    expect(sel.households).toHaveLength(features.buildingGroups[index]?.households.length ?? 0);
    const rooms = sel.households.map((h) => `${h.unit}-${h.room}`);
    expect(rooms).toEqual([...rooms].sort(new Intl.Collator('zh-CN', { numeric: true }).compare));
  });

  it('reads a grid from its properties', () => {
    const sel = selectionFromFeature(
      LAYER_IDS.gridFill,
      {
        code: '110101010001001',
        name: '一网格',
        households: 3,
        openCases: 2,
        overdueCases: 1,
        dueSpecial: 0,
      },
      records,
      features,
    );
    expect(sel).toEqual({
      kind: 'grid',
      code: '110101010001001',
      name: '一网格',
      metrics: { households: 3, openCases: 2, overdueCases: 1, dueSpecial: 0 },
    });
  });
});

describe('choroplethBreaks', () => {
  it('gives ascending distinct quantile breaks', () => {
    expect(choroplethBreaks([])).toEqual([0]);
    expect(choroplethBreaks([4, 4, 4])).toEqual([4]);
    expect(choroplethBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 3, 5, 7, 9]);
    expect(choroplethBreaks([0, 0, 0, 0, 50])).toEqual([0, 50]);
  });
});
