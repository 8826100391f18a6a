import { mkdirSync } from 'node:fs';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import {
  beijing,
  caseStep as step,
  readStore,
  signIn,
  syncNow as syncAll,
  visibleOption as option,
} from './support';

/**
 * 部门报到 from the department's side (issue 6 item 8) and a grid picked on the map narrowing
 * the other lists (issue 5 item 2), against the real server loaded with the demo street.
 *
 * The street (demo-street) blows a whistle summoning the enforcement team (JD-ZFD) to a case led
 * by another unit; the team's liaison (demo-department) signs in, sees only the team's cases
 * under 本部门案件 with the 报到 still owed marked, reports in, signs a dispatched case, starts and
 * resolves it, returns another, and everything syncs without a refusal. Then the street picks a
 * grid on the map and opens that grid's cases and due visits.
 */
test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.GRIDWORK_SHOTS ?? '/tmp/pw-dept-shots';

type CaseRow = {
  id: string;
  caseNo: string;
  status: string;
  deleted: boolean;
  gridCode: string | null;
  leadDepartmentId: string | null;
  coDepartmentIds: string[];
  summons?: { departmentIds: string[]; reported: { departmentId: string }[] }[];
};
type DeptRow = { id: string; code: string; name: string; deleted: boolean };

let street: { context: BrowserContext; page: Page } | null = null;
const streetPage = (): Page => {
  if (!street) throw new Error('the street signs in in the first test');
  return street.page;
};

/** 立即同步, and nothing the server refused. */
async function syncNow(page: Page) {
  await syncAll(page);
  await expect(page.getByTestId('rejection')).toHaveCount(0);
}

const involves = (c: CaseRow, dept: string) =>
  c.leadDepartmentId === dept ||
  c.coDepartmentIds.includes(dept) ||
  (c.summons ?? []).some((w) => w.departmentIds.includes(dept));

/** Opens the case by its number through the list's search box. */
async function openByNo(page: Page, caseNo: string) {
  await page.getByTestId('case-search').fill(caseNo);
  await expect(page.getByTestId('case-count')).toHaveText('共 1 件');
  await page.getByTestId('case-row').first().click();
  await expect(page.getByTestId('case-detail-no')).toHaveText(caseNo);
}

/** 新建 as the street: a walk-in request in the first grid; saved past the duplicate check. */
async function createCase(page: Page, description: string): Promise<CaseRow> {
  await page.goto('/#/cases');
  await page.getByTestId('case-new').click();
  await page.getByTestId('create-category').click();
  await page.keyboard.type('占道经营');
  await page
    .locator('.el-select-dropdown__item:visible')
    .filter({ hasText: /占道经营/ })
    .first()
    .click();
  await page.getByTestId('create-grid').click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('create-description').fill(description);
  await page.getByTestId('create-save').click();
  // With a similar case nearby the first save shows it; the second saves anyway.
  if (!(await page.getByTestId('case-detail').isVisible())) {
    await page
      .getByTestId('case-detail')
      .waitFor({ timeout: 5000 })
      .catch(async () => {
        await page.getByTestId('create-save').click();
      });
  }
  await expect(page.getByTestId('case-detail-status')).toHaveText('已受理');
  const caseNo = (await page.getByTestId('case-detail-no').textContent()) ?? '';
  const created = (await readStore<CaseRow>(page, 'cases')).find((c) => c.caseNo === caseNo);
  if (!created) throw new Error(`case ${caseNo} is not stored`);
  return created;
}

