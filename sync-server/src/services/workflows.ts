import { CaseStatusSchema } from '@shared/domain/case';
import { checkCaseTransition } from '@shared/cases/transitions';
import { fieldClock, type Row } from '@shared/sync/merge';
import type { RecordMutation, RejectionCode, WorkflowMutation } from '@shared/sync/protocol';

/**
 * Named workflow operations. Each checks the operation against the record's CURRENT state on
 * the server (not the device's possibly stale copy) and, when legal, turns it into a plain field
 * change that the normal merge applies. Adding an operation = one entry in `WORKFLOWS`.
 */
export type WorkflowPlan =
  { ok: true; change: RecordMutation } | { ok: false; code: RejectionCode; reason: string };

type Workflow = (
  stored: Row | undefined,
  mutation: WorkflowMutation,
  stamp: string,
) => WorkflowPlan;

const caseTransition: Workflow = (stored, mutation, stamp) => {
  if (mutation.table !== 'cases')
    return { ok: false, code: 'unknown-operation', reason: 'case.transition applies to cases' };
  if (!stored)
    return {
      ok: false,
      code: 'not-found',
      reason: `case ${mutation.recordId} does not exist on the server`,
    };
  const to = CaseStatusSchema.safeParse(mutation.args.to);
  if (!to.success)
    return {
      ok: false,
      code: 'invalid-record',
      reason: `unknown case status: ${String(mutation.args.to)}`,
    };
  const from = CaseStatusSchema.parse(stored.status);
  const check = checkCaseTransition(from, to.data);
  if (!check.ok) return { ok: false, code: 'illegal-transition', reason: check.reason };
  return {
    ok: true,
    change: {
      seq: mutation.seq,
      table: 'cases',
      recordId: mutation.recordId,
      scope: mutation.scope,
      op: 'update',
      fields: { status: to.data },
      // The step was checked against the stored status, so it is not a concurrent edit of it.
      base: { status: fieldClock(stored, 'status') },
      hlc: stamp,
      actorId: mutation.actorId,
      at: mutation.at,
    },
  };
};

export const WORKFLOWS: Readonly<Record<string, Workflow>> = {
  'case.transition': caseTransition,
};

export function planWorkflow(
  stored: Row | undefined,
  mutation: WorkflowMutation,
  stamp: string,
): WorkflowPlan {
  const workflow = WORKFLOWS[mutation.name];
  if (!workflow)
    return { ok: false, code: 'unknown-operation', reason: `unknown operation ${mutation.name}` };
  return workflow(stored, mutation, stamp);
}
