import {
  area,
  bbox as turfBbox,
  booleanPointInPolygon,
  centroid,
  featureCollection,
  intersect,
  point,
  pointOnFeature,
  voronoi,
} from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { AreaGeometry } from '../domain/common';
import {
  communitiesOfStreet,
  districts,
  streetEntry,
  streetFeature,
  type DivisionEntry,
} from '../data/beijing';
import type { Rng } from './rng';

/** Households a grid serves (DESIGN §1: ~300–600; 东城 averages ≈530, mission-anchors.md). */
export const HOUSEHOLDS_PER_GRID = 500;

/** Lloyd relaxation rounds: two already turn random seeds into evenly sized, compact cells. */
const LLOYD_ROUNDS = 2;

/** The real street the demo is built on. */
export interface DemoStreet {
  code: string;
  name: string;
  district: DivisionEntry;
  boundary: AreaGeometry;
  /** `[lng, lat]`. */
  labelPoint: readonly [number, number];
  communities: readonly DivisionEntry[];
}

/** One generated grid (网格) with its share of the street's households. */
export interface DemoGrid {
  code: string;
  name: string;
  community: DivisionEntry;
  /** 1-based number inside its community (the last 3 digits of `code`). */
  number: number;
  boundary: AreaGeometry;
  labelPoint: [number, number];
  bbox: [number, number, number, number];
  households: number;
}

/** Looks up the street, its real polygon and its communities; throws a readable error if unusable. */
export function resolveStreet(streetCode: string): DemoStreet {
  const entry = streetEntry(streetCode);
  const feature = streetFeature(streetCode);
  if (!entry || !feature) {
    throw new RangeError(
      `demo street ${streetCode}: needs a 12-digit code of a 东城区 street (the only street polygons shipped)`,
    );
  }
  const district = districts().find((d) => d.code === entry.parentCode);
  const communities = communitiesOfStreet(streetCode);
  if (!district || communities.length === 0) {
    throw new RangeError(`demo street ${streetCode}: no district or communities in the code list`);
  }
  return {
    code: entry.code,
    name: entry.name,
    district,
    boundary: feature.geometry,
    labelPoint: feature.labelPoint,
    communities,
  };
}

/** Number of grids for a street of `households` households. */
export function gridCountFor(households: number): number {
  return Math.max(1, Math.round(households / HOUSEHOLDS_PER_GRID));
}

/**
 * Grids per community: the first `min(grids, communities)` communities (code order) each get an
 * equal share, the remainder going to the first ones. Depends on counts only, so accounts and the
 * plan know every grid code without computing any geometry.
 */
export function gridsPerCommunity(grids: number, communities: number): number[] {
  const used = Math.min(grids, communities);
  const base = Math.floor(grids / used);
  const extra = grids % used;
  return Array.from({ length: used }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Grid code and number for every grid, in community order, without geometry. */
export function gridCodes(
  street: DemoStreet,
  grids: number,
): { code: string; number: number; community: DivisionEntry }[] {
  const out: { code: string; number: number; community: DivisionEntry }[] = [];
  gridsPerCommunity(grids, street.communities.length).forEach((count, ci) => {
    const community = street.communities[ci];
    if (!community) return;
    for (let n = 1; n <= count; n++) {
      out.push({ code: community.code + String(n).padStart(3, '0'), number: n, community });
    }
  });
  return out;
}

/** `和平里社区居委会` → `和平里社区`, `某某村村委会` → `某某村`: how residents name them. */
export function shortCommunityName(name: string): string {
  return name.replace(/居委会$|居民委员会$/, '').replace(/村委会$|村民委员会$/, '') || name;
}

type Cell = Feature<Polygon | MultiPolygon>;

function randomPointIn(
  boundary: Feature<Polygon | MultiPolygon>,
  box: number[],
  rng: Rng,
): Position {
  const [minX = 0, minY = 0, maxX = 0, maxY = 0] = box;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const p: Position = [minX + rng.next() * (maxX - minX), minY + rng.next() * (maxY - minY)];
    if (booleanPointInPolygon(p, boundary)) return p;
  }
  // Unreachable for real polygons (they fill a good part of their bbox); a point on the surface is
  // still a valid, if less random, seed.
  return pointOnFeature(boundary).geometry.coordinates;
}

/** Voronoi cells of `seeds`, each clipped to the street; a seed inside the street keeps its cell non-empty. */
function clippedCells(
  seeds: Position[],
  street: Feature<Polygon | MultiPolygon>,
  box: number[],
): (Cell | null)[] {
  const [minX = 0, minY = 0, maxX = 0, maxY = 0] = box;
  const pad = Math.max(maxX - minX, maxY - minY);
  const cells = voronoi(featureCollection(seeds.map((s) => point(s))), {
    bbox: [minX - pad, minY - pad, maxX + pad, maxY + pad],
  });
  return seeds.map((_, i) => {
    const cell = cells.features[i];
    if (!cell) return null;
    return intersect(featureCollection<Polygon | MultiPolygon>([cell, street]));
  });
}

/** turf's loose `Position[]` rings as the domain's `[lng, lat]` tuples. */
function toAreaGeometry(geometry: Polygon | MultiPolygon): AreaGeometry {
  const ring = (r: Position[]): [number, number][] => r.map((p) => [p[0] ?? 0, p[1] ?? 0]);
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((poly) => poly.map(ring)) };
}

