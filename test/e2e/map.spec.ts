import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  CASE_OVERDUE_COLOR,
  CASE_STATUS_COLORS,
  MAP_COLORS,
  hexToRgb,
} from '../../renderer/src/features/map/palette';
import { readStore, useSharedPage } from './support';

const SHOTS = process.env.GRIDWORK_SHOTS ?? '/tmp/pw-map-shots';

/**
 * The offline map (issue 5): with the demo street loaded, the map draws the grid polygons and
 * the case points — counted by their palette colours in a screenshot, since a map whose worker
 * never started still paints its background — a click on a case opens it in the side panel, a
 * household found by address opens too, and the page never asks anything of another origin.
 */
const shared = useSharedPage();
test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

/** Colours to count: a name and its RGB. */
type Swatch = { name: string; rgb: [number, number, number] };
const CASE_SWATCHES: Swatch[] = [
  ...Object.entries(CASE_STATUS_COLORS).map(([name, hex]) => ({ name, rgb: hexToRgb(hex) })),
  { name: 'overdue', rgb: hexToRgb(CASE_OVERDUE_COLOR) },
];
const GRID_SWATCH: Swatch = { name: 'grid', rgb: hexToRgb(MAP_COLORS.gridLine) };

interface PixelCensus {
  width: number;
  height: number;
  counts: Record<string, number>;
  /** A point well inside a case circle, with that circle's colour name. */
  caseTarget: { x: number; y: number; name: string } | null;
}

/**
 * Screenshots the map canvas and counts pixels of each swatch (±4 per channel) in the page
 * (the browser decodes the PNG, so no image library is needed here).
 */
async function census(page: Page, swatches: Swatch[], minX: number): Promise<PixelCensus> {
  const png = await page.getByTestId('map-canvas').screenshot();
  return page.evaluate(
    async ({ base64, swatches, minX }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(bitmap, 0, 0);
      const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      const match = (offset: number): number => {
        for (let s = 0; s < swatches.length; s += 1) {
          const rgb = swatches[s]?.rgb ?? [0, 0, 0];
          if (
            Math.abs((data[offset] ?? 0) - rgb[0]) <= 4 &&
            Math.abs((data[offset + 1] ?? 0) - rgb[1]) <= 4 &&
            Math.abs((data[offset + 2] ?? 0) - rgb[2]) <= 4
          )
            return s;
        }
        return -1;
      };
      const counts: Record<string, number> = {};
      const index = new Int16Array(width * height).fill(-1);
      for (let p = 0; p < width * height; p += 1) {
        const s = match(p * 4);
        index[p] = s;
        const name = swatches[s]?.name;
        if (name) counts[name] = (counts[name] ?? 0) + 1;
      }
      const isCase = (s: number) => s >= 0 && swatches[s]?.name !== 'grid';
      let caseTarget: { x: number; y: number; name: string } | null = null;
      // A pixel inside a case circle: its 5×5 surroundings are all that circle's colour.
      rows: for (let y = 8; y < height - 8; y += 1)
        pixels: for (let x = Math.max(8, minX); x < width - 8; x += 1) {
          const s = index[y * width + x] ?? -1;
          if (!isCase(s)) continue;
          for (let dy = -2; dy <= 2; dy += 1)
            for (let dx = -2; dx <= 2; dx += 1)
              if (index[(y + dy) * width + x + dx] !== s) continue pixels;
          caseTarget = { x, y, name: swatches[s]?.name ?? '' };
          break rows;
        }
      return { width, height, counts, caseTarget };
    },
    { base64: png.toString('base64'), swatches, minX },
  );
}

/**
 * Pixels the heat map warms: compared with a screenshot of the same view without it, the red
 * channel gained on the blue by more than 20 (every colour of the heat ramp is warm, and drawn
 * over the map at 75 %). Only right of `minX`, as `census`.
 */
