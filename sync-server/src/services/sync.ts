import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Conflict } from '@shared/domain/conflict';
import { HlcClock, HlcError, maxHlc } from '@shared/sync/hlc';
import { CASE_LOOP_FIELDS, CASE_OPERATION, caseOpInstant } from '@shared/cases/caseOpMutation';
import { plainCaseCreateRefusal } from '@shared/cases/plainWrites';
import type { CaseActor } from '@shared/cases/operations';
import { LIST_SEPARATOR, type Refusal, type RefusalKey, refusal } from '@shared/cases/refusals';
import { clampHlc, type FieldConflict, type Row, mergeMutation } from '@shared/sync/merge';
import { ENTITY_SCHEMAS, type EntityTable, HISTORY_TABLES } from '@shared/domain/entities';
import { historyRowData } from '@shared/domain/recordChange';
import { readableTables } from '@shared/sync/readableTables';
import {
  SYNC_LIMITS,
  type Mutation,
  type MutationResult,
  type PullChange,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type RecordMutation,
  type RejectionCode,
  type WorkflowMutation,
} from '@shared/sync/protocol';
import { districts } from '@shared/data/beijing/index';
import { ApiError } from '../http/errors';
import { type Storage, type StorageTx, type StoredRow, partitionOf } from '../storage/types';
import type { MembershipRow, SessionRow, UserRow } from '../storage/types';
import { canWrite, isScopeCode, membershipsCovering, readableScopes, scopeFilter } from './scopes';
import { type Rescope, type WorkflowContext, loadRelatedCase, planWorkflow } from './workflows';

/** Who is syncing: the authenticated user, their active memberships and their session. */
export interface SyncAuth {
  user: UserRow;
  memberships: MembershipRow[];
  session: SessionRow;
}

// One clock per server process, for rows the server writes itself (conflicts, workflow steps).
const serverClock = new HlcClock(`server-${randomBytes(4).toString('hex')}`);

function checkDevice(auth: SyncAuth, deviceId: string) {
  if (auth.session.deviceId !== deviceId) {
    throw new ApiError('device-mismatch', 'this token was issued to another device');
  }
}

/**
 * Applies a push batch in ONE transaction: every mutation gets an answer (applied, duplicate or
 * rejected) and its answer is stored under (device, mutation number) in the same transaction as
 * its effects, so a retried or replayed batch is answered from the record and changes nothing.
 * If the process dies mid-batch, nothing of it is committed and the device simply retries.
 */
export async function push(
  storage: Storage,
  auth: SyncAuth,
  request: PushRequest,
  now: Date = new Date(),
  faults: { delayBeforeCommitMs?: number } = {},
): Promise<PushResponse> {
  checkDevice(auth, request.deviceId);
  return storage.transaction(async (tx) => {
    await tx.lockPartitions(partitionsWritten(request.mutations));
    const results: MutationResult[] = [];
    for (const mutation of request.mutations) {
      const previous = await tx.getMutationResult(request.deviceId, mutation.seq);
      if (previous) {
        results.push({ seq: mutation.seq, status: 'duplicate' });
        continue;
      }
      const result = await applyMutation(tx, auth, mutation, now);
      await tx.saveMutationResult(request.deviceId, mutation.seq, auth.user.id, result);
      results.push(result);
    }
    // Fault injection for the crash tests: hold the transaction open so a test can kill the
    // process between applying a batch and committing it. Never set in production.
    if (faults.delayBeforeCommitMs)
      await new Promise((resolve) => setTimeout(resolve, faults.delayBeforeCommitMs));
    return { results };
  });
}

/**
 * The changelog partitions a batch writes: each mutation's scope and a move's target. (A row a
 * device knows in a stale scope of another district, or a merge's timeline event on the other
 * case, may touch one more; `putRow` locks it when it writes, and at worst PostgreSQL breaks a
 * rare deadlock by failing one push, which the device retries.)
 */
function partitionsWritten(mutations: readonly Mutation[]): string[] {
  const parts = new Set<string>();
  for (const mutation of mutations) {
    parts.add(partitionOf(mutation.scope));
    const to = mutation.op === 'workflow' ? mutation.args.toScope : undefined;
    if (typeof to === 'string' && isScopeCode(to)) parts.add(partitionOf(to));
  }
  return [...parts];
}

