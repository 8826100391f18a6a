import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';
import { tileServerOrigin } from '../fixtures/basemap/tileServer';

const port = Number(process.env.GRIDWORK_E2E_PORT ?? 47180);
// A fresh server database per run, loaded with a small demo street and its demo accounts.
const dataFile = join(tmpdir(), `gridwork-e2e-${process.pid}-${Date.now()}.sqlite`);

/**
 * End-to-end tests drive Debian's Chromium (Playwright's own browser download is not
 * reachable here) against the real web build served by the sync server, as in web mode.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI
    ? [['dot'], ['json', { outputFile: '../../reports/playwright.json' }]]
    : [['list'], ['json', { outputFile: '../../reports/playwright.json' }]],
  outputDir: '../../test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    command:
      'npm run build:renderer && npm run server -- load-demo --households 1500 && npm run server',
    cwd: '../..',
    url: `http://127.0.0.1:${port}/api/health`,
    env: {
      GRIDWORK_PORT: String(port),
      GRIDWORK_HOST: '127.0.0.1',
      GRIDWORK_DATA_FILE: dataFile,
      // basemap.spec.ts runs an intranet tile server on this fixed origin; the web CSP must allow it.
      GRIDWORK_TILE_ORIGINS: tileServerOrigin(),
      // Set to build into a separate folder when several runs share one checkout.
      ...(process.env.GRIDWORK_WEB_ROOT
        ? { GRIDWORK_WEB_ROOT: process.env.GRIDWORK_WEB_ROOT }
        : {}),
    },
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
