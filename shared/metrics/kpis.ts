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

/**
 * What one case contributes to each rate, worked out once per case and shared by every
 * grouping: `elig*` puts it in a denominator, the weight is its share of the numerator.
 */
interface Outcome {
  id: string;
  response: number; // -1 = not counted, else weight 0 | 1
  resolution: number;
  satisfaction: number;
  onTime: number;
  hours: number | null;
  proactive: number;
  repeat: number;
}

type RateKey = 'response' | 'resolution' | 'satisfaction' | 'onTime' | 'proactive' | 'repeat';
const RATE_KEYS: readonly RateKey[] = [
  'response',
  'resolution',
  'satisfaction',
  'onTime',
  'proactive',
  'repeat',
];

/**
 * A rate over a group's members. The drill-down id lists are built when first read: a screen
 * opens a handful of them, while all tables together hold millions.
 */
function rateOf(members: readonly Outcome[], key: RateKey): Rate {
  let numerator = 0;
  let denominator = 0;
  for (const m of members) {
    const w = m[key];
    if (w < 0) continue;
    denominator++;
    numerator += w;
  }
  let ids: { all: string[]; counted: string[] } | undefined;
  const lists = () => {
    if (!ids) {
      ids = { all: [], counted: [] };
      for (const m of members) {
        const w = m[key];
        if (w < 0) continue;
        ids.all.push(m.id);
        if (w > 0) ids.counted.push(m.id);
      }
    }
    return ids;
  };
  return {
    numerator,
    denominator,
    value: denominator === 0 ? null : numerator / denominator,
    get caseIds() {
      return lists().all;
    },
    get numeratorIds() {
      return lists().counted;
    },
  };
}

function medianOf(members: readonly Outcome[]): Median {
  const timed = members.filter((m) => m.hours !== null);
  const sorted = timed.map((m) => m.hours ?? 0).sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const value =
    n === 0
      ? null
      : n % 2 === 1
        ? (sorted[mid] ?? null)
        : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    value,
    count: n,
    get caseIds() {
      return timed.map((m) => m.id);
    },
  };
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

/** What one case contributes, as of `asOfMs`; null for a case received later. */
function outcomeOf(
  f: CaseFacts,
  asOfMs: number,
  basicWeight: number,
  repeats: ReadonlySet<string>,
): Outcome | null {
  if (f.receivedMs > asOfMs) return null;
  // A duplicate merged by `asOf` is judged at the merge: what was settled by then counts (a
  // late response stays late), what was not yet due never comes due (the main case carries it).
  const atMs = f.mergedMs !== null && f.mergedMs <= asOfMs ? f.mergedMs : asOfMs;
  // Clocks not yet stopped by `asOf` are still running.
  const responded = f.respondedMs !== null && f.respondedMs <= atMs ? f.respondedMs : null;
  const resolved = f.resolvedMs !== null && f.resolvedMs <= atMs ? f.resolvedMs : null;
  // 响应率: only once the outcome is known — responded, or the deadline has passed.
  const rd = f.responseDeadlineMs;
  const hd = f.handleDeadlineMs;
  return {
    id: f.id,
    response:
      f.dispatched && rd !== null && (responded !== null || rd <= atMs)
        ? responded !== null && responded <= rd
          ? 1
          : 0
        : -1,
    resolution: f.followUpResolved === null ? -1 : f.followUpResolved ? 1 : 0,
    satisfaction:
      f.satisfaction === null
        ? -1
        : f.satisfaction === 'satisfied'
          ? 1
          : f.satisfaction === 'basically-satisfied'
            ? basicWeight
            : 0,
    onTime:
      hd !== null && (resolved !== null || hd <= atMs)
        ? resolved !== null && resolved <= hd
          ? 1
          : 0
        : -1,
    hours: resolved === null ? null : (resolved - f.receivedMs) / 3_600_000,
    proactive: f.source === 'patrol' || f.source === 'proactive' ? 1 : 0,
    repeat:
      COMPLAINT_SOURCES.has(f.source) && f.location !== null ? (repeats.has(f.id) ? 1 : 0) : -1,
  };
}

