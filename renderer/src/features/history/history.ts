import type { EntityTable } from '@shared/domain/entities';
import type { RecordChange, RecordChangeOp } from '@shared/domain/recordChange';
import type { GridworkDb } from '../../db/db';

/** Records whose history to show: one table and some of its record ids. */
export interface HistoryTarget {
  table: EntityTable;
  recordIds: readonly string[];
}

/** One field of a history entry, as stored: sensitive values are already masked. */
export interface HistoryField {
  field: string;
  new: unknown;
  /** The value before an update; `hasOld` says whether there is one (creates have none). */
  old: unknown;
  hasOld: boolean;
  masked: boolean;
}

/** One change of one record, ready to show. */
export interface HistoryEntry {
  id: string;
  table: string;
  recordId: string;
  op: RecordChangeOp;
  at: string;
  actorId: string;
  /** The name saved with the change, else one this device knows; null when neither exists. */
  actorName: string | null;
  fields: HistoryField[];
}

export interface HistoryOptions {
  /** Names of users this device knows (the signed-in user), by id, for rows saved without one. */
  knownActors?: ReadonlyMap<string, string>;
  /** At most this many entries, the newest (default 200). */
  limit?: number;
}

/** Newest first: by time, then by clock (one batch shares a time), then by id. */
function newestFirst(a: RecordChange, b: RecordChange): number {
  return b.at.localeCompare(a.at) || b.hlc.localeCompare(a.hlc) || b.id.localeCompare(a.id);
}

function toEntry(row: RecordChange, knownActors: ReadonlyMap<string, string>): HistoryEntry {
  return {
    id: row.id,
    table: row.table,
    recordId: row.recordId,
    op: row.op,
    at: row.at,
    actorId: row.actorId,
    actorName: row.actorName || knownActors.get(row.actorId) || null,
    fields: Object.entries(row.fields).map(([field, change]) => ({
      field,
      new: change.new,
      old: change.old,
      hasOld: change.old !== undefined,
      masked: change.masked === true,
    })),
  };
}

/**
 * The change history of the given records, newest first, read by the `[table+recordId]` index
 * (any number of records, one query). Rows arrive already masked where the data is sensitive.
 */
export async function loadRecordHistory(
  db: GridworkDb,
  targets: readonly HistoryTarget[],
  options: HistoryOptions = {},
): Promise<HistoryEntry[]> {
  const keys = targets.flatMap((t) => t.recordIds.map((id) => [t.table, id]));
  if (keys.length === 0) return [];
  const rows = await db.recordChanges.where('[table+recordId]').anyOf(keys).toArray();
  const knownActors = options.knownActors ?? new Map<string, string>();
  return rows
    .sort(newestFirst)
    .slice(0, options.limit ?? 200)
    .map((row) => toEntry(row, knownActors));
}

/** What a household's history covers, and the names of the people in it. */
export interface HouseholdHistoryTargets {
  targets: HistoryTarget[];
  /** Resident id → name, to say whose change an entry is (and who a head id means). */
  names: Map<string, string>;
}

/**
 * A household and every resident ever recorded in it — deleted ones too, so "deleted 张三"
 * stays in the history after the member has gone from the list.
 */
export async function householdHistoryTargets(
  db: GridworkDb,
  householdId: string,
): Promise<HouseholdHistoryTargets> {
  const residents = await db.residents.where('householdId').equals(householdId).toArray();
  return {
    targets: [
      { table: 'households', recordIds: [householdId] },
      { table: 'residents', recordIds: residents.map((r) => r.id) },
    ],
    names: new Map(residents.map((r) => [r.id, r.name])),
  };
}
