import { StorageError } from './errors';
import { partitionOf, type AttachmentRow, type MembershipRow, type UserRow } from './types';

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

// The refusals both engines raise, one message each. An engine detects a duplicate as an
// `INSERT … ON CONFLICT DO NOTHING` that inserted no row (see errors.ts for why not a failed key).

export function duplicateMutation(deviceId: string, seq: number): StorageError {
  return new StorageError(
    'duplicate',
    `mutation ${seq} of device ${deviceId} already has a result`,
  );
}

export function duplicateUser(user: UserRow): StorageError {
  return new StorageError('duplicate', `user ${user.id} or username ${user.username} exists`);
}

export function duplicateMembership(m: MembershipRow): StorageError {
  return new StorageError('duplicate', `membership ${m.id} exists`);
}

export function duplicateSession(): StorageError {
  return new StorageError('duplicate', 'a session with this token exists');
}

export function duplicateAttachment(row: AttachmentRow): StorageError {
  return new StorageError('duplicate', `attachment ${row.sha256} exists`);
}

export function noUser(id: string): StorageError {
  return new StorageError('not-found', `no user ${id}`);
}

export function noAttachment(sha256: string): StorageError {
  return new StorageError('not-found', `no attachment ${sha256}`);
}

/** Checks an appended chunk against the attachment's state; returns the new `received`. */
export function checkChunk(
  sha256: string,
  state: { size: number; received: number; complete: boolean } | undefined,
  offset: number,
  length: number,
): number {
  if (!state) throw noAttachment(sha256);
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

/** An attachment may be marked complete once every byte of it is received. */
export function checkCompletable(sha256: string, current: AttachmentRow | undefined): void {
  if (!current) throw noAttachment(sha256);
  if (current.received !== current.size) {
    throw new StorageError(
      'attachment-state',
      `attachment ${sha256} has ${current.received} of ${current.size} bytes`,
    );
  }
}

/**
 * What both engines' transaction handles share: once the transaction has committed or rolled
 * back, the handle refuses every call, since a statement sent then would run outside it (SQLite:
 * outside any transaction or inside another one; PostgreSQL: on a connection back in the pool).
 */
export abstract class EndableTx {
  private open = true;

  /** Called when the transaction commits or rolls back; later calls on this tx throw. */
  end(): void {
    this.open = false;
  }

  protected checkOpen(): void {
    if (!this.open) throw new Error('storage transaction used after it ended');
  }
}
