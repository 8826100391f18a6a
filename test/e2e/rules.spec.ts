import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { readStore, useSharedPage } from './support';

const shared = useSharedPage();
const SHOTS = process.env.GRIDWORK_RULE_SHOTS ?? '/tmp/pw-rules-shots';
mkdirSync(SHOTS, { recursive: true });

type RuleRow = {
  id: string;
  category: string;
  areaCode: string | null;
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  supersedesId: string | null;
  handleLimit: { value: number; unit: string };
  deleted: boolean;
};
type OutboxRow = { table: string; recordId: string; op: string };

/** The Beijing calendar date `days` from now, as the app computes "today". */
function beijingDay(days = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** An option of the Element Plus select that is open now, by a part of its text. */
function option(text: string) {
  return shared.page.locator('.el-select-dropdown__item:visible').filter({ hasText: text });
}

/** Picks an option of a filterable select by typing part of its label. */
async function pick(testId: string, typed: string, text = typed) {
  const { page } = shared;
  await page.getByTestId(testId).click();
  await page.keyboard.type(typed);
  await option(text).first().click();
}

/** Types a date into a date picker and commits it. */
async function setDate(testId: string, date: string) {
  const input = shared.page.getByTestId(testId).locator('input');
  await input.fill(date);
  await input.press('Enter');
}

/** Waits until dialogs and messages have finished moving, for a steady screenshot. */
async function settled() {
  await shared.page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running'),
  );
}

const rulesOf = async (category: string) =>
  (await readStore<RuleRow>(shared.page, 'responsibilityRules')).filter(
    (r) => r.category === category && r.areaCode === null && !r.deleted,
  );

test('shows the demo 权责清单, creates and versions a rule, refuses an overlap', async () => {
  const { page } = shared;
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });

  await page.getByTestId('nav-rules').click();
  await expect(page.getByTestId('rules-view')).toBeVisible();
  // The demo's rules: 垃圾积存清运 is in its second version, with the street's 城管办 co-handling.
  const refuse = page
    .getByTestId('rules-table')
    .locator('tbody tr')
    .filter({ hasText: '垃圾积存清运' });
  await expect(refuse).toHaveCount(1);
  await expect(refuse.getByTestId('rule-lead')).toHaveText('东城区环境卫生服务中心');
  await expect(refuse.getByTestId('rule-co')).toHaveText('和平里街道城市管理办公室');
  await expect(refuse.getByTestId('rule-version')).toHaveText('第2版');
  await expect(page.getByTestId('rules-table')).toContainText('民旺社区居委会');
  await page.screenshot({ path: `${SHOTS}/rules-tab.png` });
  // Past versions on request: the first version of the refuse rule, ended.
  await page.getByTestId('rules-past').click();
  await expect(refuse).toHaveCount(2);
  await expect(refuse.first().getByTestId('rule-status')).toHaveText('已失效');
  await page.getByTestId('rules-past').click();

  // New rule: 路灯不亮 (no street-wide rule of its own yet), in force since 1 January.
  const before = (await readStore<RuleRow>(page, 'responsibilityRules')).length;
  await page.getByTestId('rules-add').click();
  await pick('rule-category-select', '路灯不亮');
  await pick('rule-lead-select', '城市管理委员会');
  await pick('rule-co-select', '城市管理办公室');
  await page.keyboard.press('Escape');
  await page.getByTestId('rule-response-value').locator('input').fill('12');
  await page.getByTestId('rule-handle-value').locator('input').fill('3');
  const yearStart = `${beijingDay().slice(0, 4)}-01-01`;
  await setDate('rule-from', yearStart);
  await page.getByTestId('rule-basis').fill('《东城区街道职责清单》');
  await page.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-dialog')).toBeHidden();
  expect((await readStore<RuleRow>(page, 'responsibilityRules')).length).toBe(before + 1);
  const [created] = await rulesOf('0303');
  expect(created).toMatchObject({ version: 1, effectiveFrom: yearStart, effectiveTo: null });

  // Edit it: the rule in force is closed yesterday and version 2 starts today.
  await page.getByTestId('rules-filter').fill('路灯不亮');
  const lights = page.getByTestId('rules-table').locator('tbody tr');
  await expect(lights).toHaveCount(1);
  await lights.getByTestId('rule-edit').click();
  await expect(page.getByTestId('rule-dialog-hint')).toContainText('新增第2版');
  await page.getByTestId('rule-handle-value').locator('input').fill('2');
  await settled();
  await page.screenshot({ path: `${SHOTS}/rule-edit-dialog.png` });
  await page.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-dialog')).toBeHidden();
  await expect(lights).toHaveCount(1);
  await expect(lights.getByTestId('rule-version')).toHaveText('第2版');
  await expect(lights.getByTestId('rule-limits')).toContainText('2个工作日');
  await page.getByTestId('rules-past').click();
  await expect(lights).toHaveCount(2);
  await expect(lights.first().getByTestId('rule-status')).toHaveText('已失效');
  await expect(lights.first().getByTestId('rule-period')).toContainText(beijingDay(-1));

  const versions = (await rulesOf('0303')).sort((a, b) => a.version - b.version);
  expect(versions.map((r) => [r.version, r.effectiveFrom, r.effectiveTo])).toEqual([
    [1, yearStart, beijingDay(-1)],
    [2, beijingDay(), null],
  ]);
  expect(versions[1]?.supersedesId).toBe(created?.id);
  expect(versions[1]?.handleLimit).toEqual({ value: 2, unit: 'workdays' });
  // Both versions wait in the outbox for the next sync.
  const outbox = await readStore<OutboxRow>(page, 'outbox');
  expect(outbox.filter((e) => e.table === 'responsibilityRules').map((e) => e.op)).toEqual([
    'create',
    'update',
    'create',
  ]);

  // A second street-wide rule for 路灯不亮 from next year overlaps version 2: refused.
  const count = (await readStore<RuleRow>(page, 'responsibilityRules')).length;
  await page.getByTestId('rules-add').click();
  await pick('rule-category-select', '路灯不亮');
  await pick('rule-lead-select', '综合行政执法队');
  await setDate('rule-from', `${Number(yearStart.slice(0, 4)) + 1}-01-01`);
  await page.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-dialog')).toContainText('时间重叠');
  await expect(page.getByTestId('rule-dialog')).toContainText('第2版');
  await settled();
  await page.screenshot({ path: `${SHOTS}/rule-overlap.png` });
  expect((await readStore<RuleRow>(page, 'responsibilityRules')).length).toBe(count);
  await page.getByTestId('rule-dialog').getByRole('button', { name: '取消' }).click();
  await expect(page.getByTestId('rule-dialog')).toBeHidden();

  // 停用: version 2 gets a last day; it stays listed, in force until then.
  const lastDay = `${Number(yearStart.slice(0, 4)) + 1}-06-30`;
  await lights.last().getByTestId('rule-retire').click();
  await setDate('rule-end-date', lastDay);
  await settled();
  await page.screenshot({ path: `${SHOTS}/rule-retire.png` });
  await page.getByTestId('rule-end-confirm').click();
  await expect(page.getByTestId('rule-end-dialog')).toBeHidden();
  await expect(lights.last().getByTestId('rule-period')).toContainText(lastDay);
  expect((await rulesOf('0303')).find((r) => r.version === 2)?.effectiveTo).toBe(lastDay);
});

