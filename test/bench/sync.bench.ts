import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNC_LIMITS } from '@shared/sync/protocol';
import { numberArg, printTable, writeReport } from './harness';
import { benchEdits, datasetHash } from './syncData';
import { openProxiedBenchPage, WireMeter, type WireTotals } from './syncHarness';
import {
  BENCH_PASSWORD,
  BENCH_USER,
  freePort,
  seedGridwork,
  startGridwork,
  startPouch,
  type ServerProcess,
} from './syncServers';
import type { CeilingRun, EditRun, PageEdit, SyncRun } from './syncTypes';

/**
 * npm run bench:sync [-- --sizes 2500,25000,100000 --push 5000 --push-on 25000
 *                        --couch-batch-sizes 100,1000]
 *
 * Gridwork's sync against PouchDB/CouchDB replication, side by side, in Debian's Chromium:
 * - initial sync of each dataset size: Gridwork `pullChanges` from the real server into Dexie /
 *   IndexedDB, and PouchDB `replicate.from` express-pouchdb into an IndexedDB PouchDB;
 * - on the `--push-on` dataset: `--push` offline edits in each, then Gridwork `pushOutbox` and
 *   PouchDB `replicate.to`.
 * PouchDB runs once per `--couch-batch-sizes` entry: 100 is its default, 1000 the tuned setting;
 * each run gets a freshly seeded server. Both servers are their own processes holding the same
 * records (households, residents, cases of the demo street). Records/s are timed in the page;
 * bytes come from Chromium's network events. Targets (sync design, S1/S3): Gridwork pull ≥ 8k
 * records/s and ≥ 1.5× PouchDB; push ≥ 3× PouchDB — judged against every PouchDB setting.
 */
function listArg(name: string, fallback: number[]): number[] {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const values = (process.argv[index + 1] ?? '').split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v <= 0))
    throw new Error(`--${name} must be a comma-separated list of positive integers`);
  return values;
}

const sizes = listArg('sizes', [2_500, 25_000, 100_000]);
const pushEditsCount = numberArg('push', 5_000);
const pushOn = numberArg('push-on', 25_000);
const couchBatchSizes = listArg('couch-batch-sizes', [100, 1_000]);
const TARGETS = { pullRecordsPerSecond: 8_000, pullVsPouch: 1.5, pushVsPouch: 3 };
if (!sizes.includes(pushOn))
  throw new Error(`--push-on ${pushOn} must be one of the --sizes (${sizes.join(', ')})`);

/** One system's run of one scenario, as reported. */
interface Measured {
  run: SyncRun;
  wire: WireTotals;
  /** CPU seconds the server process spent during the run. */
  serverCpuSeconds: number;
  recordsPerSecond: number;
}

/** Gridwork against one PouchDB setting in one scenario. */
interface Comparison {
  batchSize: number;
  /** Null when PouchDB could not run (then `error` says why). */
  pouch: Measured | null;
  error?: string;
  speedRatio: number | null;
  bytesRatio: number | null;
  met: boolean | null;
}

interface PullResult {
  size: number;
  gridwork: Measured;
  /** Raw IndexedDB puts of the same stored rows, same indexes, one pull page per transaction. */
  rawIndexedDb: CeilingRun & { recordsPerSecond: number };
  metRate: boolean;
  vsPouch: Comparison[];
}

