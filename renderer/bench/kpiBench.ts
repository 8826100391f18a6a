import { generateDemoStreet } from '@shared/demo';
import type { Case, CaseEvent } from '@shared/domain/case';
import { computeKpiTables } from '@shared/metrics/kpis';

/**
 * In-page part of `npm run bench:kpi`: generates the demo street's cases and their timelines
 * (not timed), then times `computeKpiTables` — every KPI (三率两度) for every grouping (street,
 * community, grid, department, overall and per month) — as the reports screen computes them.
 */
export interface KpiBenchResult {
  cases: number;
  events: number;
  rows: number;
  runsMs: number[];
  medianMs: number;
  bestMs: number;
}

function log(line: string) {
  const el = document.getElementById('log');
  if (el) el.textContent += `\n${line}`;
}

async function runKpiBench(options: {
  households: number;
  runs: number;
  now: string;
}): Promise<KpiBenchResult> {
  const cases: Case[] = [];
  const events: CaseEvent[] = [];
  for (const batch of generateDemoStreet({
    seed: 42,
    households: options.households,
    now: options.now,
  })) {
    if (batch.table === 'cases') cases.push(...(batch.rows as Case[]));
    else if (batch.table === 'caseEvents') events.push(...(batch.rows as CaseEvent[]));
  }
  log(`${cases.length} cases, ${events.length} events generated`);
  const runsMs: number[] = [];
  let rows = 0;
  for (let run = 0; run < options.runs; run += 1) {
    const t0 = performance.now();
    const tables = computeKpiTables(cases, events, { asOf: options.now });
    runsMs.push(performance.now() - t0);
    rows = Object.values(tables).reduce((n, t) => n + t.total.length + t.monthly.length, 0);
    log(`run ${run + 1}: ${runsMs.at(-1)?.toFixed(0)} ms`);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return {
    cases: cases.length,
    events: events.length,
    rows,
    runsMs,
    medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    bestMs: sorted[0] ?? 0,
  };
}

declare global {
  interface Window {
    runKpiBench?: typeof runKpiBench;
  }
}
window.runKpiBench = runKpiBench;
