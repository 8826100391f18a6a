import { CASE_OPERATION, CaseOpArgsSchema } from '@shared/cases/caseOpMutation';
import { ENTITY_SCHEMAS, ENTITY_TABLES, type EntityTable } from '@shared/domain/entities';
import { type HlcClock, HlcError, maxHlc } from '@shared/sync/hlc';
import { applyServerRow, type Row } from '@shared/sync/merge';
import {
  type Mutation,
  type MutationResult,
  type PullExitChange,
  RESCOPE_OPERATION,
  SYNC_LIMITS,
} from '@shared/sync/protocol';
import { isWithin } from '@shared/validation/codes';
import type { GridworkDb, OutboxEntry, SyncStateEntry } from '../db/db';
import { deriveKeys, deriveKeysInPlace, stripLocalKeys } from '../db/derive';
import { loadDevice } from '../db/device';
import { HISTORY_TABLE } from '../db/write';
import type { SyncApi } from './api';
import { uploadPendingBlobs } from './attachments';

/** What one sync round did, for the sync panel and for tests. */
export interface SyncReport {
  pushed: number;
  rejected: number;
  pulled: number;
  uploaded: number;
  purgedScopes: string[];
}

/** A pulled row that does not satisfy its schema: the page is refused and nothing of it applied. */
export class SyncDataError extends Error {
  override name = 'SyncDataError';
}

function toMutation(entry: OutboxEntry): Mutation {
  const common = {
    seq: entry.seq ?? 0,
    table: entry.table,
    recordId: entry.recordId,
    scope: entry.scope,
    hlc: entry.hlc,
    actorId: entry.actorId,
    at: entry.at,
  };
  if (entry.op === 'workflow')
    return { ...common, op: 'workflow', name: entry.name ?? '', args: entry.args ?? {} };
  return {
    ...common,
    op: entry.op,
    fields: entry.fields,
    base: entry.base ?? {},
    ...(entry.history ? { history: entry.history } : {}),
  };
}

/** The fields of its record a workflow entry changes locally until the server has answered it. */
function workflowFields(entry: OutboxEntry): string[] {
  // A pending move keeps the record's new scope when the server's row (still in the old one) comes in.
  if (entry.name === RESCOPE_OPERATION) return ['scope'];
  // A case step's changed fields are on the entry itself (`fields`).
  if (entry.name === CASE_OPERATION) return [];
  return Object.keys(entry.args ?? {}).map((field) => (field === 'to' ? 'status' : field));
}

/** Fields of each record that still have an unacknowledged local edit. */
async function pendingFieldMap(db: GridworkDb): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  await db.outbox.each((entry) => {
    const key = `${entry.table}/${entry.recordId}`;
    const set = map.get(key) ?? new Set<string>();
    for (const field of Object.keys(entry.fields)) set.add(field);
    if (entry.op === 'workflow') for (const field of workflowFields(entry)) set.add(field);
    map.set(key, set);
  });
  return map;
}

/**
 * Whether a row of `rowScope` is read through one of `scopes`: it lies in a scope's subtree, or
 * is a row of one of its ancestors (a grid worker reads the street's departments).
 */
function readThrough(scopes: readonly string[], rowScope: string): boolean {
  return scopes.some((scope) => isWithin(rowScope, scope) || isWithin(scope, rowScope));
}

/**
 * Applies a page's scope exits: a row that left a scope is dropped, unless this device already
 * holds it in another scope that the user still reads (someone who reads both grids of a move
 * keeps it; the row in its new scope reached them first, or will, in a later page).
 *
 * Pending local edits of a dropped row stay in the outbox: the server answers them like any
 * other (refused as out of scope when the user cannot write the row's new scope), so they end
 * in the conflict inbox with their values instead of vanishing. A row still read keeps its
 * pending fields through `applyServerRow` as always.
 */
