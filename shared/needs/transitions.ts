import type { NeedStatus } from '../domain/need';

/**
 * The life of a need (需求), one step at a time:
 *
 *   (new) → identified 已发现 → verified 已核实 → matched 已对接 → in-service 服务中
 *         → fulfilled 已满足 → reviewed 已回访
 *
 * A pure table so the renderer (which buttons to offer) and the sync server (which changes to
 * accept) agree. Only forward single steps exist: skipping verification would let unchecked
 * needs reach the 需求清单, and a step back is recorded as a new need rather than rewriting
 * history (NeedEvents are append-only).
 */
export const NEED_TRANSITIONS: Readonly<Record<NeedStatus, readonly NeedStatus[]>> = {
  identified: ['verified'],
  verified: ['matched'],
  matched: ['in-service'],
  'in-service': ['fulfilled'],
  fulfilled: ['reviewed'],
  reviewed: [],
};

/** The status every need starts in: the `to` of its first NeedEvent (`from` null). */
export const INITIAL_NEED_STATUS: NeedStatus = 'identified';

/** The statuses a need in `from` may move to; `null` means the need is being created. */
export function nextNeedStatuses(from: NeedStatus | null): readonly NeedStatus[] {
  return from === null ? [INITIAL_NEED_STATUS] : NEED_TRANSITIONS[from];
}

/** Whether a need may move from `from` (null = being created) to `to`. */
export function canTransitionNeed(from: NeedStatus | null, to: NeedStatus): boolean {
  return nextNeedStatuses(from).includes(to);
}

/** Whether no further status change is possible. */
export function isFinalNeedStatus(status: NeedStatus): boolean {
  return NEED_TRANSITIONS[status].length === 0;
}
