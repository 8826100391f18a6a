import { DateSchema } from '../domain/common';

/**
 * What the 权责清单 and 负面清单 edits share: rows with an effective period (both ends
 * inclusive, Beijing calendar dates), and plans — the writes an edit makes, or why it is refused.
 */

/** The calendar date `days` after `date` (YYYY-MM-DD; negative goes back). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A row with an effective period, both ends inclusive; `effectiveTo` null = open-ended. */
export interface Dated {
  effectiveFrom: string;
  effectiveTo: string | null;
}

/** Where a dated row stands on `today`: ended, in force, or not yet in force. */
export type DatedStatus = 'past' | 'current' | 'future';

export function datedStatus(row: Dated, today: string): DatedStatus {
  if (row.effectiveTo !== null && row.effectiveTo < today) return 'past';
  return row.effectiveFrom > today ? 'future' : 'current';
}

/** True when the two periods share at least one day. */
export function periodsOverlap(a: Dated, b: Dated): boolean {
  const end = (d: Dated) => d.effectiveTo ?? '9999-12-31';
  return a.effectiveFrom <= end(b) && b.effectiveFrom <= end(a);
}

/** Why a plan was refused; `key` names a message, `field` the form item to show it on. */
export type RuleIssueKey =
  | 'category'
  | 'area'
  | 'lead'
  | 'leadInCo'
  | 'coTwice'
  | 'limit'
  | 'date'
  | 'toBeforeFrom'
  | 'basis'
  | 'overlap'
  | 'fromNotAfterPrevious'
  | 'negativeList'
  | 'description'
  | 'notEditable';

export interface RuleIssue<F extends string = string> {
  field: F | null;
  key: RuleIssueKey;
  params?: Record<string, string | number>;
}

/** A write a plan asks for; the caller commits it (with its envelope and outbox entry). */
export type PlannedWrite<D> =
  | { op: 'create'; data: D }
  | { op: 'update'; id: string; patch: Partial<D> }
  | { op: 'delete'; id: string };

export type Plan<D, F extends string> =
  { ok: true; writes: PlannedWrite<D>[] } | { ok: false; issues: RuleIssue<F>[] };

/** A refused plan. */
export function refuse<D, F extends string>(...issues: RuleIssue<F>[]): Plan<D, F> {
  return { ok: false, issues };
}

/** Date checks of a period: valid dates, and the end not before the start. */
export function checkPeriod<F extends string>(
  period: Dated,
  fromField: F,
  toField: F,
): RuleIssue<F>[] {
  const issues: RuleIssue<F>[] = [];
  if (!DateSchema.safeParse(period.effectiveFrom).success)
    issues.push({ field: fromField, key: 'date' });
  if (period.effectiveTo !== null && !DateSchema.safeParse(period.effectiveTo).success)
    issues.push({ field: toField, key: 'date' });
  else if (period.effectiveTo !== null && period.effectiveTo < period.effectiveFrom)
    issues.push({ field: toField, key: 'toBeforeFrom' });
  return issues;
}
