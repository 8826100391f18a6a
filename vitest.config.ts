import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// Unit tests beside the code in every layer; end-to-end specs (test/e2e) run under Playwright.
export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) } },
  test: {
    include: [
      '{shared,renderer,electron,sync-server}/**/*.test.ts',
      'test/{integration,lint}/**/*.test.ts',
    ],
    environment: 'node',
    // Dexie binds to indexedDB when first imported, so the fake must be installed before any test module loads.
    setupFiles: ['fake-indexeddb/auto'],
    testTimeout: 30_000,
    // The JSON report feeds the one summary line .ci/run prints.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