async function applyExits(db: GridworkDb, exits: PullExitChange[], scopes: readonly string[]) {
  for (const exit of exits) {
    const store = db.table(exit.table);
    const local = (await store.get(exit.recordId)) as { scope: string } | undefined;
    if (!local) continue;
    if (local.scope !== exit.exitedScope && readThrough(scopes, local.scope)) continue;
    await store.delete(exit.recordId);
  }
}

/** Writes a server row locally, keeping fields that still have pending local edits. */
async function storeServerRow(
  db: GridworkDb,
  table: EntityTable,
  server: Row,
  pending: ReadonlySet<string>,
) {
  const store = db.table(table);
  const stored: unknown = await store.get(server.id as string);
  const local = stored ? (stripLocalKeys(stored as never) as Row) : undefined;
  await store.put(deriveKeys(table, applyServerRow(local, server, pending) as never));
}

/**
 * Writes a page of server rows with one bulk read and one bulk write per table (a page holds
 * up to 2,000 rows; row-by-row gets and puts would dominate an initial sync).
 */
async function storeServerRows(
  db: GridworkDb,
  rows: { table: EntityTable; row: Row }[],
  pending: Map<string, Set<string>>,
) {
  const byTable = new Map<EntityTable, Row[]>();
  for (const { table, row } of rows) {
    const list = byTable.get(table) ?? [];
    list.push(row);
    byTable.set(table, list);
  }
  for (const [table, serverRows] of byTable) {
    const store = db.table(table);
    const needLocal = pending.size > 0;
    const locals: unknown[] = needLocal
      ? await store.bulkGet(serverRows.map((r) => r.id as string))
      : [];
    const merged = serverRows.map((server, index) => {
      const fields = pending.get(`${table}/${String(server.id)}`);
      // `server` was parsed from this page: nothing else holds it, so it takes its keys itself.
      if (!fields) return deriveKeysInPlace(table, server as never);
      const local = locals[index];
      return deriveKeys(
        table,
        applyServerRow(
          local ? (stripLocalKeys(local as never) as Row) : undefined,
          server,
          fields,
        ) as never,
      );
    });
    await store.bulkPut(merged);
  }
}

/** The next batch of the outbox after mutation number `afterSeq`, oldest first. */
function outboxBatch(db: GridworkDb, afterSeq: number): Promise<OutboxEntry[]> {
  return db.outbox.where('seq').above(afterSeq).limit(SYNC_LIMITS.maxPushMutations).toArray();
}

/**
 * Applies the server's answer to one pushed batch in one transaction over just the stores it
 * touches: answered entries leave the outbox, a rejected change goes to the conflict inbox and
 * the server's row is put back, a field that lost to a newer edit takes the server's value.
 */
