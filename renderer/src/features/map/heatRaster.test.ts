import { describe, expect, it } from 'vitest';
import { HEAT_MIN_PIXEL_M, HEAT_SIGMA_M, type HeatRaster, heatRaster } from './heatRaster';
import { cells } from './heatCells.test-helpers';
import { HEAT_COLORS, hexToRgb } from './palette';

/** Web Mercator y written out independently of the module: ln tan(π/4 + φ/2), north up. */
const mercY = (lat: number) => -Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
const mercX = (lng: number) => (lng * Math.PI) / 180;

function pixel(r: HeatRaster, x: number, y: number): [number, number, number, number] {
  const o = (y * r.width + x) * 4;
  return [r.rgba[o] ?? -1, r.rgba[o + 1] ?? -1, r.rgba[o + 2] ?? -1, r.rgba[o + 3] ?? -1];
}

/** How hot a pixel looks: alpha up to the first stop, then the red channel falls (ramp order). */
function hotness([red, , , alpha]: number[]): number {
  return (alpha ?? 0) < 255 ? (alpha ?? 0) / 255 : 2 + (255 - (red ?? 0));
}

/**
 * Where the hottest colour sits (in the rows given): the centre of the pixels that have it. The
 * top 1 % of the density is all drawn in the hottest colour, so a spot is a small disc.
 */
function hotSpot(r: HeatRaster, rows = [0, r.height]): { x: number; y: number } {
  let best = -1;
  let sum = { x: 0, y: 0, n: 0 };
  for (let y = Math.max(0, rows[0] ?? 0); y < Math.min(r.height, rows[1] ?? r.height); y += 1)
    for (let x = 0; x < r.width; x += 1) {
      const h = hotness(pixel(r, x, y));
      if (h > best) [best, sum] = [h, { x: 0, y: 0, n: 0 }];
      if (h === best) sum = { x: sum.x + x, y: sum.y + y, n: sum.n + 1 };
    }
  return { x: sum.x / sum.n, y: sum.y / sum.n };
}

/** Fractional pixel row / column of a position, from the raster's corners. */
function rowOf(r: HeatRaster, lat: number): number {
  const top = mercY(r.coordinates[0][1]);
  const bottom = mercY(r.coordinates[3][1]);
  return ((mercY(lat) - top) / (bottom - top)) * r.height - 0.5;
}
function columnOf(r: HeatRaster, lng: number): number {
  const left = mercX(r.coordinates[0][0]);
  const right = mercX(r.coordinates[1][0]);
  return ((mercX(lng) - left) / (right - left)) * r.width - 0.5;
}

const HOT = [...hexToRgb(HEAT_COLORS[3]), 255];