async function heatPixels(page: Page, without: Buffer, minX: number): Promise<number> {
  const png = await page.getByTestId('map-canvas').screenshot();
  return page.evaluate(
    async ({ images, minX }) => {
      const decode = async (base64: string) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d context');
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [on, off] = await Promise.all(images.map(decode));
      if (!on || !off || on.width !== off.width || on.height !== off.height)
        throw new Error('screenshots differ in size');
      let warmed = 0;
      for (let y = 0; y < on.height; y += 1)
        for (let x = minX; x < on.width; x += 1) {
          const o = (y * on.width + x) * 4;
          const warmth = (d: Uint8ClampedArray) => (d[o] ?? 0) - (d[o + 2] ?? 0);
          if (warmth(on.data) - warmth(off.data) > 20) warmed += 1;
        }
      return warmed;
    },
    { images: [png.toString('base64'), without.toString('base64')], minX },
  );
}

/** Picks a time window of the case filters (`近 7 天`, `全部`, …). */
async function chooseWindow(page: Page, label: string): Promise<void> {
  await page.getByTestId('map-window').click();
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: label }).click();
}

const STATUS_LABELS: Record<string, string> = {
  received: '已受理',
  dispatched: '已派单',
  signed: '已签收',
  handling: '处置中',
  resolved: '已办结',
  'followed-up': '已回访',
  archived: '已归档',
  returned: '已退单',
};

