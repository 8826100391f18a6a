import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';

/**
 * Shared set-up of the end-to-end specs: one browser profile per spec file (the tests of a file
 * continue on each other's data), and reading the app's IndexedDB from the test.
 */
export function useSharedPage(): { readonly page: Page } {
  test.describe.configure({ mode: 'serial' });
  let context: BrowserContext | null = null;
  let page: Page | null = null;
  test.beforeAll(async ({ browser }, testInfo) => {
    const { baseURL, viewport, locale } = testInfo.project.use;
    context = await browser.newContext({ baseURL, viewport, locale });
    page = await context.newPage();
  });
  test.afterAll(async () => {
    await context?.close();
  });
  return {
    get page() {
      if (!page) throw new Error('the page exists only inside tests');
      return page;
    },
  };
}

/** Every row of one object store of the app's database, read with raw IndexedDB in the page. */
export function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('gridwork');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as T[]);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    store,
  );
}

/** A 2×2 PNG: real image bytes for photo inputs. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

/** The password of every demo account (`load-demo`). */
export const DEMO_PASSWORD = 'gridwork-demo-2026';

/** 立即同步 on the sync screen, waiting until nothing is left to send. */
export async function syncNow(page: Page): Promise<void> {
  await page.goto('/#/sync');
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('last-sync')).not.toHaveText('', { timeout: 60_000 });
  await expect(page.getByTestId('unsent-count')).toHaveText('0', { timeout: 60_000 });
}

/** A new browser profile signed in as a demo account, with a first sync done. */
export async function signIn(
  browser: Browser,
  baseURL: string,
  username: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  await page.goto('/#/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await syncNow(page);
  return { context, page };
}

/** Beijing wall-clock time of `ms` (`YYYY-MM-DD HH:mm:ss`), as 12345 exports and pickers write it. */
export function beijing(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** An option of the Element Plus select open now (a category option may show its parent path). */
export function visibleOption(page: Page, text: string) {
  return page
    .locator('.el-select-dropdown__item:visible')
    .filter({ hasText: new RegExp(`^\\s*(.+ / )?${text}\\s*$`) });
}

/** Takes a step from the open case's buttons, filling the dialog's main text box when given. */
export async function caseStep(page: Page, op: string, text?: string): Promise<void> {
  await page.getByTestId(`case-op-${op}`).click();
  if (text !== undefined) await page.getByTestId('op-text').fill(text);
  await page.getByTestId('op-submit').click();
  await expect(page.getByTestId('case-op-form')).toBeHidden();
}
