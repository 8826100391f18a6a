import { expect, test, type Page } from '@playwright/test';
import {
  beijing,
  caseStep,
  readStore,
  signIn,
  syncNow,
  useSharedPage,
  visibleOption,
} from './support';

/**
 * Issue 6's whole loop on one case, as the street office, the departments and the follow-up desk
 * work it in the app: a 12345 work order imported → dispatched by the 权责清单 rule (the rule
 * shown) → returned with a reason → re-dispatched → a whistle summons two departments, both
 * report in → resolved → follow-up unsatisfied → reopened → resolved → follow-up satisfied — and
 * after each stage the 三率两度 screen counts the case where it now belongs.
 */

const shared = useSharedPage();
const SHOTS = process.env.GRIDWORK_SHOTS ?? '/tmp/pw-caseloop';

type Dept = { id: string; name: string; kind: string; deleted: boolean };
type Rule = {
  id: string;
  category: string;
  areaCode: string | null;
  leadDepartmentId: string;
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  deleted: boolean;
};
type Household = { address: string; gridCode: string; deleted: boolean };
type Unit = { code: string; name: string };
type CaseRow = { id: string; caseNo: string; workOrderNo: string | null; gridCode: string | null };

const HEADERS = ['工单编号', '受理时间', '来电人', '联系电话', '诉求地址', '诉求内容', '诉求类别'];

/** Acts on the open case as `role` (and, for 部门, as that department's liaison). */
async function actAs(role: '街道' | '部门', dept?: Dept) {
  const { page } = shared;
  await page.getByTestId('case-role').click();
  await visibleOption(shared.page, role).click();
  if (dept) {
    await page.getByTestId('case-role-department').click();
    await visibleOption(shared.page, dept.name).click();
  }
}

async function followUp(resolved: boolean, satisfaction: '满意' | '不满意') {
  const { page } = shared;
  await page.getByTestId('case-op-follow-up').click();
  await page
    .getByTestId('op-resolved')
    .getByText(resolved ? '是' : '否', { exact: true })
    .click();
  await page.getByTestId('op-satisfaction').getByText(satisfaction, { exact: true }).click();
  await page.getByTestId('op-submit').click();
  await expect(page.getByTestId('case-op-form')).toBeHidden();
}

type Metric = '响应率' | '解决率' | '满意率';
type Part = 'cases' | 'numerator' | 'denominator';

/**
 * Whether the case is among those behind one number of the 三率两度 screen: the grid's row,
 * this month, the metric's numerator, denominator or case count (the drill-down list).
 */
async function counted(gridName: string, caseNo: string, metric: Metric, part: Part) {
  const { page } = shared;
  await page.goto('/#/reports');
  await page.getByTestId('report-group').getByText('按网格', { exact: true }).click();
  await page.getByTestId('report-metric').click();
  await visibleOption(shared.page, metric).click();
  const row = page
    .getByTestId('report-table')
    .locator('.el-table__body tr')
    .filter({ has: page.getByText(gridName, { exact: true }) });
  await expect(row).toHaveCount(1);
  await row.getByTestId(`drill-${part}`).click();
  const list = page.getByTestId('drill-list');
  await expect(list).toBeVisible();
  const found = (await list.getByTestId('drill-case').allTextContents()).some((t) =>
    t.includes(caseNo),
  );
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  return found;
}

async function openCase(id: string) {
  const { page } = shared;
  await page.goto(`/#/cases/${id}`);
  await expect(page.getByTestId('case-detail')).toBeVisible();
}

