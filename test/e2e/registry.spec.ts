import { expect, test } from '@playwright/test';
import { PNG, readStore, useSharedPage } from './support';

const shared = useSharedPage();

/** Reads one resident with a unique ID tail and its household straight from IndexedDB. */
async function pickResident() {
  type Row = {
    id: string;
    name: string;
    idNumber: string | null;
    householdId: string;
    address?: string;
  };
  const residents = await readStore<Row>(shared.page, 'residents');
  const tails = new Map<string, number>();
  for (const r of residents)
    if (r.idNumber) tails.set(r.idNumber.slice(-4), (tails.get(r.idNumber.slice(-4)) ?? 0) + 1);
  const resident = residents.find(
    (r) =>
      r.idNumber &&
      tails.get(r.idNumber.slice(-4)) === 1 &&
      r.idNumber.slice(-4) !== r.idNumber.slice(-8, -4),
  );
  const household = (await readStore<Row>(shared.page, 'households')).find(
    (h) => h.id === resident?.householdId,
  );
  if (!resident?.idNumber || !household?.address)
    throw new Error('no resident with a unique ID tail in the demo data');
  return {
    name: resident.name,
    tail: resident.idNumber.slice(-4),
    address: household.address,
    total: residents.length,
  };
}

test('loads the demo street, finds a resident by ID tail, and keeps everything after a reload', async () => {
  const { page } = shared;
  const foreignRequests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (request) => {
    if (
      !request.url().startsWith('http://127.0.0.1:') &&
      !request.url().startsWith('data:') &&
      !request.url().startsWith('blob:')
    )
      foreignRequests.push(request.url());
  });
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on(
    'response',
    (response) =>
      response.status() >= 400 && consoleErrors.push(`${response.status()} ${response.url()}`),
  );

  await page.goto('/');
  await expect(page.getByText('本机还没有数据')).toBeVisible();
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText('和平里街道')).toBeVisible();

  const target = await pickResident();
  expect(target.total).toBeGreaterThan(3000);

  // Element Plus passes data-testid through to the <input> itself.
  const search = page.getByTestId('registry-search');
  await search.fill(target.tail);
  const hit = page.getByTestId('search-results').getByText(target.name, { exact: true });
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(page.getByTestId('household-address')).toHaveText(target.address);
  await expect(
    page
      .getByTestId('household-detail')
      .getByTestId('member-name')
      .filter({ hasText: target.name }),
  ).toBeVisible();
  // Lists show ID numbers masked: first 6 and last 4 only.
  await expect(page.getByTestId('household-detail').getByTestId('member-id').first()).toHaveText(
    /^\d{6}\*{8}[\dX]{4}$/,
  );
  await page.screenshot({ path: 'test-results/registry-search.png' });

  await page.reload();
  await expect(page.getByTestId('grid-tree')).toBeVisible();
  await expect(page.getByText('本机还没有数据')).toHaveCount(0);
  await search.fill(target.tail);
  await page.getByTestId('search-results').getByText(target.name, { exact: true }).click();
  await expect(page.getByTestId('household-address')).toHaveText(target.address);

  expect(foreignRequests).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test('browses grid → building → household and switches to English', async () => {
  const { page } = shared;
  await page.goto('/');
  await expect(page.getByTestId('grid-tree')).toBeVisible();
  const firstGrid = page.locator('[data-testid^="grid-1101010100"]').first();
  await firstGrid.click();
  await page.getByTestId('building-list').locator('[role="option"]').first().click();
  await page.getByTestId('household-list').locator('[role="option"]').first().click();
  await expect(page.getByTestId('household-detail')).toBeVisible();

  await page.getByRole('tab', { name: '居民名册' }).click();
  await expect(page.getByTestId('roster-count')).toHaveText(/\d+ 位居民/);

  await page.locator('.nav-footer .el-select').click();
  await page.getByRole('option', { name: 'English' }).click();
  await expect(page.getByTestId('nav-registry')).toHaveText(/People & homes/);
  await page.getByTestId('nav-cases').click();
  await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
});

test('adds a member: a wrong ID check digit is explained and nothing is saved; delete can be undone', async () => {
  const { page } = shared;
  await page.locator('.nav-footer .el-select').click();
  await page.getByRole('option', { name: '简体中文' }).click();
  await page.getByTestId('nav-registry').click();
  await page.locator('[data-testid^="grid-1101010100"]').first().click();
  await page.getByTestId('building-list').locator('[role="option"]').first().click();
  await page.getByTestId('household-list').locator('[role="option"]').first().click();
  const detail = page.getByTestId('household-detail');
  const before = await detail.getByTestId('member').count();

  await page.getByTestId('member-add').click();
  await page.getByTestId('resident-name').fill('测试居民');
  await page.getByTestId('resident-id').fill('110105194912310021'); // check digit should be X
  await page.getByTestId('resident-save').click();
  await expect(page.getByTestId('resident-form')).toContainText('校验位不对');
  await expect(detail.getByTestId('member')).toHaveCount(before);

  await page.getByTestId('resident-id').fill('11010519491231002X');
  await page.getByTestId('resident-phone').fill('13812341234');
  await page.getByTestId('resident-id').press('Enter');
  await expect(detail.getByTestId('member-name').filter({ hasText: '测试居民' })).toBeVisible();
  await expect(detail.getByTestId('member')).toHaveCount(before + 1);

  const added = detail.getByTestId('member').filter({ hasText: '测试居民' });
  await expect(added.getByTestId('member-id')).toHaveText('110105********002X');
  await added.getByTestId('reveal-id').click(); // one click, and an audit event is written
  await expect(added.getByTestId('member-id')).toHaveText('11010519491231002X');
  await added.getByTestId('member-delete').click();
  await expect(detail.getByTestId('member')).toHaveCount(before);
  await page.getByTestId('undo').click();
  await expect(detail.getByTestId('member')).toHaveCount(before + 1);
  await page.screenshot({ path: 'test-results/registry-member-added.png' });
});

test('reports a patrol event as a case in a few steps', async () => {
  const { page } = shared;
  await page.getByTestId('patrol-new').click();
  // The matter picker is filterable: typing part of a name is the quick way in.
  const picker = page.locator('.el-dialog .el-cascader');
  await picker.click();
  await picker.locator('input').first().fill('垃圾积存');
  await page.locator('.el-cascader__suggestion-item').first().click();
  await page.getByTestId('patrol-description').fill('楼道堆放杂物，堵塞消防通道');
  await page.getByTestId('patrol-photos').setInputFiles({
    name: 'p.png',
    mimeType: 'image/png',
    buffer: PNG,
  });
  await page.getByTestId('patrol-save').click();
  await expect(page.getByText(/已上报，案件编号 XC\d{8}-[0-9A-F]{6}/)).toBeVisible();
  const stored = (
    await readStore<{ source: string; description: string; status: string }>(page, 'cases')
  ).filter((c) => c.description === '楼道堆放杂物，堵塞消防通道');
  expect(stored).toEqual([expect.objectContaining({ source: 'patrol', status: 'received' })]);
});
