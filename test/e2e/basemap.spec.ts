import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { convertPosition } from '../../shared/geo/crs';
import { MAP_COLORS, hexToRgb } from '../../renderer/src/features/map/palette';
import { BASEMAP_LANDMARKS, demoBasemapPmtiles } from '../fixtures/basemap/makePmtiles';
import {
  type TileServer,
  startTileServer,
  tileServerOrigin,
  tileServerPort,
} from '../fixtures/basemap/tileServer';
import { useSharedPage } from './support';

/**
 * The optional basemap (issue 5 item 4) against a real PMTiles archive and a real tile server.
 * Both hand out the same tiles (test/fixtures/basemap): solid magenta, which no map layer uses,
 * with two cyan landmark discs at known WGS-84 points. A screenshot of the map then shows
 * whether the basemap is drawn (magenta), under the grids (grid lines still counted), and where
 * it lies relative to the data: the landmarks' offset from the grid lines' centroid moves by
 * exactly the GCJ-02 shift when the basemap is declared GCJ-02.
 *
 * The tile server listens on a fixed port whose origin the e2e server's CSP allows
 * (`GRIDWORK_TILE_ORIGINS` in playwright.config.ts).
 */
const shared = useSharedPage();
const SHOTS = process.env.GRIDWORK_BASEMAP_SHOTS ?? '/tmp/pw-basemap-shots';
const GRID_RGB = hexToRgb(MAP_COLORS.gridLine);

let pmtilesPath = '';
let foreign: string[] = [];
/** Landmark offsets from the grids measured over the PMTiles basemap (WGS-84). */
let pmtilesOffsets: Point[] = [];

test.beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
  // Written at test time: the archive is made from code, nothing binary is committed.
  pmtilesPath = join(tmpdir(), `gridwork-basemap-${process.pid}.pmtiles`);
  writeFileSync(pmtilesPath, demoBasemapPmtiles());
});
test.afterAll(() => rmSync(pmtilesPath, { force: true }));

type Point = { x: number; y: number };

interface BasemapCensus {
  /** Pixels considered: the canvas right of the layer switcher / legend column. */
  area: number;
  magenta: number;
  grid: number;
  /** Centroid of the grid-line pixels. */
  gridCentre: Point;
  /** Centroids of the cyan landmark discs, west to east. */
  landmarks: Point[];
}

/**
 * Screenshots the map canvas and classifies its pixels in the page (the browser decodes the
 * PNG): magenta-ish basemap, exact grid-line colour, cyan-ish landmarks. Basemap colours are
 * matched loosely: the raster is resampled and grid fills may tint it.
 */
async function census(page: Page): Promise<BasemapCensus> {
  const canvas = page.getByTestId('map-canvas');
  const column = await page.locator('.side-column').boundingBox();
  const box = await canvas.boundingBox();
  if (!column || !box) throw new Error('map not laid out');
  const minX = Math.ceil(column.x + column.width - box.x) + 10;
  const png = await canvas.screenshot();
  return page.evaluate(
    async ({ base64, minX, grid }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(bitmap, 0, 0);
      const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      let magenta = 0;
      let gridCount = 0;
      let gx = 0;
      let gy = 0;
      const cyan: [number, number][] = [];
      for (let y = 0; y < height; y += 1)
        for (let x = minX; x < width; x += 1) {
          const o = (y * width + x) * 4;
          const r = data[o] ?? 0;
          const g = data[o + 1] ?? 0;
          const b = data[o + 2] ?? 0;
          if (r > 200 && g < 60 && b > 200) magenta += 1;
          else if (r < 60 && g > 200 && b > 200) cyan.push([x, y]);
          else if (
            Math.abs(r - grid[0]) <= 4 &&
            Math.abs(g - grid[1]) <= 4 &&
            Math.abs(b - grid[2]) <= 4
          ) {
            gridCount += 1;
            gx += x;
            gy += y;
          }
        }
      // Cyan pixels grouped by distance (a grid line across a disc splits it, this does not).
      const groups: { x: number; y: number; n: number }[] = [];
      for (const [x, y] of cyan) {
        const group = groups.find((g) => (g.x / g.n - x) ** 2 + (g.y / g.n - y) ** 2 < 60 ** 2);
        if (group) {
          group.x += x;
          group.y += y;
          group.n += 1;
        } else groups.push({ x, y, n: 1 });
      }
      return {
        area: (width - minX) * height,
        magenta,
        grid: gridCount,
        gridCentre: { x: gx / Math.max(1, gridCount), y: gy / Math.max(1, gridCount) },
        landmarks: groups
          .filter((g) => g.n >= 100)
          .map((g) => ({ x: g.x / g.n, y: g.y / g.n }))
          .sort((a, b) => a.x - b.x),
      };
    },
    { base64: png.toString('base64'), minX, grid: GRID_RGB },
  );
}