test('a department liaison sees its cases, reports in, signs, starts, resolves and returns', async ({
  browser,
}, testInfo) => {
  mkdirSync(SHOTS, { recursive: true });
  const baseURL = testInfo.project.use.baseURL ?? '';
  street = await signIn(browser, baseURL, 'demo-street');
  const sp = street.page;
  const depts = await readStore<DeptRow>(sp, 'departments');
  const team = depts.find((d) => d.code === 'JD-ZFD' && !d.deleted);
  if (!team) throw new Error('the demo has no JD-ZFD');

  // The street summons the team to a case another unit handles.
  const before = await readStore<CaseRow>(sp, 'cases');
  const summoned = before.find(
    (c) =>
      !c.deleted &&
      ['signed', 'handling'].includes(c.status) &&
      c.leadDepartmentId !== null &&
      !involves(c, team.id),
  );
  if (!summoned) throw new Error('no case of another unit being handled');
  await sp.goto(`/#/cases/${summoned.id}`);
  await expect(sp.getByTestId('case-detail-no')).toHaveText(summoned.caseNo);
  await sp.getByTestId('case-op-whistle').click();
  await sp.getByTestId('op-departments').click();
  await sp.keyboard.type(team.name.slice(0, 4));
  await option(sp, team.name).click();
  // Close the options by clicking outside them (the dialog's title), not Esc (the dialog's).
  await sp.locator('.el-dialog__title').click();
  await expect(sp.locator('.el-select-dropdown:visible')).toHaveCount(0);
  // The date picker does not pass its test id on to the DOM: find it by its label.
  const reportBy = sp.locator('.el-dialog').getByRole('combobox', { name: /报到时限/ });
  await reportBy.fill(beijing(Date.now() + 86_400_000));
  await reportBy.press('Enter');
  await sp.getByTestId('op-text').fill('占道经营需执法队到场');
  await sp.getByTestId('op-submit').click();
  await expect(sp.getByTestId('case-op-form')).toBeHidden();
  await expect(sp.getByTestId(`summons-${team.id}`)).toContainText('未报到');

  // And takes in two requests and dispatches them to the team: one to handle, one to send back.
  const toSign = await createCase(sp, '人行道上有摊贩占道经营');
  const toReturn = await createCase(sp, '小区门口夜间烧烤占道');
  for (const c of [toSign, toReturn]) {
    await sp.goto(`/#/cases/${c.id}`);
    await expect(sp.getByTestId('case-detail-no')).toHaveText(c.caseNo);
    await sp.getByTestId('case-op-dispatch').click();
    await sp.getByTestId('dispatch-lead').click();
    await option(sp, team.name).click();
    await sp.getByTestId('dispatch-reason').fill('占道问题由执法队处置');
    await sp.getByTestId('dispatch-submit').click();
    await expect(sp.getByTestId('case-detail-status')).toHaveText('已派单');
    await expect(sp.getByTestId('case-lead')).toHaveText(team.name);
  }
  await syncNow(sp);

  // The liaison: the screen is the team's, with no role to choose and no intake buttons.
  const liaison = await signIn(browser, baseURL, 'demo-department');
  const page = liaison.page;
  const cases = (await readStore<CaseRow>(page, 'cases')).filter((c) => !c.deleted);
  const mine = cases.filter((c) => involves(c, team.id));
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.length).toBeLessThan(cases.length);
  await page.goto('/#/cases');
  await expect(page.getByTestId('case-title')).toHaveText(`本部门案件 · ${team.name}`);
  await expect(page.getByTestId('case-liaison')).toContainText(team.name);
  await expect(page.getByTestId('case-role')).toHaveCount(0);
  await expect(page.getByTestId('case-new')).toHaveCount(0);
  await expect(page.getByTestId('case-import')).toHaveCount(0);
  await expect(page.getByTestId('case-count')).toHaveText(`共 ${mine.length} 件`);
  await expect(page.getByTestId('case-filter-status')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/department-view.png` });

  // The summoned case is listed, marked 待报到; reporting in clears the mark.
  await page.getByTestId('case-search').fill(summoned.caseNo);
  await expect(page.getByTestId('case-count')).toHaveText('共 1 件');
  await expect(page.getByTestId('case-owed-report-in')).toHaveText('待报到');
  await page.getByTestId('case-row').first().click();
  await expect(page.getByTestId('case-op-sign')).toHaveCount(0);
  await step(page, 'report-in', '执法队已到场');
  await expect(page.getByTestId(`summons-${team.id}`)).toContainText('已报到');
  await expect(page.getByTestId('case-owed-report-in')).toHaveCount(0);
  // Selecting cases keeps the search and the list; clear it for the next steps.
  await page.getByTestId('case-search').fill('');

  // The team's dispatched cases (the two just dispatched among them): sign, start, resolve one.
  await page.getByTestId('case-filter-status').click();
  await option(page, '已派单').click();
  await expect(page.getByTestId('case-count')).toHaveText(
    `共 ${mine.filter((c) => c.status === 'dispatched').length} 件`,
  );
  await page.screenshot({ path: `${SHOTS}/department-dispatched.png` });
  await openByNo(page, toSign.caseNo);
  await expect(page.getByTestId('case-detail-status')).toHaveText('已派单');
  await step(page, 'sign', '已联系诉求人');
  await expect(page.getByTestId('case-detail-status')).toHaveText('已签收');
  await step(page, 'start');
  await expect(page.getByTestId('case-detail-status')).toHaveText('处置中');
  await step(page, 'resolve', '已现场整改完毕');
  await expect(page.getByTestId('case-detail-status')).toHaveText('已办结');
  await page.screenshot({ path: `${SHOTS}/department-resolved.png` });

  // The other goes back to the street, and only with a reason.
  await openByNo(page, toReturn.caseNo);
  await page.getByTestId('case-op-return').click();
  await page.getByTestId('op-submit').click();
  await expect(page.getByTestId('op-error')).toBeVisible();
  await page.getByTestId('op-text').fill('非本单位职责，请改派');
  await page.getByTestId('op-submit').click();
  await expect(page.getByTestId('case-op-form')).toBeHidden();
  await expect(page.getByTestId('case-detail-status')).toHaveText('已退单');

  // The server takes every step from the liaison (a refusal would show as a rejection).
  await syncNow(page);
  const after = await readStore<CaseRow>(page, 'cases');
  expect(after.find((c) => c.id === toSign.id)?.status).toBe('resolved');
  expect(after.find((c) => c.id === toReturn.id)?.status).toBe('returned');
  await liaison.context.close();

  // The street sees the report-in and the resolution after its next sync.
  await syncNow(sp);
  await sp.goto(`/#/cases/${summoned.id}`);
  await expect(sp.getByTestId(`summons-${team.id}`)).toContainText('已报到');
  await sp.goto(`/#/cases/${toSign.id}`);
  await expect(sp.getByTestId('case-detail-status')).toHaveText('已办结');
  await sp.goto(`/#/cases/${toReturn.id}`);
  await expect(sp.getByTestId('case-detail-status')).toHaveText('已退单');
});