interface PushResult {
  datasetSize: number;
  edits: number;
  gridworkEdit: EditRun;
  gridwork: Measured;
  vsPouch: (Comparison & { pouchEdit: EditRun | null })[];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MB`;
const bodyBytes = (w: WireTotals) => w.requestBodyBytes + w.responseBodyBytes;
const verdict = (ok: boolean | null) => (ok === null ? 'unavailable' : ok ? 'met' : 'MISSED');
const pouchLabel = (batchSize: number) => `PouchDB batch_size ${batchSize}`;

function describe(m: Measured): string {
  const w = m.wire;
  return [
    `${(m.run.ms / 1000).toFixed(2)} s`,
    `${mb(bodyBytes(w))} bodies (↑${mb(w.requestBodyBytes)} ↓${mb(w.responseBodyBytes)}, +${mb(w.headerBytes)} headers)`,
    `${w.requests} requests${w.compressedResponses ? ` (${w.compressedResponses} gzip)` : ''}`,
    `server CPU ${m.serverCpuSeconds.toFixed(1)} s`,
  ].join(' · ');
}

/**
 * Where Gridwork's wall time went: fetch until body received, apply transactions, the rest. The
 * client overlaps the two (the next page is on the wire while one is written), so their shares
 * can add up to more than the wall time; then the overlap is shown instead of a negative rest.
 */
function breakdown(m: Measured): string {
  const { ms, networkMs, transactionMs, transactions } = m.run;
  const rest = ms - networkMs - transactionMs;
  const pct = (x: number) => `${Math.round((100 * x) / ms)} %`;
  const last =
    rest >= 0
      ? `other (JSON + zod parse, validation, merge prep) ${pct(rest)}`
      : `the two overlap for ${pct(-rest)} of the time`;
  return `network+server ${pct(networkMs)} · apply tx ${pct(transactionMs)} (${transactions} tx) · ${last}`;
}

function compare(
  gridwork: Measured,
  batchSize: number,
  pouch: Measured | null,
  target: number,
  error?: string,
): Comparison {
  if (!pouch)
    return { batchSize, pouch, speedRatio: null, bytesRatio: null, met: null, error: error ?? '' };
  const speedRatio = gridwork.recordsPerSecond / pouch.recordsPerSecond;
  return {
    batchSize,
    pouch,
    speedRatio,
    bytesRatio: bodyBytes(gridwork.wire) / bodyBytes(pouch.wire),
    met: speedRatio >= target,
  };
}

/** Table rows for the PouchDB side of a scenario and Gridwork's ratios against it. */
function comparisonRows(comparisons: Comparison[], target: number, call: string) {
  const rows: [string, string, string?][] = [];
  for (const c of comparisons) {
    rows.push(
      c.pouch
        ? [
            `${pouchLabel(c.batchSize)} ${call}`,
            `${fmt(c.pouch.recordsPerSecond)} rec/s`,
            describe(c.pouch),
          ]
        : [`${pouchLabel(c.batchSize)} ${call}`, 'unavailable', c.error],
    );
  }
  for (const c of comparisons) {
    rows.push([
      `Gridwork / ${pouchLabel(c.batchSize)}, speed`,
      c.speedRatio === null ? '–' : `${c.speedRatio.toFixed(2)}×`,
      `target ≥ ${target}× ${verdict(c.met)}`,
    ]);
    rows.push([
      `Gridwork / ${pouchLabel(c.batchSize)}, body bytes`,
      c.bytesRatio === null ? '–' : `${c.bytesRatio.toFixed(2)}×`,
      'lower is leaner (PouchDB gzips responses over 1 KB; Gridwork sends plain JSON)',
    ]);
  }
  return rows;
}

const gridworkPort = await freePort();
const couchPort = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'gridwork-bench-sync-data-'));
const session = await openProxiedBenchPage('bench/sync.html', {
  gridwork: `http://127.0.0.1:${gridworkPort}`,
  couch: `http://127.0.0.1:${couchPort}`,
});
const { page } = session;
const meter = new WireMeter(page);
const started = Date.now();
const pulls: PullResult[] = [];
let pushResult: PushResult | null = null;

/** Runs one timed page call as a wire-metered phase and charges the server's CPU to it. */
async function measure(server: ServerProcess, call: () => Promise<SyncRun>): Promise<Measured> {
  const cpu0 = server.cpuSeconds();
  const { result, wire } = await meter.measure(call);
  return {
    run: result,
    wire,
    serverCpuSeconds: server.cpuSeconds() - cpu0,
    recordsPerSecond: result.records / (result.ms / 1000),
  };
}

