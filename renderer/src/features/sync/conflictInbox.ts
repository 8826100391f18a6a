import type { Role } from '@shared/domain/account';
import type { Conflict } from '@shared/domain/conflict';
import { type EntityTable, isEntityTable } from '@shared/domain/entities';
import type { GridworkDb, RejectionEntry } from '../../db/db';
import { loadDevice } from '../../db/device';
import { type Actor, commitChange, type EntityData, WriteError, writeStores } from '../../db/write';
import { tagsToSave } from '../registry/residentForm';

/**
 * The conflict inbox's data and actions (DESIGN §5.2): changes the server refused, and
 * same-field edits where one value was overwritten. Resolving a conflict is itself a change
 * that goes through `commitChange`, so the decision syncs to every device.
 *
 * `resolved` and `dismissed` are booleans, which IndexedDB cannot index, so the open items are
 * found by a scan; the inbox is small (a handful of rows per device), so that is cheap.
 */

/** The field that names a record for people, per table; other tables show the record id. */
const TITLE_FIELDS: Partial<Record<EntityTable, string>> = {
  orgUnits: 'name',
  departments: 'name',
  buildings: 'name',
  households: 'address',
  residents: 'name',
  resources: 'name',
  projects: 'name',
  needsLists: 'title',
  cases: 'caseNo',
  meetings: 'title',
};

/** A rejection or a conflict with the title of the record it is about (null if not on this device). */
export type WithTitle<T> = T & { recordTitle: string | null };

/** Open items: undismissed rejections plus unresolved same-field conflicts. */
export async function countOpenConflicts(db: GridworkDb): Promise<number> {
  const [rejected, conflicting] = await Promise.all([
    db.rejections.filter((r) => !r.dismissed).count(),
    db.conflicts.filter((c) => !c.resolved && !c.deleted).count(),
  ]);
  return rejected + conflicting;
}

async function recordTitle(db: GridworkDb, table: string, id: string): Promise<string | null> {
  if (!isEntityTable(table)) return null;
  const field = TITLE_FIELDS[table];
  if (!field) return null;
  const record: unknown = await db.table(table).get(id);
  const value = (record as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Undismissed rejections, newest first, with their records' titles. */
export async function loadOpenRejections(db: GridworkDb): Promise<WithTitle<RejectionEntry>[]> {
  const rows = await db.rejections.filter((r) => !r.dismissed).toArray();
  rows.sort((a, b) => b.at.localeCompare(a.at));
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      recordTitle: await recordTitle(db, row.table, row.recordId),
    })),
  );
}

/** Unresolved same-field conflicts, newest first, with their records' titles. */
export async function loadOpenConflicts(db: GridworkDb): Promise<WithTitle<Conflict>[]> {
  const rows = await db.conflicts.filter((c) => !c.resolved && !c.deleted).toArray();
  rows.sort((a, b) => b.detectedAt.localeCompare(a.detectedAt));
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      recordTitle: await recordTitle(db, row.recordTable, row.recordId),
    })),
  );
}

/** Hides a rejection. Rejections never leave this device, so this is a plain local write. */
export async function dismissRejection(db: GridworkDb, id: number): Promise<void> {
  await db.rejections.update(id, { dismissed: true });
}

function resolution(
  conflictId: string,
  kind: 'kept' | 'replaced',
  actor: Actor,
): Parameters<typeof commitChange<'conflicts'>>[1] {
  return {
    op: 'update',
    table: 'conflicts',
    id: conflictId,
    patch: { resolved: true, resolution: kind, resolvedBy: actor.id },
  };
}

/** Keeps the winning (current) value: marks the conflict resolved as `kept`. */
export async function keepCurrent(db: GridworkDb, conflictId: string, actor: Actor): Promise<void> {
  await commitChange(db, resolution(conflictId, 'kept', actor), actor);
}

/**
 * Re-applies the overwritten value to the record's field and marks the conflict `replaced`, in
 * one transaction: both happen (two outbox entries) or neither. The field name comes from the
 * server; commitChange validates the whole record against its schema, so an unknown field or a
 * value the schema refuses aborts both writes with a WriteError.
 *
 * A resident's special-group tags follow the registry form's rule (`tagsToSave`): `role` puts
 * back the overwritten tags it may see, and the tags it may not see stay as stored now — it can
 * neither restore nor drop what the inbox does not show it.
 */
export async function replaceWithOverwritten(
  db: GridworkDb,
  conflict: Pick<Conflict, 'id' | 'recordTable' | 'recordId' | 'field' | 'loserValue'>,
  actor: Actor,
  role: Role | null,
): Promise<void> {
  const table = conflict.recordTable;
  if (!isEntityTable(table)) throw new WriteError('not-found', `unknown table ${table}`);
  // Load the device before the transaction: first use writes the device id, and that write must
  // not be rolled back with ours if the change is refused.
  await loadDevice(db);
  await db.transaction('rw', writeStores(db, [table, 'conflicts']), async () => {
    let value = conflict.loserValue;
    if (table === 'residents' && conflict.field === 'tags' && Array.isArray(value)) {
      const stored = await db.residents.get(conflict.recordId);
      const codes = value.filter((code): code is string => typeof code === 'string');
      value = tagsToSave(role, stored?.tags ?? [], codes);
    }
    // A dynamic field name cannot be typed; the schema check inside commitChange is the guard.
    const patch = { [conflict.field]: value } as Partial<EntityData<typeof table>>;
    await commitChange(db, { op: 'update', table, id: conflict.recordId, patch }, actor);
    await commitChange(db, resolution(conflict.id, 'replaced', actor), actor);
  });
}
