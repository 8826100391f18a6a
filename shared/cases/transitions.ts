import type { CaseStatus } from '../domain/case';

/**
 * The case loop's legal moves (受理 → 派单 → 签收 → 处置中 → 办结 → 回访 → 归档, plus 退单 and
 * 重办). One table used by the app before it writes and by the server before it accepts a
 * `case.transition` operation. The named operations of `applyCaseOperation.ts` (roles, reasons,
 * extensions, supervision, reopening) only ever make moves this table allows, so a server that
 * adopts them stays a superset of this check.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  received: ['dispatched'],
  dispatched: ['signed', 'returned'],
  signed: ['handling', 'returned'],
  handling: ['resolved'],
  resolved: ['followed-up', 'handling'],
  'followed-up': ['archived', 'handling'],
  archived: [],
  returned: ['dispatched'],
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
