import { expect, test } from '@playwright/test';
import { readStore, useSharedPage } from './support';

/**
 * A need found on an earlier visit moves on: in the household's need panel a grid worker marks
 * it verified (note typed, Enter saves) and matched, sees both steps in its history, backs out of
 * a third with Esc, and after a reload the status and history are still there.
 */
const shared = useSharedPage();

interface Row {
  id: string;
  deleted: boolean;
}
type NeedRow = Row & { householdId: string; status: string; description: string };
type ResidentRow = Row & { name: string; idNumber: string | null; householdId: string };
type EventRow = Row & { needId: string; from: string | null; to: string; note: string };

/** An identified need whose household has a resident findable by a unique ID tail. */
async function pickNeed() {
  const { page } = shared;
  const needs = await readStore<NeedRow>(page, 'needs');
  const residents = await readStore<ResidentRow>(page, 'residents');
  const tails = new Map<string, number>();
  for (const r of residents)
    if (r.idNumber) tails.set(r.idNumber.slice(-4), (tails.get(r.idNumber.slice(-4)) ?? 0) + 1);
  const findable = new Map<string, ResidentRow>();
  for (const r of residents)
    if (!r.deleted && r.idNumber && tails.get(r.idNumber.slice(-4)) === 1)
      findable.set(r.householdId, r);
  for (const need of needs) {
    const resident = findable.get(need.householdId);
    if (need.status === 'identified' && !need.deleted && resident?.idNumber)
      return { need, name: resident.name, tail: resident.idNumber.slice(-4) };
  }
  throw new Error('no identified need in a household with a findable resident');
}

async function openHousehold(name: string, tail: string) {
  const { page } = shared;
  await page.getByTestId('registry-search').fill(tail);
  await page.getByTestId('search-results').getByText(name, { exact: true }).click();
  await expect(page.getByTestId('household-needs')).toBeVisible();
}

test('moves a need identified → verified → matched, with its history, kept after a reload', async () => {
  const { page } = shared;
  const consoleErrors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));

  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-size-small').click();
  await page.getByTestId('demo-start').click();
  await expect(page.getByTestId('grid-tree')).toBeVisible({ timeout: 120_000 });

  const target = await pickNeed();
  await openHousehold(target.name, target.tail);
  const item = page.locator(`[data-testid="need-item"][data-need-id="${target.need.id}"]`);
  await expect(item.getByTestId('need-status')).toHaveText('已发现');
  await expect(item.getByTestId('need-description')).toHaveText(target.need.description);
  // Only the next step is offered: no skipping verification.
  await expect(item.getByTestId('need-to-verified')).toBeVisible();
  await expect(item.getByTestId('need-to-matched')).toHaveCount(0);

  // identified → verified, with a note; Enter saves.
  await item.getByTestId('need-to-verified').click();
  const dialog = page.getByTestId('need-transition-dialog');
  await expect(dialog).toBeVisible();
  const note = dialog.getByTestId('need-transition-note');
  await expect(note).toBeFocused();
  await note.fill('已电话核实，老人确需此项服务');
  await page.screenshot({ path: test.info().outputPath('needs-dialog.png') });
  await note.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(item.getByTestId('need-status')).toHaveText('已核实');

  // verified → matched, without a note, by the button.
  await item.getByTestId('need-to-matched').click();
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('need-transition-save').click();
  await expect(dialog).toBeHidden();
  await expect(item.getByTestId('need-status')).toHaveText('已对接');

  // Esc cancels the next step: nothing changes.
  await item.getByTestId('need-to-in-service').click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(item.getByTestId('need-status')).toHaveText('已对接');

  await item.getByTestId('need-history-toggle').click();
  const events = item.getByTestId('need-event');
  await expect(events).toHaveCount(3);
  await expect(events.nth(1)).toContainText('已发现 → 已核实');
  await expect(events.nth(1)).toContainText('已电话核实，老人确需此项服务');
  await expect(events.nth(2)).toContainText('已核实 → 已对接');
  await item.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('needs-panel.png') });

  // The database has the status and the append-only events, each queued for sync.
  const stored = (await readStore<EventRow>(page, 'needEvents'))
    .filter((e) => e.needId === target.need.id)
    .map((e) => [e.from, e.to]);
  expect(stored).toEqual([
    [null, 'identified'],
    ['identified', 'verified'],
    ['verified', 'matched'],
  ]);
  const outbox = await readStore<{ table: string; recordId: string }>(page, 'outbox');
  expect(outbox.filter((e) => e.recordId === target.need.id).map((e) => e.table)).toEqual([
    'needs',
    'needs',
  ]);

  await page.reload();
  await expect(page.getByTestId('grid-tree')).toBeVisible();
  await openHousehold(target.name, target.tail);
  await expect(item.getByTestId('need-status')).toHaveText('已对接');
  await item.getByTestId('need-history-toggle').click();
  await expect(item.getByTestId('need-event')).toHaveCount(3);
  await expect(item.getByTestId('need-to-in-service')).toBeVisible();
  expect(consoleErrors).toEqual([]);
});
