/**
 * Errors the storage layer throws on purpose, the same on both engines, so services can tell a
 * refused write from a broken database. Both engines detect these conditions without failing an
 * SQL statement, so the transaction stays usable after one is thrown and caught (a failed
 * statement would abort a PostgreSQL transaction but not an SQLite one).
 */
export type StorageErrorCode =
  /** A unique key already exists: (device, mutation seq), user id or username, membership id, session, attachment. */
  | 'duplicate'
  /** The row to change does not exist. */
  | 'not-found'
  /** An attachment chunk's offset is not the attachment's `received`, or would pass its size. */
  | 'bad-offset'
  /** The attachment is complete (no more chunks) or not complete yet (cannot be marked complete). */
  | 'attachment-state';

/** A refused storage operation; `code` says which rule refused it. */
export class StorageError extends Error {
  override name = 'StorageError';

  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Whether `error` is a StorageError, optionally with the given code. */
export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}
