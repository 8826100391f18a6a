import type { Page, Request } from 'playwright-core';
import { type BenchSession, openBenchPage } from './harness';

/**
 * Browser side of `npm run bench:sync`: like `openBenchPage`, but the Vite dev server also
 * proxies `/api` to the Gridwork server and `/couch` to the PouchDB server, so the page talks
 * to both same-origin (the Gridwork server sends CORS only for `app://gridwork`), and both
 * systems pay for the same proxy hop.
 */
export function openProxiedBenchPage(
  pagePath: string,
  targets: { gridwork: string; couch: string },
): Promise<BenchSession> {
  return openBenchPage(pagePath, {
    proxy: {
      '/api': { target: targets.gridwork },
      '/couch': { target: targets.couch, rewrite: (path: string) => path.replace(/^\/couch/, '') },
    },
    optimizeDeps: ['pouchdb-browser', 'dexie', 'zod', 'uuid'],
    // PouchDB looks for its replication checkpoints first; their 404s are expected, not errors.
    quietErrors: /status of 404 \(Not Found\)/,
  });
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