test('a grid picked on the map narrows the cases and the visits, until its chip is cleared', async () => {
  const page = streetPage();
  await page.goto('/#/map');
  const canvas = page.getByTestId('map-canvas');
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 60_000 });
  await page.getByTestId('map-fit').click();
  await page.getByTestId('map-layer-households').click();
  await page.getByTestId('map-layer-cases').click();
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
  const box = await canvas.boundingBox();
  if (!box) throw new Error('map not laid out');
  await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
  const panel = page.getByTestId('map-panel');
  await expect(panel).toHaveAttribute('data-kind', 'grid');
  const gridName = ((await page.getByTestId('map-panel-grid-name').textContent()) ?? '').trim();

  await page.getByTestId('map-panel-grid-cases').click();
  await expect(page).toHaveURL(/#\/cases\?grid=\d{15}$/);
  const code = new URL(page.url().replace('#/', '')).searchParams.get('grid') ?? '';
  const cases = (await readStore<CaseRow>(page, 'cases')).filter((c) => !c.deleted);
  const inGrid = cases.filter((c) => c.gridCode === code);
  expect(inGrid.length).toBeGreaterThan(0);
  await expect(page.getByTestId('grid-chip')).toHaveText(`网格：${gridName}`);
  await expect(page.getByTestId('case-count')).toHaveText(`共 ${inGrid.length} 件`);
  await page.screenshot({ path: `${SHOTS}/cases-grid.png` });

  // Opening a case keeps the grid.
  await page.getByTestId('case-row').first().click();
  await expect(page.getByTestId('case-detail')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/cases/[0-9a-f-]{36}\\?grid=${code}$`));
  await expect(page.getByTestId('grid-chip')).toBeVisible();
  await expect(page.getByTestId('case-count')).toHaveText(`共 ${inGrid.length} 件`);

  // Clearing the chip lists every case again and keeps the case open.
  await page.getByTestId('grid-chip').locator('.el-tag__close').click();
  await expect(page.getByTestId('grid-chip')).toHaveCount(0);
  await expect(page).not.toHaveURL(/grid=/);
  await expect(page.getByTestId('case-count')).toHaveText(`共 ${cases.length} 件`);
  await expect(page.getByTestId('case-detail')).toBeVisible();

  // The same grid's due visits.
  await page.goto('/#/map');
  await expect(canvas).toHaveAttribute('data-state', 'idle', { timeout: 60_000 });
  await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
  await expect(page.getByTestId('map-panel-grid-name')).toHaveText(gridName);
  await page.getByTestId('map-panel-grid-visits').click();
  await expect(page).toHaveURL(new RegExp(`#/visits\\?grid=${code}$`));
  await expect(page.getByTestId('grid-chip')).toHaveText(`网格：${gridName}`);
  const households = await readStore<{ address: string; gridCode: string }>(page, 'households');
  const gridOf = new Map(households.map((h) => [h.address, h.gridCode]));
  const shown = await page.getByTestId('due-address').allTextContents();
  for (const address of shown) expect(gridOf.get(address), address).toBe(code);
  const narrowed = shown.length;
  await page.screenshot({ path: `${SHOTS}/visits-grid.png` });
  await page.getByTestId('grid-chip').locator('.el-tag__close').click();
  await expect(page.getByTestId('grid-chip')).toHaveCount(0);
  await expect(page.getByTestId('due-address').first()).toBeVisible();
  expect((await page.getByTestId('due-address').allTextContents()).length).toBeGreaterThan(
    narrowed,
  );
  await street?.context.close();
  street = null;
});
