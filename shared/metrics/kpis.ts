import type { Case, CaseEvent } from '../domain/case';
import { caseFacts, type CaseFacts } from './caseFacts';
import {
  COMPLAINT_SOURCES,
  DEFAULT_REPEAT_OPTIONS,
  findRepeats,
  type RepeatOptions,
} from './repeats';

/**
 * 三率两度 (issue 6 item 7): one implementation for the app and the server, pure over case and
 * case-event rows. Every definition is written down in DEFINITIONS.md; keep the two in step.
 */

/** A ratio with the cases behind it, for drill-down. `value` is null when nothing qualifies. */
export interface Rate {
  /** May be fractional where a weight applies (基本满意 in 满意率). */
  numerator: number;
  denominator: number;
  value: number | null;
  /** Cases in the denominator. */
  caseIds: string[];
  /** Cases counted (fully or with a weight) in the numerator. */
  numeratorIds: string[];
}

/** A median in hours with the cases it was taken over. */
export interface Median {
  value: number | null;
  count: number;
  caseIds: string[];
}

export interface KpiSet {
  /** Cases received in the group (the base for drill-down to everything). */
  caseCount: number;
  caseIds: string[];
  /** 响应率: dispatched cases first contacted within the response limit. */
  response: Rate;
  /** 解决率: requesters who said at follow-up that the matter was solved. */
  resolution: Rate;
  /** 满意率: 满意 + weight × 基本满意 over requesters who rated. */
  satisfaction: Rate;
  /** 办理速度 (1): resolved within the handling limit. */
  onTime: Rate;
  /** 办理速度 (2): median hours from receipt to (latest) resolution. */
  handlingHours: Median;
  /** 治理深度 (1): cases found by patrol or acted on before a complaint (未诉先办). */
  proactive: Rate;
  /** 治理深度 (2): complaints repeating an earlier case nearby (lower is better). */
  repeat: Rate;
  /**
   * 治理深度 (2), trend: previous month's repeat rate minus this month's (positive = fewer
   * repeats). Only on monthly rows with both months rated; null otherwise.
   */
  repeatReduction: number | null;
}

export type KpiGroupBy = 'all' | 'street' | 'community' | 'grid' | 'department';

export interface KpiRow extends KpiSet {
  groupBy: KpiGroupBy;
  /** The unit's code (grid, community, street), department id, or 'all'. */
  unit: string;
  /** `YYYY-MM` (Beijing) when split by month, else null. */
  month: string | null;
}

export interface KpiOptions {
  /** The moment the KPIs are taken at: later events are not seen, open clocks are judged here. */
  asOf: string;
  groupBy?: KpiGroupBy;
  byMonth?: boolean;
  /** Weight of 基本满意 in 满意率 (default 1: counted as satisfied; see DEFINITIONS.md). */
  basicallySatisfiedWeight?: number;
  repeat?: RepeatOptions;
}

class RateAcc {
  num = 0;
  den = 0;
  ids: string[] = [];
  numIds: string[] = [];
  add(id: string, weight: number): void {
    this.den++;
    this.ids.push(id);
    if (weight > 0) {
      this.num += weight;
      this.numIds.push(id);
    }
  }
  done(): Rate {
    return {
      numerator: this.num,
      denominator: this.den,
      value: this.den === 0 ? null : this.num / this.den,
      caseIds: this.ids,
      numeratorIds: this.numIds,
    };
  }
}

class GroupAcc {
  ids: string[] = [];
  response = new RateAcc();
  resolution = new RateAcc();
  satisfaction = new RateAcc();
  onTime = new RateAcc();
  hours: { h: number; id: string }[] = [];
  proactive = new RateAcc();
  repeat = new RateAcc();
}

function median(values: { h: number; id: string }[]): Median {
  const sorted = values.map((v) => v.h).sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const value =
    n === 0
      ? null
      : n % 2 === 1
        ? (sorted[mid] ?? null)
        : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { value, count: n, caseIds: values.map((v) => v.id) };
}