function expect(condition: boolean, message: string) {
  if (!condition) throw new Error(message);
}

/** Gridwork: fresh server on a seeded file, initial pull, and on the push dataset edits + push. */
async function runGridwork(size: number, edits: PageEdit[] | null) {
  const sqliteFile = join(dataDir, `gridwork-${size}.sqlite`);
  const seeded = await seedGridwork(sqliteFile, size);
  console.log(`  Gridwork seeded in ${(seeded.ms / 1000).toFixed(1)} s; pull …`);
  const server = await startGridwork(gridworkPort, sqliteFile);
  const dbName = `gridwork-bench-sync-${size}`;
  try {
    await page.evaluate(
      async (o) => {
        if (!window.syncBench) throw new Error('bench page did not load');
        return window.syncBench.gridworkLogin(o);
      },
      { dbName, username: BENCH_USER, password: BENCH_PASSWORD },
    );
    const pull = await measure(server, () =>
      page.evaluate(async (name) => {
        if (!window.syncBench) throw new Error('bench page did not load');
        return window.syncBench.gridworkPull(name);
      }, dbName),
    );
    expect(
      pull.run.records === size && pull.run.localCount === size,
      `Gridwork pulled ${pull.run.records} and holds ${pull.run.localCount}, not ${size}`,
    );
    const raw = await page.evaluate(
      async (o) => {
        if (!window.syncBench) throw new Error('bench page did not load');
        return window.syncBench.idbCeiling(o.dbName, o.pageSize);
      },
      { dbName, pageSize: SYNC_LIMITS.defaultPullPage },
    );
    expect(raw.records === size, 'the raw IndexedDB run wrote the wrong rows');
    let push: { edit: EditRun; push: Measured } | null = null;
    if (edits) {
      console.log(`  Gridwork: ${fmt(edits.length)} offline edits, then push …`);
      const edit = await page.evaluate(
        async (o) => {
          if (!window.syncBench) throw new Error('bench page did not load');
          return window.syncBench.gridworkEdit(o.dbName, o.edits);
        },
        { dbName, edits },
      );
      const pushed = await measure(server, () =>
        page.evaluate(async (name) => {
          if (!window.syncBench) throw new Error('bench page did not load');
          return window.syncBench.gridworkPush(name);
        }, dbName),
      );
      expect(
        pushed.run.records === edits.length &&
          pushed.run.rejected === 0 &&
          pushed.run.localCount === 0,
        `Gridwork pushed ${pushed.run.records} (${pushed.run.rejected} rejected, ${pushed.run.localCount} left)`,
      );
      push = { edit, push: pushed };
    }
    return {
      pull,
      raw: { ...raw, recordsPerSecond: raw.records / (raw.ms / 1000) },
      push,
    };
  } finally {
    await page.evaluate(async () => window.syncBench?.dropAll());
    await server.stop();
  }
}

