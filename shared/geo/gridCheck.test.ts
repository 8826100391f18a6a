import { describe, expect, it } from 'vitest';
import { area, booleanPointInPolygon } from '@turf/turf';
import type { AreaGeometry } from '../domain/common';
import { communitiesOfStreet, streetFeature } from '../data/beijing';
import { buildGrids, resolveStreet } from '../demo/grids';
import { createRng } from '../demo/rng';
import { convertGeoJson } from './crs';
import { checkGridFile, checkGrids, readGridFile, type StreetContext } from './gridCheck';
import { describeGridIssue, type GridIssue } from './gridIssues';

const STREET = '110101010000'; // 和平里街道 (东城区), real polygon shipped in shared/data
const C1 = '110101010003'; // 民旺社区
const C2 = '110101010008'; // 安德路社区

function street(overrides: Partial<StreetContext> = {}): StreetContext {
  return {
    code: STREET,
    boundary: streetFeature(STREET)?.geometry ?? null,
    communities: new Set(communitiesOfStreet(STREET).map((c) => c.code)),
    ...overrides,
  };
}

// A square of `size` degrees with its south-west corner at (lng, lat), well inside 和平里.
function square(lng: number, lat: number, size = 0.004): AreaGeometry & { type: 'Polygon' } {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
      ],
    ],
  };
}

type Props = Record<string, unknown>;
const feature = <G>(properties: Props, geometry: G) => ({
  type: 'Feature',
  properties,
  geometry,
});
const file = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

const west = square(116.398, 39.953);
const east = square(116.402, 39.953); // shares west's eastern edge
const good = () => [
  feature({ code: `${C1}001`, name: '民旺第1网格' }, west),
  feature({ code: `${C2}001`, name: '安德路第1网格' }, east),
];

const codes = (issues: GridIssue[]) => issues.map((i) => i.code);

describe('a valid file', () => {
  it('passes, with a label point inside each grid and its area', () => {
    const result = checkGridFile(file(...good()), street());
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.grids.map((g) => [g.index, g.code, g.name])).toEqual([
      [0, `${C1}001`, '民旺第1网格'],
      [1, `${C2}001`, '安德路第1网格'],
    ]);
    for (const grid of result.grids) {
      expect(booleanPointInPolygon(grid.labelPoint, grid.boundary)).toBe(true);
      // 0.004° × 0.004° at 40° N ≈ 341 m × 445 m
      expect(grid.area).toBeGreaterThan(140_000);
      expect(grid.area).toBeLessThan(160_000);
    }
  });

  it('accepts the demo generator’s grids of the whole street (shared edges, real outline)', () => {
    const demo = buildGrids(resolveStreet(STREET), 20_000, createRng(7, 'grids'));
    const features = demo.map((g) => feature({ code: g.code, name: g.name }, g.boundary));
    const result = checkGridFile(file(...features), street());
    expect(result.issues).toEqual([]);
    expect(result.grids).toHaveLength(demo.length);
  });

  it('reads numeric codes, Chinese property names, a single Feature and drops altitudes', () => {
    const withAltitude = {
      type: 'Polygon',
      coordinates: [west.coordinates[0]?.map(([x, y]) => [x, y, 43.5])],
    };
    const single = JSON.stringify(
      feature({ 网格编码: Number(`${C1}001`), 网格名称: '民旺第1网格' }, withAltitude),
    );
    const result = checkGridFile(single, street());
    expect(result.ok).toBe(true);
    expect(result.grids[0]?.code).toBe(`${C1}001`);
    expect(result.grids[0]?.boundary.coordinates[0]?.[0]).toEqual([116.398, 39.953]);
  });

  it('tolerates two grids that overlap by a sliver (an edge digitised twice)', () => {
    // 1 m over the neighbour's edge: ~380 m² over ~150,000 m², below 0.5 %.
    const overlapping = square(116.40199, 39.953);
    const result = checkGridFile(
      file(
        feature({ code: `${C1}001`, name: 'A' }, west),
        feature({ code: `${C1}002`, name: 'B' }, overlapping),
      ),
      street(),
    );
    expect(result.issues).toEqual([]);
  });
});

