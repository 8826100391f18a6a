import type { FeatureCollection, Point } from 'geojson';
import type { HeatProps } from './caseView';
import { HEAT_COLORS, HEAT_STOPS, hexToRgb } from './palette';

/**
 * The 诉求热力图 as one pre-computed image: a density surface of the heat cells, coloured with
 * the heat ramp, for a MapLibre `image` source. Computed on the CPU once per data or filter
 * change; the map then draws one textured quad per frame, where a `heatmap` layer redraws every
 * kernel into an offscreen buffer and colours it on every frame (~33 ms a frame in software GL).
 * The surface is density per area with a kernel fixed in metres, so it does not change with
 * zoom. ~10 ms (~20 ms on a cold page) for a street's 1,600 cells into a 781×584 image.
 * Pure: no DOM, no map.
 */

/**
 * Kernel σ in metres. The old `heatmap` layer drew a Gaussian whose radius is 3σ (MapLibre's
 * heatmap shader), 24.5 px at the street's fit zoom (z13.9), and a pixel there is 3.9 m at
 * Beijing's latitude (40,075 km · cos 39.95° / (512 · 2^13.9)): radius ≈ 96 m, σ ≈ 32 m. The
 * same σ keeps the street view as it was; at building zoom the spots are now their true size
 * instead of shrinking with the zoom.
 */
export const HEAT_SIGMA_M = 32;
/** The kernel ends at 3σ (like MapLibre's), where the Gaussian is down to 1 % of its peak. */
const KERNEL_SIGMAS = 3;
/** Longest side of the image: a 1024² RGBA texture is 4 MB, uploaded once per change. */
export const HEAT_MAX_SIDE_PX = 1024;
/**
 * Finest pixel. 5 m is σ / 6.4, so the surface is smooth between pixels and MapLibre's linear
 * filtering shows no steps even at building zoom; a street (~4 km) is then ~800 px, which costs
 * half the time and texture of 3 m pixels.
 */
export const HEAT_MIN_PIXEL_M = 5;
/**
 * The density at this quantile of the covered pixels is the top of the ramp, so one very busy
 * building saturates only itself instead of washing every other hotspot out to nothing.
 */
export const HEAT_ROBUST_QUANTILE = 0.99;

const EARTH_CIRCUMFERENCE_M = 2 * Math.PI * 6_378_137;
/** Histogram bins for the quantile (linear up to the maximum). */
const QUANTILE_BINS = 4096;
/** Entries of the colour lookup table over the normalised density 0–1. */
const RAMP_STEPS = 1024;

/** The four corners as MapLibre's image source wants them: top-left, then clockwise. */
export type HeatCorners = [[number, number], [number, number], [number, number], [number, number]];

export interface HeatRaster {
  width: number;
  height: number;
  /**
   * Row-major RGBA, top row first, straight (not premultiplied) alpha: opaque from the ramp's
   * first stop up (the layer draws it at `HEAT_OPACITY`).
   */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  /** [lng, lat] of the top-left, top-right, bottom-right and bottom-left image corners. */
  coordinates: HeatCorners;
  /** Ground size of a pixel at the image's middle latitude. */
  metresPerPixel: number;
  /** The density (Σ n · kernel) drawn in the hottest colour: the robust maximum. */
  scale: number;
}

export interface HeatRasterOptions {
  sigmaM?: number;
  maxSidePx?: number;
  minPixelM?: number;
  quantile?: number;
}

/** Web Mercator x in 0–1 (west → east), as MapLibre's `MercatorCoordinate`. */
export function mercatorX(lng: number): number {
  return (180 + lng) / 360;
}

/** Web Mercator y in 0–1 (north → south), as MapLibre's `MercatorCoordinate`. */
export function mercatorY(lat: number): number {
  return (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))) / 360;
}

function lngOf(x: number): number {
  return x * 360 - 180;
}

function latOf(y: number): number {
  return (360 / Math.PI) * Math.atan(Math.exp(((180 - y * 360) * Math.PI) / 180)) - 90;
}

/**
 * The heat map image of the cells (display coordinates, as `caseView` gives them): rows evenly
 * spaced in Web Mercator y, since MapLibre interpolates the image quad in Mercator; each cell
 * adds n · a Gaussian of σ = `HEAT_SIGMA_M` (at least one pixel); the density is divided by its
 * robust maximum and coloured with the heat ramp. Null when no cell has a case.
 */
