import { StorageError } from './errors';
import { partitionOf, type AttachmentRow, type StorageTx, type UserRow } from './types';

/** What `updateUser` may change. */
export type UserPatch = Parameters<StorageTx['updateUser']>[1];

/**
 * Column of each patchable user field. The patch is copied column by column from this list, so
 * a caller cannot smuggle `id`, `username` or an arbitrary column name into the SQL text.
 */
const USER_PATCH_COLUMNS = {
  displayName: 'display_name',
  passwordHash: 'password_hash',
  disabled: 'disabled',
  failedLogins: 'failed_logins',
  lockedUntil: 'locked_until',
  departmentId: 'department_id',
} as const satisfies Record<keyof UserPatch, string>;

/** The (column, value) pairs a patch sets; fields given as `undefined` are left alone. */
export function userPatchColumns(
  patch: UserPatch,
): { column: string; value: UserRow[keyof UserPatch] }[] {
  const out: { column: string; value: UserRow[keyof UserPatch] }[] = [];
  for (const [field, column] of Object.entries(USER_PATCH_COLUMNS)) {
    const value = patch[field as keyof UserPatch];
    if (value !== undefined) out.push({ column, value });
  }
  return out;
}

/**
 * A JS number from an integer column. PostgreSQL's driver returns int8 (bigint) as a string
 * because it may exceed 2^53; ours never do (sequence numbers, byte counts), but a value that did
 * must fail loudly rather than round to a neighbouring sequence number.
 */
export function toSafeInt(value: unknown, what: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new Error(`${what}: expected a safe integer, got ${String(value)}`);
  }
  return n;
}

/** Checks an appended chunk against the attachment's state; returns the new `received`. */
export function checkChunk(
  sha256: string,
  state: { size: number; received: number; complete: boolean } | undefined,
  offset: number,
  length: number,
): number {
  if (!state) throw new StorageError('not-found', `no attachment ${sha256}`);
  if (state.complete) {
    throw new StorageError('attachment-state', `attachment ${sha256} is already complete`);
  }
  if (offset !== state.received) {
    throw new StorageError(
      'bad-offset',
      `attachment ${sha256}: chunk at ${offset} but ${state.received} bytes received`,
    );
  }
  if (state.received + length > state.size) {
    throw new StorageError(
      'bad-offset',
      `attachment ${sha256}: chunk would end at ${state.received + length}, past its size ${state.size}`,
    );
  }
  return state.received + length;
}

/** Joins chunks into one fresh array (not a view into Node's shared Buffer pool). */
export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** The bytes as a Buffer without copying; both drivers bind Buffers as BLOB/bytea. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The partition of a scope, refusing scopes too short to have one. */
export function partitionOfScope(scope: string): string {
  const part = partitionOf(scope);
  if (!/^\d{6}$/.test(part)) throw new Error(`scope ${scope} has no district partition`);
  return part;
}

/** A new attachment starts empty; a row claiming bytes that were never stored would read back short. */
export function checkNewAttachment(row: AttachmentRow): void {
  if (row.received !== 0 || (row.complete && row.size !== 0)) {
    throw new StorageError(
      'attachment-state',
      `attachment ${row.sha256} must be created with nothing received`,
    );
  }
}
