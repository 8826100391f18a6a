import { z } from 'zod';
import type { CaseEventDraft, CasePatch } from './applyCaseOperation';

/**
 * How one step of the case loop travels (protocol 3, PROTOCOL.md §3.2): ONE workflow mutation
 * `case.op` on the case, `args: { op, eventIds }`. The device applies the step at once with
 * `applyCaseOperation` and the server re-runs it against its stored case; both write the same
 * timeline rows because the device chooses their ids (`eventIds`, one per event, in order).
 */
export const CASE_OPERATION = 'case.op';

export const CaseOpArgsSchema = z.strictObject({
  /** The step as the person gave it (`CaseOperationSchema` input; parsed by applyCaseOperation). */
  op: z.record(z.string(), z.unknown()),
  /**
   * Ids of the timeline events the step appends, in the order applyCaseOperation returns them
   * (合并 appends two: the duplicate's, then the main case's, written in the main case's scope).
   */
  eventIds: z.array(z.uuid()).max(8),
});
export type CaseOpArgs = z.infer<typeof CaseOpArgsSchema>;

/**
 * The case fields only the loop's steps change. A plain `update` of a case that changes one of
 * them is refused by the server (`illegal-transition`): the step would escape the state machine.
 */
export const CASE_LOOP_FIELDS: ReadonlySet<keyof CasePatch> = new Set<keyof CasePatch>([
  'status',
  'leadDepartmentId',
  'coDepartmentIds',
  'responseDeadline',
  'handleDeadline',
  'respondedAt',
  'resolvedAt',
  'closedAt',
  'followUp',
  'supervised',
  'reopenCount',
  'extensionRequest',
  'summons',
  'mergedIntoId',
  'links',
]);

/**
 * The time a step is taken at: the device's `at`, but never later than the server's clock plus
 * the allowed skew (the same bound as for clocks), so a device with a wrong clock cannot date
 * a step into the future. The device applies it with the same instant, so both ends agree.
 */
export function caseOpInstant(at: string, serverNowMs: number, maxSkewMs: number): Date {
  return new Date(Math.min(Date.parse(at), serverNowMs + maxSkewMs));
}

/** The timeline rows of a step: the drafts with the device's ids and the case's scope. */
export function caseEventRows(
  drafts: readonly CaseEventDraft[],
  eventIds: readonly string[],
): { id: string; data: CaseEventDraft }[] | null {
  if (drafts.length !== eventIds.length) return null;
  return drafts.map((data, i) => ({ id: eventIds[i] ?? '', data }));
}