function unitOf(f: CaseFacts, groupBy: KpiGroupBy): string | null {
  switch (groupBy) {
    case 'all':
      return 'all';
    case 'street':
      return f.streetCode;
    case 'community':
      return f.communityCode;
    case 'grid':
      return f.gridCode;
    case 'department':
      return f.leadDepartmentId;
  }
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Adds one case to its group's accumulators. */
function accumulate(
  g: GroupAcc,
  f: CaseFacts,
  asOfMs: number,
  basicWeight: number,
  repeats: ReadonlySet<string>,
): void {
  g.ids.push(f.id);
  // Clocks not yet stopped by `asOf` are still running.
  const responded = f.respondedMs !== null && f.respondedMs <= asOfMs ? f.respondedMs : null;
  const resolved = f.resolvedMs !== null && f.resolvedMs <= asOfMs ? f.resolvedMs : null;

  // 响应率: only once the outcome is known — responded, or the deadline has passed.
  const rd = f.responseDeadlineMs;
  if (f.dispatched && rd !== null && (responded !== null || rd <= asOfMs)) {
    g.response.add(f.id, responded !== null && responded <= rd ? 1 : 0);
  }
  if (f.followUpResolved !== null) g.resolution.add(f.id, f.followUpResolved ? 1 : 0);
  if (f.satisfaction !== null) {
    const w =
      f.satisfaction === 'satisfied'
        ? 1
        : f.satisfaction === 'basically-satisfied'
          ? basicWeight
          : 0;
    g.satisfaction.add(f.id, w);
  }
  const hd = f.handleDeadlineMs;
  if (hd !== null && (resolved !== null || hd <= asOfMs)) {
    g.onTime.add(f.id, resolved !== null && resolved <= hd ? 1 : 0);
  }
  if (resolved !== null) g.hours.push({ h: (resolved - f.receivedMs) / 3_600_000, id: f.id });
  g.proactive.add(f.id, f.source === 'patrol' || f.source === 'proactive' ? 1 : 0);
  if (COMPLAINT_SOURCES.has(f.source) && f.location !== null) {
    g.repeat.add(f.id, repeats.has(f.id) ? 1 : 0);
  }
}

/** KPIs of already derived case facts (lets callers reuse facts across several groupings). */
export function kpisOfFacts(
  facts: readonly CaseFacts[],
  repeats: ReadonlySet<string>,
  options: KpiOptions,
): KpiRow[] {
  const asOfMs = Date.parse(options.asOf);
  if (Number.isNaN(asOfMs)) throw new RangeError(`asOf is not an instant: ${options.asOf}`);
  const groupBy = options.groupBy ?? 'all';
  const basicWeight = options.basicallySatisfiedWeight ?? 1;
  if (!(basicWeight >= 0 && basicWeight <= 1)) {
    throw new RangeError('basicallySatisfiedWeight must be from 0 to 1');
  }
  // Nested maps keyed by the facts' own strings: a joined `unit|month` key would allocate and
  // hash a new string per case (it was most of the cost of a grouping).
  const groups: { unit: string; month: string | null; acc: GroupAcc }[] = [];
  const byUnit = new Map<string, Map<string | null, GroupAcc>>();
  for (const f of facts) {
    if (f.receivedMs > asOfMs) continue;
    const unit = unitOf(f, groupBy);
    if (unit === null) continue;
    const month = options.byMonth ? f.month : null;
    let months = byUnit.get(unit);
    if (!months) {
      months = new Map();
      byUnit.set(unit, months);
    }
    let acc = months.get(month);
    if (!acc) {
      acc = new GroupAcc();
      months.set(month, acc);
      groups.push({ unit, month, acc });
    }
    accumulate(acc, f, asOfMs, basicWeight, repeats);
  }
  const rows: KpiRow[] = groups.map(({ unit, month, acc }) => ({
    groupBy,
    unit,
    month,
    caseCount: acc.ids.length,
    caseIds: acc.ids,
    response: acc.response.done(),
    resolution: acc.resolution.done(),
    satisfaction: acc.satisfaction.done(),
    onTime: acc.onTime.done(),
    handlingHours: median(acc.hours),
    proactive: acc.proactive.done(),
    repeat: acc.repeat.done(),
    repeatReduction: null,
  }));
  if (options.byMonth) {
    const byKey = new Map(rows.map((r) => [`${r.unit}|${r.month ?? ''}`, r]));
    for (const r of rows) {
      const prev = r.month === null ? undefined : byKey.get(`${r.unit}|${previousMonth(r.month)}`);
      const before = prev?.repeat.value ?? null;
      const now = r.repeat.value;
      r.repeatReduction = before === null || now === null ? null : before - now;
    }
  }
  return rows.sort((a, b) =>
    a.unit === b.unit ? (a.month ?? '').localeCompare(b.month ?? '') : a.unit.localeCompare(b.unit),
  );
}

/**
 * 三率两度 for a set of cases and their events, grouped per street, community, grid or lead
 * department (or all together), optionally per Beijing month of receipt.
 */
export function computeKpis(
  cases: readonly Case[],
  events: readonly CaseEvent[],
  options: KpiOptions,
): KpiRow[] {
  const facts = caseFacts(cases, events);
  const repeats = findRepeats(facts, options.repeat ?? DEFAULT_REPEAT_OPTIONS);
  return kpisOfFacts(facts, repeats, options);
}

/** Every grouping, overall and per month. */
export type KpiTables = Record<KpiGroupBy, { total: KpiRow[]; monthly: KpiRow[] }>;

/**
 * All KPI tables at once (what the ranking screen, the monthly report and `bench:kpi` need):
 * case facts and repeat complaints are derived once and shared by the ten groupings.
 */
export function computeKpiTables(
  cases: readonly Case[],
  events: readonly CaseEvent[],
  options: Omit<KpiOptions, 'groupBy' | 'byMonth'>,
): KpiTables {
  const facts = caseFacts(cases, events);
  const repeats = findRepeats(facts, options.repeat ?? DEFAULT_REPEAT_OPTIONS);
  const both = (groupBy: KpiGroupBy) => ({
    total: kpisOfFacts(facts, repeats, { ...options, groupBy }),
    monthly: kpisOfFacts(facts, repeats, { ...options, groupBy, byMonth: true }),
  });
  return {
    all: both('all'),
    street: both('street'),
    community: both('community'),
    grid: both('grid'),
    department: both('department'),
  };
}
