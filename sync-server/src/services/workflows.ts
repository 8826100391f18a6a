import { type Case, CaseSchema } from '@shared/domain/case';
import { applyCaseOperation, mayAct, type RefusalCode } from '@shared/cases/applyCaseOperation';
import { CASE_OPERATION, CaseOpArgsSchema, caseEventRows } from '@shared/cases/caseOpMutation';
import { type CaseActor, type CaseOperationType, relatedCaseId } from '@shared/cases/operations';
import { type Refusal, type RefusalKey, type RefusalParams, refusal } from '@shared/cases/refusals';
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
  /** A field change, plus (case.op) rows to create with it, all or nothing. */
  | { ok: true; change: RecordMutation; creates?: RecordMutation[] }
  | { ok: true; rescope: Rescope }
  | WorkflowRefusal;

/**
 * A refused operation: the English reason, and for the case loop's refusals their message key
 * and parameters (`reasonKey`, `reasonParams` on the wire), which the app says in its language.
 */
export interface WorkflowRefusal {
  ok: false;
  code: RejectionCode;
  reason: string;
  key?: RefusalKey;
  params?: RefusalParams;
}

const refused = (code: RejectionCode, why: Refusal): WorkflowRefusal => ({
  ok: false,
  code,
  ...why,
});

/** A checked move of a row from the scope it is stored in to another one. */
export interface Rescope {
  from: string;
  to: string;
  /** The row as it will be stored in `to` (scope and `updatedAt` changed, nothing else). */
  record: Row;
}

/** Who takes the step and when, as the sync service knows it. */
export interface WorkflowContext {
  /** The user once per role they hold over the record's scope (empty: none). */
  actors: CaseActor[];
  /** The step's instant (`caseOpInstant`). */
  now: Date;
  /** The other case a `case.op` names (合并, 关联), looked up by the sync service. */
  related?: RelatedRow;
}

/** The other case a step names, as stored, and the user's roles over its scope. */
export interface RelatedRow {
  /** The stored case, or undefined when the server has none under that id. */
  record: Row | undefined;
  /** The user once per role over the case's scope; empty when they cannot write there. */
  actors: CaseActor[];
}

/**
 * Looks up the other case a `case.op` names (the main case of a 合并, the case of a 关联), so
 * the step is checked against the server's copy of both cases, not the device's. undefined when
 * the mutation names none. `actorsOver` gives the user's roles over a scope they may write.
 */
export async function loadRelatedCase(
  mutation: WorkflowMutation,
  getCase: (id: string) => Promise<{ record: Row } | undefined>,
  actorsOver: (scope: string) => CaseActor[],
): Promise<RelatedRow | undefined> {
  if (mutation.name !== CASE_OPERATION || mutation.table !== 'cases') return undefined;
  const args = CaseOpArgsSchema.safeParse(mutation.args);
  const id = args.success ? relatedCaseId(args.data.op) : null;
  if (id === null) return undefined;
  const record = (await getCase(id))?.record;
  return { record, actors: record ? actorsOver(String(record.scope)) : [] };
}

type Workflow = (
  stored: Row | undefined,
  mutation: WorkflowMutation,
  stamp: string,
  context: WorkflowContext,
) => WorkflowPlan;

/**
 * `case.op { op, eventIds }`: one step of the case loop (shared/cases/operations.ts), re-run
 * with `applyCaseOperation` against the stored case and the user's roles in its scope. Legal:
 * the case's changed fields (stamped no older than their stored clocks, so the step wins) and
 * the timeline events, created under the device's ids so its optimistic rows are these rows.
 * A step naming another case (合并, 关联) is checked against the stored other case too, and the
 * user must hold a role over that case's scope that may take the step; an event for that case
 * (合并 tells the main case's timeline) is created in its scope.
 */
