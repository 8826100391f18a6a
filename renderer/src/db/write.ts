import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { SYNC_ENVELOPE_FIELDS } from '@shared/domain/common';
import {
  APPEND_ONLY_TABLES,
  ENTITY_SCHEMAS,
  type EntityOf,
  type EntityTable,
  HISTORY_TABLES,
} from '@shared/domain/entities';
import {
  type HistoryNote,
  type RecordChange,
  fieldChangesOf,
  historyRowData,
} from '@shared/domain/recordChange';
import { RESCOPE_OPERATION, isRescopeTarget } from '@shared/sync/protocol';
import Dexie, { type Table } from 'dexie';
import type { GridworkDb, OutboxEntry } from './db';
import { deriveKeys, stripLocalKeys } from './derive';
import { loadDevice } from './device';

/** The record's own data: what a form or a workflow supplies. The envelope is ours to fill. */
export type EntityData<T extends EntityTable> = Omit<
  z.input<(typeof ENTITY_SCHEMAS)[T]>,
  (typeof SYNC_ENVELOPE_FIELDS)[number]
>;

export type Change<T extends EntityTable> =
  | {
      op: 'create';
      table: T;
      scope: string;
      data: EntityData<T>;
      id?: string;
      /**
       * A row a workflow step of the same batch creates (case.op's timeline events): written
       * locally, but sent only inside that step's workflow entry, which the server re-runs.
       */
      viaWorkflow?: true;
    }
  | { op: 'update'; table: T; id: string; patch: Partial<EntityData<T>> }
  | { op: 'delete' | 'restore'; table: T; id: string }
  /**
   * Moves the record to another scope (`record.rescope`, e.g. a household moved to another
   * grid): the local copy takes the new scope at once, and the outbox carries the named
   * operation, which the server checks (the user must write both scopes) before it moves the
   * row. Put it in the same batch as the field changes of the move; the changes after it in the
   * batch are then sent in the new scope. A move to the scope the record is in changes nothing.
   */
  | { op: 'rescope'; table: T; id: string; scope: string }
  /**
   * A named workflow step (`case.op`): the local record takes `patch` at once (validated, clocks
   * moved like an update), and the outbox gets ONE workflow entry with `name` and `args`, which
   * the server re-runs against its own row instead of taking the fields. No change-history row:
   * the step's own rows (created with `viaWorkflow`) are its history.
   */
  | {
      op: 'workflow';
      table: T;
      id: string;
      name: string;
      args: Record<string, unknown>;
      patch: Partial<EntityData<T>>;
    };

export interface Actor {
  /** User id of whoever makes the change. */
  id: string;
  /** Their display name, kept on change-history rows: devices have no user directory. */
  name?: string;
}

export type WriteErrorCode = 'validation' | 'not-found' | 'append-only' | 'deleted';

