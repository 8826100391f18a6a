import { expect, test, type Page } from '@playwright/test';
import { DEVICE_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@shared/sync/protocol';
import { DEMO_PASSWORD, PNG, signIn } from './support';

/**
 * Two grid workers of the same grid, each in their own browser profile, against the real
 * server (`npm run server` on a fresh database with the demo street). Worker A works offline,
 * then syncs; worker B sees A's edit, visit and photo.
 */
test.describe.configure({ mode: 'serial' });

async function gridOfDemoWorker(baseURL: string): Promise<string> {
  const deviceId = '01900000-0000-7000-8000-00000000e2e1';
  const headers = {
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    [DEVICE_HEADER]: deviceId,
    'content-type': 'application/json',
  };
  const login = await fetch(`${baseURL}/api/auth/login`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username: 'demo-grid', password: DEMO_PASSWORD, deviceId }),
  });
  const body = (await login.json()) as { user: { memberships: { scope: string }[] } };
  const scope = body.user.memberships[0]?.scope;
  if (!scope) throw new Error('demo-grid has no membership');
  return scope;
}

async function openFirstHousehold(page: Page, grid: string) {
  await page.getByTestId('nav-registry').click();
  await page.getByTestId(`grid-${grid}`).click();
  await page.getByTestId('building-list').locator('[role="option"]').first().click();
  await page.getByTestId('household-list').locator('[role="option"]').first().click();
  await expect(page.getByTestId('household-detail')).toBeVisible();
}

test('an offline edit, visit and photo reach a colleague after sync', async ({
  browser,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL ?? '';
  const grid = await gridOfDemoWorker(baseURL);
  const a = await signIn(browser, baseURL, 'demo-grid');
  const b = await signIn(browser, baseURL, `gw-${grid}`);

  // Worker A loses the network and works on.
  await a.context.setOffline(true);
  await openFirstHousehold(a.page, grid);
  await a.page.getByTestId('household-edit').click();
  await a.page.getByTestId('household-note').fill('离线修改：户主已搬回');
  await a.page.getByTestId('household-save').click();
  await expect(a.page.getByTestId('household-note-text')).toHaveText('离线修改：户主已搬回');
  await a.page.getByTestId('visit-new').click();
  await a.page.getByTestId('visit-findings').fill('离线走访：老人身体状况良好');
  await a.page
    .getByTestId('visit-photos')
    .setInputFiles({ name: '门口.png', mimeType: 'image/png', buffer: PNG });
  await a.page.getByTestId('visit-save').click();
  await expect(a.page.getByTestId('visit-entry').first()).toContainText(
    '离线走访：老人身体状况良好',
  );
  await expect(a.page.getByTestId('visit-photo')).toHaveCount(1);

  await a.page.getByTestId('nav-sync').click();
  await expect(a.page.getByTestId('unsent-count')).toHaveText('3'); // household, visit, photo record
  await a.page.screenshot({ path: 'test-results/sync-offline-unsent.png' });

  // Back online: A's changes go up.
  await a.context.setOffline(false);
  await a.page.getByTestId('sync-now').click();
  await expect(a.page.getByTestId('unsent-count')).toHaveText('0', { timeout: 30_000 });

  // Worker B syncs and sees all of it, the photo included.
  await b.page.getByTestId('sync-now').click();
  await expect(b.page.getByTestId('unsent-count')).toHaveText('0');
  await openFirstHousehold(b.page, grid);
  await expect(b.page.getByTestId('household-note-text')).toHaveText('离线修改：户主已搬回');
  await expect(b.page.getByTestId('visit-entry').first()).toContainText(
    '离线走访：老人身体状况良好',
  );
  const photo = b.page.getByTestId('visit-photo');
  await expect(photo).toHaveCount(1);
  await expect
    .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(2);
  await b.page.screenshot({ path: 'test-results/sync-colleague-sees.png' });

  await a.context.close();
  await b.context.close();
});

test('a same-field conflict shows both values in the inbox and can be resolved', async ({
  browser,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL ?? '';
  const grid = await gridOfDemoWorker(baseURL);
  const a = await signIn(browser, baseURL, 'demo-grid');
  const b = await signIn(browser, baseURL, `gw-${grid}`);

  // Both edit the note of the same household without having seen the other's edit.
  for (const [worker, note] of [
    [a, '甲：电话已核实'],
    [b, '乙：已搬走'],
  ] as const) {
    await worker.context.setOffline(true);
    await openFirstHousehold(worker.page, grid);
    await worker.page.getByTestId('household-edit').click();
    await worker.page.getByTestId('household-note').fill(note);
    await worker.page.getByTestId('household-save').click();
    await expect(worker.page.getByTestId('household-note-text')).toHaveText(note);
  }
  for (const worker of [a, b, a]) {
    await worker.context.setOffline(false);
    await worker.page.getByTestId('nav-sync').click();
    await worker.page.getByTestId('sync-now').click();
    await expect(worker.page.getByTestId('unsent-count')).toHaveText('0', { timeout: 30_000 });
  }

  // B's edit came later, so it wins everywhere; A's value is kept in the inbox.
  const card = a.page.getByTestId('field-conflict').filter({ hasText: '甲：电话已核实' });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('conflict-current')).toContainText('乙：已搬走');
  await expect(card.getByTestId('conflict-overwritten')).toContainText('甲：电话已核实');
  await a.page.screenshot({ path: 'test-results/sync-conflict-inbox.png' });
  await card.getByTestId('conflict-replace').click();
  await expect(
    a.page.getByTestId('field-conflict').filter({ hasText: '甲：电话已核实' }),
  ).toHaveCount(0);
  await a.page.getByTestId('sync-now').click();
  await expect(a.page.getByTestId('unsent-count')).toHaveText('0', { timeout: 30_000 });

  await b.page.getByTestId('sync-now').click();
  await expect(b.page.getByTestId('unsent-count')).toHaveText('0');
  await openFirstHousehold(b.page, grid);
  await expect(b.page.getByTestId('household-note-text')).toHaveText('甲：电话已核实');
  await a.context.close();
  await b.context.close();
});
