import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { SYNC_ENVELOPE_FIELDS } from '@shared/domain/common';
import {
  APPEND_ONLY_TABLES,
  ENTITY_SCHEMAS,
  type EntityOf,
  type EntityTable,
} from '@shared/domain/entities';
import type { GridworkDb, OutboxEntry } from './db';
import { deriveKeys, stripLocalKeys } from './derive';
import { loadDevice } from './device';

/** The record's own data: what a form or a workflow supplies. The envelope is ours to fill. */
export type EntityData<T extends EntityTable> = Omit<
  z.input<(typeof ENTITY_SCHEMAS)[T]>,
  (typeof SYNC_ENVELOPE_FIELDS)[number]
>;

export type Change<T extends EntityTable> =
  | { op: 'create'; table: T; scope: string; data: EntityData<T>; id?: string }
  | { op: 'update'; table: T; id: string; patch: Partial<EntityData<T>> }
  | { op: 'delete' | 'restore'; table: T; id: string };

export interface Actor {
  /** User id of whoever makes the change. */
  id: string;
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

/**
 * THE write path for local edits: validates the new record, then writes it together with an
 * outbox entry (mutation number, HLC, changed fields) and the persisted clock in ONE
 * transaction. Any failure aborts the transaction, so a record never changes without its
 * outbox entry, nor the reverse. An update that changes nothing writes nothing.
 */
export async function commitChange<T extends EntityTable>(
  db: GridworkDb,
  change: Change<T>,
  actor: Actor,
  wallClock: () => number = Date.now,
): Promise<EntityOf<T>> {
  const { table } = change;
  const schema = ENTITY_SCHEMAS[table];
  const store = db.table(table);
  const device = await loadDevice(db, wallClock);

  return db.transaction('rw', [store, db.outbox, db.meta], async () => {
    const hlc = device.clock.now();
    const now = new Date(wallClock()).toISOString();
    let previous: Record<string, unknown> | undefined;
    let candidate: Record<string, unknown>;

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
      const stored: unknown = await store.get(change.id);
      if (!stored) throw new WriteError('not-found', `${table}/${change.id} does not exist`);
      if (APPEND_ONLY_TABLES.has(table))
        throw new WriteError('append-only', `${table} rows cannot be changed`);
      previous = stripLocalKeys(stored as EntityOf<T>) as Record<string, unknown>;
      if (change.op === 'update' && previous.deleted)
        throw new WriteError('deleted', `${table}/${change.id} is deleted`);
      const patch = change.op === 'update' ? change.patch : { deleted: change.op === 'delete' };
      for (const key of Object.keys(patch)) {
        if (ENVELOPE.has(key) && key !== 'deleted')
          throw new WriteError('validation', `${key} cannot be edited`);
      }
      candidate = { ...previous, ...patch, updatedAt: now };
    }

    const parsed = schema.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      }));
      throw new WriteError(
        'validation',
        `invalid ${table} record: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      );
    }
    const next = parsed.data as Record<string, unknown>;

    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(next)) {
      if (ENVELOPE.has(key) && key !== 'deleted') continue;
      if (!previous || !sameValue(previous[key], value)) fields[key] = value;
    }
    if (previous && Object.keys(fields).length === 0) return previous as EntityOf<T>;

    // The clock each changed field had before this edit: the server compares it with its own
    // to tell a concurrent edit (a conflict) from a later one.
    const base: Record<string, string> = {};
    if (previous) {
      const previousClocks = (previous.clocks as Record<string, string> | undefined) ?? {};
      const clocks = { ...previousClocks };
      for (const key of Object.keys(fields)) {
        base[key] = previousClocks[key] ?? (previous.hlc as string);
        clocks[key] = hlc;
      }
      next.clocks = clocks;
    }

    await store.put(deriveKeys(table, next as EntityOf<T>));
    const entry: OutboxEntry = {
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
    await db.outbox.add(entry);
    await db.meta.put({ key: 'hlc', value: hlc });
    return next as EntityOf<T>;
  });
}