describe('heatRaster', () => {
  it('is null when there is nothing to draw', () => {
    expect(heatRaster(cells())).toBeNull();
    expect(heatRaster(cells([116.4, 39.95, 0]))).toBeNull();
  });

  it('draws one cell as a symmetric blob, hottest on its pixel and transparent far away', () => {
    const r = heatRaster(cells([116.4, 39.95, 3]));
    if (!r) throw new Error('no raster');
    // The kernel (3σ) on each side of the cell's pixel, in the finest pixels.
    expect(r.metresPerPixel).toBeCloseTo(HEAT_MIN_PIXEL_M, 5);
    const pad = Math.ceil((3 * HEAT_SIGMA_M) / r.metresPerPixel);
    expect([r.width, r.height]).toEqual([2 * pad + 1, 2 * pad + 1]);
    expect(r.rgba).toHaveLength(r.width * r.height * 4);
    const c = pad;
    expect(hotSpot(r)).toEqual({ x: c, y: c });
    expect(pixel(r, c, c)).toEqual(HOT);
    expect(columnOf(r, 116.4)).toBeCloseTo(c, 6);
    expect(rowOf(r, 39.95)).toBeCloseTo(c, 6);
    for (const d of [1, 3, 7, 12, pad]) {
      const axis = pixel(r, c + d, c);
      for (const [x, y] of [
        [c - d, c],
        [c, c + d],
        [c, c - d],
      ] as const)
        expect(pixel(r, x, y), `${d} px away`).toEqual(axis);
      const diagonal = pixel(r, c + d, c + d);
      for (const [x, y] of [
        [c - d, c - d],
        [c - d, c + d],
        [c + d, c - d],
      ] as const)
        expect(pixel(r, x, y), `${d} px away diagonally`).toEqual(diagonal);
    }
    // Colder outwards along a row, gone at the corners (beyond 3σ).
    const along = [0, 0.2, 0.4, 0.6, 0.8, 1].map((f) =>
      hotness(pixel(r, c + Math.round(f * pad), c)),
    );
    expect(along).toEqual([...along].sort((a, b) => b - a));
    expect(along[5]).toBe(0);
    expect(pixel(r, 0, 0)).toEqual([0, 0, 0, 0]);
    expect(pixel(r, r.width - 1, r.height - 1)).toEqual([0, 0, 0, 0]);
  });

  it('spaces rows evenly in Web Mercator y, not in latitude', () => {
    // 20°–60° N: far enough apart for latitude and Mercator rows to differ by ~70 px.
    const r = heatRaster(cells([116.4, 20, 1], [116.4, 40, 1], [116.4, 60, 1]));
    if (!r) throw new Error('no raster');
    expect(r.height).toBeLessThanOrEqual(1024);
    const expected = rowOf(r, 40);
    const top = r.coordinates[0][1];
    const bottom = r.coordinates[3][1];
    const byLatitude = ((top - 40) / (top - bottom)) * r.height - 0.5;
    expect(Math.abs(expected - byLatitude)).toBeGreaterThan(50);
    const rows = [Math.floor(expected) - 20, Math.ceil(expected) + 20];
    expect(Math.abs(hotSpot(r, rows).y - expected)).toBeLessThanOrEqual(0.5);

    // At street scale (Beijing), each cell lands on its pixel.
    const street = heatRaster(cells([116.38, 39.93, 2], [116.41, 39.951, 2], [116.43, 39.97, 2]));
    if (!street) throw new Error('no raster');
    expect(street.metresPerPixel).toBeLessThanOrEqual(5);
    for (const [lng, lat] of [
      [116.38, 39.93],
      [116.41, 39.951],
      [116.43, 39.97],
    ] as const) {
      const row = rowOf(street, lat);
      const spot = hotSpot(street, [Math.floor(row) - 5, Math.ceil(row) + 5]);
      expect(Math.abs(spot.y - row)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(spot.x - columnOf(street, lng))).toBeLessThanOrEqual(0.5);
    }
  });

  it('scales to a robust maximum, so one busy building does not wash out the rest', () => {
    // 15 × 15 lone cells 400 m apart with 5 cases each, and one building with 1,000.
    const list: [number, number, number][] = [];
    for (let i = 0; i < 15; i += 1)
      for (let j = 0; j < 15; j += 1) list.push([116.3 + i * 0.0047, 39.9 + j * 0.0036, 5]);
    list.push([116.3 + 7.5 * 0.0047, 39.9 + 7.5 * 0.0036, 1000]);
    const robust = heatRaster(cells(...list));
    const plain = heatRaster(cells(...list), { quantile: 1 });
    if (!robust || !plain) throw new Error('no raster');
    expect(robust.scale).toBeGreaterThan(1);
    expect(robust.scale).toBeLessThanOrEqual(5);
    expect(plain.scale).toBeGreaterThan(900);
    const [lng, lat] = list[0] ?? [0, 0];
    const x = Math.round(columnOf(robust, lng));
    const y = Math.round(rowOf(robust, lat));
    // A lone building is a hot spot of its own under the robust scale…
    expect(pixel(robust, x, y)).toEqual(HOT);
    // …and all but invisible next to the busy one under the plain maximum.
    expect(pixel(plain, x, y)[3]).toBeLessThan(HOT[3] ?? 0);
    // Relative: twice the cases everywhere is the same picture.
    const doubled = heatRaster(
      cells(...list.map(([a, b, n]): [number, number, number] => [a, b, 2 * n])),
    );
    expect(doubled?.rgba.length).toBe(robust.rgba.length);
    // (A loop: deep equality of two 4 MB arrays takes the test runner seconds.)
    let differing = 0;
    for (let k = 0; k < robust.rgba.length; k += 1)
      if (doubled?.rgba[k] !== robust.rgba[k]) differing += 1;
    expect(differing).toBe(0);
  });

  it('returns the corners of a rectangle around the cells, padded by the kernel', () => {
    const r = heatRaster(cells([116.38, 39.93, 1], [116.42, 39.96, 4]));
    if (!r) throw new Error('no raster');
    const [tl, tr, br, bl] = r.coordinates;
    expect(tl[1]).toBe(tr[1]);
    expect(bl[1]).toBe(br[1]);
    expect(tl[0]).toBe(bl[0]);
    expect(tr[0]).toBe(br[0]);
    // West to east, north to south, with at least 3σ beyond the outermost cells.
    const padDeg = (3 * HEAT_SIGMA_M) / 111_320;
    expect(tl[0]).toBeLessThan(116.38 - padDeg);
    expect(tr[0]).toBeGreaterThan(116.42 + padDeg);
    expect(tl[1]).toBeGreaterThan(39.96 + padDeg);
    expect(bl[1]).toBeLessThan(39.93 - padDeg);
    // Square pixels in Mercator: MapLibre stretches nothing.
    const dx = (mercX(tr[0]) - mercX(tl[0])) / r.width;
    const dy = (mercY(bl[1]) - mercY(tl[1])) / r.height;
    expect(dy / dx).toBeCloseTo(1, 9);
    // ~3 km of street in pixels of ≤ 5 m, under the size cap.
    expect(r.metresPerPixel).toBeLessThanOrEqual(5);
    expect(Math.max(r.width, r.height)).toBeLessThanOrEqual(1024);
  });

  it('keeps a district-wide image under the size cap', () => {
    const r = heatRaster(cells([116.2, 39.8, 1], [116.6, 40.1, 1]));
    if (!r) throw new Error('no raster');
    expect(Math.max(r.width, r.height)).toBeLessThanOrEqual(1024);
    expect(r.width * r.height).toBeLessThanOrEqual(1024 * 1024);
    expect(r.metresPerPixel).toBeGreaterThan(HEAT_MIN_PIXEL_M);
    // Both cells still show.
    for (const [lng, lat] of [
      [116.2, 39.8],
      [116.6, 40.1],
    ] as const)
      expect(pixel(r, Math.round(columnOf(r, lng)), Math.round(rowOf(r, lat)))[3]).toBeGreaterThan(
        0,
      );
  });
});