/** Where each landmark lies relative to the grid lines' centroid, in screen pixels. */
function offsets(counted: BasemapCensus): Point[] {
  return counted.landmarks.map((l) => ({
    x: l.x - counted.gridCentre.x,
    y: l.y - counted.gridCentre.y,
  }));
}

async function openSettings(page: Page) {
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('basemap-settings')).toBeVisible();
}

/** Saves the form and waits until this device's setting is what was chosen. */
async function saveBasemap(page: Page, kind: string, crs: string) {
  await page.getByTestId('basemap-save').click();
  await expect(page.getByText('底图设置已保存（仅本机）。').first()).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('gridwork:basemap') ?? '{}')))
    .toMatchObject({ kind, crs });
}

async function openMap(page: Page): Promise<BasemapCensus> {
  await page.getByTestId('nav-map').click();
  const canvas = page.getByTestId('map-canvas');
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 60_000 });
  return census(page);
}

/** A drawn basemap: both landmarks, mostly magenta, and the grids drawn on top of it. */
function expectBasemapDrawn(counted: BasemapCensus) {
  expect(counted.magenta, 'magenta basemap pixels').toBeGreaterThan(counted.area * 0.5);
  expect(counted.grid, 'grid line pixels over the basemap').toBeGreaterThan(1500);
  expect(counted.landmarks, 'landmark discs found').toHaveLength(BASEMAP_LANDMARKS.length);
}

test('a PMTiles file picked in 设置 draws under the grids, read in place with no request', async () => {
  const { page } = shared;
  const origin = new URL(test.info().project.use.baseURL ?? '').origin;
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'))
      foreign.push(url);
  });

  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });

  // Grids only: household and case points would cover the landmarks.
  await page.getByTestId('nav-map').click();
  await expect(page.getByTestId('map-canvas')).toHaveAttribute('data-state', 'idle', {
    timeout: 60_000,
  });
  await page.getByTestId('map-layer-households').click();
  await page.getByTestId('map-layer-cases').click();
  const without = await census(page);
  expect(without.magenta, 'no basemap by default').toBe(0);

  await openSettings(page);
  const form = page.getByTestId('basemap-settings');
  await page.getByTestId('basemap-kind').getByText('本地 PMTiles 文件').click();
  await page.getByTestId('basemap-file').setInputFiles(pmtilesPath);
  await expect(form).toContainText('栅格瓦片（png），缩放级别 12–16');
  await expect(form).toContainText(/pmtiles · \d+ KB ·/);
  await page.getByTestId('basemap-crs').getByText('WGS-84').click();
  await saveBasemap(page, 'pmtiles', 'WGS84');
  await expect(form).toContainText('本次已打开');
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'settings-pmtiles.png') });

  const counted = await openMap(page);
  expectBasemapDrawn(counted);
  pmtilesOffsets = offsets(counted);
  await page.screenshot({ path: join(SHOTS, 'map-pmtiles-wgs84.png') });
  expect(foreign, 'requests outside the app origin').toEqual([]);
});

test('a file that is not PMTiles is refused in 设置 and changes nothing', async () => {
  const { page } = shared;
  await openSettings(page);
  const stored = () => page.evaluate(() => localStorage.getItem('gridwork:basemap'));
  const before = await stored();
  const form = page.getByTestId('basemap-settings');
  await page.getByTestId('basemap-file').setInputFiles({
    name: 'notes.pmtiles',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('这不是底图，只是改了扩展名的会议记录。\n'),
  });
  await expect(page.getByTestId('basemap-problem')).toHaveText('不是有效的 PMTiles 文件。');
  await expect(form).toContainText('本次已打开');
  await expect(form).toContainText('栅格瓦片（png），缩放级别 12–16');
  await page.waitForTimeout(400); // the tag's fade-in, for the screenshot only
  await page.screenshot({ path: join(SHOTS, 'settings-bad-file.png') });
  expect(await stored()).toBe(before);

  // The map still draws the archive picked before.
  const counted = await openMap(page);
  expectBasemapDrawn(counted);
  expect(foreign, 'requests outside the app origin').toEqual([]);
});