async function applyPushAnswer(
  db: GridworkDb,
  entries: readonly OutboxEntry[],
  results: readonly MutationResult[],
): Promise<{ pushed: number; rejected: number }> {
  const bySeq = new Map<number, MutationResult>(results.map((r) => [r.seq, r]));
  const answered = entries.flatMap((entry) => {
    const result = entry.seq === undefined ? undefined : bySeq.get(entry.seq);
    return result && entry.seq !== undefined ? [{ entry, seq: entry.seq, result }] : [];
  }); // an unanswered entry stays queued
  // Change-history rows queued before protocol 4 travel as creates of their own, after the
  // change they describe: they are not counted as changes, and one refused together with its
  // change is not filed twice.
  const pushed = answered.filter((a) => a.entry.table !== HISTORY_TABLE).length;
  const allRefused = answered.filter((a) => a.result.status === 'rejected');
  const refusedRecords = new Set(allRefused.map((a) => `${a.entry.table}/${a.entry.recordId}`));
  const refused = allRefused.filter(
    ({ entry }) =>
      entry.table !== HISTORY_TABLE ||
      !refusedRecords.has(`${String(entry.fields.table)}/${String(entry.fields.recordId)}`),
  );
  // A refused case step never reaches the server's timeline: its optimistic events go too.
  const orphanEvents = allRefused.flatMap(({ entry }) => {
    if (entry.op !== 'workflow' || entry.name !== CASE_OPERATION) return [];
    const args = CaseOpArgsSchema.safeParse(entry.args);
    return args.success ? args.data.eventIds : [];
  });
  // Nor does a refused change's history row (protocol 4: it rode on the change): the server
  // never wrote it, and the local copy would describe an edit that did not happen.
  const orphanHistory = allRefused.flatMap(({ entry }) =>
    entry.history ? [entry.history.id] : [],
  );
  // Rows the server sent back (rejected, or fields lost to newer edits) replace the local
  // ones, except fields still waiting in the outbox.
  const withRecord = answered.flatMap(({ entry, result }) =>
    result.record ? [{ entry, row: ENTITY_SCHEMAS[entry.table].parse(result.record) as Row }] : [],
  );
  // Scoped like a pull page: a transaction over every store commits noticeably slower.
  const tables = new Set<EntityTable>(withRecord.map((w) => w.entry.table));
  if (orphanEvents.length > 0) tables.add('caseEvents');
  if (orphanHistory.length > 0) tables.add(HISTORY_TABLE);
  const stores = [db.outbox, db.rejections, ...[...tables].map((t) => db.table(t))];
  await db.transaction('rw', stores, async () => {
    await db.outbox.bulkDelete(answered.map((a) => a.seq));
    await db.rejections.bulkAdd(
      refused.map(({ entry, seq, result }) => ({
        seq,
        table: entry.table,
        recordId: entry.recordId,
        op: entry.op === 'workflow' ? (entry.name ?? 'workflow') : entry.op,
        code: result.code ?? 'rejected',
        reason: result.reason ?? '',
        ...(result.reasonKey
          ? { reasonKey: result.reasonKey, reasonParams: result.reasonParams ?? {} }
          : {}),
        fields: entry.op === 'workflow' ? (entry.args ?? {}) : entry.fields,
        at: new Date().toISOString(),
        dismissed: false,
      })),
    );
    if (orphanEvents.length > 0) await db.table('caseEvents').bulkDelete(orphanEvents);
    if (orphanHistory.length > 0) await db.table(HISTORY_TABLE).bulkDelete(orphanHistory);
    if (withRecord.length > 0) {
      const pending = await pendingFieldMap(db);
      for (const { entry, row } of withRecord) {
        await storeServerRow(
          db,
          entry.table,
          row,
          pending.get(`${entry.table}/${entry.recordId}`) ?? new Set<string>(),
        );
      }
    }
  });
  return { pushed, rejected: refused.length };
}

/**
 * Sends the outbox in bounded batches, one request at a time and in mutation order. Entries
 * leave the outbox only when the server has answered them, in the transaction that applies the
 * answer (`applyPushAnswer`). The work overlaps: while a batch is on the wire, the next one is
 * read (the entries after the last one sent) and the previous answer is applied; a failure of
 * any stops the loop after the others have settled. A batch sent again after a failed apply is
 * answered `duplicate` — (device id, mutation number) is unique on the server.
 */
export async function pushOutbox(
  db: GridworkDb,
  api: SyncApi,
): Promise<{ pushed: number; rejected: number }> {
  let pushed = 0;
  let rejected = 0;
  let applying: Promise<void> = Promise.resolve();
  let entries = await outboxBatch(db, -1);
  try {
    while (entries.length > 0) {
      const sent = entries;
      const request = api.push({ deviceId: api.deviceId, mutations: sent.map(toMutation) });
      // While the batch is on the wire: read the next one (after the last entry sent).
      const nextBatch = outboxBatch(db, sent.at(-1)?.seq ?? -1);
      nextBatch.catch(() => {}); // awaited below unless the request fails first
      const response = await request;
      await applying;
      entries = await nextBatch;
      applying = applyPushAnswer(db, sent, response.results).then((done) => {
        pushed += done.pushed;
        rejected += done.rejected;
      });
      applying.catch(() => {}); // awaited before the next batch or after the loop
      // The server answered nothing: stop instead of sending the rest in a tight loop.
      if (response.results.length === 0) break;
    }
  } catch (error) {
    // The answer before a failed request is still stored; the first failure is the one reported.
    await applying.catch(() => {});
    throw error;
  }
  await applying;
  return { pushed, rejected };
}

