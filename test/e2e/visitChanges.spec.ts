import { expect, test } from '@playwright/test';
import { makeIdNumber } from '@shared/validation/idNumber';
import { readStore, useSharedPage } from './support';

/**
 * A visit that finds the household changed (户情变化): a new member and a new phone number.
 * A wrong ID number is refused inline with nothing saved; the one confirmation lists both
 * changes, Esc returns to the form with nothing written, Enter applies the visit and the
 * changes together, and after a reload the household's members show them.
 */
const shared = useSharedPage();

// The old 延庆县 area code: no demo resident uses it, so the numbers cannot collide.
const head = {
  name: '钱大伟',
  id: makeIdNumber('110229', '1960-05-05', 511),
  phone: '13800001234',
};
const child = { name: '钱小雨', id: makeIdNumber('110229', '1992-09-10', 622) };
const FINDINGS = '核对户内人员，女儿回京居住';

async function openHousehold(room: string) {
  const { page } = shared;
  await page.locator('[data-testid^="grid-1101010100"]').first().click();
  await page.getByTestId('building-list').locator('[role="option"]').first().click();
  await page
    .getByTestId('household-list')
    .locator('[role="option"]')
    .filter({ hasText: room })
    .click();
}

test('a visit adds a member and changes a phone with one confirmation, kept after a reload', async () => {
  const { page } = shared;
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });

  // A household of one, registered here so the test knows exactly who lives there.
  await page.locator('[data-testid^="grid-1101010100"]').first().click();
  await page.getByTestId('building-list').locator('[role="option"]').first().click();
  await page.getByTestId('household-new').click();
  await page.getByTestId('household-unit').fill('8');
  await page.getByTestId('household-room').fill('808');
  await page.getByTestId('household-create-save').click();
  await expect(page.getByTestId('household-address')).toContainText('8单元808');
  const detail = page.getByTestId('household-detail');
  await page.getByTestId('member-add').click();
  await page.getByTestId('resident-name').fill(head.name);
  await page.getByTestId('resident-id').fill(head.id);
  await page.getByTestId('resident-phone').fill(head.phone);
  await page.getByTestId('resident-save').click();
  await expect(detail.getByTestId('member')).toHaveCount(1);

  /** The findings of this test's visit, straight from IndexedDB: [] before it is saved. */
  const findingsOf = async () =>
    (await readStore<{ findings: string }>(page, 'visits'))
      .map((v) => v.findings)
      .filter((f) => f.startsWith(FINDINGS));

  await page.getByTestId('visit-new').click();
  const form = page.getByTestId('visit-form');
  await page.getByTestId('visit-findings').fill(FINDINGS);
  await page.getByTestId('change-add-new-member').click();
  const member = page.getByTestId('visit-change-new-member');
  await member.getByTestId('change-member-name').fill(child.name);
  // A mistyped last character first: a clear message next to the row, and nothing is saved.
  const wrong = `${child.id.slice(0, 17)}${child.id.endsWith('0') ? '1' : '0'}`;
  await member.getByTestId('change-member-id').fill(wrong);
  await member.getByTestId('change-member-relation').click();
  await page.getByRole('option', { name: '与户主关系：子女' }).click();
  await page.getByTestId('change-add-phone').click();
  const phone = page.getByTestId('visit-change-phone');
  await phone.getByTestId('change-resident').click();
  await page.getByRole('option', { name: `${head.name}（户主）` }).click();
  await phone.getByTestId('change-phone').fill('139 0000 0000');
  await page.getByTestId('visit-save').click();
  await expect(member.getByTestId('change-issue')).toContainText('校验位不对');
  await expect(page.getByTestId('visit-error')).toContainText('户情变化有需要修改的地方');
  await expect(page.getByTestId('visit-changes-confirm')).toBeHidden();
  expect(await findingsOf()).toEqual([]);

  await member.getByTestId('change-member-id').fill(child.id);
  await form.screenshot({ path: 'test-results/visit-changes-form.png' });
  await page.screenshot({ path: 'test-results/visit-changes-form-page.png' });
  // Enter in a text field saves (here: asks to confirm).
  await phone.getByTestId('change-phone').press('Enter');
  const confirm = page.getByTestId('visit-changes-confirm');
  await expect(confirm).toBeVisible();
  await expect(confirm.getByTestId('visit-change-line')).toHaveText([
    `新增成员 ${child.name}（子女）`,
    '钱*伟 电话改为 139****0000',
  ]);
  await page.screenshot({ path: 'test-results/visit-changes-confirm.png' });

  // Esc goes back to the form with nothing written.
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(form).toBeVisible();
  expect(await findingsOf()).toEqual([]);
  expect((await readStore<{ name: string }>(page, 'residents')).map((r) => r.name)).not.toContain(
    child.name,
  );

  await page.getByTestId('visit-save').click();
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(form).toBeHidden();
  await expect(detail.getByTestId('member')).toHaveCount(2);
  expect(await findingsOf()).toEqual([
    `${FINDINGS}\n\n户情变化：新增成员 钱*雨（子女）；钱*伟 电话改为 139****0000`,
  ]);

  // After a reload the household's members show the changes.
  await page.reload();
  await openHousehold('808');
  await expect(detail.getByTestId('member')).toHaveCount(2);
  const added = detail.getByTestId('member').filter({ hasText: child.name });
  await expect(added).toContainText('子女');
  await expect(added.getByTestId('member-id')).toHaveText('110229********' + child.id.slice(-4));
  const changed = detail.getByTestId('member').filter({ hasText: head.name });
  await expect(changed.getByTestId('member-phone')).toHaveText('139****0000');
  await expect(detail.getByTestId('visit-entry').first()).toContainText('户情变化');
});
