import { beijingDate } from '@shared/calendar/workdays';
import type { Case, CaseEvent } from '@shared/domain/case';
import {
  computeKpis,
  type KpiGroupBy,
  type KpiRow,
  type RankMetric,
  type RankedUnit,
  rankUnits,
} from '@shared/metrics';

/** The metrics of 三率两度 in the order the ranking screen shows them. */
export const REPORT_METRICS: readonly RankMetric[] = [
  'response',
  'resolution',
  'satisfaction',
  'onTime',
  'handlingHours',
  'proactive',
  'repeat',
];

export type ReportGroupBy = Extract<KpiGroupBy, 'community' | 'grid' | 'department'>;

/** Beijing months (`YYYY-MM`) in which cases were received, newest first. */
export function monthsOf(cases: readonly Pick<Case, 'receivedAt' | 'deleted'>[]): string[] {
  const months = new Set<string>();
  for (const c of cases) if (!c.deleted) months.add(beijingDate(new Date(c.receivedAt)).slice(0, 7));
  return [...months].sort().reverse();
}

/** One month's KPI rows for a grouping, taken at `asOf`. */
export function monthRows(
  cases: readonly Case[],
  events: readonly CaseEvent[],
  groupBy: ReportGroupBy,
  month: string,
  asOf: Date,
): KpiRow[] {
  return computeKpis(cases, events, { asOf: asOf.toISOString(), groupBy, byMonth: true }).filter(
    (row) => row.month === month,
  );
}

/** The rows ranked by one metric (units with too few cases listed last, unranked). */
export function rankRows(rows: readonly KpiRow[], metric: RankMetric, minCases = 10): RankedUnit[] {
  return rankUnits(rows, metric, { minCases });
}

/** Which cases a clicked number stands for. */
export type DrillPart = 'numerator' | 'denominator' | 'all';

/** The ids of the cases behind one number of a row, for the drill-down list. */
export function drillIds(row: KpiRow, metric: RankMetric | 'cases', part: DrillPart): string[] {
  if (metric === 'cases' || part === 'all') return row.caseIds;
  if (metric === 'handlingHours') return row.handlingHours.caseIds;
  return part === 'numerator' ? row[metric].numeratorIds : row[metric].caseIds;
}

/** A metric's value as shown: rates in percent, handling time in hours. */
export function formatMetric(metric: RankMetric, value: number | null): string {
  if (value === null) return '—';
  if (metric === 'handlingHours') return value.toFixed(1);
  return `${(value * 100).toFixed(1)}%`;
}

/** The number and the sample of a metric in one row (the two clickable numbers). */
export function metricCell(
  row: KpiRow,
  metric: RankMetric,
): { value: number | null; numerator: number | null; denominator: number } {
  if (metric === 'handlingHours') {
    return { value: row.handlingHours.value, numerator: null, denominator: row.handlingHours.count };
  }
  const rate = row[metric];
  return { value: rate.value, numerator: rate.numerator, denominator: rate.denominator };
}