test.describe('an intranet tile server', () => {
  let server: TileServer | null = null;
  test.beforeAll(async () => {
    server = await startTileServer();
  });
  test.afterAll(async () => {
    await server?.close();
  });

  test('draws its tiles, in line with the PMTiles file, and shifts the data over GCJ-02 tiles', async () => {
    const { page } = shared;
    if (!server) throw new Error('no tile server');

    // A tile server the web server's CSP does not list: the try-out says so, not "no answer".
    await openSettings(page);
    await page.getByTestId('basemap-kind').getByText('内网瓦片地址').click();
    const unlisted = `http://127.0.0.1:${tileServerPort() + 1}`;
    await page.getByTestId('basemap-url').fill(`${unlisted}/tiles/{z}/{x}/{y}.png`);
    await page.getByTestId('basemap-test').click();
    await expect(page.getByTestId('basemap-test-blocked')).toContainText(
      `${unlisted} 不在其中：请服务器管理员把它加入 GRIDWORK_TILE_ORIGINS`,
    );
    await page.screenshot({ path: join(SHOTS, 'settings-tile-url-not-allowed.png') });

    foreign = [];
    await page.getByTestId('basemap-url').fill(server.template);
    // The try-out tile loads as an <img>: the web CSP's img-src allows the tile origin.
    await page.getByTestId('basemap-test').click();
    await expect(page.getByText('瓦片已加载。')).toBeVisible();
    await page.getByTestId('basemap-crs').getByText('WGS-84').click();
    await saveBasemap(page, 'raster-url', 'WGS84');
    await page.screenshot({ path: join(SHOTS, 'settings-tile-url.png') });

    const before = server.requests.length;
    const wgs = await openMap(page);
    expectBasemapDrawn(wgs);
    expect(server.requests.length - before, 'tiles requested from the server').toBeGreaterThan(3);
    await page.screenshot({ path: join(SHOTS, 'map-tile-url-wgs84.png') });
    // The same tiles from a server and from the file land on the same pixels.
    const wgsOffsets = offsets(wgs);
    wgsOffsets.forEach((o, i) => {
      const p = pmtilesOffsets[i] ?? { x: NaN, y: NaN };
      expect(Math.abs(o.x - p.x), `landmark ${i} x: server vs file`).toBeLessThan(3);
      expect(Math.abs(o.y - p.y), `landmark ${i} y: server vs file`).toBeLessThan(3);
    });

    await openSettings(page);
    await page.getByTestId('basemap-crs').getByText('GCJ-02').click();
    await saveBasemap(page, 'raster-url', 'GCJ02');
    const gcj = await openMap(page);
    expectBasemapDrawn(gcj);
    await page.screenshot({ path: join(SHOTS, 'map-tile-url-gcj02.png') });

    // The screen scale from the two landmarks (same latitude, known longitudes).
    const [west, east] = wgs.landmarks;
    const [l0, l1] = BASEMAP_LANDMARKS;
    if (!west || !east || !l0 || !l1) throw new Error('landmarks missing');
    const pxPerLng = (east.x - west.x) / (l1.lng - l0.lng);
    const pxPerLat = pxPerLng / Math.cos((l0.lat * Math.PI) / 180); // web mercator, locally
    // Data drawn over GCJ-02 tiles moves by the GCJ-02 offset relative to the basemap: east
    // and north, so each landmark's offset from the grids moves west and down on screen.
    const [gcjLng, gcjLat] = convertPosition([l0.lng, l0.lat], 'WGS84', 'GCJ02');
    const expected = { x: -(gcjLng - l0.lng) * pxPerLng, y: (gcjLat - l0.lat) * pxPerLat };
    expect(Math.abs(expected.x), 'a shift big enough to see').toBeGreaterThan(50);
    offsets(gcj).forEach((o, i) => {
      const w = wgsOffsets[i] ?? { x: NaN, y: NaN };
      const moved = { x: o.x - w.x, y: o.y - w.y };
      expect(Math.abs(moved.x - expected.x), `landmark ${i} x moved ${moved.x}`).toBeLessThan(
        Math.max(4, Math.abs(expected.x) * 0.1),
      );
      expect(Math.abs(moved.y - expected.y), `landmark ${i} y moved ${moved.y}`).toBeLessThan(
        Math.max(4, Math.abs(expected.y) * 0.1),
      );
    });

    // Only the tile server was asked for anything outside the app.
    expect(foreign.length).toBeGreaterThan(0);
    expect(foreign.filter((url) => !url.startsWith(`${tileServerOrigin()}/tiles/`))).toEqual([]);
  });
});
