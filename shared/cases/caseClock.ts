import type { Case } from '../domain/case';

/**
 * Countdowns for case lists: which deadline is running, how long is left, and whether it is
 * due soon or overdue. One implementation for the lists, the 督办 check and the KPIs.
 */

export type ClockState = 'ok' | 'due-soon' | 'overdue';

export interface CaseClock {
  state: ClockState;
  /** Time left until the deadline; negative once it has passed. */
  remainingMs: number;
  /** 响应时限 until someone signs for the case, then 办理时限 until it is resolved. */
  which: 'response' | 'handle';
  deadline: string;
}

/** How close a deadline must be to count as due soon. */
export interface DueSoonThresholds {
  responseMs: number;
  handleMs: number;
}

/** Two hours before a response deadline, one day before a handling deadline. */
export const DEFAULT_DUE_SOON: DueSoonThresholds = {
  responseMs: 2 * 3_600_000,
  handleMs: 24 * 3_600_000,
};

/** Statuses in which nobody has responded to the case yet. */
const AWAITING_RESPONSE = new Set<Case['status']>(['received', 'dispatched', 'returned']);
/** Statuses in which the handling clock no longer runs. */
const STOPPED = new Set<Case['status']>(['resolved', 'followed-up', 'archived']);

type ClockFields = Pick<Case, 'status' | 'respondedAt' | 'responseDeadline' | 'handleDeadline'>;

/**
 * The running clock of a case at `now`, or null when none runs (resolved, closed, or no
 * deadline set). An overdue response deadline wins over the handling deadline: a case nobody
 * has signed for is late even if its handling time has not yet run out.
 */
export function caseClock(
  c: ClockFields,
  now: Date,
  thresholds: DueSoonThresholds = DEFAULT_DUE_SOON,
): CaseClock | null {
  if (STOPPED.has(c.status)) return null;
  const at = now.getTime();
  if (c.respondedAt === null && AWAITING_RESPONSE.has(c.status) && c.responseDeadline !== null) {
    const remainingMs = Date.parse(c.responseDeadline) - at;
    const response = clockOf('response', c.responseDeadline, remainingMs, thresholds.responseMs);
    if (response.state === 'overdue' || c.handleDeadline === null) return response;
    const handle = clockOf(
      'handle',
      c.handleDeadline,
      Date.parse(c.handleDeadline) - at,
      thresholds.handleMs,
    );
    // Whichever needs attention first.
    return handle.state === 'overdue' ? handle : response;
  }
  if (c.handleDeadline === null) return null;
  return clockOf(
    'handle',
    c.handleDeadline,
    Date.parse(c.handleDeadline) - at,
    thresholds.handleMs,
  );
}

function clockOf(
  which: CaseClock['which'],
  deadline: string,
  remainingMs: number,
  dueSoonMs: number,
): CaseClock {
  const state: ClockState =
    remainingMs < 0 ? 'overdue' : remainingMs <= dueSoonMs ? 'due-soon' : 'ok';
  return { state, remainingMs, which, deadline };
}

/** Whether any deadline of the case has passed (the condition for 督办). */
export function isOverdue(c: ClockFields, now: Date): boolean {
  return caseClock(c, now)?.state === 'overdue';
}
