import { expect, test, type Locator } from '@playwright/test';
import { readStore, useSharedPage } from './support';

/**
 * Registry editing: create a building (a wrong field first), move a household into it, move
 * one of its residents to another household; after a reload the registry and IndexedDB agree.
 */
const shared = useSharedPage();

type Row = Record<string, unknown> & { id: string };
const COMPOUND = '测试小区';
const NAME = '99号楼';
const ADDRESS = `${COMPOUND}${NAME}`;

/** Scrolls a windowed list until a row with `text` exists, and returns that row. */
async function rowOf(list: Locator, text: string): Promise<Locator> {
  const row = list.locator('[role="option"]').filter({ hasText: text });
  for (let step = 0; step < 200 && (await row.count()) === 0; step++) {
    await list.evaluate((el) => (el.scrollTop += el.clientHeight / 2));
  }
  return row.first();
}

/** Picks the option labelled exactly `text` of an Element Plus select (typing filters it). */
async function pick(select: Locator, text: string) {
  await select.click();
  await select.page().keyboard.type(text);
  const exact = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await select
    .page()
    .locator('.el-select-dropdown__item:visible:not(.is-disabled)')
    .filter({ hasText: exact })
    .first()
    .click();
}

test('creates a building, moves a household into it and one of its residents out', async () => {
  const { page } = shared;
  // Closed dialogs stay in the page, hidden: act on the one that is open.
  const open = () => page.locator('.el-dialog:visible');
  const shot = (name: string) => page.screenshot({ path: test.info().outputPath(name) });
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });
  const grid = page.locator('[data-testid^="grid-1101010100"]').first();
  const gridCode = ((await grid.getAttribute('data-testid')) ?? '').replace('grid-', '');
  await grid.click();

  // A new building: a missing name is explained in place, nothing is saved.
  const buildings = page.getByTestId('building-list');
  await page.getByTestId('building-new').click();
  const form = page.getByTestId('building-form');
  await expect(page.getByTestId('building-lng').locator('input')).not.toHaveValue(''); // the grid's centre
  await page.getByTestId('building-compound').fill(COMPOUND);
  await page.getByTestId('building-compound').press('Enter');
  await expect(form).toContainText('请填写楼栋名称');
  await shot('building-dialog-error.png');
  await page.getByTestId('building-name').fill(NAME);
  await expect(page.getByTestId('building-address')).toHaveValue(ADDRESS);
  await page.getByTestId('building-units').locator('input').fill('2');
  await shot('building-dialog.png');
  await page.getByTestId('building-name').press('Enter');
  await expect(form).toBeHidden();
  await expect(await rowOf(buildings, COMPOUND)).toHaveClass(/active/);
  // Editing it shows its change history: the creation just made.
  await (await rowOf(buildings, COMPOUND)).getByTestId('building-actions').click();
  await page.getByTestId('building-edit').locator('visible=true').click();
  await expect(form).toBeVisible();
  await page
    .getByTestId('building-history')
    .locator('[data-testid="record-history-toggle"]')
    .click();
  await expect(page.getByTestId('record-history-entry')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();

  // A household of the grid with at least two members, and a household of a third building.
  const people = await readStore<Row>(page, 'residents');
  const homes = (await readStore<Row>(page, 'households')).filter((h) => h.gridCode === gridCode);
  const size = (h: Row) => people.filter((r) => r.householdId === h.id && !r.deleted).length;
  const source = homes.find((h) => size(h) >= 2);
  const destination = homes.find((h) => h.buildingId !== source?.buildingId);
  const destinationBuilding = (await readStore<Row>(page, 'buildings')).find(
    (b) => b.id === destination?.buildingId,
  );
  if (!source || !destination || !destinationBuilding) throw new Error('demo data too small');
  const members = size(source);
  const roomLabel = destination.unit ? `${String(destination.unit)}单元 ` : '';

  const detail = page.getByTestId('household-detail');
  await page.getByTestId('registry-search').fill(String(source.address));
  await page.getByTestId('search-results').locator('[role="option"]').first().click();
  await expect(page.getByTestId('household-address')).toHaveText(String(source.address));
  await page.getByTestId('registry-search').fill('');

  await page.getByTestId('household-move').click();
  await pick(open().getByTestId('move-building'), ADDRESS);
  await open().getByTestId('move-unit').fill('1');
  await open().getByTestId('move-room').fill('101');
  await shot('move-household-dialog.png');
  await open().getByTestId('move-confirm').click();
  await expect(page.getByTestId('household-address')).toHaveText(`${ADDRESS}1单元101`);
  await expect(detail.getByTestId('member')).toHaveCount(members);

  // Its first member moves to a household of another building, as 其他.
  const mover = (await detail.getByTestId('member-name').first().textContent()) ?? '';
  await detail.getByTestId('member-move').first().click();
  await pick(open().getByTestId('move-building'), String(destinationBuilding.address));
  await pick(open().getByTestId('move-household'), `${roomLabel}${String(destination.room)}`);
  await pick(open().getByTestId('move-relation'), '其他');
  await shot('move-resident-dialog.png');
  await open().getByTestId('move-confirm').click();
  await expect(page.getByText(`已将 ${mover} 迁入`)).toBeVisible();
  await expect(detail.getByTestId('member')).toHaveCount(members - 1);

  // After a reload: the registry shows the same, and IndexedDB holds it with outbox entries.
  await page.reload();
  await page.getByTestId('registry-search').fill(`${ADDRESS}1单元101`);
  await page.getByTestId('search-results').locator('[role="option"]').first().click();
  await expect(page.getByTestId('household-address')).toHaveText(`${ADDRESS}1单元101`);
  await expect(detail.getByTestId('member')).toHaveCount(members - 1);
  await expect(detail.getByTestId('member-name').filter({ hasText: mover })).toHaveCount(0);

  const building = (await readStore<Row>(page, 'buildings')).find((b) => b.address === ADDRESS);
  expect(building).toMatchObject({ gridCode, scope: gridCode, units: 2, kind: 'residential' });
  const households = await readStore<Row>(page, 'households');
  const moved = households.find((h) => h.address === `${ADDRESS}1单元101`);
  expect(moved).toMatchObject({ buildingId: building?.id, gridCode, location: building?.location });
  const residents = await readStore<Row>(page, 'residents');
  const left = residents.filter((r) => r.householdId === moved?.id && !r.deleted);
  expect(left).toHaveLength(members - 1);
  const arrived = residents.find((r) => r.name === mover && r.householdId === destination.id);
  expect(arrived).toMatchObject({ relation: 'other', gridCode: destination.gridCode });
  expect(moved?.headResidentId).not.toBe(arrived?.id);

  const outbox = await readStore<{ table: string; recordId: string }>(page, 'outbox');
  for (const [table, id] of [
    ['buildings', building?.id],
    ['households', moved?.id],
    ['residents', arrived?.id],
  ])
    expect(outbox.some((e) => e.table === table && e.recordId === id)).toBe(true);
});