describe('each kind of bad input is reported, naming the feature', () => {
  it('an open ring', () => {
    const open = { type: 'Polygon', coordinates: [west.coordinates[0]?.slice(0, 4)] };
    const { ok, issues, grids } = checkGridFile(
      file(feature({ code: `${C1}001`, name: '民旺第1网格' }, open)),
      street(),
    );
    expect(ok).toBe(false);
    expect(grids).toEqual([]);
    expect(issues).toEqual([
      {
        code: 'ring-open',
        severity: 'error',
        feature: { index: 0, code: `${C1}001`, name: '民旺第1网格' },
        params: { ring: 1 },
      },
    ]);
    expect(describeGridIssue(issues[0] as GridIssue)).toBe(
      `feature 1 (${C1}001 民旺第1网格): ring 1 is not closed (first and last positions differ)`,
    );
  });

  it('a ring of three positions', () => {
    const short = {
      type: 'Polygon',
      coordinates: [
        [
          [116.4, 39.95],
          [116.41, 39.95],
          [116.4, 39.95],
        ],
      ],
    };
    const { issues } = checkGridFile(
      file(feature({ code: `${C1}001`, name: 'A' }, short)),
      street(),
    );
    expect(codes(issues)).toEqual(['ring-too-short']);
  });

  it('a self-intersection (a bow tie), with the crossing point', () => {
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [116.398, 39.953],
          [116.402, 39.957],
          [116.402, 39.953],
          [116.398, 39.957],
          [116.398, 39.953],
        ],
      ],
    };
    const { issues } = checkGridFile(
      file(feature({ code: `${C1}001`, name: 'A' }, bowTie)),
      street(),
    );
    expect(codes(issues)).toEqual(['self-intersection']);
    expect(issues[0]?.at?.[0]).toBeCloseTo(116.4, 6);
    expect(issues[0]?.at?.[1]).toBeCloseTo(39.955, 6);
  });

  it('a grid outside the street', () => {
    const far = square(116.46, 39.93); // in 朝阳区, east of the 2nd ring road
    const half = square(116.38, 39.955); // straddles 和平里's western edge
    const { issues } = checkGridFile(
      file(
        feature({ code: `${C1}001`, name: '远处网格' }, far),
        feature({ code: `${C1}002`, name: '压线网格' }, half),
      ),
      street(),
    );
    expect(codes(issues)).toEqual(['outside-street', 'outside-street']);
    expect(issues[0]?.params.outsidePercent).toBe(100);
    expect(Number(issues[1]?.params.outsidePercent)).toBeGreaterThan(1);
    expect(Number(issues[1]?.params.outsidePercent)).toBeLessThan(100);
    expect(issues[1]?.feature).toEqual({ index: 1, code: `${C1}002`, name: '压线网格' });
  });

  it('an overlap between two grids of the file, and with a stored grid', () => {
    const overlapping = square(116.4, 39.953); // half over `west`, half over `east`
    const { issues } = checkGridFile(
      file(
        feature({ code: `${C1}001`, name: 'A' }, west),
        feature({ code: `${C1}002`, name: 'B' }, overlapping),
      ),
      street({ otherGrids: [{ code: `${C2}001`, name: '安德路第1网格', boundary: east }] }),
    );
    expect(issues.map((i) => [i.code, i.feature?.index, i.other])).toEqual([
      ['overlap', 0, { index: 1, code: `${C1}002`, name: 'B' }],
      ['overlap', 1, { code: `${C2}001`, name: '安德路第1网格' }],
    ]);
    const m2 = Number(issues[0]?.params.overlapM2);
    expect(m2).toBeGreaterThan(70_000);
    expect(m2).toBeLessThan(80_000);
  });

  it('bad codes: not 15 digits, grid number 000, missing', () => {
    const { issues } = checkGridFile(
      file(
        feature({ code: '11010101000300', name: 'A' }, west),
        feature({ code: `${C1}000`, name: 'B' }, east),
        feature({ name: 'C' }, square(116.394, 39.953)),
      ),
      street(),
    );
    expect(issues.map((i) => [i.code, i.feature?.index, i.params.value])).toEqual([
      ['code-invalid', 0, '11010101000300'],
      ['code-invalid', 1, `${C1}000`],
      ['code-missing', 2, undefined],
    ]);
  });

  it('a duplicate code, naming the first feature that has it', () => {
    const { issues } = checkGridFile(
      file(
        feature({ code: `${C1}001`, name: 'A' }, west),
        feature({ code: `${C1}001`, name: 'B' }, east),
      ),
      street(),
    );
    expect(issues.map((i) => [i.code, i.feature?.index, i.other?.index])).toEqual([
      ['code-duplicate', 1, 0],
    ]);
  });

  it('a code that is a stored grid of the street not being replaced', () => {
    const result = checkGrids(
      [{ code: `${C2}001`, name: '新网格', geometry: west }],
      street({ otherGrids: [{ code: `${C2}001`, name: '安德路第1网格', boundary: east }] }),
    );
    expect(result.issues.map((i) => [i.code, i.other?.name])).toEqual([
      ['code-duplicate', '安德路第1网格'],
    ]);
  });

  it('a code of another street, and a community the street does not have', () => {
    const { issues } = checkGridFile(
      file(
        feature({ code: '110101001001001', name: '东华门的网格' }, west),
        feature({ code: '110101010999001', name: '无此社区' }, east),
      ),
      street(),
    );
    expect(issues.map((i) => [i.code, i.params])).toEqual([
      ['code-other-street', { codeStreet: '110101001000', street: STREET }],
      ['community-unknown', { community: '110101010999', street: STREET }],
    ]);
  });

  it('a missing or overlong name', () => {
    const { issues } = checkGridFile(
      file(
        feature({ code: `${C1}001` }, west),
        feature({ code: `${C1}002`, name: '网'.repeat(81) }, east),
      ),
      street(),
    );
    expect(codes(issues)).toEqual(['name-missing', 'name-too-long']);
  });

  it('geometries that are not polygons, missing, or projected', () => {
    const projected = square(12_958_000, 4_860_000, 500);
    const { issues } = checkGridFile(
      file(
        feature({ code: `${C1}001`, name: 'A' }, { type: 'Point', coordinates: [116.4, 39.95] }),
        feature({ code: `${C1}002`, name: 'B' }, null),
        feature({ code: `${C1}003`, name: 'C' }, projected),
        'not a feature',
      ),
      street(),
    );
    expect(issues.map((i) => [i.feature?.index, i.code])).toEqual([
      [0, 'geometry-type'],
      [1, 'geometry-missing'],
      [2, 'out-of-range'],
      [3, 'feature-invalid'],
    ]);
    expect(describeGridIssue(issues[0] as GridIssue)).toMatch(/not "Point"/);
  });

  it('not GeoJSON at all, an empty file, no features', () => {
    expect(codes(checkGridFile('', street()).issues)).toEqual(['file-empty']);
    expect(codes(checkGridFile('  \n', street()).issues)).toEqual(['file-empty']);
    expect(codes(checkGridFile('网格编码,名称\n1,2', street()).issues)).toEqual(['not-json']);
    expect(codes(checkGridFile('{"type":"Point","coordinates":[1,2]}', street()).issues)).toEqual([
      'not-geojson',
    ]);
    expect(codes(checkGridFile('[1,2,3]', street()).issues)).toEqual(['not-geojson']);
    expect(codes(checkGridFile(file(), street()).issues)).toEqual(['no-features']);
    for (const text of ['', 'x', file()]) expect(checkGridFile(text, street()).ok).toBe(false);
  });

  it('lists every error of a file at once, in feature order, and returns no grids', () => {
    const open = { type: 'Polygon', coordinates: [west.coordinates[0]?.slice(0, 4)] };
    const result = checkGridFile(
      file(
        feature({ code: `${C1}001`, name: 'A' }, open),
        feature({ code: 'x', name: 'B' }, square(116.46, 39.93)),
        feature({ code: `${C1}003`, name: 'C' }, west),
        feature({ code: `${C1}003`, name: 'D' }, east),
      ),
      street(),
    );
    expect(result.ok).toBe(false);
    expect(result.grids).toEqual([]);
    expect(result.issues.map((i) => [i.feature?.index, i.code])).toEqual([
      [0, 'ring-open'],
      [1, 'code-invalid'],
      [1, 'outside-street'],
      [3, 'code-duplicate'],
    ]);
    // the preview still shows what could be read, marking the features at fault
    expect(result.previews.map((p) => [p.geometry !== null, p.hasErrors])).toEqual([
      [false, true],
      [true, true],
      [true, false],
      [true, true],
    ]);
  });
});

