import type { EntityTable } from '@shared/domain/entities';
import type { Role } from '@shared/domain/account';
import type { MutationResult } from '@shared/sync/protocol';

/**
 * The server's storage, behind one interface with two implementations (SQLite, PostgreSQL) that
 * pass the same test suite (storage.suite.ts). Everything happens inside `transaction`, so a
 * push batch, its sequence numbers and its idempotency records commit or vanish together.
 */

/** A record as the server keeps it: the full row (envelope, fields, clocks) plus its place in the changelog. */
export interface StoredRow {
  table: EntityTable;
  id: string;
  scope: string;
  /** Changelog position within the row's partition (its district, `scope.slice(0, 6)`). */
  seq: number;
  /** The whole entity row as JSON: envelope (`id`, `scope`, `hlc`, `clocks`, `deleted`, …) and fields. */
  record: Record<string, unknown>;
}

/**
 * A row's exit from a scope (`record.rescope`): an entry of the OLD scope's changelog that tells
 * devices reading that scope to drop the row unless they also read its new scope. It names the
 * row and the scope it left, nothing of its content or of where it went.
 */
export interface ScopeExit {
  table: EntityTable;
  id: string;
  /** The scope the row left. */
  scope: string;
  /** Changelog position within the partition of `scope`, from the same counter as rows. */
  seq: number;
  exitedAt: string;
}

/** One entry of a partition's changelog: a row's current state, or a scope exit. */
export type LogEntry = ({ kind: 'row' } & StoredRow) | ({ kind: 'exit' } & ScopeExit);

/** Which rows of a partition a membership reads: its own subtree and, read-only, its ancestors. */
export interface ScopeFilter {
  /** Code prefix of the subtree: district 6, street 9, community 12, grid 15 digits. */
  prefix: string;
  /** Exact scopes above the membership (its street, district …) whose rows it may read. */
  ancestors: string[];
  /** Only rows (and exits) of these tables; absent = every table (`readableTables`). */
  tables?: readonly string[] | undefined;
}

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  disabled: boolean;
  failedLogins: number;
  /** ISO instant until which logins are refused, or null. */
  lockedUntil: string | null;
  departmentId: string | null;
  createdAt: string;
}

export interface MembershipRow {
  id: string;
  userId: string;
  scope: string;
  role: Role;
  grantedAt: string;
  grantedBy: string | null;
  /** Revoked memberships are kept for the audit trail. */
  revokedAt: string | null;
}

export interface SessionRow {
  /** SHA-256 (hex) of the bearer token; the token itself is never stored. */
  tokenHash: string;
  userId: string;
  deviceId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface AttachmentRow {
  sha256: string;
  size: number;
  mime: string;
  /** Bytes received so far (uploads resume from here). */
  received: number;
  complete: boolean;
  createdAt: string;
}

export interface StorageTx {
  // ---- sync changelog
  /** The stored answer to (device, mutation number), if that mutation was seen before. */
  getMutationResult(deviceId: string, seq: number): Promise<MutationResult | undefined>;
  saveMutationResult(
    deviceId: string,
    seq: number,
    userId: string,
    result: MutationResult,
  ): Promise<void>;
  /**
   * Takes the write lock of these changelog partitions now, before anything is read, so what
   * this transaction reads of them is what it overwrites: no other transaction can commit to
   * them until this one ends. PostgreSQL runs transactions side by side under READ COMMITTED:
   * without it, a push that read a row before another push committed its change of that row
   * would write the old values back over it (a lost update). The locks are taken in one fixed
   * order (sorted), so two pushes never wait for each other in a circle. SQLite: nothing to do,
   * a transaction holds the database's write lock from its BEGIN IMMEDIATE.
   */
  lockPartitions(partitions: readonly string[]): Promise<void>;
  getRow(table: EntityTable, id: string): Promise<StoredRow | undefined>;
  /**
   * Writes (inserts or replaces) a row and gives it the next sequence number of its partition,
   * taken inside this transaction so that commits of one partition happen in sequence order
   * (PostgreSQL: a row lock on the partition counter until commit). Returns the new seq.
   */
  putRow(
    table: EntityTable,
    id: string,
    scope: string,
    record: Record<string, unknown>,
  ): Promise<number>;
  /** Rows of `partition` with seq > `afterSeq` matching `filter`, in seq order, at most `limit`. */
  listChanges(
    partition: string,
    filter: ScopeFilter,
    afterSeq: number,
    limit: number,
  ): Promise<StoredRow[]>;
  /**
   * Records that row (table, id) left `scope`, giving the exit the next sequence number of that
   * scope's partition exactly as `putRow` does (same counter, same locking). An earlier exit of
   * the same row from the same scope is replaced (it moves to the new seq). Returns the seq.
   */
  putExit(table: EntityTable, id: string, scope: string, exitedAt: string): Promise<number>;
  /** Drops the exit of row (table, id) from `scope`, if any: the row is back in that scope. */
  deleteExit(table: EntityTable, id: string, scope: string): Promise<void>;
  /**
   * The changelog a pull reads: rows AND scope exits of `partition` with seq > `afterSeq`
   * matching `filter`, merged in seq order, at most `limit`. ONE statement, so both come from one
   * snapshot: under PostgreSQL's READ COMMITTED two statements could each see a different set of
   * commits, and a cursor moved past an exit could skip a row committed between them.
   */
  listLog(
    partition: string,
    filter: ScopeFilter,
    afterSeq: number,
    limit: number,
  ): Promise<LogEntry[]>;
  /** The partition's latest sequence number (0 when none). */
  maxSeq(partition: string): Promise<number>;

  // ---- accounts
  createUser(user: UserRow): Promise<void>;
  getUserById(id: string): Promise<UserRow | undefined>;
  getUserByUsername(username: string): Promise<UserRow | undefined>;
  updateUser(
    id: string,
    patch: Partial<Omit<UserRow, 'id' | 'username' | 'createdAt'>>,
  ): Promise<void>;
  listUsers(): Promise<UserRow[]>;
  /** Active (not revoked) memberships of a user. */
  listMemberships(userId: string): Promise<MembershipRow[]>;
  grantMembership(membership: MembershipRow): Promise<void>;
  /** Marks matching active memberships revoked; returns how many were. */
  revokeMembership(userId: string, scope: string, role: string | null, at: string): Promise<number>;
  createSession(session: SessionRow): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRow | undefined>;
  revokeSession(tokenHash: string, at: string): Promise<void>;
  deleteExpiredSessions(now: string): Promise<number>;

  // ---- attachments (content in the database, so server instances stay stateless)
  getAttachment(sha256: string): Promise<AttachmentRow | undefined>;
  createAttachment(row: AttachmentRow): Promise<void>;
  /** Appends bytes at `offset` (which must equal `received`) and returns the new `received`. */
  appendAttachmentChunk(sha256: string, offset: number, bytes: Uint8Array): Promise<number>;
  /** All bytes of an attachment in order. */
  readAttachment(sha256: string): Promise<Uint8Array>;
  markAttachmentComplete(sha256: string): Promise<void>;
  /** Drops a failed upload's bytes so it can restart from zero. */
  resetAttachment(sha256: string): Promise<void>;
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending migrations in order; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Runs `fn` in one transaction: commit on success, roll back on any throw. */
  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The changelog partition of a scope: its district (first 6 digits). */
export function partitionOf(scope: string): string {
  return scope.slice(0, 6);
}