test('a 12345 work order runs the whole loop and the KPI screen follows each step', async () => {
  const { page } = shared;
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });

  // The demo's 权责清单: a rule in force today for one matter (a 4-digit category) across the
  // whole street — no grid or community rule for that matter — and its lead unit.
  const today = beijing(Date.now()).slice(0, 10);
  const inForce = (await readStore<Rule>(page, 'responsibilityRules')).filter(
    (r) =>
      !r.deleted && r.effectiveFrom <= today && (r.effectiveTo === null || r.effectiveTo >= today),
  );
  const rule = inForce.find(
    (r) =>
      r.category.length === 4 &&
      r.areaCode === null &&
      !inForce.some((o) => o.category === r.category && o.areaCode !== null),
  );
  if (!rule) throw new Error('the demo street has no 权责清单 rule in force');
  const depts = (await readStore<Dept>(page, 'departments')).filter(
    (d) => !d.deleted && d.kind !== 'community',
  );
  const byId = new Map(depts.map((d) => [d.id, d]));
  const lead = byId.get(rule.leadDepartmentId);
  if (!lead) throw new Error(`rule ${rule.id} names an unknown department`);
  const [second, third] = depts.filter((d) => d.id !== lead.id);
  if (!second || !third) throw new Error('the demo has too few departments');
  const household = (await readStore<Household>(page, 'households')).find(
    (h) => !h.deleted && h.address !== '',
  );
  if (!household) throw new Error('the demo has no household');
  const gridName = (await readStore<Unit>(page, 'orgUnits')).find(
    (u) => u.code === household.gridCode,
  )?.name;
  if (!gridName) throw new Error(`grid ${household.gridCode} has no name`);

  // 1. Intake: one 12345 work order, received an hour ago, at the household's address.
  const workOrderNo = `GD${Date.now()}`;
  const csv = [
    HEADERS.join(','),
    [
      workOrderNo,
      beijing(Date.now() - 3_600_000),
      '赵女士',
      '13912345678',
      `北京市东城区${household.address}`,
      '楼道内堆放杂物，多次反映未处理',
      rule.category,
    ].join(','),
  ].join('\n');
  await page.goto('/#/cases');
  await page.getByTestId('case-import').click();
  const dialog = page.getByTestId('case-import-dialog');
  await page.getByTestId('case-import-file').setInputFiles({
    name: 'work-orders.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });
  await dialog.getByRole('button', { name: '下一步' }).click();
  await page.getByTestId('case-import-validate').click();
  await expect(page.getByTestId('case-import-summary')).toContainText('1');
  await page.getByTestId('case-import-valid').click();
  await expect(page.getByTestId('case-import-step-done')).toBeVisible();
  await dialog.locator('.el-dialog__footer').getByRole('button', { name: '关闭' }).click();

  const imported = (await readStore<CaseRow>(page, 'cases')).find(
    (c) => c.workOrderNo === workOrderNo,
  );
  if (!imported) throw new Error(`work order ${workOrderNo} was not imported`);
  expect(imported.gridCode).toBe(household.gridCode);
  const { caseNo } = imported;
  expect(await counted(gridName, caseNo, '响应率', 'cases')).toBe(true);
  expect(await counted(gridName, caseNo, '响应率', 'numerator')).toBe(false);

  // 2. 派单 by the rule, the rule named in the dialog.
  await openCase(imported.id);
  await actAs('街道');
  await page.getByTestId('case-op-dispatch').click();
  await expect(page.getByTestId('dispatch-proposed-lead')).toContainText(lead.name);
  await expect(page.getByTestId('dispatch-rule')).toContainText(`第${rule.version}版`);
  await page.screenshot({ path: `${SHOTS}/loop-dispatch.png` });
  await page.getByTestId('dispatch-submit').click();
  await expect(page.getByTestId('case-detail-status')).toHaveText('已派单');
  await expect(page.getByTestId('case-lead')).toHaveText(lead.name);

  // 3. 退单: the lead unit returns it with a reason.
  await actAs('部门', lead);
  await caseStep(shared.page, 'return', '该楼道属物业管理区域，不属本单位职责');
  await expect(page.getByTestId('case-detail-status')).toHaveText('已退单');
  await expect(page.getByTestId('case-timeline')).toContainText('不属本单位职责');

  // 4. Re-dispatched by hand to another unit: an override needs a reason.
  await actAs('街道');
  await page.getByTestId('case-op-dispatch').click();
  await page.getByTestId('dispatch-lead').click();
  await visibleOption(shared.page, second.name).click();
  await page.getByTestId('dispatch-submit').click();
  await expect(page.getByTestId('dispatch-error')).toBeVisible();
  await page.getByTestId('dispatch-reason').fill('退单后改派物业');
  await page.getByTestId('dispatch-submit').click();
  await expect(page.getByTestId('case-detail-status')).toHaveText('已派单');
  await expect(page.getByTestId('case-lead')).toHaveText(second.name);

  await actAs('部门', second);
  await caseStep(shared.page, 'sign', '已联系诉求人');
  await expect(page.getByTestId('case-detail-status')).toHaveText('已签收');
  await caseStep(shared.page, 'start');
  await expect(page.getByTestId('case-detail-status')).toHaveText('处置中');
  expect(await counted(gridName, caseNo, '响应率', 'numerator')).toBe(true);

  // 5. 吹哨: the street summons two departments; both report in.
  await openCase(imported.id);
  await actAs('街道');
  await page.getByTestId('case-op-whistle').click();
  await page.getByTestId('op-departments').click();
  for (const d of [lead, third]) {
    // Replace the filter text each time (typing would add to what the last search left).
    await page.getByTestId('op-departments').locator('input').fill(d.name.slice(0, 6));
    await visibleOption(shared.page, d.name).click();
  }
  // Close the options by clicking outside them (the dialog's title), not Esc (the dialog's).
  await page.locator('.el-dialog__title').click();
  await expect(page.locator('.el-select-dropdown:visible')).toHaveCount(0);
  // The date picker does not pass its test id on to the DOM: find it by its label.
  const reportBy = page.locator('.el-dialog').getByRole('combobox', { name: /报到时限/ });
  await reportBy.fill(beijing(Date.now() + 86_400_000));
  await reportBy.press('Enter');
  await page.getByTestId('op-text').fill('楼道堆物涉及消防通道，请相关部门到场');
  await page.getByTestId('op-submit').click();
  await expect(page.getByTestId('case-op-form')).toBeHidden();
  await expect(page.getByTestId(`summons-${lead.id}`)).toContainText('未报到');
  await expect(page.getByTestId(`summons-${third.id}`)).toContainText('未报到');
  for (const d of [lead, third]) {
    await actAs('部门', d);
    await caseStep(shared.page, 'report-in', `${d.name.slice(0, 6)}已到场`);
    await expect(page.getByTestId(`summons-${d.id}`)).toContainText('已报到');
  }
  await page.screenshot({ path: `${SHOTS}/loop-whistle.png` });

  // 6. 办结, then a follow-up that finds it unsolved and the caller unsatisfied.
  await actAs('部门', second);
  await caseStep(shared.page, 'resolve', '已清理楼道杂物');
  await expect(page.getByTestId('case-detail-status')).toHaveText('已办结');
  await actAs('街道');
  await followUp(false, '不满意');
  await expect(page.getByTestId('case-detail-status')).toHaveText('已回访');
  expect(await counted(gridName, caseNo, '解决率', 'denominator')).toBe(true);
  expect(await counted(gridName, caseNo, '解决率', 'numerator')).toBe(false);
  expect(await counted(gridName, caseNo, '满意率', 'denominator')).toBe(true);
  expect(await counted(gridName, caseNo, '满意率', 'numerator')).toBe(false);

  // 7. 重办, resolved again, and this time the caller is satisfied.
  await openCase(imported.id);
  await actAs('街道');
  await caseStep(shared.page, 'reopen', '回访不满意：杂物仍有残留');
  await expect(page.getByTestId('case-detail-status')).toHaveText('处置中');
  await actAs('部门', second);
  await caseStep(shared.page, 'resolve', '已彻底清理并张贴提示');
  await actAs('街道');
  await followUp(true, '满意');
  await expect(page.getByTestId('case-detail-status')).toHaveText('已回访');
  await page.screenshot({ path: `${SHOTS}/loop-done.png` });
  expect(await counted(gridName, caseNo, '解决率', 'numerator')).toBe(true);
  expect(await counted(gridName, caseNo, '满意率', 'numerator')).toBe(true);

  // The whole loop is on the timeline, oldest first, every step once.
  await openCase(imported.id);
  // 受理, 派单, 退单, 派单, 签收, 处置, 吹哨, 报到 ×2, 办结, 回访, 重办, 办结, 回访.
  const events = page.getByTestId('case-event');
  await expect(events).toHaveCount(14);
  await expect(events.first()).toContainText('受理');
  await expect(events.nth(6)).toContainText('吹哨');
  await expect(events.last()).toContainText('回访');
  await page.screenshot({ path: `${SHOTS}/loop-timeline.png`, fullPage: true });
});