describe('coordinate systems and context', () => {
  it('converts a GCJ-02 file to WGS-84 before checking and storing', () => {
    const gcj = good().map((f) => ({
      ...f,
      geometry: convertGeoJson(f.geometry, 'WGS84', 'GCJ02'),
    }));
    const result = checkGridFile(file(...gcj), street(), { crs: 'GCJ02' });
    expect(result.ok).toBe(true);
    const [lng, lat] = result.grids[0]?.boundary.coordinates[0]?.[0] as number[];
    expect(lng).toBeCloseTo(116.398, 6);
    expect(lat).toBeCloseTo(39.953, 6);
  });

  it('a BD-09 file read as if it were WGS-84 lands ~1 km off: the user must say its system', () => {
    const bd = good().map((f) => ({ ...f, geometry: convertGeoJson(f.geometry, 'WGS84', 'BD09') }));
    const asBd = checkGridFile(file(...bd), street(), { crs: 'BD09' });
    expect(asBd.ok).toBe(true);
    const [lng] = asBd.grids[0]?.boundary.coordinates[0]?.[0] as number[];
    expect(lng).toBeCloseTo(116.398, 5);
    const shifted = checkGridFile(file(...bd), street()).grids[0]?.boundary ?? west;
    expect(area(shifted)).toBeGreaterThan(0);
  });

  it('without a street boundary the containment check is skipped with a warning', () => {
    const result = checkGridFile(file(...good()), street({ boundary: null }));
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([
      { code: 'street-boundary-unknown', severity: 'warning', params: {} },
    ]);
  });

  it('reads a file without checking it', () => {
    const { inputs, issues } = readGridFile(file(...good()));
    expect(issues).toEqual([]);
    expect(inputs.map((i) => i.code)).toEqual([`${C1}001`, `${C2}001`]);
  });
});