export function heatRaster(
  cells: FeatureCollection<Point, HeatProps>,
  options: HeatRasterOptions = {},
): HeatRaster | null {
  const sigmaM = options.sigmaM ?? HEAT_SIGMA_M;
  const maxSide = options.maxSidePx ?? HEAT_MAX_SIDE_PX;
  const minPixelM = options.minPixelM ?? HEAT_MIN_PIXEL_M;
  const quantile = options.quantile ?? HEAT_ROBUST_QUANTILE;

  const xs: number[] = [];
  const ys: number[] = [];
  const ns: number[] = [];
  // The box in a loop: Math.min(...xs) would overflow the argument list for a district.
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const f of cells.features) {
    const [lng, lat] = f.geometry.coordinates;
    const n = f.properties.n;
    if (!(n > 0) || lng === undefined || lat === undefined) continue;
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) continue;
    const x = mercatorX(lng);
    const y = mercatorY(lat);
    xs.push(x);
    ys.push(y);
    ns.push(n);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  if (ns.length === 0) return null;

  // Ground metres per Mercator unit at the middle latitude (the scale varies by 0.1 % over a
  // street, far below a pixel).
  const metresPerUnit =
    EARTH_CIRCUMFERENCE_M * Math.cos((latOf((minY + maxY) / 2) * Math.PI) / 180);
  const grid = gridFor(maxX - minX, maxY - minY, metresPerUnit, sigmaM, maxSide, minPixelM);
  const { width, height, pad, sigmaPx } = grid;
  const unit = grid.pixelM / metresPerUnit;
  // Half a pixel more than the kernel on each side: a cell on the box's edge lands on a
  // pixel centre, so a lone cell is a symmetric blob.
  const x0 = minX - (pad + 0.5) * unit;
  const y0 = minY - (pad + 0.5) * unit;

  const density = splat(xs, ys, ns, { x0, y0, unit, width, height, pad, sigmaPx });
  const scale = robustMax(density, quantile);
  const rgba = colour(density, scale);

  const x1 = x0 + width * unit;
  const y1 = y0 + height * unit;
  return {
    width,
    height,
    rgba,
    coordinates: [
      [lngOf(x0), latOf(y0)],
      [lngOf(x1), latOf(y0)],
      [lngOf(x1), latOf(y1)],
      [lngOf(x0), latOf(y1)],
    ],
    metresPerPixel: grid.pixelM,
    scale,
  };
}

interface Grid {
  width: number;
  height: number;
  pixelM: number;
  sigmaPx: number;
  /** Kernel radius in pixels: the padding on each side of the cells' box. */
  pad: number;
}

/**
 * Pixel size and image size for a box of the given Mercator span: pixels of `minPixelM` or the
 * size that fits the padded box into `maxSide`, whichever is coarser. σ is at least a pixel so
 * a wide area still shows every case.
 */
function gridFor(
  spanX: number,
  spanY: number,
  metresPerUnit: number,
  sigmaM: number,
  maxSide: number,
  minPixelM: number,
): Grid {
  const longM = Math.max(spanX, spanY) * metresPerUnit;
  let pixelM = Math.max(minPixelM, (longM + 2 * KERNEL_SIGMAS * sigmaM) / (maxSide - 4));
  for (;;) {
    const sigmaPx = Math.max(1, sigmaM / pixelM);
    const pad = Math.ceil(KERNEL_SIGMAS * sigmaPx);
    const side = (span: number) => Math.ceil((span * metresPerUnit) / pixelM) + 2 * pad + 1;
    const width = side(spanX);
    const height = side(spanY);
    const longest = Math.max(width, height);
    if (longest <= maxSide) return { width, height, pixelM, sigmaPx, pad };
    // Only when σ was raised to a pixel (the padding outgrew the estimate): a few rounds.
    pixelM *= longest / maxSide;
  }
}

/**
 * Σ n · k(d) per pixel, the cells splatted one by one: with a few thousand cells this is
 * ~(6σ)² additions each, far less than blurring the whole image (a 1024² grid with a 65-tap
 * separable blur is 130M). k is the Gaussian exp(−d² / 2σ²) lowered by its value at 3σ and
 * scaled back to 1 at the centre, so each spot ends in a circle at 3σ with no step at its edge.
 * Each cell's kernel is evaluated at its exact sub-pixel position: nothing snaps to the grid.
 */
