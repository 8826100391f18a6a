import { expect, test } from '@playwright/test';
import { makeIdNumber } from '@shared/validation/idNumber';
import { readStore, useSharedPage } from './support';

/**
 * A household's members over time: one head only (a second 户主 is refused inline, nothing
 * saved), Enter while an input method composes does not save, a member who moved out is
 * marked and listed last, stays moved out when edited, and leaves the household free for a
 * new head; search still finds them, marked.
 */
const shared = useSharedPage();

// The old 延庆县 area code: no demo resident uses it, so the numbers cannot collide.
const head = { name: '孙建国', id: makeIdNumber('110229', '1958-03-03', 733) };
const spouse = { name: '周丽华', id: makeIdNumber('110229', '1961-07-07', 844) };
const son = { name: '孙晓东', id: makeIdNumber('110229', '1986-11-11', 955) };

test('one head per household; a moved-out member is marked, listed last and stays moved out', async () => {
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
  await expect(page.getByTestId('household-address')).toContainText('9单元909');
  const detail = page.getByTestId('household-detail');
  const dialog = page.getByTestId('resident-form');

  async function add(person: { name: string; id: string }, relation?: string) {
    await page.getByTestId('member-add').click();
    await page.getByTestId('resident-name').fill(person.name);
    await page.getByTestId('resident-id').fill(person.id);
    if (relation) {
      await page.getByTestId('resident-relation').click();
      await page.getByRole('option', { name: relation, exact: true }).click();
    }
  }

  // The first member is the head by default.
  await add(head);
  await page.getByTestId('resident-save').click();
  await expect(detail.getByTestId('member')).toHaveCount(1);

  // Enter while an input method is still composing belongs to the input method, not to save.
  await add(spouse, '配偶');
  await page.getByTestId('resident-name').dispatchEvent('keydown', {
    key: 'Enter',
    isComposing: true,
    bubbles: true,
  });
  await page.waitForTimeout(300);
  await expect(dialog).toBeVisible();
  await expect(detail.getByTestId('member')).toHaveCount(1);
  await page.getByTestId('resident-name').press('Enter');
  await expect(dialog).toBeHidden();
  await expect(detail.getByTestId('member')).toHaveCount(2);

  // A second 户主 is refused next to the relation, saying who the head is; nothing is saved.
  await add(son, '户主');
  await page.getByTestId('resident-save').click();
  await expect(page.getByTestId('resident-relation-item')).toContainText(
    `本户已有户主（${head.name}）`,
  );
  await expect(detail.getByTestId('member')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/registry-second-head.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The head moves out (recorded with a visit).
  await page.getByTestId('visit-new').click();
  await page.getByTestId('visit-findings').fill('户主已迁往外区居住');
  await page.getByTestId('change-add-moved-out').click();
  await page.getByTestId('change-resident').click();
  await page.getByRole('option', { name: `${head.name}（户主）` }).click();
  await page.getByTestId('visit-save').click();
  await expect(page.getByTestId('visit-changes-confirm')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('visit-form')).toBeHidden();

  // Marked, and listed after the living members under its own heading.
  await expect(detail.getByTestId('member-name')).toHaveText([spouse.name, head.name]);
  const gone = detail.getByTestId('member').filter({ hasText: head.name });
  await expect(gone.getByTestId('member-status')).toHaveText('已迁出');
  await expect(detail.getByTestId('former-members')).toContainText('(1)');

  // Editing them keeps them moved out.
  await gone.getByTestId('member-edit').click();
  await page.getByTestId('resident-phone').fill('13900009090');
  await page.getByTestId('resident-save').click();
  await expect(dialog).toBeHidden();
  await expect(gone.getByTestId('member-phone')).toHaveText('139****9090');
  await expect(gone.getByTestId('member-status')).toHaveText('已迁出');

  // The household has no living head now: the son can be its 户主, and the household says so.
  await add(son, '户主');
  await page.getByTestId('resident-save').click();
  await expect(dialog).toBeHidden();
  await expect(detail.getByTestId('member-name')).toHaveText([son.name, spouse.name, head.name]);
  const residents = await readStore<{ id: string; name: string; status: string }>(
    page,
    'residents',
  );
  const households = await readStore<{ address: string; headResidentId: string | null }>(
    page,
    'households',
  );
  const household = households.find((h) => h.address.endsWith('9单元909'));
  expect(household?.headResidentId).toBe(residents.find((r) => r.name === son.name)?.id);
  expect(residents.find((r) => r.name === head.name)?.status).toBe('moved-out');

  await page.getByTestId('household-detail').getByTestId('former-members').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/registry-members-moved-out.png' });

  // Search still finds the moved-out resident, marked.
  await page.getByTestId('registry-search').fill(head.name);
  const hit = page.getByTestId('search-results').locator('[data-testid^="hit-"]').filter({
    hasText: head.name,
  });
  await expect(hit.getByTestId('hit-status')).toHaveText('已迁出');
});