/** A change that was refused; nothing was written. `issues` name the fields to fix. */
export class WriteError extends Error {
  constructor(
    readonly code: WriteErrorCode,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

const ENVELOPE = new Set<string>(SYNC_ENVELOPE_FIELDS);

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The table that holds the change history {@link commitChanges} writes. */
export const HISTORY_TABLE = 'recordChanges' satisfies EntityTable;

/**
 * Every store a {@link commitChanges} of these tables writes: the tables, the change history
 * when one of them is tracked, the outbox and the clock. A caller that wraps commitChanges in its
 * own transaction (to read and write atomically) opens it over these stores, plus its reads.
 */
export function writeStores(db: GridworkDb, tables: readonly EntityTable[]): Table[] {
  const names = new Set<EntityTable>(tables);
  if (tables.some((table) => HISTORY_TABLES.has(table))) names.add(HISTORY_TABLE);
  return [...[...names].map((name) => db.table(name)), db.outbox, db.meta];
}

/**
 * Unsent changes as a person counts them: the outbox without its change-history rows, which
 * travel with the change they describe. Counted on the outbox index, so it stays cheap after an
 * import has queued tens of thousands of entries.
 */
export async function countUnsentChanges(db: GridworkDb): Promise<number> {
  const [all, history] = await Promise.all([
    db.outbox.count(),
    db.outbox
      .where('[table+recordId]')
      .between([HISTORY_TABLE, Dexie.minKey], [HISTORY_TABLE, Dexie.maxKey])
      .count(),
  ]);
  return all - history;
}

/** Progress of {@link commitChanges}: `done` of `total` records handed to the database. */
export type WriteProgress = (done: number, total: number) => void;

export interface CommitOptions {
  wallClock?: () => number;
  /** Called between the bulk writes inside the transaction (never before validation ends). */
  onProgress?: WriteProgress;
  /** Records per `bulkPut` call; progress is reported after each. */
  chunkSize?: number;
}

/** Plain-object form of a Zod issue list, prefixed with the change's position in a batch. */
function issuesOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix: string,
): { path: string; message: string }[] {
  return issues.map((issue) => ({
    path: `${prefix}${issue.path.map(String).join('.')}`,
    message: issue.message,
  }));
}

/**
 * THE write path for local edits: validates the new record, then writes it together with an
 * outbox entry (mutation number, HLC, changed fields), for a tracked table (`HISTORY_TABLES`) a
 * change-history row (`recordChanges`, sent on that outbox entry) and the persisted clock in ONE
 * transaction. Any failure aborts the transaction, so a record never changes without its
 * outbox entry and history, nor the reverse. An update that changes nothing writes nothing.
 */
export async function commitChange<T extends EntityTable>(
  db: GridworkDb,
  change: Change<T>,
  actor: Actor,
  wallClock: () => number = Date.now,
): Promise<EntityOf<T>> {
  // A generic Change<T> is one member of AnyChange; TypeScript cannot see that for an open T.
  const batch = [change] as unknown as AnyChange[];
  const [result] = await commitChanges(db, batch, actor, { wallClock });
  if (!result) throw new Error('commitChanges returned no record');
  return result as EntityOf<T>;
}

/** Any change of any table: the element type of a mixed batch. */
export type AnyChange = { [T in EntityTable]: Change<T> }[EntityTable];

/**
 * The batched form of {@link commitChange} (imports, multi-record workflows): every change is
 * built and validated first, inside one transaction, and only when ALL are valid are the
 * records written with `bulkPut` and their outbox entries with `bulkAdd`. Any failure —
 * validation, a missing record, a storage error halfway through — aborts the transaction, so
 * either every change of the batch is stored with its outbox entry or none is.
 *
 * Changes apply in order; a later change may update a record an earlier one created. Returns
 * the resulting record of each change, in order (the unchanged record for a no-op update).
 * @throws WriteError (validation issues carry `[index].field` paths) or the storage error.
 */
export async function commitChanges(
  db: GridworkDb,
  changes: readonly AnyChange[],
  actor: Actor,
  options: CommitOptions = {},
): Promise<Record<string, unknown>[]> {
  const wallClock = options.wallClock ?? Date.now;
  const chunkSize = Math.max(1, options.chunkSize ?? 2000);
  if (changes.length === 0) return [];
  const tables = [...new Set(changes.map((c) => c.table))];
  const device = await loadDevice(db, wallClock);

  return db.transaction('rw', writeStores(db, tables), async () => {
    const now = new Date(wallClock()).toISOString();
    // Records this batch has produced so far, by table/id: later changes build on them.
    const working = new Map<string, Record<string, unknown>>();
    // Stored records the batch's updates need, read in one bulkGet per table.
    const wanted = new Map<EntityTable, Set<string>>();
    for (const change of changes) {
      if (change.op === 'create') continue;
      const ids = wanted.get(change.table) ?? new Set<string>();
      ids.add(change.id);
      wanted.set(change.table, ids);
    }
    const stored = new Map<string, Record<string, unknown>>();
    for (const [table, ids] of wanted) {
      const list = [...ids];
      const rows: unknown[] = await db.table(table).bulkGet(list);
      rows.forEach((row, i) => {
        if (row) {
          stored.set(
            `${table}/${list[i] ?? ''}`,
            stripLocalKeys(row as EntityOf<typeof table>) as Record<string, unknown>,
          );
        }
      });
    }

    const results: Record<string, unknown>[] = [];
    const entries: OutboxEntry[] = [];
    let lastHlc: string | null = null;

    // One history row per change of a tracked table, written here in the same transaction and
    // sent on the change's own outbox entry (`history`): the server writes it with the change.
    // It shares the change's clock, scope and time.
    const historyOf = (
      entry: OutboxEntry & { op: RecordChange['op'] },
      previous: Record<string, unknown> | undefined,
    ): HistoryNote => {
      // Valid by construction (the record passed its schema; values are masked strings or the
      // record's own JSON), so it skips a second parse: imports write thousands of these.
      const note: HistoryNote = {
        id: uuidv7(),
        actorName: (actor.name ?? '').slice(0, 40),
        fields: fieldChangesOf(entry.table, entry.op, previous, entry.fields),
      };
      const row: RecordChange = {
        id: note.id,
        scope: entry.scope,
        createdAt: entry.at,
        updatedAt: entry.at,
        hlc: entry.hlc,
        ...historyRowData(entry, note),
      };
      working.set(`${HISTORY_TABLE}/${note.id}`, row);
      return note;
    };

    // A scope move: the envelope's scope changes (no field does, so no change-history row);
    // the outbox entry names the scope the record leaves and the one it goes to.
    const rescope = (
      change: Extract<AnyChange, { op: 'rescope' }>,
      prefix: string,
      hlc: string,
    ) => {
      const { table } = change;
      const key = `${table}/${change.id}`;
      const previous = working.get(key) ?? stored.get(key);
      if (!previous) throw new WriteError('not-found', `${table}/${change.id} does not exist`);
      if (previous.deleted) throw new WriteError('deleted', `${table}/${change.id} is deleted`);
      if (!isRescopeTarget(table, change.scope)) {
        const message = `${table} cannot move to scope ${change.scope}`;
        throw new WriteError('validation', `${prefix}scope: ${message}`, [
          { path: `${prefix}scope`, message },
        ]);
      }
      if (previous.scope === change.scope) {
        results.push(previous);
        return;
      }
      const next = { ...previous, scope: change.scope, updatedAt: now };
      working.set(key, next);
      results.push(next);
      entries.push({
        table,
        recordId: change.id,
        scope: previous.scope as string,
        op: 'workflow',
        name: RESCOPE_OPERATION,
        args: { toScope: change.scope },
        fields: {},
        base: {},
        hlc,
        actorId: actor.id,
        at: now,
      });
      lastHlc = hlc;
    };

    changes.forEach((change, index) => {
      const { table } = change;
      const prefix = changes.length > 1 ? `[${index}].` : '';
      const hlc = device.clock.now();
      let previous: Record<string, unknown> | undefined;
      let candidate: Record<string, unknown>;

      if (change.op === 'rescope') {
        rescope(change, prefix, hlc);
        return;
      }

      if (change.op === 'create') {
        candidate = {
          ...change.data,
          id: change.id ?? uuidv7(),
          scope: change.scope,
          createdAt: now,
          updatedAt: now,
          deleted: false,
          hlc,
        };
      } else {
        const key = `${table}/${change.id}`;
        previous = working.get(key) ?? stored.get(key);
        if (!previous) throw new WriteError('not-found', `${table}/${change.id} does not exist`);
        if (APPEND_ONLY_TABLES.has(table))
          throw new WriteError('append-only', `${table} rows cannot be changed`);
        if ((change.op === 'update' || change.op === 'workflow') && previous.deleted)
          throw new WriteError('deleted', `${table}/${change.id} is deleted`);
        const patch: Record<string, unknown> =
          change.op === 'update' || change.op === 'workflow'
            ? change.patch
            : { deleted: change.op === 'delete' };
        for (const field of Object.keys(patch)) {
          if (ENVELOPE.has(field) && field !== 'deleted')
            throw new WriteError('validation', `${prefix}${field} cannot be edited`);
        }
        candidate = { ...previous, ...patch, updatedAt: now };
      }

      const parsed = ENTITY_SCHEMAS[table].safeParse(candidate);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error.issues, prefix);
        throw new WriteError(
          'validation',
          `invalid ${table} record: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          issues,
        );
      }
      const next = parsed.data as Record<string, unknown>;

      const fields: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(next)) {
        if (ENVELOPE.has(field) && field !== 'deleted') continue;
        if (!previous || !sameValue(previous[field], value)) fields[field] = value;
      }
      // A workflow step is sent even when it changes no field (a progress report adds events).
      if (previous && Object.keys(fields).length === 0 && change.op !== 'workflow') {
        results.push(previous);
        return;
      }

      // The clock each changed field had before this edit: the server compares it with its own
      // to tell a concurrent edit (a conflict) from a later one.
      const base: Record<string, string> = {};
      if (previous) {
        const previousClocks = (previous.clocks as Record<string, string> | undefined) ?? {};
        const clocks = { ...previousClocks };
        for (const field of Object.keys(fields)) {
          base[field] = previousClocks[field] ?? (previous.hlc as string);
          clocks[field] = hlc;
        }
        next.clocks = clocks;
      }

      working.set(`${table}/${next.id as string}`, next);
      results.push(next);
      lastHlc = hlc;
      if (change.op === 'create' && change.viaWorkflow) return;
      if (change.op === 'workflow') {
        // `fields` stay on the entry (not sent): they mark the record's pending local fields.
        entries.push({
          table,
          recordId: next.id as string,
          scope: next.scope as string,
          op: 'workflow',
          name: change.name,
          args: change.args,
          fields,
          base,
          hlc,
          actorId: actor.id,
          at: now,
        });
        return;
      }
      const entry: OutboxEntry & { op: typeof change.op } = {
        table,
        recordId: next.id as string,
        scope: next.scope as string,
        op: change.op,
        fields,
        base,
        hlc,
        actorId: actor.id,
        at: now,
      };
      if (HISTORY_TABLES.has(table)) entry.history = historyOf(entry, previous);
      entries.push(entry);
    });

    // Everything is valid: now write, in bulk, per table. A failure here still aborts it all.
    const byTable = new Map<EntityTable, Record<string, unknown>[]>();
    for (const [key, record] of working) {
      const table = key.slice(0, key.indexOf('/')) as EntityTable;
      const list = byTable.get(table) ?? [];
      list.push(deriveKeys(table, record as EntityOf<typeof table>) as Record<string, unknown>);
      byTable.set(table, list);
    }
    const total = working.size + entries.length;
    let done = 0;
    for (const [table, records] of byTable) {
      for (let i = 0; i < records.length; i += chunkSize) {
        const chunk = records.slice(i, i + chunkSize);
        await db.table(table).bulkPut(chunk);
        done += chunk.length;
        options.onProgress?.(done, total);
      }
    }
    for (let i = 0; i < entries.length; i += chunkSize) {
      const chunk = entries.slice(i, i + chunkSize);
      await db.outbox.bulkAdd(chunk);
      done += chunk.length;
      options.onProgress?.(done, total);
    }
    if (lastHlc !== null) await db.meta.put({ key: 'hlc', value: lastHlc });
    return results;
  });
}
