import {
  area,
  booleanPointInPolygon,
  booleanValid,
  difference,
  featureCollection,
  intersect,
} from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../domain/common';
import { streetFeature } from '../data/beijing';
import { beijingDate, iso } from './envelope';
import { buildGrids, gridCountFor, resolveStreet } from './grids';
import { generateDemoStreet, planDemoStreet } from './index';
import { collectDemoStreet, rowsOf } from './collectDemoStreet';
import { createRng } from './rng';

// Tolerance for "inside" and "no overlap", in m². The source polygon has 1e-5° (~1 m) vertex
// resolution and the grid edges are computed in floating point, so exact set operations leave
// slivers of ~1e-7 m²; one square metre is far below both that resolution and a grid's area
// (≥ ~2,000 m² even at 150k households), so a real overlap or a grid leaking outside fails.
const SLIVER_M2 = 1;

const NOW = '2026-11-29T06:00:00.000Z';
const HEPING = '110101010000';

const feature = (g: AreaGeometry): Feature<Polygon | MultiPolygon> => ({
  type: 'Feature',
  properties: {},
  geometry: g,
});

describe('grids split the real street', () => {
  const street = resolveStreet(HEPING);
  const streetShape = feature(street.boundary);
  const streetArea = area(streetShape);

  it.each([1500, 50_000])('%i households: valid, inside, disjoint, covering', (households) => {
    const grids = buildGrids(street, households, createRng(42, 'grids'));
    expect(grids).toHaveLength(gridCountFor(households));
    for (const g of grids) {
      expect(booleanValid(feature(g.boundary))).toBe(true);
      const outside = difference(featureCollection([feature(g.boundary), streetShape]));
      expect(outside ? area(outside) : 0).toBeLessThan(SLIVER_M2);
      expect(booleanPointInPolygon(g.labelPoint, g.boundary)).toBe(true);
    }
    for (let i = 0; i < grids.length; i++) {
      for (let j = i + 1; j < grids.length; j++) {
        const a = grids[i];
        const b = grids[j];
        if (!a || !b) continue;
        // Cheap bbox reject first: 100 grids make ~5,000 pairs.
        if (
          a.bbox[0] > b.bbox[2] ||
          b.bbox[0] > a.bbox[2] ||
          a.bbox[1] > b.bbox[3] ||
          b.bbox[1] > a.bbox[3]
        )
          continue;
        const overlap = intersect(featureCollection([feature(a.boundary), feature(b.boundary)]));
        expect(overlap ? area(overlap) : 0).toBeLessThan(SLIVER_M2);
      }
    }
    const total = grids.reduce((sum, g) => sum + area(feature(g.boundary)), 0);
    expect(Math.abs(total - streetArea)).toBeLessThan(SLIVER_M2 * grids.length);
  });

  it('gives each used community a contiguous, numbered block of grids', () => {
    const grids = buildGrids(street, 50_000, createRng(42, 'grids'));
    const communities = grids.map((g) => g.community.code);
    // Contiguous: once a community's block ends it never reappears.
    const seen = new Set<string>();
    communities.forEach((c, i) => {
      if (c !== communities[i - 1]) {
        expect(seen.has(c)).toBe(false);
        seen.add(c);
      }
    });
    expect(seen.size).toBe(street.communities.length);
    for (const g of grids)
      expect(g.code).toBe(`${g.community.code}${String(g.number).padStart(3, '0')}`);
    expect(grids[0]?.name).toMatch(/^.+社区第1网格$/);
  });

  it('uses only the first communities when grids are fewer', () => {
    const grids = buildGrids(street, 1500, createRng(1, 'grids'));
    expect(grids.map((g) => g.community.code)).toEqual(
      street.communities.slice(0, 3).map((c) => c.code),
    );
  });
});