function splat(
  xs: number[],
  ys: number[],
  ns: number[],
  g: {
    x0: number;
    y0: number;
    unit: number;
    width: number;
    height: number;
    pad: number;
    sigmaPx: number;
  },
): Float32Array {
  const density = new Float32Array(g.width * g.height);
  const kx = new Float64Array(2 * g.pad + 1);
  const ky = new Float64Array(2 * g.pad + 1);
  const twoSigma2 = 2 * g.sigmaPx * g.sigmaPx;
  const edge = Math.exp(-(KERNEL_SIGMAS * KERNEL_SIGMAS) / 2);
  for (let c = 0; c < ns.length; c += 1) {
    // Position in pixel-centre coordinates: pixel i's centre is at i.
    const u = ((xs[c] ?? 0) - g.x0) / g.unit - 0.5;
    const v = ((ys[c] ?? 0) - g.y0) / g.unit - 0.5;
    const gain = (ns[c] ?? 0) / (1 - edge);
    // `pad` pixels either side of the nearest pixel: within the image, and symmetric.
    const i0 = Math.max(0, Math.round(u) - g.pad);
    const i1 = Math.min(g.width - 1, Math.round(u) + g.pad);
    const j0 = Math.max(0, Math.round(v) - g.pad);
    const j1 = Math.min(g.height - 1, Math.round(v) + g.pad);
    for (let i = i0; i <= i1; i += 1) kx[i - i0] = Math.exp(-((i - u) ** 2) / twoSigma2);
    for (let j = j0; j <= j1; j += 1) ky[j - j0] = Math.exp(-((j - v) ** 2) / twoSigma2);
    for (let j = j0; j <= j1; j += 1) {
      const w = ky[j - j0] ?? 0;
      if (w <= edge) continue;
      const row = j * g.width;
      for (let i = i0; i <= i1; i += 1) {
        const k = w * (kx[i - i0] ?? 0) - edge;
        if (k > 0) density[row + i] = (density[row + i] ?? 0) + gain * k;
      }
    }
  }
  return density;
}

/**
 * The density at `quantile` of the pixels the kernels reach (not of the empty padding): a
 * histogram finds the bin it is in, and only that bin's values are sorted. Linear time, where
 * sorting a million values would take ~100 ms.
 */
function robustMax(density: Float32Array, quantile: number): number {
  const size = density.length;
  let max = 0;
  for (let p = 0; p < size; p += 1) max = Math.max(max, density[p] ?? 0);
  if (max <= 0) return max;
  const perBin = QUANTILE_BINS / max;
  const top = QUANTILE_BINS - 1;
  const counts = new Uint32Array(QUANTILE_BINS);
  let covered = 0;
  for (let p = 0; p < size; p += 1) {
    const d = density[p] ?? 0;
    if (d <= 0) continue;
    covered += 1;
    const bin = Math.min(top, Math.floor(d * perBin));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  // The rank-th largest value (1 = the maximum), in the bin where the count from the top
  // reaches it.
  const rank = Math.max(1, Math.floor(covered * (1 - quantile)));
  let higher = 0;
  let bin = top;
  while (bin > 0 && higher + (counts[bin] ?? 0) < rank) higher += counts[bin--] ?? 0;
  const inBin = new Float32Array(counts[bin] ?? 0);
  let k = 0;
  for (let p = 0; p < size; p += 1) {
    const d = density[p] ?? 0;
    if (d > 0 && Math.min(top, Math.floor(d * perBin)) === bin) inBin[k++] = d;
  }
  inBin.sort();
  return inBin[inBin.length - (rank - higher)] ?? max;
}

/** [r, g, b, a] bytes for the normalised density 0–1, `RAMP_STEPS + 1` entries. */
function rampTable(): Uint8ClampedArray {
  const stops = HEAT_COLORS.map(hexToRgb);
  const table = new Uint8ClampedArray((RAMP_STEPS + 1) * 4);
  for (let k = 0; k <= RAMP_STEPS; k += 1) {
    const t = k / RAMP_STEPS;
    let rgb = stops[0] ?? [0, 0, 0];
    // Fades in up to the first stop (the old heat map's transparent → first colour).
    let alpha = Math.min(1, t / HEAT_STOPS[0]);
    for (let s = 0; s + 1 < HEAT_STOPS.length; s += 1) {
      const from = HEAT_STOPS[s] ?? 0;
      const to = HEAT_STOPS[s + 1] ?? 1;
      if (t < from || t > to) continue;
      const f = (t - from) / (to - from);
      const a = stops[s] ?? rgb;
      const b = stops[s + 1] ?? rgb;
      rgb = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
      alpha = 1;
      break;
    }
    const opacity = Math.round(255 * alpha);
    // Fully transparent is all zeros, whatever the colour would have been.
    table.set(opacity > 0 ? [rgb[0], rgb[1], rgb[2], opacity] : [0, 0, 0, 0], k * 4);
  }
  return table;
}

let ramp: Uint32Array | null = null;

/** The density as RGBA bytes: one 32-bit write per pixel from the ramp's table. */
function colour(density: Float32Array, scale: number): Uint8ClampedArray<ArrayBuffer> {
  // The table's bytes read as 32-bit words in the platform's byte order, so a pixel is one
  // copy (the image's bytes are written through a view in the same order).
  ramp ??= new Uint32Array(rampTable().buffer);
  const table = ramp;
  const pixels = new Uint32Array(density.length);
  const steps = RAMP_STEPS / scale;
  for (let p = 0; p < density.length; p += 1) {
    const d = density[p] ?? 0;
    if (d > 0) pixels[p] = table[Math.min(RAMP_STEPS, Math.round(d * steps))] ?? 0;
  }
  return new Uint8ClampedArray(pixels.buffer);
}