test('adds a 负面清单 item', async () => {
  const { page } = shared;
  await page.getByRole('tab', { name: '负面清单' }).click();
  const table = page.getByTestId('negative-table');
  await expect(table).toContainText('违法建设的认定与查处');
  await page.getByTestId('negative-add').click();
  await pick('negative-category-select', '圈占公共区域');
  await page.getByTestId('negative-description-input').fill('圈占公共区域的认定与查处');
  await page.getByTestId('negative-save').click();
  await expect(page.getByTestId('negative-dialog')).toBeHidden();
  await expect(table).toContainText('圈占公共区域的认定与查处');
  await expect(page.locator('.el-message')).toHaveCount(0, { timeout: 10_000 });
  await page.screenshot({ path: `${SHOTS}/negative-tab.png` });
  const items = await readStore<{ category: string; description: string }>(page, 'negativeList');
  expect(items.find((i) => i.category === '0604')?.description).toBe('圈占公共区域的认定与查处');

  // Reloaded, the 负面清单 item and the new rule version are still there.
  await page.reload();
  await expect(page.getByTestId('rules-table')).toContainText('路灯不亮');
});

test('reads in English', async () => {
  const { page } = shared;
  await page.locator('.nav-footer .el-select').click();
  await page.getByRole('option', { name: 'English' }).click();
  await expect(page.getByTestId('nav-rules')).toHaveText(/Responsibilities/);
  await page.getByRole('tab', { name: /Responsibilities/ }).click();
  await expect(page.getByTestId('rules-table')).toContainText('Street lights out');
  await page.getByTestId('rules-table').getByTestId('rule-edit').first().click();
  await expect(page.getByTestId('rule-dialog-hint')).toContainText('never rewritten');
  await settled();
  await page.screenshot({ path: `${SHOTS}/rule-edit-dialog-en.png` });
  await page.getByTestId('rule-dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('rules-filter').fill('');
  await settled();
  await page.screenshot({ path: `${SHOTS}/rules-tab-en.png` });
  await page.locator('.nav-footer .el-select').click();
  await page.getByRole('option', { name: '简体中文' }).click();
});