/** Archives the open case as the street (归档), with a note. */
async function archiveOpenCase(page: Page, note: string) {
  await page.getByTestId('case-op-archive').click();
  await page.getByTestId('op-text').fill(note);
  await page.getByTestId('op-submit').click();
  await expect(page.getByTestId('case-detail-status')).toHaveText('已归档');
}

test('a step made stale by a colleague is refused by the server and shown in the conflict inbox', async ({
  browser,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL ?? '';
  const a = await signIn(browser, baseURL, 'demo-street');
  const b = await signIn(browser, baseURL, 'demo-street');
  const rows = await readStore<CaseRow & { status: string; deleted: boolean }>(b.page, 'cases');
  const waiting = rows
    .filter((c) => !c.deleted && c.status === 'followed-up')
    .sort((x, y) => x.caseNo.localeCompare(y.caseNo))[0];
  if (!waiting) throw new Error('the demo street has no case waiting to be archived');

  // B archives it while offline; A archives the same case online and syncs first.
  await b.context.setOffline(true);
  await b.page.goto(`/#/cases/${waiting.id}`);
  await archiveOpenCase(b.page, '离线归档');
  await a.page.goto(`/#/cases/${waiting.id}`);
  await archiveOpenCase(a.page, '在线归档');
  await syncNow(a.page);

  // B comes back: the server re-runs B's 归档 on a case already archived and refuses it.
  await b.context.setOffline(false);
  await syncNow(b.page);
  const rejection = b.page.getByTestId('rejection');
  await expect(rejection).toHaveCount(1);
  await expect(rejection).toContainText('当前状态下不允许此操作');
  // The server's refusal is said in Chinese (its message key), not in its English words.
  await expect(b.page.getByTestId('rejection-reason')).toHaveText('案件现为“已归档”，不能再变更');
  await expect(b.page.getByTestId('rejection-step')).toHaveText('归档 · 离线归档');
  await b.page.screenshot({ path: `${SHOTS}/loop-conflict.png`, fullPage: true });
  // B's copy converged on the server's: archived once, with A's note on the timeline.
  await b.page.goto(`/#/cases/${waiting.id}`);
  await expect(b.page.getByTestId('case-detail-status')).toHaveText('已归档');
  await expect(b.page.getByTestId('case-timeline')).toContainText('在线归档');
  await expect(b.page.getByTestId('case-timeline')).not.toContainText('离线归档');
  await a.context.close();
  await b.context.close();
});