function checkedOptions(options: KpiOptions): { asOfMs: number; basicWeight: number } {
  const asOfMs = Date.parse(options.asOf);
  if (Number.isNaN(asOfMs)) throw new RangeError(`asOf is not an instant: ${options.asOf}`);
  const basicWeight = options.basicallySatisfiedWeight ?? 1;
  if (!(basicWeight >= 0 && basicWeight <= 1)) {
    throw new RangeError('basicallySatisfiedWeight must be from 0 to 1');
  }
  return { asOfMs, basicWeight };
}

/** Rows of one grouping from the cases' outcomes (facts and outcomes in the same order). */
function rowsOf(
  facts: readonly CaseFacts[],
  outcomes: readonly (Outcome | null)[],
  groupBy: KpiGroupBy,
  byMonth: boolean,
): KpiRow[] {
  // Nested maps keyed by the facts' own strings: a joined `unit|month` key would allocate and
  // hash a new string per case.
  const groups: { unit: string; month: string | null; members: Outcome[] }[] = [];
  const byUnit = new Map<string, Map<string | null, Outcome[]>>();
  facts.forEach((f, i) => {
    const outcome = outcomes[i];
    if (!outcome) return;
    const unit = unitOf(f, groupBy);
    if (unit === null) return;
    const month = byMonth ? f.month : null;
    let months = byUnit.get(unit);
    if (!months) {
      months = new Map();
      byUnit.set(unit, months);
    }
    let members = months.get(month);
    if (!members) {
      members = [];
      months.set(month, members);
      groups.push({ unit, month, members });
    }
    members.push(outcome);
  });
  const rows: KpiRow[] = groups.map(({ unit, month, members }) => {
    const rates = Object.fromEntries(RATE_KEYS.map((key) => [key, rateOf(members, key)])) as Record<
      RateKey,
      Rate
    >;
    return {
      groupBy,
      unit,
      month,
      caseCount: members.length,
      get caseIds() {
        return members.map((m) => m.id);
      },
      ...rates,
      handlingHours: medianOf(members),
      repeatReduction: null,
    };
  });
  if (byMonth) {
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

/** KPIs of already derived case facts (lets callers reuse facts across several groupings). */
export function kpisOfFacts(
  facts: readonly CaseFacts[],
  repeats: ReadonlySet<string>,
  options: KpiOptions,
): KpiRow[] {
  const { asOfMs, basicWeight } = checkedOptions(options);
  const outcomes = facts.map((f) => outcomeOf(f, asOfMs, basicWeight, repeats));
  return rowsOf(facts, outcomes, options.groupBy ?? 'all', options.byMonth ?? false);
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
 * case facts, repeat complaints and each case's contribution are derived once and shared by
 * the ten groupings.
 */
export function computeKpiTables(
  cases: readonly Case[],
  events: readonly CaseEvent[],
  options: Omit<KpiOptions, 'groupBy' | 'byMonth'>,
): KpiTables {
  const { asOfMs, basicWeight } = checkedOptions(options);
  const facts = caseFacts(cases, events);
  const repeats = findRepeats(facts, options.repeat ?? DEFAULT_REPEAT_OPTIONS);
  // Each case's contribution is worked out once and shared by the ten groupings.
  const outcomes = facts.map((f) => outcomeOf(f, asOfMs, basicWeight, repeats));
  const both = (groupBy: KpiGroupBy) => ({
    total: rowsOf(facts, outcomes, groupBy, false),
    monthly: rowsOf(facts, outcomes, groupBy, true),
  });
  return {
    all: both('all'),
    street: both('street'),
    community: both('community'),
    grid: both('grid'),
    department: both('department'),
  };
}
