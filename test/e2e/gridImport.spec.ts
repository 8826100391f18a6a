import { expect, test } from '@playwright/test';
import { readStore, useSharedPage } from './support';

const shared = useSharedPage();
const SHOTS = process.env.GRIDWORK_SHOTS;

type OrgRow = {
  code: string;
  level: string;
  name: string;
  boundary?: { type: string; coordinates: unknown };
};

async function grids() {
  const rows = await readStore<OrgRow>(shared.page, 'orgUnits');
  return rows.filter((r) => r.level === 'grid').sort((a, b) => a.code.localeCompare(b.code));
}

function collection(features: unknown[]): Buffer {
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
}

async function shot(name: string) {
  if (SHOTS) await shared.page.screenshot({ path: `${SHOTS}/${name}.png` });
}

test('a bad grid file lists every error and imports nothing; a good one replaces the grids', async () => {
  const { page } = shared;
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!/^(http:\/\/127\.0\.0\.1:|data:|blob:)/.test(r.url())) foreign.push(r.url());
  });

  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });
  const before = await grids();
  expect(before.length).toBeGreaterThan(2);
  const [first, second] = before;
  if (!first?.boundary || !second?.boundary) throw new Error('demo grids have no boundary');

  await page.goto('/#/settings');
  await page.getByTestId('grid-import-open').click();
  const dialog = page.getByTestId('grid-import-dialog');
  await expect(dialog.getByTestId('grid-import-street')).toContainText('和平里街道');

  // Bad: an open ring, a duplicate code, a code of another street, no name.
  const ring = (first.boundary.coordinates as number[][][])[0] ?? [];
  const bad = collection([
    {
      type: 'Feature',
      properties: { code: first.code, name: '开口网格' },
      geometry: { type: 'Polygon', coordinates: [ring.slice(0, -1)] },
    },
    { type: 'Feature', properties: { code: second.code, name: 'A' }, geometry: second.boundary },
    { type: 'Feature', properties: { code: second.code, name: 'B' }, geometry: second.boundary },
    { type: 'Feature', properties: { code: '110101001001001' }, geometry: second.boundary },
  ]);
  await dialog
    .getByTestId('grid-import-file')
    .setInputFiles({ name: '网格.geojson', mimeType: 'application/geo+json', buffer: bad });
  await expect(dialog.getByTestId('grid-import-errors')).toBeVisible();
  for (const code of ['ring-open', 'code-duplicate', 'code-other-street', 'name-missing']) {
    await expect(dialog.getByTestId(`grid-issue-${code}`).first()).toBeVisible();
  }
  await expect(dialog.getByTestId('grid-issue-ring-open')).toContainText('第 1 项');
  await expect(dialog.getByTestId('grid-import-submit')).toBeDisabled();
  await shot('grid-import-errors');
  expect(await grids()).toEqual(before);

  // Good: every demo grid again, renamed.
  const renamed = before.map((g, i) => ({
    type: 'Feature',
    properties: { code: g.code, name: `新${i + 1}号网格` },
    geometry: g.boundary,
  }));
  await dialog.getByTestId('grid-import-file').setInputFiles({
    name: '网格.geojson',
    mimeType: 'application/geo+json',
    buffer: collection(renamed),
  });
  await expect(dialog.getByTestId('grid-import-ok')).toBeVisible();
  await expect(dialog.getByTestId('grid-import-ok')).toContainText(`更新 ${before.length} 个`);
  await shot('grid-import-ok');
  await dialog.getByTestId('grid-import-submit').click();
  await expect(dialog.getByTestId('grid-import-done')).toBeVisible();
  const after = await grids();
  expect(after.map((g) => g.name)).toEqual(before.map((_, i) => `新${i + 1}号网格`));
  // Outlines are stored as read, positions rounded to 7 decimals (~1 cm).
  const round = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(round) : typeof value === 'number' ? value.toFixed(7) : value;
  expect(after.map((g) => round(g.boundary?.coordinates))).toEqual(
    before.map((g) => round(g.boundary?.coordinates)),
  );
  await page.keyboard.press('Escape');

  await page.getByTestId('grid-outside-open').click();
  await expect(page.getByTestId('grid-outside-report')).toBeVisible();
  await expect(page.getByTestId('grid-outside-report').getByText('加载中…')).toBeHidden();
  await shot('grid-outside');
  await page.keyboard.press('Escape');

  await page.goto('/#/registry');
  await expect(page.getByTestId('grid-tree').getByText('新1号网格')).toBeVisible();
  expect(foreign).toEqual([]);
});

test('the basemap setting is validated and kept on this device', async () => {
  const { page } = shared;
  await page.goto('/#/settings');
  const section = page.getByTestId('basemap-settings');
  await section.getByText('内网瓦片地址').click();
  await section.getByTestId('basemap-url').fill('ftp://tiles.example/{z}/{x}/{y}.png');
  await section.getByTestId('basemap-save').click();
  await expect(section.getByTestId('basemap-problem')).toContainText('http://');
  await section.getByTestId('basemap-url').fill('http://10.0.0.1/tiles/{z}/{x}.png');
  await section.getByTestId('basemap-save').click();
  await expect(section.getByTestId('basemap-problem')).toContainText('{z}、{x}、{y}');
  await section.getByTestId('basemap-url').fill('http://10.0.0.1/tiles/{z}/{x}/{y}.png');
  await section.getByText('GCJ-02（高德、腾讯等）').click();
  await section.getByTestId('basemap-save').click();
  await expect(section.getByTestId('basemap-problem')).toBeHidden();
  await shot('basemap-raster');
  const stored = await page.evaluate(() => localStorage.getItem('gridwork:basemap'));
  expect(JSON.parse(stored ?? 'null')).toMatchObject({
    kind: 'raster-url',
    url: 'http://10.0.0.1/tiles/{z}/{x}/{y}.png',
    crs: 'GCJ02',
  });

  await page.reload();
  // Element Plus passes data-testid through to the <input> itself.
  await expect(section.getByTestId('basemap-url')).toHaveValue(
    'http://10.0.0.1/tiles/{z}/{x}/{y}.png',
  );
  await section.getByText('本地 PMTiles 文件').click();
  await shot('basemap-pmtiles');
  await section.getByText('无底图').click();
  await section.getByTestId('basemap-save').click();
  expect(await page.evaluate(() => localStorage.getItem('gridwork:basemap'))).toBeNull();
});