async function applyMutation(
  tx: StorageTx,
  auth: SyncAuth,
  incoming: Mutation,
  now: Date,
): Promise<MutationResult> {
  const { seq } = incoming;
  if (!canWrite(auth.memberships, incoming.scope)) {
    return {
      seq,
      status: 'rejected',
      code: 'out-of-scope',
      reason: `no write access to scope ${incoming.scope}`,
    };
  }
  const hlc = clampHlc(incoming.hlc, now.getTime(), SYNC_LIMITS.maxClockSkewMs);
  const stored = await tx.getRow(incoming.table, incoming.recordId);
  if (stored && !canWrite(auth.memberships, stored.scope)) {
    return {
      seq,
      status: 'rejected',
      code: 'out-of-scope',
      reason: `no write access to scope ${stored.scope}`,
    };
  }

  const roleRefusal = checkRole(auth, incoming, stored?.record);
  if (roleRefusal)
    return {
      seq,
      status: 'rejected',
      ...refusalAnswer(roleRefusal),
      ...(stored ? { record: stored.record } : {}),
    };

  let mutation: RecordMutation;
  let creates: RecordMutation[] = [];
  if (incoming.op === 'workflow') {
    const context: WorkflowContext = {
      actors: actorsFor(auth, stored?.scope ?? incoming.scope),
      now: caseOpInstant(incoming.at, now.getTime(), SYNC_LIMITS.maxClockSkewMs),
      // 合并 / 关联 name another case: checked against the server's copy, in this transaction.
      related: await loadRelatedCase(
        incoming,
        (id) => tx.getRow('cases', id),
        (scope) => (canWrite(auth.memberships, scope) ? actorsFor(auth, scope) : []),
      ),
    };
    const plan = planWorkflow(
      stored?.record,
      { ...incoming, hlc },
      stampAfter(hlc, stored?.record),
      context,
    );
    if (!plan.ok)
      return {
        seq,
        status: 'rejected',
        ...refusalAnswer(plan),
        ...(stored ? { record: stored.record } : {}),
      };
    if ('rescope' in plan) {
      // planWorkflow only plans a rescope of an existing row.
      if (!stored) throw new Error('record.rescope planned without a stored row');
      return applyRescope(tx, auth, incoming, stored, plan.rescope, now);
    }
    mutation = plan.change;
    creates = plan.creates ?? [];
  } else {
    mutation = { ...incoming, hlc };
    const history = historyCreate(mutation);
    if (history && 'code' in history)
      return { seq, status: 'rejected', ...history, ...(stored ? { record: stored.record } : {}) };
    if (history) creates = [history];
  }

  // Rows a mutation creates (case.op's timeline events, a change's history row) are new rows
  // under the device's ids: all are checked before anything is written, so a refused mutation
  // writes nothing.
  const created: { mutation: RecordMutation; record: Row }[] = [];
  for (const create of creates) {
    if (await tx.getRow(create.table, create.recordId))
      return {
        seq,
        status: 'rejected',
        code: 'invalid-record',
        reason: `${create.table}/${create.recordId} already exists`,
        ...(stored ? { record: stored.record } : {}),
      };
    const row = mergeMutation(undefined, create);
    if (!row.ok)
      return {
        seq,
        status: 'rejected',
        code: row.code,
        reason: row.reason,
        ...(stored ? { record: stored.record } : {}),
      };
    created.push({ mutation: create, record: row.record });
  }

  const merged = mergeMutation(stored?.record, mutation);
  if (!merged.ok)
    return {
      seq,
      status: 'rejected',
      code: merged.code,
      reason: merged.reason,
      ...(stored ? { record: stored.record } : {}),
    };
  if (merged.changed)
    await tx.putRow(mutation.table, mutation.recordId, mutation.scope, merged.record);
  for (const c of created)
    await tx.putRow(c.mutation.table, c.mutation.recordId, c.mutation.scope, c.record);
  for (const conflict of merged.conflicts) await recordConflict(tx, mutation, conflict, now);
  return {
    seq,
    status: 'applied',
    ...(merged.lost.length > 0 ? { lost: merged.lost, record: merged.record } : {}),
  };
}

/**
 * A refusal as the answer carries it: the code, the English reason and, for the case loop's
 * refusals, the message key and its parameters (PROTOCOL.md §3) for the app to translate.
 */
function refusalAnswer(r: {
  code: RejectionCode;
  reason: string;
  key?: RefusalKey;
  params?: Refusal['params'];
}): Pick<MutationResult, 'code' | 'reason' | 'reasonKey' | 'reasonParams'> {
  return {
    code: r.code,
    reason: r.reason,
    ...(r.key ? { reasonKey: r.key, reasonParams: { ...r.params } } : {}),
  };
}

/**
 * The create of the change-history row a plain change carries (`history`, protocol 4), in the
 * change's scope and with its clock; null when it carries none, a refusal when its table keeps no
 * history (the row would describe a change no device records).
 */
