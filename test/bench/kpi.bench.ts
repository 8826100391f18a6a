import type { KpiBenchResult } from '../../renderer/bench/kpiBench';
import { numberArg, openBenchPage, printTable, writeReport } from './harness';

/**
 * npm run bench:kpi [-- --households 50000 --runs 3]
 * Target (issue 6): every KPI (三率两度, all groupings, overall and per month) for 150k cases
 * computed in Chromium in under 2 s. The demo street has 3 cases per household.
 */
const households = numberArg('households', 50_000);
const runs = numberArg('runs', 3);
const TARGET_MS = 2_000;
const NOW = '2026-11-29T06:00:00.000Z';

const session = await openBenchPage('bench/kpi.html');
try {
  await session.page.waitForFunction(() => typeof window.runKpiBench === 'function');
  const result: KpiBenchResult = await session.page.evaluate(
    (options) => {
      if (!window.runKpiBench) throw new Error('bench page did not load');
      return window.runKpiBench(options);
    },
    { households, runs, now: NOW },
  );
  const met = result.medianMs < TARGET_MS;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  printTable(`bench:kpi — ${result.cases} cases, ${result.events} timeline events`, [
    [
      'all KPI tables, median',
      s(result.medianMs),
      `target < ${TARGET_MS / 1000} s ${met ? 'met' : 'MISSED'}`,
    ],
    ['best run', s(result.bestMs), `${runs} runs: ${result.runsMs.map((ms) => s(ms)).join(', ')}`],
    ['rows computed', String(result.rows), 'units × (total + months) over every grouping'],
  ]);
  const file = writeReport('bench-kpi', { targetMs: TARGET_MS, met, households, ...result });
  console.log(`\nwritten: ${file}`);
} finally {
  await session.close();
}
