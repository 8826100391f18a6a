import { createPostgresStorage } from './postgres';
import { createSqliteStorage } from './sqlite';
import type { Storage } from './types';

export { createPostgresStorage, type PostgresStorageOptions } from './postgres';
export { createSqliteStorage, type SqliteStorageOptions } from './sqlite';
export { StorageError, isStorageError, type StorageErrorCode } from './errors';
export { partitionOf } from './types';
export type {
  AttachmentRow,
  MembershipRow,
  ScopeFilter,
  SessionRow,
  Storage,
  StorageTx,
  StoredRow,
  UserRow,
} from './types';

/** Where the server keeps its data. */
export interface StorageConfig {
  /** A PostgreSQL URL; when set, PostgreSQL is used (several instances may share it). */
  databaseUrl?: string;
  /** The SQLite file used when there is no `databaseUrl` (a single server instance). */
  sqliteFile: string;
}

/** The storage the configuration asks for: PostgreSQL when `databaseUrl` is set, else SQLite. */
export function createStorage(config: StorageConfig): Storage {
  // An empty string (an unset variable in a template) means "not set", not "connect to default".
  return config.databaseUrl
    ? createPostgresStorage(config.databaseUrl)
    : createSqliteStorage(config.sqliteFile);
}