function historyCreate(
  mutation: RecordMutation,
): RecordMutation | { code: RejectionCode; reason: string } | null {
  const { history } = mutation;
  if (!history) return null;
  if (!HISTORY_TABLES.has(mutation.table))
    return { code: 'invalid-record', reason: `${mutation.table} keeps no change history` };
  return {
    seq: mutation.seq,
    table: 'recordChanges',
    recordId: history.id,
    scope: mutation.scope,
    hlc: mutation.hlc,
    actorId: mutation.actorId,
    at: mutation.at,
    op: 'create',
    fields: historyRowData(mutation, history),
    base: {},
  };
}

/**
 * Tables a department liaison may write with plain mutations: photos, the audit log and conflict
 * resolutions (报到 is a step, `case.op` report-in). Everything else
 * — the registry above all — is out of bounds; cases change only through `case.op`, whose roles
 * (`mayAct`: the lead or co-department's steps) decide per case.
 */
const DEPARTMENT_PLAIN_TABLES: ReadonlySet<EntityTable> = new Set([
  'attachments',
  'auditEvents',
  'conflicts',
]);

/**
 * The role checks on top of the scope check (protocol 3): a user whose only role over the
 * record's scope is `department` writes only the tables above and case steps; and no one
 * skips the state machine with a plain write — a case created past 受理, a step's timeline event,
 * or a change to a stored case's loop fields (status, deadlines …). null = allowed.
 */
function checkRole(
  auth: SyncAuth,
  incoming: Mutation,
  stored: Row | undefined,
): ({ code: RejectionCode } & Refusal) | null {
  const roles = membershipsCovering(auth.memberships, incoming.scope).map((m) => m.role);
  const liaisonOnly = roles.length > 0 && roles.every((role) => role === 'department');
  if (liaisonOnly) {
    const allowed =
      incoming.op === 'workflow'
        ? incoming.name === CASE_OPERATION
        : DEPARTMENT_PLAIN_TABLES.has(incoming.table);
    if (!allowed)
      return {
        code: 'forbidden',
        ...(incoming.op === 'workflow'
          ? refusal('liaisonWorkflow', { table: incoming.table, workflow: incoming.name })
          : refusal('liaisonTable', { table: incoming.table })),
      };
  }
  if (incoming.op === 'create' && !stored) {
    const refusal = plainCaseCreateRefusal(incoming.table, incoming.fields);
    if (refusal) return refusal;
  }
  if (incoming.op === 'update' && incoming.table === 'cases' && stored) {
    const loop = Object.entries(incoming.fields).filter(
      ([field, value]) =>
        CASE_LOOP_FIELDS.has(field as never) &&
        JSON.stringify(stored[field]) !== JSON.stringify(value),
    );
    if (loop.length > 0)
      return {
        code: 'illegal-transition',
        ...refusal('loopFieldsStepOnly', { fields: loop.map(([f]) => f).join(LIST_SEPARATOR) }),
      };
  }
  return null;
}

/** The user once per role they hold over `scope`, as `applyCaseOperation` takes them. */
export function actorsFor(auth: SyncAuth, scope: string): CaseActor[] {
  const roles = [...new Set(membershipsCovering(auth.memberships, scope).map((m) => m.role))];
  return roles.map((role) => ({
    id: auth.user.id,
    name: auth.user.displayName.slice(0, 40),
    role,
    departmentId: auth.user.departmentId,
  }));
}

/**
 * The clock of a server-made change of `stored`: no older than the device's and newer than every
 * clock of the stored row, so a checked step wins over what it was checked against.
 */
function stampAfter(hlc: string, stored: Row | undefined): string {
  let newest = String(stored?.hlc ?? '');
  for (const clock of Object.values((stored?.clocks as Record<string, string> | undefined) ?? {}))
    newest = maxHlc(newest, clock);
  if (newest) {
    try {
      serverClock.receive(newest);
    } catch (error) {
      // Stored clocks were clamped on the way in; one still ahead is simply not followed.
      if (!(error instanceof HlcError)) throw error;
    }
  }
  return maxHlc(hlc, serverClock.now());
}

/**
 * Moves a row to another scope (`record.rescope`), checked against the server's current row:
 * the user must write the scope the row is in (checked by the caller) and the new one. The row
 * gets a new sequence number in the new scope's partition, and the old scope's changelog a scope
 * exit, both inside this transaction, so devices reading the old scope learn to drop the row.
 */
