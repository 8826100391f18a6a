import { CaseStatusSchema } from '@shared/domain/case';
import { checkCaseTransition } from '@shared/cases/transitions';
import { fieldClock, type Row } from '@shared/sync/merge';
import {
  isRescopeTarget,
  RESCOPE_OPERATION,
  RESCOPE_TABLES,
  type RecordMutation,
  type RejectionCode,
  type WorkflowMutation,
} from '@shared/sync/protocol';

/**
 * Named workflow operations. Each checks the operation against the record's CURRENT state on
 * the server (not the device's possibly stale copy) and, when legal, turns it into a plain field
 * change that the normal merge applies — or, for `record.rescope`, into a move of the row to
 * another scope, which the sync service applies after checking access to both scopes. Adding an
 * operation = one entry in `WORKFLOWS`.
 */
export type WorkflowPlan =
  | { ok: true; change: RecordMutation }
  | { ok: true; rescope: Rescope }
  | { ok: false; code: RejectionCode; reason: string };

/** A checked move of a row from the scope it is stored in to another one. */
export interface Rescope {
  from: string;
  to: string;
  /** The row as it will be stored in `to` (scope and `updatedAt` changed, nothing else). */
  record: Row;
}

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

/**
 * `record.rescope { toScope }`: moves a live row of a rescopable table to another valid scope.
 * Whether the user may write both scopes is the sync service's check (it knows the memberships).
 */
const recordRescope: Workflow = (stored, mutation) => {
  const { table, recordId } = mutation;
  if (!RESCOPE_TABLES[table])
    return { ok: false, code: 'unknown-operation', reason: `${table} rows cannot change scope` };
  const to = mutation.args.toScope;
  if (!isRescopeTarget(table, to))
    return {
      ok: false,
      code: 'invalid-record',
      reason: `${String(to)} is not a valid scope for ${table} (a grid code)`,
    };
  if (!stored)
    return {
      ok: false,
      code: 'not-found',
      reason: `${table}/${recordId} does not exist on the server`,
    };
  if (stored.deleted === true)
    return { ok: false, code: 'not-found', reason: `${table}/${recordId} is deleted` };
  const updatedAt = String(stored.updatedAt) < mutation.at ? mutation.at : stored.updatedAt;
  return {
    ok: true,
    rescope: { from: String(stored.scope), to, record: { ...stored, scope: to, updatedAt } },
  };
};

export const WORKFLOWS: Readonly<Record<string, Workflow>> = {
  'case.transition': caseTransition,
  [RESCOPE_OPERATION]: recordRescope,
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
