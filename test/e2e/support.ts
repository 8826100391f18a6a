import { test, type BrowserContext, type Page } from '@playwright/test';

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
