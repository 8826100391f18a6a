import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { readStore, useSharedPage } from './support';

/**
 * 合并 and 关联 of duplicate cases (issue 6 item 1): the duplicate check of 新建 offers both for
 * each suggestion, a merged case points at its main case, whose timeline and relations tell
 * the merge, and linked cases list each other; a case's 相似案件 merge through the merge dialog.
 */
const shared = useSharedPage();
const SHOTS = process.env.GRIDWORK_SHOTS ?? '/tmp/pw-dup-shots';
mkdirSync(SHOTS, { recursive: true });

type BuildingRow = {
  address: string;
  gridCode: string;
  location: [number, number] | null;
  deleted: boolean;
};
type UnitRow = { code: string; name: string; level: string };

/** Where every case of this spec is reported: one building, so each is a duplicate of the others. */
let place: { address: string; gridName: string };
/** The first case reported there (the main case of the first test). */
let firstNo = '';

/** An option of the Element Plus select that is open now. */
function visibleOption(text: string) {
  return shared.page
    .locator('.el-select-dropdown__item:visible')
    .filter({ hasText: new RegExp(`^\\s*(.+ / )?${text}\\s*$`) });
}

/** Fills 新建 with a 垃圾积存清运 request at the building and runs the duplicate check (查重). */
async function fillNewCase(description: string) {
  const { page } = shared;
  await page.getByTestId('case-new').click();
  await page.getByTestId('create-category').click();
  await page.keyboard.type('垃圾积存');
  await visibleOption('垃圾积存清运').click();
  await page.getByTestId('create-address').fill(place.address);
  await page.getByTestId('create-grid').click();
  await page.keyboard.type(place.gridName);
  await visibleOption(place.gridName).first().click();
  await page.getByTestId('create-description').fill(description);
  await page.getByRole('button', { name: '查重' }).click();
  await expect(page.getByTestId('create-duplicates')).toBeVisible();
}

/** The duplicate-check row of a case. */
const suggestion = (caseNo: string) =>
  shared.page.getByTestId('create-duplicate').filter({ hasText: caseNo });

/** A screenshot once the toasts are gone and dialogs have finished opening. */
async function shot(name: string) {
  await expect(shared.page.locator('.el-message')).toHaveCount(0, { timeout: 15_000 });
  await shared.page.waitForTimeout(400);
  await shared.page.screenshot({ path: `${SHOTS}/${name}.png` });
}

async function shownCaseNo(): Promise<string> {
  await expect(shared.page.getByTestId('case-detail')).toBeVisible();
  return (await shared.page.getByTestId('case-detail-no').textContent())?.trim() ?? '';
}