/** Point inside `cell` to use as its next seed: the centroid when it lies inside, else a surface point. */
function interiorPoint(cell: Cell): Position {
  const c = centroid(cell).geometry.coordinates;
  return booleanPointInPolygon(c, cell) ? c : pointOnFeature(cell).geometry.coordinates;
}

/** Index of a point on a Hilbert curve of order 16 over `box`, to order cells compactly. */
function hilbertIndex(p: Position, box: number[]): number {
  const [minX = 0, minY = 0, maxX = 1, maxY = 1] = box;
  const n = 1 << 16;
  let x = Math.min(n - 1, Math.floor((((p[0] ?? 0) - minX) / (maxX - minX || 1)) * n));
  let y = Math.min(n - 1, Math.floor((((p[1] ?? 0) - minY) / (maxY - minY || 1)) * n));
  let d = 0;
  for (let s = n >>> 1; s > 0; s >>>= 1) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) {
        x = s - 1 - x;
        y = s - 1 - y;
      }
      [x, y] = [y, x];
    }
  }
  return d;
}

/**
 * Splits the real street polygon into `gridCountFor(households)` grids: random seeds inside the
 * street, relaxed by Lloyd's algorithm (Voronoi → clip → centroid) into compact, similar-sized
 * cells; the final cells are clipped to the street, so grids tile it without overlap. Cells are
 * ordered along a Hilbert curve so each community receives a contiguous block, and numbered inside
 * their community north→south, west→east as Beijing's DB11 grid standard numbers them.
 */
export function buildGrids(street: DemoStreet, households: number, rng: Rng): DemoGrid[] {
  const streetShape: Feature<Polygon | MultiPolygon> = {
    type: 'Feature',
    properties: {},
    geometry: street.boundary,
  };
  const box = turfBbox(streetShape);
  const count = gridCountFor(households);
  let seeds = Array.from({ length: count }, () => randomPointIn(streetShape, box, rng));
  let cells = clippedCells(seeds, streetShape, box);
  for (let round = 0; round < LLOYD_ROUNDS; round++) {
    seeds = cells.map((cell, i) => (cell ? interiorPoint(cell) : (seeds[i] ?? [0, 0])));
    cells = clippedCells(seeds, streetShape, box);
  }

  const ordered = cells
    .map((cell, i) => {
      // Every seed lies inside the street, so its clipped cell cannot be empty; accounts and the
      // plan count on exactly `count` grids.
      if (!cell) throw new Error(`grid cell ${i} of street ${street.code} came out empty`);
      const seed = seeds[i] ?? [0, 0];
      return { cell, seed, h: hilbertIndex(seed, box) };
    })
    .sort((a, b) => a.h - b.h);

  const codes = gridCodes(street, ordered.length);
  const perGrid = Math.floor(households / ordered.length);
  const extraHouseholds = households % ordered.length;
  const grids: DemoGrid[] = [];
  let offset = 0;
  for (const block of gridsPerCommunity(ordered.length, street.communities.length)) {
    const members = ordered.slice(offset, offset + block);
    const bandHeight = Math.sqrt(area(streetShape) / ordered.length) / 111_000;
    // North→south in bands about one grid high, then west→east within a band.
    members.sort((a, b) => {
      const bandA = Math.floor(((box[3] ?? 0) - (a.seed[1] ?? 0)) / bandHeight);
      const bandB = Math.floor(((box[3] ?? 0) - (b.seed[1] ?? 0)) / bandHeight);
      return bandA - bandB || (a.seed[0] ?? 0) - (b.seed[0] ?? 0);
    });
    members.forEach((m, j) => {
      const index = offset + j;
      const code = codes[index];
      if (!code) return;
      const label = interiorPoint(m.cell);
      const [minX = 0, minY = 0, maxX = 0, maxY = 0] = turfBbox(m.cell);
      grids.push({
        code: code.code,
        name: `${shortCommunityName(code.community.name)}第${code.number}网格`,
        community: code.community,
        number: code.number,
        boundary: toAreaGeometry(m.cell.geometry),
        labelPoint: [label[0] ?? 0, label[1] ?? 0],
        bbox: [minX, minY, maxX, maxY],
        households: perGrid + (index < extraHouseholds ? 1 : 0),
      });
    });
    offset += block;
  }
  return grids;
}

/** A uniformly random point inside a grid (rejection sampling in its bbox). */
export function randomPointInGrid(grid: DemoGrid, rng: Rng): [number, number] {
  const [minX, minY, maxX, maxY] = grid.bbox;
  const shape: Feature<Polygon | MultiPolygon> = {
    type: 'Feature',
    properties: {},
    geometry: grid.boundary,
  };
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const p: [number, number] = [
      minX + rng.next() * (maxX - minX),
      minY + rng.next() * (maxY - minY),
    ];
    if (booleanPointInPolygon(p, shape)) return p;
  }
  return [grid.labelPoint[0], grid.labelPoint[1]];
}
