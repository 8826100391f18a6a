import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page, type Request } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';
import { repoRoot, type BenchSession } from './harness';

/**
 * Browser side of `npm run bench:sync`: like `openBenchPage`, but the Vite dev server also
 * proxies `/api` to the Gridwork server and `/couch` to the PouchDB server, so the page talks
 * to both same-origin (the Gridwork server sends CORS only for `app://gridwork`), and both
 * systems pay for the same proxy hop.
 */
export async function openProxiedBenchPage(
  pagePath: string,
  targets: { gridwork: string; couch: string },
): Promise<BenchSession> {
  const server: ViteDevServer = await createServer({
    configFile: `${repoRoot}/renderer/vite.config.ts`,
    server: {
      port: 0,
      strictPort: false,
      host: '127.0.0.1',
      hmr: false,
      watch: { ignored: ['**/*'] },
      proxy: {
        '/api': { target: targets.gridwork },
        '/couch': { target: targets.couch, rewrite: (path) => path.replace(/^\/couch/, '') },
      },
    },
    // Pre-bundled up front: a dependency discovered mid-run would make Vite reload the page.
    optimizeDeps: { include: ['pouchdb-browser', 'dexie', 'zod', 'uuid'] },
    logLevel: 'warn',
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('Vite did not report a local URL');
  // A profile on disk, as in openBenchPage: IndexedDB as the desktop app has it.
  const profile = mkdtempSync(join(tmpdir(), 'gridwork-bench-sync-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    // PouchDB looks for its replication checkpoints first; their 404s are expected, not errors.
    const expected = /status of 404 \(Not Found\)/.test(message.text());
    if (message.type() === 'error' && !expected) console.error(`[page] ${message.text()}`);
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

/** Bytes one phase put on the wire between the page and the proxy (both directions). */
export interface WireTotals {
  requests: number;
  failed: number;
  /** Request bodies (POST/PUT payloads). */
  requestBodyBytes: number;
  /** Response bodies as received, i.e. still compressed when the server compressed them. */
  responseBodyBytes: number;
  /** Request and response header blocks. */
  headerBytes: number;
  /** Responses that came gzip/deflate/br-encoded. */
  compressedResponses: number;
}

const emptyTotals = (): WireTotals => ({
  requests: 0,
  failed: 0,
  requestBodyBytes: 0,
  responseBodyBytes: 0,
  headerBytes: 0,
  compressedResponses: 0,
});

/**
 * Counts what crosses the wire per phase from Chromium's own network events
 * (`requestfinished` + `request.sizes()`, i.e. CDP `Network.*` data): nothing runs in the page,
 * so counting costs the page no time.
 */
export class WireMeter {
  private phase: WireTotals | null = null;
  private pending: Promise<void>[] = [];

  constructor(page: Page) {
    page.on('requestfinished', (request) => this.finished(request));
    page.on('requestfailed', () => {
      if (this.phase) this.phase.failed += 1;
    });
  }

  private finished(request: Request) {
    const totals = this.phase;
    if (!totals || !/\/(api|couch)\//.test(new URL(request.url()).pathname)) return;
    this.pending.push(
      (async () => {
        const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
        totals.requests += 1;
        totals.requestBodyBytes += sizes.requestBodySize;
        totals.responseBodyBytes += sizes.responseBodySize;
        totals.headerBytes += sizes.requestHeadersSize + sizes.responseHeadersSize;
        const encoding = response ? await response.headerValue('content-encoding') : null;
        if (encoding && encoding !== 'identity') totals.compressedResponses += 1;
      })(),
    );
  }

  /** Runs `fn` as one phase and returns its result with the phase's wire totals. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; wire: WireTotals }> {
    const totals = emptyTotals();
    this.phase = totals;
    try {
      const result = await fn();
      // Let the last `requestfinished` events arrive, then wait for their sizes.
      await new Promise((resolve) => setTimeout(resolve, 250));
      await Promise.all(this.pending);
      return { result, wire: totals };
    } finally {
      this.phase = null;
      this.pending = [];
    }
  }
}