/** Keeps this device's clock ahead of every clock it has seen, so its next edits order after them. */
function receiveClocks(clock: HlcClock, rows: { row: Row }[]) {
  let newest = '';
  for (const { row } of rows) {
    newest = maxHlc(newest, String(row.hlc));
    for (const value of Object.values((row.clocks as Record<string, string> | undefined) ?? {}))
      newest = maxHlc(newest, value);
  }
  if (!newest) return;
  try {
    clock.receive(newest);
  } catch (error) {
    // A clock too far ahead is the server's to clamp; this device just does not follow it.
    if (!(error instanceof HlcError)) throw error;
  }
}

/**
 * Deletes the local rows of `tables` that a scope of `from` reads and none of `kept` does. A
 * membership reads its subtree and, read-only, its ancestors' rows (e.g. the street's
 * departments): a row stays while any kept scope still reads it either way. Runs inside the
 * caller's transaction.
 */
async function dropRowsReadThrough(
  db: GridworkDb,
  tables: readonly EntityTable[],
  from: readonly string[],
  kept: readonly string[],
): Promise<void> {
  for (const table of tables) {
    await db
      .table(table)
      .filter(
        (row: { scope: string }) => readThrough(from, row.scope) && !readThrough(kept, row.scope),
      )
      .delete();
  }
}

/** The same table list, in any order (undefined = every table). */
function sameTables(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((table) => b.includes(table));
}

/**
 * Brings the device in line with the tables each of its scopes is now read with (protocol 4:
 * a liaison reads only the case loop of its street). A scope read more narrowly than before
 * loses its local rows of the other tables (those not also read through another scope); a scope
 * read more widely starts over from cursor 0, since the rows it skipped lie behind its cursor.
 * Returns whether anything changed.
 */
async function settleReadableTables(
  db: GridworkDb,
  states: readonly SyncStateEntry[],
  tables: Readonly<Record<string, EntityTable[]>>,
  scopes: readonly string[],
): Promise<boolean> {
  const changed = states.filter(
    (s) => scopes.includes(s.scope) && !sameTables(s.tables, tables[s.scope]),
  );
  if (changed.length === 0) return false;
  await db.transaction('rw', db.tables, async () => {
    for (const state of changed) {
      const before: readonly string[] = state.tables ?? ENTITY_TABLES;
      const now: readonly string[] = tables[state.scope] ?? ENTITY_TABLES;
      const gained = now.some((table) => !before.includes(table));
      for (const table of before.filter((t) => !now.includes(t)) as EntityTable[]) {
        // Rows of the table that another scope still reads stay.
        const readers = scopes.filter(
          (scope) => scope !== state.scope && (tables[scope]?.includes(table) ?? true),
        );
        await dropRowsReadThrough(db, [table], [state.scope], readers);
      }
      const { tables: _old, ...rest } = state;
      await db.syncState.put({
        ...rest,
        cursor: gained ? 0 : state.cursor,
        ...(tables[state.scope] ? { tables: tables[state.scope] } : {}),
      });
    }
  });
  return true;
}

/**
 * Pulls pages until the server has nothing new. Each page is validated whole, then applied
 * together with its cursor in one transaction, so a crash between pages loses nothing and
 * repeats nothing. Returns the user's current scopes.
 */
