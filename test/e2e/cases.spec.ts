import { expect, test } from '@playwright/test';
import { readStore, useSharedPage } from './support';

const shared = useSharedPage();
const SHOTS = process.env.GRIDWORK_SHOTS ?? '/tmp/pw-cases';

type CaseRow = { id: string; caseNo: string; status: string; category: string; scope: string };
type DeptRow = { id: string; code: string; name: string; kind: string };

/** An option of the Element Plus select that is open now. */
function visibleOption(text: string) {
  return shared.page
    .locator('.el-select-dropdown__item:visible')
    .filter({ hasText: new RegExp(`^\\s*(.+ / )?${text}\\s*$`) });
}

test('lists cases, dispatches one by the rule, signs it, and keeps it after a reload', async () => {
  const { page } = shared;
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });

  // The demo's 权责清单 sends 垃圾积存清运 to the district's sanitation centre (version 2).
  const dept = (await readStore<DeptRow>(page, 'departments')).find((d) => d.code === 'GY-HW');
  if (!dept) throw new Error('the demo has no sanitation centre (GY-HW)');

  await page.goto('/#/cases');
  await expect(page.getByTestId('case-row').first()).toBeVisible();
  await expect(page.getByTestId('case-clock').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/cases-list.png` });

  // 新建: a walk-in request (垃圾积存清运); the first save shows the duplicate check.
  await page.getByTestId('case-new').click();
  await page.getByTestId('create-category').click();
  await page.keyboard.type('垃圾积存');
  await visibleOption('垃圾积存清运').click();
  await page.getByTestId('create-grid').click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('create-description').fill('楼下垃圾三天未清运');
  await page.getByTestId('create-save').click();
  // With no duplicate nearby the first save creates the case; with one, it is shown first.
  if (
    !(await page
      .getByTestId('case-detail')
      .waitFor({ timeout: 5000 })
      .then(
        () => true,
        () => false,
      ))
  ) {
    await page.screenshot({ path: `${SHOTS}/cases-create.png` });
    await page.getByTestId('create-save').click();
  }
  await expect(page.getByTestId('case-detail')).toBeVisible();
  const caseNo = (await page.getByTestId('case-detail-no').textContent()) ?? '';
  const target = (await readStore<CaseRow>(page, 'cases')).find((c) => c.caseNo === caseNo);
  if (!target) throw new Error(`case ${caseNo} is not stored`);

  await page.getByTestId('case-search').fill(target.caseNo);
  await expect(page.getByTestId('case-count')).toHaveText('共 1 件');
  await page.getByTestId('case-row').first().click();
  await expect(page.getByTestId('case-detail-no')).toHaveText(target.caseNo);
  await expect(page.getByTestId('case-detail-status')).toHaveText('已受理');
  const events = page.getByTestId('case-event');
  const before = await events.count();

  await page.getByTestId('case-op-dispatch').click();
  await expect(page.getByTestId('dispatch-proposed-lead')).toContainText(dept.name);
  await expect(page.getByTestId('dispatch-rule')).toContainText('第2版');
  await page.screenshot({ path: `${SHOTS}/cases-dispatch.png` });
  await page.getByTestId('dispatch-submit').click();
  await expect(page.getByTestId('case-detail-status')).toHaveText('已派单');
  await expect(page.getByTestId('case-lead')).toHaveText(dept.name);
  await expect(events).toHaveCount(before + 1);

  // The street may not sign; the lead department's liaison may.
  await expect(page.getByTestId('case-op-sign')).toHaveCount(0);
  await page.getByTestId('case-role').click();
  await visibleOption('部门').click();
  await page.getByTestId('case-role-department').click();
  await visibleOption(dept.name).click();
  await page.getByTestId('case-op-sign').click();
  await page.getByTestId('op-text').fill('已联系诉求人');
  await page.getByTestId('op-text').press('Enter');
  await expect(page.getByTestId('case-detail-status')).toHaveText('已签收');
  await expect(events).toHaveCount(before + 2);
  await expect(page.getByTestId('case-timeline')).toContainText('已联系诉求人');
  await page.screenshot({ path: `${SHOTS}/cases-detail.png` });

  await page.reload();
  await expect(page.getByTestId('case-detail-no')).toHaveText(target.caseNo);
  await expect(page.getByTestId('case-detail-status')).toHaveText('已签收');
  await expect(page.getByTestId('case-event')).toHaveCount(before + 2);
  const stored = (await readStore<CaseRow & { leadDepartmentId: string }>(page, 'cases')).find(
    (c) => c.id === target.id,
  );
  expect(stored).toMatchObject({ status: 'signed', leadDepartmentId: dept.id });
});

test('ranks units by 三率两度 with the formula shown, and drills into the cases', async () => {
  const { page } = shared;
  await page.goto('/#/reports');
  await expect(page.getByTestId('report-formula')).toContainText('满意率 =');
  const firstCount = page.getByTestId('drill-cases').first();
  await expect(firstCount).toBeVisible();
  const n = Number(await firstCount.textContent());
  expect(n).toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}/reports.png` });
  await firstCount.click();
  await expect(page.getByTestId('drill-case')).toHaveCount(n);
  await page.screenshot({ path: `${SHOTS}/reports-drill.png` });
  await page.getByTestId('drill-case').first().click();
  await expect(page.getByTestId('case-detail')).toBeVisible();
});
