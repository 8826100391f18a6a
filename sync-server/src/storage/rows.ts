import type { EntityTable } from '@shared/domain/entities';
import type { Role } from '@shared/domain/account';
import type {
  AttachmentRow,
  LogEntry,
  MembershipRow,
  ScopeExit,
  SessionRow,
  StorageTx,
  StoredRow,
  UserRow,
} from './types';

/**
 * The tables' rows as the drivers return them, and their mapping to the domain rows of types.ts,
 * shared by both engines. The schemas name and order the columns alike; only a few column types
 * come back differently, and those are described by `DbTypes` and read back by a `DbReader`.
 */

/** The JS types a driver returns for the columns the two engines store differently. */
export interface DbTypes {
  /** A boolean column: SQLite INTEGER 0/1, PostgreSQL boolean. */
  bool: unknown;
  /** A 64-bit integer column: SQLite a number, PostgreSQL (int8) a string. */
  int8: unknown;
  /** A JSON column: SQLite TEXT, PostgreSQL jsonb (already parsed). */
  json: unknown;
}

/** Turns an engine's values of those columns into the domain's. */
export interface DbReader<T extends DbTypes> {
  bool(value: T['bool']): boolean;
  /** `column` (`table.column`) names the value in the error if it is out of range. */
  int8(value: T['int8'], column: string): number;
  json(value: T['json']): Record<string, unknown>;
}

/** A value bound into an INSERT or UPDATE before engine conversion (SQLite binds no booleans). */
export type ColumnValue = string | number | boolean | null;

export const RECORD_COLUMNS = 'tbl, id, scope, seq, record';

export interface RecordDbRow<T extends DbTypes> {
  tbl: string;
  id: string;
  scope: string;
  seq: T['int8'];
  record: T['json'];
}

/** Columns of a changelog entry (`listLog`): a row's have no `exited_at`, an exit's no `record`. */
export const LOG_COLUMNS = 'kind, tbl, id, scope, seq, record, exited_at';

export interface LogDbRow<T extends DbTypes> {
  kind: 'row' | 'exit';
  tbl: string;
  id: string;
  scope: string;
  seq: T['int8'];
  record: T['json'] | null;
  exited_at: string | null;
}

export const USER_COLUMNS =
  'id, username, display_name, password_hash, disabled, failed_logins, locked_until, department_id, created_at';

/** A user's values in the order of USER_COLUMNS. */
export function userValues(user: UserRow): ColumnValue[] {
  return [
    user.id,
    user.username,
    user.displayName,
    user.passwordHash,
    user.disabled,
    user.failedLogins,
    user.lockedUntil,
    user.departmentId,
    user.createdAt,
  ];
}

export interface UserDbRow<T extends DbTypes> {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  disabled: T['bool'];
  failed_logins: number;
  locked_until: string | null;
  department_id: string | null;
  created_at: string;
}

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

export const MEMBERSHIP_COLUMNS = 'id, user_id, scope, role, granted_at, granted_by, revoked_at';

/** A membership's values in the order of MEMBERSHIP_COLUMNS. */
export function membershipValues(m: MembershipRow): (string | null)[] {
  return [m.id, m.userId, m.scope, m.role, m.grantedAt, m.grantedBy, m.revokedAt];
}

export interface MembershipDbRow {
  id: string;
  user_id: string;
  scope: string;
  role: string;
  granted_at: string;
  granted_by: string | null;
  revoked_at: string | null;
}

export const SESSION_COLUMNS = 'token_hash, user_id, device_id, created_at, expires_at, revoked_at';

/** A session's values in the order of SESSION_COLUMNS. */
export function sessionValues(s: SessionRow): (string | null)[] {
  return [s.tokenHash, s.userId, s.deviceId, s.createdAt, s.expiresAt, s.revokedAt];
}

export interface SessionDbRow {
  token_hash: string;
  user_id: string;
  device_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export const ATTACHMENT_COLUMNS = 'sha256, size, mime, received, complete, created_at';

/** An attachment's values in the order of ATTACHMENT_COLUMNS. */
export function attachmentValues(a: AttachmentRow): ColumnValue[] {
  return [a.sha256, a.size, a.mime, a.received, a.complete, a.createdAt];
}

export interface AttachmentDbRow<T extends DbTypes> {
  sha256: string;
  size: T['int8'];
  mime: string;
  received: T['int8'];
  complete: T['bool'];
  created_at: string;
}

/** The mappers from an engine's rows to the domain rows, given how it returns its column types. */
export function rowMappers<T extends DbTypes>(db: DbReader<T>) {
  const toStoredRow = (row: RecordDbRow<T>): StoredRow => ({
    table: row.tbl as EntityTable,
    id: row.id,
    scope: row.scope,
    seq: db.int8(row.seq, 'records.seq'),
    record: db.json(row.record),
  });
  const toExit = (row: LogDbRow<T>): ScopeExit => ({
    table: row.tbl as EntityTable,
    id: row.id,
    scope: row.scope,
    seq: db.int8(row.seq, 'scope_exits.seq'),
    exitedAt: row.exited_at ?? '',
  });
  return {
    toStoredRow,
    toLogEntry: (row: LogDbRow<T>): LogEntry =>
      row.kind === 'exit'
        ? { kind: 'exit', ...toExit(row) }
        : { kind: 'row', ...toStoredRow({ ...row, record: row.record as T['json'] }) },
    toUser: (row: UserDbRow<T>): UserRow => ({
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      passwordHash: row.password_hash,
      disabled: db.bool(row.disabled),
      failedLogins: row.failed_logins,
      lockedUntil: row.locked_until,
      departmentId: row.department_id,
      createdAt: row.created_at,
    }),
    toMembership,
    toSession,
    toAttachment: (row: AttachmentDbRow<T>): AttachmentRow => ({
      sha256: row.sha256,
      size: db.int8(row.size, 'attachments.size'),
      mime: row.mime,
      received: db.int8(row.received, 'attachments.received'),
      complete: db.bool(row.complete),
      createdAt: row.created_at,
    }),
  };
}

function toMembership(row: MembershipDbRow): MembershipRow {
  return {
    id: row.id,
    userId: row.user_id,
    scope: row.scope,
    role: row.role as Role,
    grantedAt: row.granted_at,
    grantedBy: row.granted_by,
    revokedAt: row.revoked_at,
  };
}

function toSession(row: SessionDbRow): SessionRow {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    deviceId: row.device_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}