export async function pullChanges(
  db: GridworkDb,
  api: SyncApi,
): Promise<{ pulled: number; scopes: string[] }> {
  const device = await loadDevice(db);
  let pulled = 0;
  let scopes: string[] = [];
  const states = await db.syncState.toArray();
  const cursors: Record<string, number> = Object.fromEntries(
    states.map((s) => [s.scope, s.cursor]),
  );
  const request = () =>
    api.pull({ deviceId: api.deviceId, cursors: { ...cursors }, limit: SYNC_LIMITS.maxPullPage });
  // When the tables a scope is read with changed (a liaison's role came or went), settle that
  // first and ask again with the settled cursors.
  const first = await request();
  let next = Promise.resolve(first);
  if (await settleReadableTables(db, states, first.tables, first.scopes)) {
    for (const state of await db.syncState.toArray()) cursors[state.scope] = state.cursor;
    next = request();
  }
  // Pages flow through three overlapping stages: the server prepares page n+2 while this code
  // validates page n+1 while IndexedDB commits page n. Each page is still written with its
  // cursor in one transaction, one after the other; a failed write stops the loop before the
  // next one starts, so nothing is skipped.
  let writing: Promise<void> = Promise.resolve();
  for (let page = 0; page < 100_000; page += 1) {
    const response = await next;
    scopes = response.scopes;
    if (response.scope === null || response.changes.length === 0) break;
    const scope = response.scope;
    cursors[scope] = response.cursor;
    next = request();
    next.catch(() => {}); // observed on the next turn; must not count as unhandled meanwhile
    const rows: { table: EntityTable; row: Row }[] = [];
    const exits: PullExitChange[] = [];
    for (const change of response.changes) {
      if ('kind' in change) {
        exits.push(change);
        continue;
      }
      const parsed = ENTITY_SCHEMAS[change.table].safeParse(change.record);
      if (!parsed.success)
        throw new SyncDataError(
          `the server sent an invalid ${change.table} row: ${parsed.error.message}`,
        );
      rows.push({ table: change.table, row: parsed.data as Row });
    }
    receiveClocks(device.clock, rows);
    const current = response.scopes;
    await writing;
    // Scope the transaction to the stores this page touches: IndexedDB commits a transaction
    // over every store of the database noticeably slower.
    const tables = new Set([...rows.map((r) => r.table), ...exits.map((e) => e.table)]);
    const stores = [...tables].map((t) => db.table(t));
    writing = db.transaction('rw', [...stores, db.outbox, db.syncState], async () => {
      const pending = await pendingFieldMap(db);
      await storeServerRows(db, rows, pending);
      // After the rows: a row of this page already in its new scope is kept (see applyExits).
      await applyExits(db, exits, current);
      const tables = response.tables[scope];
      await db.syncState.put({
        scope,
        cursor: response.cursor,
        pulledAt: new Date().toISOString(),
        ...(tables ? { tables } : {}),
      });
    });
    writing.catch(() => {}); // awaited before the next page or after the loop
    pulled += rows.length + exits.length;
  }
  await writing;
  return { pulled, scopes };
}

/**
 * Removes every local row of scopes the user no longer has (membership revoked), and their
 * cursors. Called after a push, so the device's own edits have been sent first.
 */
export async function purgeScopes(
  db: GridworkDb,
  currentScopes: readonly string[],
): Promise<string[]> {
  const known = (await db.syncState.toArray()).map((s) => s.scope);
  const gone = known.filter((scope) => !currentScopes.includes(scope));
  if (gone.length === 0) return [];
  await db.transaction('rw', db.tables, async () => {
    await dropRowsReadThrough(db, ENTITY_TABLES, gone, currentScopes);
    await db.syncState.bulkDelete(gone);
  });
  return gone;
}

/**
 * One full round: attachment bytes first (so a pushed record never points at bytes the server
 * lacks for longer than needed), then the outbox, then pull, then purge of revoked scopes.
 */
export async function syncOnce(db: GridworkDb, api: SyncApi): Promise<SyncReport> {
  const uploaded = await uploadPendingBlobs(db, api);
  const { pushed, rejected } = await pushOutbox(db, api);
  const { pulled, scopes } = await pullChanges(db, api);
  const purgedScopes = await purgeScopes(db, scopes);
  return { pushed, rejected, pulled, uploaded, purgedScopes };
}
