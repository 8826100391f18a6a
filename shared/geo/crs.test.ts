import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Polygon } from 'geojson';
import { CRS_IDS, convertGeoJson, convertPosition, isCrs } from './crs';

// Metres between two nearby [lng, lat] points (equirectangular; exact enough below a kilometre).
function metres(a: readonly number[], b: readonly number[]): number {
  const [lng1 = 0, lat1 = 0] = a;
  const [lng2 = 0, lat2 = 0] = b;
  const k = (Math.PI / 180) * 6_371_000;
  return Math.hypot((lng2 - lng1) * k * Math.cos((lat1 * Math.PI) / 180), (lat2 - lat1) * k);
}

describe('convertPosition against published values', () => {
  // The reference vectors of wandergis/coordtransform (test/app.js), the conversion most Chinese
  // GIS tools copy, at Baidu's default centre (116.404, 39.915) by 天安门.
  it.each([
    ['BD09', 'GCJ02', [116.39762729119315, 39.90865673957631]],
    ['GCJ02', 'BD09', [116.41036949371029, 39.92133699351021]],
    ['WGS84', 'GCJ02', [116.41024449916938, 39.91640428150164]],
  ] as const)('%s → %s', (from, to, expected) => {
    const [lng, lat] = convertPosition([116.404, 39.915], from, to);
    expect(lng).toBeCloseTo(expected[0], 9);
    expect(lat).toBeCloseTo(expected[1], 9);
  });

  it('GCJ02 → WGS84 inverts the forward shift to within 0.1 m (coordtransform only approximates it)', () => {
    const wgs = convertPosition([116.404, 39.915], 'GCJ02', 'WGS84');
    // coordtransform's one-step approximation, 116.39775550083061, 39.91359571849836
    expect(metres(wgs, [116.39775550083061, 39.91359571849836])).toBeLessThan(1);
    expect(metres(convertPosition(wgs, 'WGS84', 'GCJ02'), [116.404, 39.915])).toBeLessThan(0.1);
  });

  it('天安门: 高德 (GCJ-02) 116.397428, 39.90923 is a WGS-84 point a few hundred metres south-west', () => {
    const amap = [116.397428, 39.90923] as const;
    const wgs = convertPosition(amap, 'GCJ02', 'WGS84');
    // In Beijing the GCJ-02 offset is about 0.0062° east, 0.0014° north: ~570 m in all.
    expect(wgs[0]).toBeCloseTo(116.391187, 5);
    expect(wgs[1]).toBeCloseTo(39.907829, 5);
    expect(metres(amap, wgs)).toBeGreaterThan(450);
    expect(metres(amap, wgs)).toBeLessThan(700);
    // and Baidu's published 天安门 (BD-09 116.403963, 39.915119) lands on the same square
    const fromBaidu = convertPosition([116.403963, 39.915119], 'BD09', 'WGS84');
    expect(metres(fromBaidu, wgs)).toBeLessThan(60);
  });
});

describe('round trips', () => {
  const beijing = [
    [116.397428, 39.90923], // 天安门
    [116.4174, 39.9586], // 和平里
    [116.3912, 40.0036], // 奥林匹克公园
    [115.9759, 40.4563], // 延庆
  ] as const;
  it.each(CRS_IDS.flatMap((from) => CRS_IDS.map((to) => [from, to] as const)))(
    '%s → %s → back stays within a few decimetres',
    (from, to) => {
      // GCJ-02's inverse is iterated to 1e-6°; BD-09's published inverse is a closed-form
      // approximation that is off by ~0.13 m, far below the ~1 m resolution of the boundaries.
      const tolerance = from === 'BD09' || to === 'BD09' ? 0.3 : 0.1;
      for (const p of beijing) {
        const back = convertPosition(convertPosition(p, from, to), to, from);
        expect(metres(back, p)).toBeLessThan(tolerance);
      }
    },
  );
});

describe('outside China', () => {
  it('GCJ-02 leaves positions outside China unchanged, as gcoord does', () => {
    for (const p of [
      [-0.1276, 51.5072], // London
      [139.6917, 35.6895], // Tokyo
      [-74.006, 40.7128], // New York
    ]) {
      expect(convertPosition(p, 'WGS84', 'GCJ02')).toEqual(p);
      expect(convertPosition(p, 'GCJ02', 'WGS84')).toEqual(p);
    }
  });

  it('refuses a position that is not two finite numbers', () => {
    expect(() => convertPosition([116.4], 'WGS84', 'GCJ02')).toThrow(RangeError);
    expect(() => convertPosition([Number.NaN, 39.9], 'WGS84', 'GCJ02')).toThrow(RangeError);
  });
});

describe('convertGeoJson', () => {
  const square: Polygon = {
    type: 'Polygon',
    coordinates: [
      [
        [116.41, 39.95],
        [116.42, 39.95],
        [116.42, 39.96],
        [116.41, 39.96],
        [116.41, 39.95],
      ],
    ],
  };

  it('converts every position of a FeatureCollection, keeps properties and leaves the input alone', () => {
    const input: FeatureCollection = {
      type: 'FeatureCollection',
      bbox: [116.41, 39.95, 116.42, 39.96],
      features: [
        {
          type: 'Feature',
          properties: { code: '110101010027001', coordinates: [1, 2] },
          geometry: square,
        },
        {
          type: 'Feature',
          properties: null,
          geometry: { type: 'Point', coordinates: [116.4, 39.9] },
        },
      ],
    };
    const before = JSON.stringify(input);
    const out = convertGeoJson(input, 'GCJ02', 'WGS84');
    expect(JSON.stringify(input)).toBe(before);
    expect(out.bbox).toBeUndefined();
    const polygon = out.features[0]?.geometry as Polygon;
    const ring = polygon.coordinates[0] ?? [];
    expect(ring).toHaveLength(5);
    ring.forEach((p, i) => {
      expect(p).toEqual(convertPosition(square.coordinates[0]?.[i] ?? [], 'GCJ02', 'WGS84'));
    });
    expect(out.features[0]?.properties).toEqual({ code: '110101010027001', coordinates: [1, 2] });
    expect(out.features[1]?.geometry).toEqual({
      type: 'Point',
      coordinates: convertPosition([116.4, 39.9], 'GCJ02', 'WGS84'),
    });
  });

  it('converts a bare geometry, and WGS84 → WGS84 is an identity copy', () => {
    const bd = convertGeoJson(square, 'WGS84', 'BD09');
    expect(convertGeoJson(bd, 'BD09', 'WGS84').coordinates[0]?.[2]?.[0]).toBeCloseTo(116.42, 6);
    const same = convertGeoJson(square, 'WGS84', 'WGS84');
    expect(same).toEqual(square);
    expect(same).not.toBe(square);
  });

  it('isCrs accepts only the three ids', () => {
    expect(CRS_IDS.every(isCrs)).toBe(true);
    expect(isCrs('EPSG3857')).toBe(false);
    expect(isCrs(undefined)).toBe(false);
  });
});