describe('places', () => {
  const demo = collectDemoStreet({ seed: 11, households: 1500, months: 2, now: NOW });
  const grids = new Map(
    rowsOf(demo, 'orgUnits')
      .filter((o) => o.level === 'grid')
      .map((o) => [o.code, o]),
  );

  it('every building and household lies inside its grid', () => {
    for (const b of rowsOf(demo, 'buildings')) {
      const boundary = grids.get(b.gridCode)?.boundary;
      if (!boundary) throw new Error(`no grid ${b.gridCode}`);
      expect(booleanPointInPolygon(b.location, boundary)).toBe(true);
      expect(b.communityCode).toBe(b.gridCode.slice(0, 12));
    }
    for (const h of rowsOf(demo, 'households')) {
      const boundary = grids.get(h.gridCode)?.boundary;
      if (!boundary) throw new Error(`no grid ${h.gridCode}`);
      expect(booleanPointInPolygon(h.location, boundary)).toBe(true);
      expect(h.scope).toBe(h.gridCode);
    }
  });

  it('has an old street mix: walk-ups, some towers, a few courtyards; ~5% vacant, ~20% rented', () => {
    const buildings = rowsOf(demo, 'buildings');
    const walkUps = buildings.filter((b) => b.kind === 'residential' && b.floors <= 7);
    const towers = buildings.filter((b) => b.floors >= 12);
    expect(walkUps.length / buildings.length).toBeGreaterThan(0.5);
    expect(towers.length).toBeGreaterThan(0);
    expect(buildings.some((b) => b.kind === 'bungalow')).toBe(true);
    const households = rowsOf(demo, 'households');
    const share = (type: string) =>
      households.filter((h) => h.type === type).length / households.length;
    expect(share('vacant')).toBeGreaterThan(0.02);
    expect(share('vacant')).toBeLessThan(0.09);
    expect(share('rented')).toBeGreaterThan(0.15);
    expect(share('rented')).toBeLessThan(0.27);
    const addresses = new Set(households.map((h) => h.address));
    expect(addresses.size).toBe(households.length);
    expect(households.some((h) => /^.+\d+号楼\d单元\d{3,4}$/.test(h.address))).toBe(true);
  });

  it('the street org unit carries the real polygon', () => {
    const streetUnit = rowsOf(demo, 'orgUnits').find((o) => o.level === 'street');
    expect(streetUnit?.boundary).toEqual(streetFeature(HEPING)?.geometry);
    expect(streetUnit?.name).toBe('和平里街道');
  });
});

describe('scale', () => {
  it('50k households plan ~100 grids over all 20 communities without generating', () => {
    const plan = planDemoStreet({ seed: 42, households: 50_000, now: NOW });
    expect(plan.grids).toBe(100);
    expect(plan.communities).toBe(20);
    expect(plan.residents).toBe(150_000);
    expect(plan.cases).toBe(150_000);
    expect(plan.totalRecords).toBeGreaterThan(1_000_000);
    expect(planDemoStreet({ seed: 42, households: 150_000, now: NOW }).grids).toBe(300);
    expect(planDemoStreet({ seed: 42, households: 10, now: NOW }).grids).toBe(1);
  });

  it('5k households generate at the planned size', () => {
    const opts = { seed: 5, households: 5000, now: NOW };
    const plan = planDemoStreet(opts);
    const counts: Record<string, number> = {};
    for (const b of generateDemoStreet(opts))
      counts[b.table] = (counts[b.table] ?? 0) + b.rows.length;
    expect(counts.orgUnits).toBe(2 + 20 + plan.grids);
    expect(counts.households).toBe(5000);
    expect(counts.cases).toBe(15_000);
    expect(Math.abs((counts.residents ?? 0) - plan.residents) / plan.residents).toBeLessThan(0.03);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(Math.abs(total - plan.totalRecords) / plan.totalRecords).toBeLessThan(0.1);
  });
});

describe('time formatting', () => {
  it('iso() and beijingDate() agree with Date for instants across years', () => {
    const rng = createRng(9, 'iso');
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(Date.UTC(2000, 0, 1) + rng.next() * 40 * 365 * 86_400_000);
      expect(iso(ms)).toBe(new Date(ms).toISOString());
      expect(beijingDate(ms)).toBe(new Date(ms + 8 * 3600_000).toISOString().slice(0, 10));
    }
  });
});
