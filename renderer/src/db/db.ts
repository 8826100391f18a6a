import Dexie, { type Table } from 'dexie';
import type { EntityTable } from '@shared/domain/entities';
import type { Stored } from './derive';
import { DB_NAME, SCHEMA_VERSIONS } from './schema';

/** One pending local change, kept until the sync server acknowledges it (DESIGN §5.3). */
export interface OutboxEntry {
  /** Per-device mutation number, assigned by IndexedDB's key generator. */
  seq?: number;
  table: EntityTable;
  recordId: string;
  scope: string;
  op: 'create' | 'update' | 'delete' | 'restore';
  /** The changed fields and their new values (all fields for `create`). */
  fields: Record<string, unknown>;
  /** HLC of this change; every changed field gets this clock. */
  hlc: string;
  /** Who made the change (user id) and when (device wall clock, ISO). */
  actorId: string;
  at: string;
}

export interface MetaEntry {
  key: string;
  value: unknown;
}

export type GridworkDb = Dexie & {
  [T in EntityTable]: Table<Stored<T>, string>;
} & {
  outbox: Table<OutboxEntry, number>;
  meta: Table<MetaEntry, string>;
};

/** Opens (and if needed creates or upgrades) the local database. */
export function openDb(name = DB_NAME): GridworkDb {
  const db = new Dexie(name);
  for (const { version, stores } of SCHEMA_VERSIONS) db.version(version).stores(stores);
  return db as GridworkDb;
}

let current: GridworkDb | null = null;

/** The app's database, opened on first use. */
export function useDb(): GridworkDb {
  current ??= openDb();
  return current;
}

/** Replace the app's database (tests, and switching users on a shared laptop). */
export function setDb(db: GridworkDb | null): void {
  current = db;
}