const caseOp: Workflow = (stored, mutation, stamp, context) => {
  if (mutation.table !== 'cases')
    return { ok: false, code: 'unknown-operation', reason: `${CASE_OPERATION} applies to cases` };
  const args = CaseOpArgsSchema.safeParse(mutation.args);
  if (!args.success)
    return {
      ok: false,
      code: 'invalid-record',
      reason: `${CASE_OPERATION} args: ${args.error.issues.map((i) => i.message).join('; ')}`,
    };
  if (!stored || stored.deleted === true)
    return refused('not-found', refusal('caseMissingOnServer', { id: mutation.recordId }));
  const parsedCase = CaseSchema.safeParse(stored);
  if (!parsedCase.success)
    return { ok: false, code: 'invalid-record', reason: 'the stored case is not a valid case' };
  if (context.actors.length === 0) return refused('forbidden', refusal('noRoleInScope'));
  const other = relatedCaseOf(args.data.op, context.related);
  if (other && 'code' in other) return other;
  // A person may hold several roles over the case (a street member who is also an admin):
  // the step is taken in the first role that may take it; otherwise the first refusal counts.
  let forbidden: Refusal | null = null;
  for (const actor of context.actors) {
    const result = applyCaseOperation(
      parsedCase.data,
      args.data.op,
      actor,
      context.now,
      other?.case ?? null,
    );
    if (!result.ok) {
      // The role is checked first, so any other refusal is the step's own (state or args).
      const { key, params, reason } = result;
      if (result.code !== 'forbidden')
        return refused(REFUSAL_CODES[result.code], { key, params, reason });
      forbidden ??= { key, params, reason };
      continue;
    }
    if (other?.case) {
      const type = String(args.data.op.type) as CaseOperationType;
      const otherCase = other.case;
      if (!other.actors.some((a) => mayAct(otherCase, type, a) === true))
        return refused(
          'forbidden',
          refusal('noRoleOverRelated', { caseNo: otherCase.caseNo, op: type }),
        );
    }
    const rows = caseEventRows(result.events, args.data.eventIds);
    if (!rows)
      return {
        ok: false,
        code: 'invalid-record',
        reason: `the step appends ${result.events.length} event(s) but ${args.data.eventIds.length} id(s) were sent`,
      };
    const fields: Record<string, unknown> = { ...result.patch };
    const base = Object.fromEntries(Object.keys(fields).map((f) => [f, fieldClock(stored, f)]));
    return {
      ok: true,
      change: {
        seq: mutation.seq,
        table: 'cases',
        recordId: mutation.recordId,
        scope: mutation.scope,
        op: 'update',
        fields,
        base,
        hlc: stamp,
        actorId: mutation.actorId,
        at: mutation.at,
      },
      creates: rows.map(({ id, data }) => ({
        seq: mutation.seq,
        table: 'caseEvents',
        recordId: id,
        scope: other?.case && data.caseId === other.case.id ? other.scope : String(stored.scope),
        op: 'create',
        fields: { ...data, deleted: false },
        base: {},
        hlc: stamp,
        actorId: mutation.actorId,
        at: mutation.at,
      })),
    };
  }
  return refused('forbidden', forbidden ?? refusal('noRoleForStep'));
};

const REFUSAL_CODES: Readonly<Record<RefusalCode, RejectionCode>> = {
  'invalid-args': 'invalid-record',
  forbidden: 'forbidden',
  'illegal-state': 'illegal-transition',
  'not-found': 'not-found',
};

/**
 * The other case a step names, parsed, with its scope and the user's roles there; `case: null`
 * when there is no live case under that id (applyCaseOperation then refuses: not-found); null
 * when the step names none; a refusal when the stored row is not a valid case.
 */
function relatedCaseOf(
  op: Record<string, unknown>,
  related: RelatedRow | undefined,
): { case: Case | null; scope: string; actors: CaseActor[] } | WorkflowRefusal | null {
  if (relatedCaseId(op) === null) return null;
  const record = related?.record;
  if (!record || record.deleted === true) return { case: null, scope: '', actors: [] };
  const parsed = CaseSchema.safeParse(record);
  if (!parsed.success)
    return { ok: false, code: 'invalid-record', reason: 'the other case is not a valid case' };
  return { case: parsed.data, scope: String(record.scope), actors: related.actors };
}

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
  [CASE_OPERATION]: caseOp,
  [RESCOPE_OPERATION]: recordRescope,
};

export function planWorkflow(
  stored: Row | undefined,
  mutation: WorkflowMutation,
  stamp: string,
  context: WorkflowContext,
): WorkflowPlan {
  const workflow = WORKFLOWS[mutation.name];
  if (!workflow) {
    const replaced = mutation.name === 'case.transition' ? ` (replaced by ${CASE_OPERATION})` : '';
    return {
      ok: false,
      code: 'unknown-operation',
      reason: `unknown operation ${mutation.name}${replaced}`,
    };
  }
  return workflow(stored, mutation, stamp, context);
}
