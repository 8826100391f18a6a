import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { readStore, useSharedPage } from './support';

/**
 * 导入台账 end to end: the demo street, then the xlsx fixture into a grid whose buildings include
 * exactly one 1号楼 and one 2号楼 (the fixture's buildings), a corrupt file first.
 */
const shared = useSharedPage();
const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

/** A grid (code and name) where building names 1号楼 and 2号楼 each occur exactly once. */
async function pickGrid() {
  const { page } = shared;
  const buildings = await readStore<{ gridCode: string; name: string }>(page, 'buildings');
  const units = await readStore<{ code: string; name: string; level: string }>(page, 'orgUnits');
  const residents = await readStore<{ id: string }>(page, 'residents');
  const grid = units.find(
    (u) =>
      u.level === 'grid' &&
      ['1号楼', '2号楼'].every(
        (n) => buildings.filter((b) => b.gridCode === u.code && b.name === n).length === 1,
      ),
  );
  if (!grid) throw new Error('no demo grid with one 1号楼 and one 2号楼');
  return { code: grid.code, name: grid.name, residents: residents.length };
}

async function residentCount(): Promise<number> {
  return (await readStore<{ id: string }>(shared.page, 'residents')).length;
}

test('imports the valid rows of an xlsx ledger into a grid', async () => {
  const { page } = shared;
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });
  const grid = await pickGrid();

  await page.getByTestId('import-open').click();
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog.getByTestId('import-step-file')).toBeVisible();

  // A corrupt workbook: a clear error, nothing changes, the dialog stays on the first step.
  await dialog.getByTestId('import-file').setInputFiles(fixture('corrupt.xlsx'));
  await expect(dialog.getByTestId('import-error')).toContainText('文件已损坏');
  await expect(dialog.getByTestId('import-next')).toBeDisabled();
  expect(await residentCount()).toBe(grid.residents);

  await dialog.getByTestId('import-grid').click();
  await page.getByRole('option', { name: new RegExp(`/ ${grid.name}$`) }).click();
  await dialog.getByTestId('import-file').setInputFiles(fixture('ledger.xlsx'));
  await expect(dialog.getByTestId('import-file-info')).toContainText('15 行数据');
  await expect(dialog.getByTestId('import-error')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/import-1-file.png' });
  await dialog.getByTestId('import-next').click();

  await expect(dialog.getByTestId('import-step-mapping')).toBeVisible();
  await expect(dialog.getByTestId('import-missing')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/import-2-mapping.png' });
  await dialog.getByTestId('import-validate').click();

  // Row 16's ID number is only a duplicate in the unit tests' database, so here 7 rows are valid.
  await expect(dialog.getByTestId('import-summary')).toContainText(
    '共 15 行：7 行可导入，8 行有问题',
  );
  const report = dialog.getByTestId('import-report');
  await expect(report.getByTestId('import-row-8')).toBeVisible();
  await expect(report).toContainText('身份证号校验位错误');
  await expect(report).toContainText('身份证号与第 2 行重复');
  await expect(report).toContainText('所选网格没有楼栋“99号楼”');
  await expect(report).toContainText('出生日期 1971-01-01 与身份证号中的 1970-01-01 不符');
  await expect(report).toContainText('联系电话格式错误');
  await page.screenshot({ path: 'test-results/import-3-preview.png' });

  await dialog.getByTestId('import-valid').click();
  await expect(dialog.getByTestId('import-result')).toContainText('已导入 7 位居民');
  await page.screenshot({ path: 'test-results/import-4-done.png' });
  await dialog.getByTestId('import-close').click();
  expect(await residentCount()).toBe(grid.residents + 7);

  // The imported resident is found by the registry search like any other.
  await page.getByTestId('registry-search').fill('王建国');
  await expect(
    page.getByTestId('search-results').getByText('王建国', { exact: true }),
  ).toBeVisible();
});
