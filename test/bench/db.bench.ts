import type { DbBenchResult } from '../../renderer/bench/dbBench';
import { numberArg, openBenchPage, printTable, writeReport } from './harness';

/**
 * npm run bench:db [-- --households 50000 --cases-per-household 3]
 * Targets (DESIGN §9, issue 2): app write rate ≥ 70 % of the raw IndexedDB ceiling measured in
 * the same run; median resident search < 100 ms over 150k residents.
 */
const households = numberArg('households', 50_000);
const casesPerHousehold = numberArg('cases-per-household', 3);
const options = { seed: 42, households, casesPerHousehold, now: '2026-11-29T00:00:00.000Z' };

const session = await openBenchPage('bench/db.html');
try {
  await session.page.waitForFunction(() => typeof window.runDbBench === 'function');
  const started = Date.now();
  const result: DbBenchResult = await session.page.evaluate((opts) => {
    if (!window.runDbBench) throw new Error('bench page did not load');
    return window.runDbBench(opts);
  }, options);
  const ratioOk = result.ratio >= 0.7;
  const searchOk = result.searchMedianMs < 100;
  printTable(
    `bench:db — ${households} households, ${result.residents} residents, ${result.records} records`,
    [
      [
        'app load (validate + keys + Dexie)',
        `${Math.round(result.appRate)} rec/s`,
        `${(result.appMs / 1000).toFixed(1)} s`,
      ],
      [
        'raw IndexedDB ceiling (same indexes)',
        `${Math.round(result.rawRate)} rec/s`,
        `${(result.rawMs / 1000).toFixed(1)} s`,
      ],
      [
        'app / ceiling',
        `${(result.ratio * 100).toFixed(1)} %`,
        `target ≥ 70 % ${ratioOk ? 'met' : 'MISSED'}`,
      ],
      [
        'resident search median',
        `${result.searchMedianMs.toFixed(1)} ms`,
        `target < 100 ms ${searchOk ? 'met' : 'MISSED'}`,
      ],
      [
        'resident search p95',
        `${result.searchP95Ms.toFixed(1)} ms`,
        `${result.searches.length} queries`,
      ],
    ],
  );
  const file = writeReport('bench-db', {
    options,
    wallSeconds: (Date.now() - started) / 1000,
    targets: { ratio: 0.7, searchMedianMs: 100 },
    met: { ratio: ratioOk, search: searchOk },
    ...result,
  });
  console.log(`\nwritten: ${file}`);
} finally {
  await session.close();
}