/** PouchDB with one batch size: fresh server, replicate.from, and on the push dataset edits + replicate.to. */
async function runPouch(size: number, batchSize: number, hash: string, edits: PageEdit[] | null) {
  const { server, ready } = await startPouch(couchPort, size);
  try {
    expect(ready.hash === hash, 'the PouchDB server was seeded with other records than Gridwork');
    console.log(
      `  PouchDB (batch_size ${batchSize}) seeded in ${(ready.seedMs / 1000).toFixed(1)} s; replicate.from …`,
    );
    const options = { dbName: `pouch-bench-sync-${size}`, remoteName: `bench-${size}`, batchSize };
    const pull = await measure(server, () =>
      page.evaluate(async (o) => {
        if (!window.syncBench) throw new Error('bench page did not load');
        return window.syncBench.pouchPull(o);
      }, options),
    );
    expect(
      pull.run.records === size && pull.run.localCount === size,
      `PouchDB wrote ${pull.run.records} and holds ${pull.run.localCount}, not ${size}`,
    );
    let push: { edit: EditRun; push: Measured } | null = null;
    if (edits) {
      console.log(`  PouchDB: ${fmt(edits.length)} offline edits, then replicate.to …`);
      const edit = await page.evaluate(
        async (o) => {
          if (!window.syncBench) throw new Error('bench page did not load');
          return window.syncBench.pouchEdit(o.dbName, o.edits);
        },
        { dbName: options.dbName, edits },
      );
      const pushed = await measure(server, () =>
        page.evaluate(async (o) => {
          if (!window.syncBench) throw new Error('bench page did not load');
          return window.syncBench.pouchPush(o);
        }, options),
      );
      expect(
        pushed.run.records === edits.length && pushed.run.rejected === 0,
        `PouchDB pushed ${pushed.run.records} (${pushed.run.rejected} failed)`,
      );
      push = { edit, push: pushed };
    }
    return { pull, push };
  } finally {
    await page.evaluate(async () => window.syncBench?.dropAll());
    await server.stop();
  }
}

const editRate = (e: EditRun | null) =>
  e ? `${fmt(e.edits / (e.ms / 1000))} edits/s (${(e.ms / 1000).toFixed(2)} s)` : 'unavailable';

