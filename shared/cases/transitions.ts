import type { CaseStatus } from '../domain/case';

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

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/** Whether `from → to` is a legal step; the reason names the allowed next steps otherwise. */
export function checkCaseTransition(from: CaseStatus, to: CaseStatus): TransitionCheck {
  const allowed = CASE_TRANSITIONS[from];
  if (allowed.includes(to)) return { ok: true };
  return {
    ok: false,
    reason:
      allowed.length === 0
        ? `a case in status ${from} cannot change any more`
        : `a case in status ${from} can only move to ${allowed.join(', ')}, not ${to}`,
  };
}
