import type { ImportBenchResult } from '../../renderer/bench/importBench';
import { numberArg, openBenchPage, printTable, writeReport } from './harness';

/**
 * npm run bench:import [-- --rows 10000]
 * Target (issue 4): a 10k-row xlsx ledger parsed, validated and imported in under 10 s in
 * Chromium, all rows in one transaction.
 */
const rows = numberArg('rows', 10_000);
const TARGET_MS = 10_000;

const session = await openBenchPage('bench/import.html');
try {
  await session.page.waitForFunction(() => typeof window.runImportBench === 'function');
  const result: ImportBenchResult = await session.page.evaluate((n) => {
    if (!window.runImportBench) throw new Error('bench page did not load');
    return window.runImportBench({ rows: n });
  }, rows);
  const met = result.totalMs < TARGET_MS;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  printTable(`bench:import — ${rows} rows, xlsx ${(result.fileBytes / 1024).toFixed(0)} KiB`, [
    ['parse (exceljs)', s(result.parseMs)],
    [
      'validate (load grid + check rows)',
      s(result.validateMs),
      `${result.valid} valid, ${result.invalid} reported`,
    ],
    [
      'write (one transaction)',
      s(result.writeMs),
      `${result.households} households + ${result.residents} residents + outbox`,
    ],
    ['total', s(result.totalMs), `target < ${TARGET_MS / 1000} s ${met ? 'met' : 'MISSED'}`],
    ['rows / s', `${Math.round((rows / result.totalMs) * 1000)}`],
  ]);
  const file = writeReport('bench-import', { targetMs: TARGET_MS, met, ...result });
  console.log(`\nwritten: ${file}`);
} finally {
  await session.close();
}