try {
  await page.waitForFunction(() => window.syncBench !== undefined);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  for (const size of sizes) {
    console.log(`\n— dataset of ${fmt(size)} records`);
    const hash = datasetHash(size);
    const edits: PageEdit[] | null = size === pushOn ? benchEdits(size, pushEditsCount) : null;
    const gridwork = await runGridwork(size, edits);
    const pouchRuns: {
      batchSize: number;
      result: Awaited<ReturnType<typeof runPouch>> | null;
      error?: string;
    }[] = [];
    for (const batchSize of couchBatchSizes) {
      try {
        pouchRuns.push({ batchSize, result: await runPouch(size, batchSize, hash, edits) });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`  PouchDB (batch_size ${batchSize}) unavailable: ${message}`);
        pouchRuns.push({ batchSize, result: null, error: message });
      }
    }

    const g = gridwork.pull;
    const pull: PullResult = {
      size,
      gridwork: g,
      rawIndexedDb: gridwork.raw,
      metRate: g.recordsPerSecond >= TARGETS.pullRecordsPerSecond,
      vsPouch: pouchRuns.map((p) =>
        compare(g, p.batchSize, p.result?.pull ?? null, TARGETS.pullVsPouch, p.error),
      ),
    };
    pulls.push(pull);
    printTable(`initial sync, ${fmt(size)} records`, [
      ['Gridwork pullChanges', `${fmt(g.recordsPerSecond)} rec/s`, describe(g)],
      [
        'Gridwork rate',
        `${fmt(g.recordsPerSecond)} rec/s`,
        `target ≥ ${fmt(TARGETS.pullRecordsPerSecond)} rec/s ${verdict(pull.metRate)}`,
      ],
      ['Gridwork time split', '', breakdown(g)],
      [
        'Gridwork apply transactions alone',
        `${fmt(size / (g.run.transactionMs / 1000))} rec/s`,
        'bulk writes of the pages, IndexedDB commit included',
      ],
      [
        `raw IndexedDB puts, same rows + indexes, ${fmt(SYNC_LIMITS.defaultPullPage)}/tx`,
        `${fmt(gridwork.raw.recordsPerSecond)} rec/s`,
        `reference for the apply step; whole pull = ${Math.round((100 * g.recordsPerSecond) / gridwork.raw.recordsPerSecond)} % of it`,
      ],
      ...comparisonRows(pull.vsPouch, TARGETS.pullVsPouch, 'replicate.from'),
    ]);

    if (edits && gridwork.push) {
      const gp = gridwork.push.push;
      pushResult = {
        datasetSize: size,
        edits: edits.length,
        gridworkEdit: gridwork.push.edit,
        gridwork: gp,
        vsPouch: pouchRuns.map((p) => ({
          ...compare(gp, p.batchSize, p.result?.push?.push ?? null, TARGETS.pushVsPouch, p.error),
          pouchEdit: p.result?.push?.edit ?? null,
        })),
      };
      printTable(`push of ${fmt(edits.length)} offline edits (dataset ${fmt(size)})`, [
        ['Gridwork pushOutbox', `${fmt(gp.recordsPerSecond)} rec/s`, describe(gp)],
        ['Gridwork time split', '', breakdown(gp)],
        ...comparisonRows(pushResult.vsPouch, TARGETS.pushVsPouch, 'replicate.to'),
        ['local edits, Gridwork commitChange (not in push)', '', editRate(gridwork.push.edit)],
        ...pushResult.vsPouch.map((c): [string, string, string] => [
          `local edits, ${pouchLabel(c.batchSize)} allDocs + bulkDocs`,
          '',
          editRate(c.pouchEdit),
        ]),
      ]);
    }
  }

  const ratioNote = (comparisons: Comparison[], target: number) =>
    comparisons
      .map(
        (c) =>
          `vs batch_size ${c.batchSize}: ${c.pouch ? `${fmt(c.pouch.recordsPerSecond)} rec/s, ${c.speedRatio?.toFixed(2)}×` : 'unavailable'} (≥ ${target}× ${verdict(c.met)})`,
      )
      .join(' · ');
  const summary: [string, string, string?][] = pulls.map((p) => [
    `initial sync ${fmt(p.size)}`,
    `${fmt(p.gridwork.recordsPerSecond)} rec/s`,
    `≥ ${fmt(TARGETS.pullRecordsPerSecond)} rec/s ${verdict(p.metRate)} · PouchDB ${ratioNote(p.vsPouch, TARGETS.pullVsPouch)}`,
  ]);
  if (pushResult)
    summary.push([
      `push ${fmt(pushResult.edits)} edits`,
      `${fmt(pushResult.gridwork.recordsPerSecond)} rec/s`,
      `PouchDB ${ratioNote(pushResult.vsPouch, TARGETS.pushVsPouch)}`,
    ]);
  printTable(
    'bench:sync — summary (Gridwork vs PouchDB 9 ← express-pouchdb 4.2 on the memory adapter)',
    summary,
  );
  const allMet = (values: (boolean | null)[]) =>
    values.includes(null) ? null : values.every(Boolean);

  const file = writeReport('bench-sync', {
    options: { sizes, pushEdits: pushEditsCount, pushOn, couchBatchSizes },
    environment: {
      userAgent,
      node: process.version,
      gridworkServer: 'sync-server/src/main.ts on SQLite (a fresh file per dataset)',
      pouchServer:
        'express-pouchdb 4.2.0 (mode minimumForPouchDB: gzip on) over pouchdb-core 9 + pouchdb-adapter-memory (memdown), a fresh process per run',
      pouchClient: 'pouchdb-browser 9 (idb adapter)',
      bytes:
        'Chromium network events via Playwright request.sizes(): bodies as sent/received (compressed when gzip), headers apart',
      probes:
        'networkMs: summed fetch time until the body arrived (PouchDB fetches overlap, so its sum can exceed the wall time); transactionMs: Gridwork read-write transactions over the synced tables',
    },
    wallSeconds: (Date.now() - started) / 1000,
    targets: TARGETS,
    pulls,
    push: pushResult,
    met: {
      pullRate: pulls.every((p) => p.metRate),
      pullVsPouch: allMet(pulls.flatMap((p) => p.vsPouch.map((c) => c.met))),
      pushVsPouch: pushResult ? allMet(pushResult.vsPouch.map((c) => c.met)) : null,
    },
  });
  console.log(`\nwritten: ${file}`);
} finally {
  await session.close();
  rmSync(dataDir, { recursive: true, force: true });
}
