import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { type ProxyOptions, createServer, type ViteDevServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';

/**
 * Shared plumbing for `npm run bench:*`: serves the renderer's bench pages with Vite, opens them
 * in Debian's headless Chromium, and reports a table plus a JSON file under reports/.
 */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface BenchSession {
  page: Page;
  close(): Promise<void>;
}

/** What a bench may add to the shared set-up. */
export interface BenchPageOptions {
  /** Extra Vite dev-server proxies (bench:sync reaches its servers same-origin). */
  proxy?: Record<string, ProxyOptions>;
  /** Dependencies to pre-bundle up front: one discovered mid-run would make Vite reload the page. */
  optimizeDeps?: string[];
  /** Page console errors that are expected and not worth printing. */
  quietErrors?: RegExp;
}

export async function openBenchPage(
  pagePath: string,
  options: BenchPageOptions = {},
): Promise<BenchSession> {
  const server: ViteDevServer = await createServer({
    configFile: `${repoRoot}/renderer/vite.config.ts`,
    // No HMR and no watching: an edit elsewhere in the tree must not reload a running bench.
    server: {
      port: 0,
      strictPort: false,
      host: '127.0.0.1',
      hmr: false,
      watch: { ignored: ['**/*'] },
      ...(options.proxy ? { proxy: options.proxy } : {}),
    },
    ...(options.optimizeDeps ? { optimizeDeps: { include: options.optimizeDeps } } : {}),
    logLevel: 'warn',
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('Vite did not report a local URL');
  // A persistent profile on disk: a default (incognito-like) context keeps IndexedDB in memory
  // with a small quota, which is neither realistic nor big enough for the street.
  const profile = mkdtempSync(join(tmpdir(), 'gridwork-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() !== 'error' || options.quietErrors?.test(message.text())) return;
    console.error(`[page] ${message.text()}`);
  });
  await page.goto(new URL(pagePath, url).href);
  return {
    page,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Prints rows as an aligned table. */
export function printTable(title: string, rows: [string, string, string?][]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  console.log('-'.repeat(title.length));
  for (const [label, value, note] of rows)
    console.log(`${label.padEnd(width)}  ${value.padStart(14)}${note ? `  ${note}` : ''}`);
}

export function writeReport(name: string, data: unknown): string {
  const dir = `${repoRoot}/reports`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${name}.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), ...(data as object) }, null, 2)}\n`,
  );
  return file;
}

export function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}