async function applyRescope(
  tx: StorageTx,
  auth: SyncAuth,
  incoming: WorkflowMutation,
  stored: StoredRow,
  rescope: Rescope,
  now: Date,
): Promise<MutationResult> {
  const { seq, table, recordId } = incoming;
  if (!canWrite(auth.memberships, rescope.to))
    return {
      seq,
      status: 'rejected',
      code: 'out-of-scope',
      reason: `no write access to scope ${rescope.to}`,
      record: stored.record,
    };
  // Already there (another device moved it first): nothing to do.
  if (rescope.from === rescope.to) return { seq, status: 'applied' };
  const parsed = ENTITY_SCHEMAS[table].safeParse(rescope.record);
  if (!parsed.success)
    return {
      seq,
      status: 'rejected',
      code: 'invalid-record',
      reason: `invalid ${table} record: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      record: stored.record,
    };
  await tx.putRow(table, recordId, rescope.to, parsed.data as Row);
  // Back in a scope it once left: the row itself now tells that scope's devices.
  await tx.deleteExit(table, recordId, rescope.to);
  await tx.putExit(table, recordId, rescope.from, now.toISOString());
  return { seq, status: 'applied' };
}

/** Keeps both values of a same-field conflict as a synced row everyone in the scope sees. */
async function recordConflict(
  tx: StorageTx,
  mutation: RecordMutation,
  conflict: FieldConflict,
  now: Date,
) {
  const at = now.toISOString();
  const row: Conflict = {
    id: uuidv7(),
    scope: mutation.scope,
    createdAt: at,
    updatedAt: at,
    deleted: false,
    hlc: serverClock.now(),
    recordTable: mutation.table,
    recordId: mutation.recordId,
    field: conflict.field,
    winnerValue: conflict.winnerValue,
    winnerHlc: conflict.winnerHlc,
    loserValue: conflict.loserValue,
    loserHlc: conflict.loserHlc,
    loserActorId: mutation.actorId,
    detectedAt: at,
    resolved: false,
    resolution: null,
    resolvedBy: null,
  };
  await tx.putRow('conflicts', row.id, row.scope, row as unknown as Row);
}

/**
 * The changelog is partitioned by district, so a membership wider than one district (an admin
 * for all of Beijing) is read as one scope per district it covers, each with its own cursor.
 */
const PROVINCE_OR_CITY = /^(\d{2})0{10}$|^(\d{4})0{8}$/;

function toPartitionScopes(scope: string): string[] {
  const match = PROVINCE_OR_CITY.exec(scope);
  if (!match) return [scope];
  const prefix = match[1] ?? match[2] ?? scope;
  return districts()
    .map((d) => d.code)
    .filter((code) => code.startsWith(prefix));
}

/** Up to `limit` changes of one scope after `after`: its rows and scope exits, in seq order. */
async function listPage(
  tx: StorageTx,
  scope: string,
  tables: readonly EntityTable[] | undefined,
  after: number,
  limit: number,
): Promise<PullChange[]> {
  const log = await tx.listLog(partitionOf(scope), { ...scopeFilter(scope), tables }, after, limit);
  return log.map((entry) =>
    entry.kind === 'exit'
      ? {
          kind: 'exit',
          table: entry.table,
          seq: entry.seq,
          recordId: entry.id,
          exitedScope: entry.scope,
        }
      : { table: entry.table, seq: entry.seq, record: entry.record },
  );
}

/**
 * One page of changes for the first of the user's scopes that has news after its cursor. A
 * cursor of 0 yields the scope's current rows (the snapshot), later ones the tail. The device
 * stores `cursor` for `scope` in the same transaction as the page, and pulls again while
 * `hasMore`; `scopes` tells it which scopes it still has (it purges the others).
 */
export async function pull(
  storage: Storage,
  auth: SyncAuth,
  request: PullRequest,
  limit: number,
): Promise<PullResponse> {
  checkDevice(auth, request.deviceId);
  const scopes = readableScopes(auth.memberships).flatMap(toPartitionScopes);
  // A liaison reads only the case loop of its street (`readableTables`).
  const tables: Record<string, EntityTable[]> = {};
  for (const scope of scopes) {
    const readable = readableTables(auth.memberships, scope);
    if (readable) tables[scope] = [...readable];
  }
  return storage.transaction(async (tx) => {
    for (const scope of scopes) {
      const after = request.cursors[scope] ?? 0;
      const changes = await listPage(tx, scope, tables[scope], after, limit);
      const last = changes[changes.length - 1];
      if (last) return { scopes, scope, changes, cursor: last.seq, hasMore: true, tables };
    }
    return { scopes, scope: null, changes: [], cursor: 0, hasMore: false, tables };
  });
}