test('merges a new duplicate into the case it repeats, and links another', async () => {
  const { page } = shared;
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });
  const building = (await readStore<BuildingRow>(page, 'buildings')).find(
    (b) => !b.deleted && b.location !== null && b.address.trim() !== '',
  );
  const grid = (await readStore<UnitRow>(page, 'orgUnits')).find(
    (u) => u.code === building?.gridCode,
  );
  if (!building || !grid) throw new Error('the demo has no located building');
  place = { address: building.address, gridName: grid.name };

  await page.goto('/#/cases');
  await expect(page.getByTestId('case-row').first()).toBeVisible();

  // The first case there: whatever the demo already has nearby, create it anyway.
  await fillNewCase('楼下垃圾三天未清运（首次来电）');
  const save = page.getByTestId('create-save');
  if ((await page.getByTestId('create-duplicate').count()) > 0)
    await expect(save).toHaveText('仍然新建');
  await save.click();
  const mainNo = await shownCaseNo();
  firstNo = mainNo;

  // A second call about it: suggested, with 关联 and 合并到此案 beside 仍然新建.
  await fillNewCase('楼下垃圾仍未清运（重复来电）');
  await expect(suggestion(mainNo)).toBeVisible();
  await expect(suggestion(mainNo).getByTestId('create-link')).toBeEnabled();
  await expect(save).toHaveText('仍然新建');
  await shot('duplicate-check');
  await suggestion(mainNo).getByTestId('create-merge').click();

  // The duplicate is closed into the main case and says so.
  await expect(page.getByTestId('case-merged-banner')).toBeVisible();
  const dupNo = await shownCaseNo();
  expect(dupNo).not.toBe(mainNo);
  await expect(page.getByTestId('case-detail-status')).toHaveText('已归档');
  await expect(page.getByTestId('case-merged-main')).toHaveText(mainNo);
  await expect(page.getByTestId('case-ops')).toContainText('当前身份在此状态下没有可办理的操作');
  await shot('merged-banner');
  // The list marks it too.
  await page.getByTestId('case-search').fill(dupNo);
  await expect(page.getByTestId('case-row')).toHaveCount(1);
  await expect(page.getByTestId('case-row').getByTestId('case-merged')).toHaveText('已合并');
  await page.getByTestId('case-search').fill('');

  // The main case: its timeline tells the merge, its relations list the duplicate.
  await page.getByTestId('case-merged-main').click();
  await expect(page.getByTestId('case-detail-no')).toHaveText(mainNo);
  await expect(page.getByTestId('case-timeline')).toContainText(`${dupNo} 并入本案`);
  await expect(page.getByTestId('case-related')).toContainText('已并入本案');
  await expect(page.getByTestId('case-related')).toContainText(dupNo);

  // A third call: the main case is suggested once (the merged duplicate stands for it); link.
  await fillNewCase('同一楼栋垃圾清运不及时（另一诉求人）');
  await expect(suggestion(mainNo)).toHaveCount(1);
  await expect(suggestion(dupNo)).toHaveCount(0);
  await suggestion(mainNo).getByTestId('create-link').click();
  await expect(page.getByTestId('case-related')).toContainText(mainNo);
  const linkedNo = await shownCaseNo();
  await expect(page.getByTestId('case-merged-banner')).toHaveCount(0);
  await expect(page.getByTestId('case-timeline')).toContainText(`关联案件 ${mainNo}`);
  await shot('linked-list');

  // Each shows the other.
  await page.getByTestId('case-related-link').filter({ hasText: mainNo }).click();
  await expect(page.getByTestId('case-detail-no')).toHaveText(mainNo);
  const related = page.getByTestId('case-related-row');
  await expect(related.filter({ hasText: linkedNo })).toContainText('关联');
  await expect(related.filter({ hasText: dupNo })).toContainText('已并入本案');
  await shot('main-relations');

  type Stored = { caseNo: string; status: string; mergedIntoId?: string; links?: string[] };
  const stored = await readStore<Stored & { id: string }>(page, 'cases');
  const byNo = new Map(stored.map((c) => [c.caseNo, c]));
  const main = byNo.get(mainNo);
  expect(byNo.get(dupNo)).toMatchObject({ status: 'archived', mergedIntoId: main?.id });
  expect(main?.links).toEqual([byNo.get(linkedNo)?.id]);
  expect(byNo.get(linkedNo)?.links).toEqual([main?.id]);
});

test('merges a case into a similar one from its 相似案件', async () => {
  const { page } = shared;
  // Created anyway, then merged from the case itself.
  const before = await shownCaseNo();
  await fillNewCase('垃圾桶满溢（第四次来电）');
  const save = page.getByTestId('create-save');
  await save.click();
  // The detail switches to the new case once it is saved.
  await expect(page.getByTestId('case-detail-no')).not.toHaveText(before);
  const fourthNo = await shownCaseNo();
  // The first test's main case is similar (same category and building, received earlier).
  const similar = page.getByTestId('case-similar-row').filter({ hasText: firstNo });
  await expect(similar).toHaveCount(1);
  await similar.getByTestId('similar-merge').click();
  await expect(page.getByTestId('case-merge-form')).toBeVisible();
  await shot('merge-dialog');
  // The main case defaults to the one received first: not this new case.
  const main = page.getByTestId('merge-main').locator('.el-radio.is-checked');
  await expect(main).not.toContainText(fourthNo);
  await expect(main).toContainText(firstNo);
  await page.getByTestId('merge-submit').click();
  await expect(page.getByTestId('case-merged-banner')).toBeVisible();
  await expect(page.getByTestId('case-merged-main')).toHaveText(firstNo);
  await expect(page.getByTestId('case-similar')).toHaveCount(0);
});
