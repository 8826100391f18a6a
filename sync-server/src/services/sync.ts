import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Conflict } from '@shared/domain/conflict';
import { HlcClock, maxHlc } from '@shared/sync/hlc';
import { clampHlc, type FieldConflict, type Row, mergeMutation } from '@shared/sync/merge';
import {
  SYNC_LIMITS,
  type Mutation,
  type MutationResult,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type RecordMutation,
} from '@shared/sync/protocol';
import { districts } from '@shared/data/beijing/index';
import { ApiError } from '../http/errors';
import { type Storage, type StorageTx, partitionOf } from '../storage/types';
import type { MembershipRow, SessionRow, UserRow } from '../storage/types';
import { canWrite, readableScopes, scopeFilter } from './scopes';
import { planWorkflow } from './workflows';

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

  let mutation: RecordMutation;
  if (incoming.op === 'workflow') {
    const plan = planWorkflow(stored?.record, { ...incoming, hlc }, maxHlc(hlc, serverClock.now()));
    if (!plan.ok)
      return {
        seq,
        status: 'rejected',
        code: plan.code,
        reason: plan.reason,
        ...(stored ? { record: stored.record } : {}),
      };
    mutation = plan.change;
  } else {
    mutation = { ...incoming, hlc };
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
  for (const conflict of merged.conflicts) await recordConflict(tx, mutation, conflict, now);
  return {
    seq,
    status: 'applied',
    ...(merged.lost.length > 0 ? { lost: merged.lost, record: merged.record } : {}),
  };
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
  return storage.transaction(async (tx) => {
    for (const scope of scopes) {
      const after = request.cursors[scope] ?? 0;
      const rows = await tx.listChanges(partitionOf(scope), scopeFilter(scope), after, limit);
      const last = rows[rows.length - 1];
      if (last) {
        return {
          scopes,
          scope,
          changes: rows.map((row) => ({ table: row.table, seq: row.seq, record: row.record })),
          cursor: last.seq,
          hasMore: true,
        };
      }
    }
    return { scopes, scope: null, changes: [], cursor: 0, hasMore: false };
  });
}
