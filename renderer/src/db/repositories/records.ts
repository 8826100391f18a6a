import type { EntityOf, EntityTable } from '@shared/domain/entities';
import type { GridworkDb } from '../db';
import { stripLocalKeys } from '../derive';
import { type Actor, type EntityData, commitChange } from '../write';

/** Generic record operations; each goes through `commitChange`, so each is synced. */

export function createRecord<T extends EntityTable>(
  db: GridworkDb,
  table: T,
  scope: string,
  data: EntityData<T>,
  actor: Actor,
) {
  return commitChange(db, { op: 'create', table, scope, data }, actor);
}

export function updateRecord<T extends EntityTable>(
  db: GridworkDb,
  table: T,
  id: string,
  patch: Partial<EntityData<T>>,
  actor: Actor,
) {
  return commitChange(db, { op: 'update', table, id, patch }, actor);
}

/** Deletion is a tombstone (`deleted: true`), so it syncs and can be undone with `restoreRecord`. */
export function deleteRecord<T extends EntityTable>(
  db: GridworkDb,
  table: T,
  id: string,
  actor: Actor,
) {
  return commitChange(db, { op: 'delete', table, id }, actor);
}

export function restoreRecord<T extends EntityTable>(
  db: GridworkDb,
  table: T,
  id: string,
  actor: Actor,
) {
  return commitChange(db, { op: 'restore', table, id }, actor);
}

export async function getRecord<T extends EntityTable>(
  db: GridworkDb,
  table: T,
  id: string,
): Promise<EntityOf<T> | undefined> {
  const stored = await db.table(table).get(id);
  return stored ? stripLocalKeys<T>(stored) : undefined;
}