test('draws grids and cases offline, opens a clicked case, finds a household and visits it, selects a grid', async () => {
  const { page } = shared;
  const origin = new URL(test.info().project.use.baseURL ?? '').origin;
  const foreign: string[] = [];
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

  await page.getByTestId('nav-map').click();
  const canvas = page.getByTestId('map-canvas');
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 60_000 });
  // The legend and the layer switcher are there, and the boundaries are marked 示意.
  await expect(page.getByTestId('map-layers')).toBeVisible();
  await expect(page.getByTestId('map-legend')).toContainText('示意');

  // Pixels right of the layer switcher / legend column only: those cards cover the canvas.
  const column = await page.locator('.side-column').boundingBox();
  const canvasBox = await canvas.boundingBox();
  if (!column || !canvasBox) throw new Error('map not laid out');
  const minX = Math.ceil(column.x + column.width - canvasBox.x) + 10;

  const counted = await census(page, [GRID_SWATCH, ...CASE_SWATCHES], minX);
  const casePixels = CASE_SWATCHES.reduce((sum, s) => sum + (counted.counts[s.name] ?? 0), 0);
  expect(counted.counts.grid ?? 0, 'grid outline pixels').toBeGreaterThan(1500);
  expect(casePixels, 'case point pixels').toBeGreaterThan(200);

  // Click the case found in the screenshot: the side panel shows that case.
  const target = counted.caseTarget;
  if (!target) throw new Error('no clickable case point found in the screenshot');
  await canvas.click({ position: { x: target.x, y: target.y } });
  const panel = page.getByTestId('map-panel');
  await expect(panel).toHaveAttribute('data-kind', 'case');
  const caseNo = (await page.getByTestId('map-panel-case-no').textContent())?.trim() ?? '';
  const cases = await readStore<{ id: string; caseNo: string; status: string }>(page, 'cases');
  const record = cases.find((c) => c.caseNo === caseNo);
  expect(record, `case ${caseNo} is in the local database`).toBeTruthy();
  if (target.name === 'overdue') await expect(panel).toContainText('已超期');
  else
    await expect(page.getByTestId('map-panel-case-status')).toHaveText(
      STATUS_LABELS[target.name] ?? '?',
    );

  // Esc closes the panel.
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  // The same case opens in 接诉即办 (`/cases/:id`), and the map is back as it was.
  await canvas.click({ position: { x: target.x, y: target.y } });
  await expect(page.getByTestId('map-panel-case-no')).toHaveText(caseNo);
  await page.getByTestId('map-panel-open-case').click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${record?.id ?? 'none'}$`));
  await expect(page.getByText(caseNo).first()).toBeVisible();
  await page.getByTestId('nav-map').click();
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 60_000 });

  // Search a household by address and open it.
  const households = await readStore<{ id: string; address: string; deleted: boolean }>(
    page,
    'households',
  );
  const household = households.find((h) => !h.deleted);
  if (!household) throw new Error('no household in the demo data');
  await page.getByTestId('map-search').fill(household.address);
  await page.getByTestId('map-search-hit-household').first().click();
  await expect(panel).toHaveAttribute('data-kind', 'household');
  await expect(page.getByTestId('map-panel-address')).toHaveText(household.address);
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });

  // A visit started from the household's panel is recorded for that household.
  await page.getByTestId('map-panel-visit').click();
  const form = page.getByTestId('visit-form');
  await expect(form).toContainText(household.address);
  await page.getByTestId('visit-findings').fill('地图上发起的走访');
  await page.getByTestId('visit-save').click();
  await expect(form).toBeHidden();
  const visits = await readStore<{ householdId: string; findings: string }>(page, 'visits');
  const visit = visits.find((v) => v.findings === '地图上发起的走访');
  expect(visit?.householdId).toBe(household.id);

  // With the point layers off, a click inside the map picks the grid there; 人房户 follows it.
  await page.keyboard.press('Escape');
  await page.getByTestId('map-fit').click();
  await page.getByTestId('map-layer-households').click();
  await page.getByTestId('map-layer-cases').click();
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });

  // 诉求热力图: switched on, it is drawn by the time the map is idle (it waits for the other
  // sources, never for longer); a narrower time window draws it again over fewer cases.
  const withoutHeat = await canvas.screenshot();
  await page.getByTestId('map-layer-heat').click();
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
  const heat90 = await heatPixels(page, withoutHeat, minX);
  await canvas.screenshot({ path: join(SHOTS, 'map-heat-90-days.png') });
  await chooseWindow(page, '近 7 天');
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
  const heat7 = await heatPixels(page, withoutHeat, minX);
  await canvas.screenshot({ path: join(SHOTS, 'map-heat-7-days.png') });
  expect(heat90, 'heat pixels, 90 days').toBeGreaterThan(5000);
  expect(heat7, 'heat pixels, 7 days').toBeGreaterThan(0);
  expect(heat7, 'heat pixels, 7 days').toBeLessThan(heat90);
  await chooseWindow(page, '近 90 天');
  await page.getByTestId('map-layer-heat').click();
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
  const grids = await readStore<{ name: string; level: string }>(page, 'orgUnits');
  const gridNames = grids.filter((g) => g.level === 'grid').map((g) => g.name);
  await canvas.click({ position: { x: canvasBox.width / 2, y: canvasBox.height / 2 } });
  await expect(panel).toHaveAttribute('data-kind', 'grid');
  const gridName = (await page.getByTestId('map-panel-grid-name').textContent()) ?? '';
  expect(gridNames).toContain(gridName);

  // The grid's boundary opens in the editor on the map; a rename saves through the same checks.
  await page.getByTestId('map-panel-edit-grid').click();
  const editor = page.getByTestId('grid-edit-panel');
  await expect(editor).toBeVisible();
  const renamed = `${gridName}（边界已核）`;
  await page.getByTestId('grid-edit-name').fill(renamed);
  await page.getByTestId('grid-edit-save').click();
  await expect(editor).toBeHidden();
  const after = await readStore<{ name: string; level: string }>(page, 'orgUnits');
  expect(after.filter((g) => g.level === 'grid').map((g) => g.name)).toContain(renamed);

  // The map redraws the grid from the saved record (its source updates in MapLibre's worker).
  await expect(async () => {
    await canvas.click({ position: { x: canvasBox.width / 2, y: canvasBox.height / 2 } });
    await expect(page.getByTestId('map-panel-grid-name')).toHaveText(renamed, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  // A new grid is drawn from a grid's panel in the same street; cancelling leaves nothing.
  await page.getByTestId('map-panel-draw-grid').click();
  await expect(editor).toBeVisible();
  await expect(page.getByTestId('grid-edit-code')).toBeEnabled();
  await editor.getByRole('button', { name: '取消' }).click();
  await expect(editor).toBeHidden();
  expect((await readStore<{ level: string }>(page, 'orgUnits')).length).toBe(after.length);
  await page.getByTestId('nav-registry').click();
  await expect(page.getByTestId('grid-tree').locator('.is-current')).toContainText(renamed);

  expect(foreign, 'requests outside the app origin').toEqual([]);
});
