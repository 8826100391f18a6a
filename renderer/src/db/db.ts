import Dexie, { type Table } from 'dexie';
import type { EntityTable } from '@shared/domain/entities';
import type { HistoryNote } from '@shared/domain/recordChange';
import type { Stored } from './derive';
import { DB_NAME, SCHEMA_VERSIONS } from './schema';

/** One pending local change, kept until the sync server acknowledges it (DESIGN §5.3). */
export interface OutboxEntry {
  /** Per-device mutation number, assigned by IndexedDB's key generator. */
  seq?: number;
  table: EntityTable;
  recordId: string;
  scope: string;
  op: 'create' | 'update' | 'delete' | 'restore' | 'workflow';
  /** The changed fields and their new values (all fields for `create`). */
  fields: Record<string, unknown>;
  /** Field → its clock before this change (empty for `create`); lets the server spot conflicts. */
  base: Record<string, string>;
  /** Workflow operations only: the operation's name and arguments, validated by the server. */
  name?: string;
  args?: Record<string, unknown>;
  /**
   * Plain changes of a tracked table: the change-history row written with the change (its
   * local copy is in `recordChanges`); the server writes it when it applies the change.
   * Entries queued before protocol 4 sent history rows as `recordChanges` creates of their own.
   */
  history?: HistoryNote;
  /** HLC of this change; every changed field gets this clock. */
  hlc: string;
  /** Who made the change (user id) and when (device wall clock, ISO). */
  actorId: string;
  at: string;
}

/** Pull position of one membership scope, stored in the same transaction as the page it ends. */
export interface SyncStateEntry {
  scope: string;
  cursor: number;
  pulledAt: string;
  /** The only tables read through the scope (a liaison's street); absent = every table. */
  tables?: string[];
}

/** A mutation the server refused: kept for the conflict inbox until someone dismisses it. */
export interface RejectionEntry {
  id?: number;
  seq: number;
  table: EntityTable;
  recordId: string;
  op: string;
  code: string;
  /** The server's reason in English (shown when there is no known `reasonKey`). */
  reason: string;
  /**
   * The refusal's message key and parameters (protocol 4, `shared/cases/refusals.ts`), shown in
   * the user's language; absent on other refusals and on rows stored before.
   */
  reasonKey?: string;
  reasonParams?: Record<string, string | number>;
  fields: Record<string, unknown>;
  at: string;
  dismissed: boolean;
}

/** Attachment bytes kept on this device (photos taken here, or downloaded once). */
export interface BlobEntry {
  sha256: string;
  mime: string;
  size: number;
  bytes: Uint8Array<ArrayBuffer>;
  /** 1 once the server holds all bytes, 0 while an upload is pending. */
  uploaded: 0 | 1;
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
  syncState: Table<SyncStateEntry, string>;
  rejections: Table<RejectionEntry, number>;
  blobs: Table<BlobEntry, string>;
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
