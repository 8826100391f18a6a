import type { CaseStatus } from '../domain/case';
import { LIST_SEPARATOR, type Refusal, refusal } from './refusals';

/**
 * The case loop's legal moves (受理 → 派单 → 签收 → 处置中 → 办结 → 回访 → 归档, plus 退单 and
 * 重办). The named operations of `applyCaseOperation.ts` (roles, reasons, extensions,
 * supervision, reopening, merging) only ever make moves this table allows, and narrow them:
 * an open case goes to `archived` only by 合并 (`merge`, closed into its main case), never by
 * 归档, which follows the follow-up call.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  received: ['dispatched', 'archived'],
  dispatched: ['signed', 'returned', 'archived'],
  signed: ['handling', 'returned', 'archived'],
  handling: ['resolved', 'archived'],
  resolved: ['followed-up', 'handling'],
  'followed-up': ['archived', 'handling'],
  archived: [],
  returned: ['dispatched', 'archived'],
};

/** A refusal names the allowed next steps (`statusMove`) or says the case is closed. */
export type TransitionCheck = { ok: true } | ({ ok: false } & Refusal);

/** Whether `from → to` is a legal step; the refusal names the allowed next steps otherwise. */
export function checkCaseTransition(from: CaseStatus, to: CaseStatus): TransitionCheck {
  const allowed = CASE_TRANSITIONS[from];
  if (allowed.includes(to)) return { ok: true };
  const why =
    allowed.length === 0
      ? refusal('statusFinal', { from })
      : refusal('statusMove', { from, allowed: allowed.join(LIST_SEPARATOR), to });
  return { ok: false, ...why };
}
