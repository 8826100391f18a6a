import type { KpiRow } from './kpis';

/**
 * Monthly rankings (排名) of units by one KPI. Equal values share a rank (1, 2, 2, 4); units whose
 * sample is below `minCases` are flagged and listed after the ranked ones without a rank, since a
 * rate over three cases says little and would swing the table.
 */

export type RankMetric =
  'response' | 'resolution' | 'satisfaction' | 'onTime' | 'handlingHours' | 'proactive' | 'repeat';

/** Metrics where a lower value is better. */
const LOWER_IS_BETTER: ReadonlySet<RankMetric> = new Set(['handlingHours', 'repeat']);

export interface RankedUnit {
  row: KpiRow;
  value: number | null;
  /** Cases the value rests on (the rate's denominator or the median's count). */
  sample: number;
  /** 1-based; null for units not ranked (too few cases or no value). */
  rank: number | null;
  /** Another ranked unit has the same value. */
  tied: boolean;
  tooFewCases: boolean;
}

export interface RankOptions {
  /** Smallest sample a unit needs to be ranked (default 10). */
  minCases?: number;
}

function valueOf(row: KpiRow, metric: RankMetric): { value: number | null; sample: number } {
  if (metric === 'handlingHours') {
    return { value: row.handlingHours.value, sample: row.handlingHours.count };
  }
  const rate = row[metric];
  return { value: rate.value, sample: rate.denominator };
}

/** Ranks rows (usually one grouping and one month) by a metric, best first. */
export function rankUnits(
  rows: readonly KpiRow[],
  metric: RankMetric,
  options: RankOptions = {},
): RankedUnit[] {
  const minCases = options.minCases ?? 10;
  const sign = LOWER_IS_BETTER.has(metric) ? 1 : -1;
  const all = rows.map((row) => {
    const { value, sample } = valueOf(row, metric);
    return { row, value, sample, rank: null, tied: false, tooFewCases: sample < minCases };
  });
  const byUnit = (a: RankedUnit, b: RankedUnit) => a.row.unit.localeCompare(b.row.unit);
  const ranked: RankedUnit[] = all
    .filter((u) => !u.tooFewCases && u.value !== null)
    .sort((a, b) => sign * ((a.value ?? 0) - (b.value ?? 0)) || byUnit(a, b));
  ranked.forEach((u, i) => {
    const prev = ranked[i - 1];
    u.rank = prev && prev.value === u.value ? prev.rank : i + 1;
    if (prev && prev.value === u.value) {
      u.tied = true;
      prev.tied = true;
    }
  });
  const rest: RankedUnit[] = all
    .filter((u) => u.tooFewCases || u.value === null)
    .sort((a, b) => b.sample - a.sample || byUnit(a, b));
  return [...ranked, ...rest];
}
