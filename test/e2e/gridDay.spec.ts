import { expect, test, type Locator } from '@playwright/test';
import { PNG, readStore, useSharedPage } from './support';
import { makeIdNumber } from '@shared/validation/idNumber';

/**
 * A grid worker's day, offline-style (no server involved): register a household with three
 * residents (a wrong ID number first), visit it with a photo and two needs, report a patrol
 * finding; after a reload everything is there and the due-for-a-visit list has changed.
 */
const shared = useSharedPage();

// An area code no demo resident uses (the old 延庆县 code), so the numbers cannot collide.
const people = [
  { name: '赵独居', id: makeIdNumber('110229', '1942-03-08', 201), tag: '独居老人' },
  { name: '赵建国', id: makeIdNumber('110229', '1968-07-19', 311), tag: null },
  { name: '赵小雨', id: makeIdNumber('110229', '2012-11-02', 402), tag: null },
];

async function pickInCascader(picker: Locator, text: string) {
  const { page } = shared;
  await picker.click();
  await picker.locator('input').first().fill(text);
  // Each cascader has its own (teleported) list; the one just opened is the last in the page.
  await page
    .locator('.el-cascader__suggestion-item:visible')
    .filter({ hasText: text })
    .last()
    .click();
}

test('registers a household, visits it with a photo and two needs, reports a patrol event, and keeps it all', async () => {
  const { page } = shared;
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });

  await page.locator('[data-testid^="grid-1101010100"]').first().click();
  await page.getByTestId('building-list').locator('[role="option"]').first().click();
  await page.getByTestId('household-new').click();
  await page.getByTestId('household-unit').fill('9');
  await page.getByTestId('household-room').fill('909');
  await page.getByTestId('household-create-save').click();
  const detail = page.getByTestId('household-detail');
  await expect(page.getByTestId('household-address')).toContainText('9单元909');
  const address = (await page.getByTestId('household-address').textContent()) ?? '';

  for (const [index, person] of people.entries()) {
    await page.getByTestId('member-add').click();
    await page.getByTestId('resident-name').fill(person.name);
    if (index === 0) {
      // A mistyped last character first: a clear message, and nothing is saved.
      await page
        .getByTestId('resident-id')
        .fill(`${person.id.slice(0, 17)}${person.id.endsWith('0') ? '1' : '0'}`);
      await page.getByTestId('resident-save').click();
      await expect(page.getByTestId('resident-form')).toContainText('校验位不对');
      await expect(detail.getByTestId('member')).toHaveCount(0);
    }
    await page.getByTestId('resident-id').fill(person.id);
    if (index > 0)
      await page
        .getByTestId('resident-relation')
        .click()
        .then(() => page.getByRole('option', { name: index === 1 ? '子女' : '孙辈' }).click());
    if (person.tag) {
      const tags = page.getByTestId('resident-form').locator('.el-select').last();
      await tags.click();
      await page.getByRole('option', { name: person.tag }).click();
      await page.getByTestId('resident-name').click(); // close the tag list
    }
    await page.getByTestId('resident-save').click();
    await expect(detail.getByTestId('member')).toHaveCount(index + 1);
  }

  // The new household has an elder living alone and no visit yet: it is due.
  await page.getByTestId('nav-visits').click();
  await expect(page.getByTestId('due-table')).toContainText(address);
  const dueBefore = await page.getByTestId('due-count').textContent();
  expect(Number(/\d+/.exec(dueBefore ?? '')?.[0])).toBeGreaterThan(1);

  await page.getByTestId('nav-registry').click();
  await expect(page.getByTestId('household-address')).toHaveText(address);
  await page.getByTestId('visit-new').click();
  await page.getByTestId('visit-findings').fill('老人独居，腿脚不便，需要助餐和助浴');
  await page
    .getByTestId('visit-photos')
    .setInputFiles({ name: '门口.png', mimeType: 'image/png', buffer: PNG });
  for (const need of ['助餐', '助浴']) {
    await page.getByTestId('visit-add-need').click();
    const row = page.getByTestId('visit-need').last();
    await pickInCascader(row.locator('.el-cascader'), need);
    await row.getByTestId('need-description').fill(`需要${need}`);
  }
  await page.getByTestId('visit-save').click();
  await expect(detail.getByTestId('visit-entry').first()).toContainText('老人独居');
  await expect(detail.getByTestId('visit-need-item')).toHaveCount(2);
  await expect(detail.getByTestId('visit-photo')).toHaveCount(1);

  await page.getByTestId('patrol-new').click();
  const picker = page.locator('.el-dialog .el-cascader');
  await pickInCascader(picker, '垃圾积存');
  await page.getByTestId('patrol-description').fill('楼前垃圾桶满溢');
  await page.getByTestId('patrol-save').click();
  await expect(page.getByText(/已上报，案件编号 XC/)).toBeVisible();

  // After a reload everything is still there, and the household has left the due list.
  await page.reload();
  await page.locator('[data-testid^="grid-1101010100"]').first().click();
  await page.getByTestId('building-list').locator('[role="option"]').first().click();
  await page
    .getByTestId('household-list')
    .locator('[role="option"]')
    .filter({ hasText: '909' })
    .click();
  await expect(detail.getByTestId('member')).toHaveCount(3);
  await expect(detail.getByTestId('visit-entry').first()).toContainText('老人独居');
  await expect(detail.getByTestId('visit-need-item')).toHaveCount(2);
  await expect(detail.getByTestId('visit-photo')).toHaveCount(1);
  await page.getByTestId('nav-visits').click();
  // Wait for the list to be computed (rows present) before judging what is missing from it.
  await expect(page.getByTestId('due-address').first()).toBeVisible();
  await expect(page.getByTestId('due-table')).not.toContainText(address);
  const count = (text: string | null) => Number(/\d+/.exec(text ?? '')?.[0] ?? NaN);
  await expect
    .poll(async () => count(await page.getByTestId('due-count').textContent()))
    .toBe(count(dueBefore) - 1);
  const patrolCases = (await readStore<{ description: string; source: string }>(page, 'cases'))
    .filter((r) => r.description === '楼前垃圾桶满溢')
    .map((r) => r.source);
  expect(patrolCases).toEqual(['patrol']);
  await page.screenshot({ path: 'test-results/grid-day-due-list.png' });
});
