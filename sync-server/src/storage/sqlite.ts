import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import type { EntityTable } from '@shared/domain/entities';
import type { MutationResult } from '@shared/sync/protocol';
import {
  asBuffer,
  checkChunk,
  checkCompletable,
  checkNewAttachment,
  concatBytes,
  duplicateAttachment,
  duplicateMembership,
  duplicateMutation,
  duplicateSession,
  duplicateUser,
  EndableTx,
  noAttachment,
  noUser,
  partitionOfScope,
} from './common';
import { loadMigrations, pendingMigrations, SQLITE_MIGRATIONS, type Migration } from './migrations';
import {
  ATTACHMENT_COLUMNS,
  attachmentValues,
  MEMBERSHIP_COLUMNS,
  membershipValues,
  RECORD_COLUMNS,
  rowMappers,
  SESSION_COLUMNS,
  sessionValues,
  USER_COLUMNS,
  userPatchColumns,
  userValues,
  type ColumnValue,
  type DbTypes,
  LOG_COLUMNS,
  type LogDbRow,
  type MembershipDbRow,
  type RecordDbRow,
  type UserDbRow,
  type UserPatch,
} from './rows';
import type {
  AttachmentRow,
  LogEntry,
  MembershipRow,
  ScopeFilter,
  SessionRow,
  Storage,
  StorageTx,
  StoredRow,
  UserRow,
} from './types';

/** Options for tests; the server passes none. */
export interface SqliteStorageOptions {
  /** Directory of `NNN_name.sql` migrations (default: the ones shipped in ./migrations/sqlite). */
  migrations?: URL | string;
}

/**
 * Storage in one SQLite file (or `':memory:'`), for a single server process: a street office's
 * box, development, tests. Several server instances need PostgreSQL.
 */
export function createSqliteStorage(file: string, options: SqliteStorageOptions = {}): Storage {
  return new SqliteStorage(file, options.migrations ?? SQLITE_MIGRATIONS);
}

/**
 * Applies pending migrations to an open database inside one write transaction (all or nothing)
 * and records them in `schema_migrations`; returns the names applied. Idempotent.
 */
export function runSqliteMigrations(db: Database.Database, migrations: Migration[]): string[] {
  // IMMEDIATE takes the write lock before reading schema_migrations, so two processes opening
  // the same file cannot both decide a migration is pending.
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL) STRICT',
    );
    const applied = db
      .prepare<[], { name: string }>('SELECT name FROM schema_migrations')
      .all()
      .map((row) => row.name);
    const pending = pendingMigrations(migrations, applied);
    const record = db.prepare<[string, string]>(
      'INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)',
    );
    for (const migration of pending) {
      db.exec(migration.sql);
      record.run(migration.name, new Date().toISOString());
    }
    db.exec('COMMIT');
    return pending.map((m) => m.name);
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

type Param = string | number | bigint | Buffer | null;

/** How better-sqlite3 returns the columns the engines store differently. */
interface SqliteTypes extends DbTypes {
  /** SQLite has no boolean type: 0 or 1. */
  bool: number;
  int8: number;
  /** JSON as TEXT. */
  json: string;
}

const { toStoredRow, toLogEntry, toUser, toMembership, toSession, toAttachment } =
  rowMappers<SqliteTypes>({
    bool: (value) => value === 1,
    int8: (value) => value,
    json: (value) => JSON.parse(value) as Record<string, unknown>,
  });

/** better-sqlite3 binds no booleans: SQLite keeps them as 0/1. */
function bindValue(value: ColumnValue): Param {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

class SqliteStorage implements Storage {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement<Param[], unknown>>();
  /** The tail of the queue of transactions; each starts when the previous one has settled. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Marks code running inside a transaction, to refuse a nested one instead of deadlocking. */
  private readonly inside = new AsyncLocalStorage<{ open: boolean }>();

  constructor(
    file: string,
    private readonly migrationsDir: URL | string,
  ) {
    // The busy timeout matters only when another process holds the file's write lock.
    this.db = new Database(file, { timeout: 5000 });
    // WAL lets pulls read while a push writes; NORMAL skips the fsync per commit (in WAL mode a
    // power cut can lose the last commits but never corrupts the file). ':memory:' stays 'memory'.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
  }

  /** A cached prepared statement; the cache is bounded by the fixed set of SQL texts used here. */
  stmt<R>(sql: string): Database.Statement<Param[], R> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<Param[], unknown>(sql);
      this.statements.set(sql, statement);
    }
    return statement as Database.Statement<Param[], R>;
  }

  /**
   * Runs `task` when every earlier task has settled. better-sqlite3 is synchronous, but a
   * transaction's callback is async: while it awaits, another request could run statements on
   * the same connection, inside our open BEGIN … COMMIT. Queueing whole transactions prevents
   * that interleaving.
   */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.inside.getStore()?.open) {
      return Promise.reject(
        new Error('nested storage transaction: use the tx you were given (it would deadlock)'),
      );
    }
    const marker = { open: true };
    const run = this.queue.then(() =>
      this.inside.run(marker, async () => {
        try {
          return await task();
        } finally {
          marker.open = false;
        }
      }),
    );
    // The queue only orders; each caller sees its own outcome through `run`.
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  migrate(): Promise<string[]> {
    return this.exclusive(async () =>
      runSqliteMigrations(this.db, loadMigrations(this.migrationsDir)),
    );
  }

  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const tx = new SqliteTx(this);
      // IMMEDIATE takes the write lock at BEGIN: with another process on the same file, waiting
      // there is safe, whereas upgrading a read transaction later can fail with SQLITE_BUSY.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        tx.end();
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        tx.end();
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      this.statements.clear();
      this.db.close();
    });
  }
}

/**
 * The changelog filter of a pull (`ScopeFilter`) for `records` and `scope_exits` alike: the
 * partition after a seq, the subtree prefix or an exact ancestor scope, and the tables, if
 * named. substr rather than LIKE: LIKE is case-insensitive and treats _ and % as wildcards.
 * Its parameters, in order, come from `logFilterParams`.
 */
const LOG_FILTER = `part = ? AND seq > ?
  AND (substr(scope, 1, length(?)) = ? OR scope IN (SELECT value FROM json_each(?)))
  AND (? IS NULL OR tbl IN (SELECT value FROM json_each(?)))`;

function logFilterParams(partition: string, filter: ScopeFilter, afterSeq: number): Param[] {
  const tables = filter.tables ? JSON.stringify(filter.tables) : null;
  return [
    partition,
    afterSeq,
    filter.prefix,
    filter.prefix,
    JSON.stringify(filter.ancestors),
    tables,
    tables,
  ];
}

class SqliteTx extends EndableTx implements StorageTx {
  constructor(private readonly s: SqliteStorage) {
    super();
  }

  private get<R>(sql: string, ...params: Param[]): R | undefined {
    this.checkOpen();
    return this.s.stmt<R>(sql).get(...params);
  }

  /** The first row of `sql` as `to` maps it, or undefined when there is none. */
  private getAs<R, D>(to: (row: R) => D, sql: string, ...params: Param[]): D | undefined {
    const row = this.get<R>(sql, ...params);
    return row ? to(row) : undefined;
  }

  private all<R>(sql: string, ...params: Param[]): R[] {
    this.checkOpen();
    return this.s.stmt<R>(sql).all(...params);
  }

  private run(sql: string, ...params: Param[]): number {
    this.checkOpen();
    return this.s.stmt(sql).run(...params).changes;
  }

  // ---------------------------------------------------------------- changelog

  async getMutationResult(deviceId: string, seq: number): Promise<MutationResult | undefined> {
    const row = this.get<{ result: string }>(
      'SELECT result FROM mutations WHERE device_id = ? AND seq = ?',
      deviceId,
      seq,
    );
    return row ? (JSON.parse(row.result) as MutationResult) : undefined;
  }

  async saveMutationResult(
    deviceId: string,
    seq: number,
    userId: string,
    result: MutationResult,
  ): Promise<void> {
    const changes = this.run(
      `INSERT INTO mutations (device_id, seq, user_id, result, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      deviceId,
      seq,
      userId,
      JSON.stringify(result),
      new Date().toISOString(),
    );
    if (changes === 0) throw duplicateMutation(deviceId, seq);
  }

  async getRow(table: EntityTable, id: string): Promise<StoredRow | undefined> {
    return this.getAs(
      toStoredRow,
      `SELECT ${RECORD_COLUMNS} FROM records WHERE tbl = ? AND id = ?`,
      table,
      id,
    );
  }

  async lockPartitions(): Promise<void> {
    // The transaction already holds the database's write lock (BEGIN IMMEDIATE).
  }

  async putRow(
    table: EntityTable,
    id: string,
    scope: string,
    record: Record<string, unknown>,
  ): Promise<number> {
    const part = partitionOfScope(scope);
    const seq = this.nextSeq(part);
    this.run(
      `INSERT INTO records (tbl, id, scope, part, seq, record) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tbl, id) DO UPDATE SET
         scope = excluded.scope, part = excluded.part, seq = excluded.seq, record = excluded.record`,
      table,
      id,
      scope,
      part,
      seq,
      JSON.stringify(record),
    );
    return seq;
  }

  /** The partition's next sequence number, for a row or an exit written in this transaction. */
  private nextSeq(part: string): number {
    // The whole transaction holds SQLite's write lock (BEGIN IMMEDIATE) and transactions are
    // queued, so taking the next number here already commits in seq order.
    const head = this.get<{ seq: number }>(
      `INSERT INTO partition_seq (part, seq) VALUES (?, 1)
       ON CONFLICT (part) DO UPDATE SET seq = seq + 1 RETURNING seq`,
      part,
    );
    if (!head) throw new Error(`no sequence number for partition ${part}`);
    return head.seq;
  }

  async putExit(table: EntityTable, id: string, scope: string, exitedAt: string): Promise<number> {
    const part = partitionOfScope(scope);
    const seq = this.nextSeq(part);
    this.run(
      `INSERT INTO scope_exits (tbl, id, scope, part, seq, exited_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tbl, id, scope) DO UPDATE SET seq = excluded.seq, exited_at = excluded.exited_at`,
      table,
      id,
      scope,
      part,
      seq,
      exitedAt,
    );
    return seq;
  }

  async deleteExit(table: EntityTable, id: string, scope: string): Promise<void> {
    this.run('DELETE FROM scope_exits WHERE tbl = ? AND id = ? AND scope = ?', table, id, scope);
  }

  async listLog(
    partition: string,
    filter: ScopeFilter,
    afterSeq: number,
    limit: number,
  ): Promise<LogEntry[]> {
    if (limit < 1) return [];
    // The same filter for exits as for rows: an exit is read by whoever read the row there.
    // Each side is cut to `limit` first (on its (part, seq) index), then merged.
    const params = logFilterParams(partition, filter, afterSeq);
    return this.all<LogDbRow<SqliteTypes>>(
      `SELECT ${LOG_COLUMNS} FROM (
         SELECT * FROM (SELECT 'row' AS kind, tbl, id, scope, seq, record, NULL AS exited_at
                        FROM records WHERE ${LOG_FILTER} ORDER BY seq LIMIT ?)
         UNION ALL
         SELECT * FROM (SELECT 'exit' AS kind, tbl, id, scope, seq, NULL AS record, exited_at
                        FROM scope_exits WHERE ${LOG_FILTER} ORDER BY seq LIMIT ?)
       ) ORDER BY seq LIMIT ?`,
      ...params,
      limit,
      ...params,
      limit,
      limit,
    ).map(toLogEntry);
  }

  async listChanges(
    partition: string,
    filter: ScopeFilter,
    afterSeq: number,
    limit: number,
  ): Promise<StoredRow[]> {
    // SQLite reads LIMIT -1 as "no limit"; an empty page is what a non-positive limit means.
    if (limit < 1) return [];
    return this.all<RecordDbRow<SqliteTypes>>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE ${LOG_FILTER} ORDER BY seq LIMIT ?`,
      ...logFilterParams(partition, filter, afterSeq),
      limit,
    ).map(toStoredRow);
  }

  async maxSeq(partition: string): Promise<number> {
    return (
      this.get<{ seq: number }>('SELECT seq FROM partition_seq WHERE part = ?', partition)?.seq ?? 0
    );
  }

  // ---------------------------------------------------------------- accounts

  async createUser(user: UserRow): Promise<void> {
    const changes = this.run(
      `INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ...userValues(user).map(bindValue),
    );
    if (changes === 0) throw duplicateUser(user);
  }

  async getUserById(id: string): Promise<UserRow | undefined> {
    return this.getAs(toUser, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, id);
  }

  async getUserByUsername(username: string): Promise<UserRow | undefined> {
    return this.getAs(toUser, `SELECT ${USER_COLUMNS} FROM users WHERE username = ?`, username);
  }

  async updateUser(id: string, patch: UserPatch): Promise<void> {
    const set = userPatchColumns(patch);
    const changes =
      set.length === 0
        ? (this.get<{ one: number }>('SELECT 1 AS one FROM users WHERE id = ?', id)?.one ?? 0)
        : this.run(
            `UPDATE users SET ${set.map((c) => `${c.column} = ?`).join(', ')} WHERE id = ?`,
            ...set.map((c) => bindValue(c.value)),
            id,
          );
    if (changes === 0) throw noUser(id);
  }

  async listUsers(): Promise<UserRow[]> {
    return this.all<UserDbRow<SqliteTypes>>(
      `SELECT ${USER_COLUMNS} FROM users ORDER BY username`,
    ).map(toUser);
  }

  async listMemberships(userId: string): Promise<MembershipRow[]> {
    return this.all<MembershipDbRow>(
      `SELECT ${MEMBERSHIP_COLUMNS} FROM memberships
       WHERE user_id = ? AND revoked_at IS NULL
       ORDER BY granted_at, id`,
      userId,
    ).map(toMembership);
  }

  private requireUser(userId: string): void {
    if (!this.get<{ one: number }>('SELECT 1 AS one FROM users WHERE id = ?', userId)) {
      throw noUser(userId);
    }
  }

  async grantMembership(m: MembershipRow): Promise<void> {
    this.requireUser(m.userId);
    const changes = this.run(
      `INSERT INTO memberships (${MEMBERSHIP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      ...membershipValues(m),
    );
    if (changes === 0) throw duplicateMembership(m);
  }

  async revokeMembership(
    userId: string,
    scope: string,
    role: string | null,
    at: string,
  ): Promise<number> {
    return this.run(
      `UPDATE memberships SET revoked_at = ?
       WHERE user_id = ? AND scope = ? AND (? IS NULL OR role = ?) AND revoked_at IS NULL`,
      at,
      userId,
      scope,
      role,
      role,
    );
  }

  async createSession(session: SessionRow): Promise<void> {
    this.requireUser(session.userId);
    const changes = this.run(
      `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ...sessionValues(session),
    );
    if (changes === 0) throw duplicateSession();
  }

  async getSession(tokenHash: string): Promise<SessionRow | undefined> {
    return this.getAs(
      toSession,
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = ?`,
      tokenHash,
    );
  }

  async revokeSession(tokenHash: string, at: string): Promise<void> {
    // Revoking twice keeps the first instant; revoking an unknown token is a no-op (logout twice).
    this.run(
      'UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL',
      at,
      tokenHash,
    );
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    // Compared as instants: as text, '…:00.5Z' would sort before '…:00Z'.
    return this.run('DELETE FROM sessions WHERE julianday(expires_at) <= julianday(?)', now);
  }

  // ---------------------------------------------------------------- attachments

  async getAttachment(sha256: string): Promise<AttachmentRow | undefined> {
    return this.getAs(
      toAttachment,
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE sha256 = ?`,
      sha256,
    );
  }

  async createAttachment(row: AttachmentRow): Promise<void> {
    this.checkOpen();
    checkNewAttachment(row);
    const changes = this.run(
      `INSERT INTO attachments (${ATTACHMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      ...attachmentValues(row).map(bindValue),
    );
    if (changes === 0) throw duplicateAttachment(row);
  }

  async appendAttachmentChunk(sha256: string, offset: number, bytes: Uint8Array): Promise<number> {
    const current = await this.getAttachment(sha256);
    const received = checkChunk(sha256, current, offset, bytes.byteLength);
    // An empty chunk changes nothing (and would collide with the next chunk's key).
    if (bytes.byteLength === 0) return received;
    this.run(
      'INSERT INTO attachment_chunks (sha256, "offset", bytes) VALUES (?, ?, ?)',
      sha256,
      offset,
      asBuffer(bytes),
    );
    this.run('UPDATE attachments SET received = ? WHERE sha256 = ?', received, sha256);
    return received;
  }

  async readAttachment(sha256: string): Promise<Uint8Array> {
    if (!(await this.getAttachment(sha256))) throw noAttachment(sha256);
    const chunks = this.all<{ bytes: Buffer }>(
      'SELECT bytes FROM attachment_chunks WHERE sha256 = ? ORDER BY "offset"',
      sha256,
    );
    return concatBytes(chunks.map((c) => c.bytes));
  }

  async markAttachmentComplete(sha256: string): Promise<void> {
    checkCompletable(sha256, await this.getAttachment(sha256));
    this.run('UPDATE attachments SET complete = 1 WHERE sha256 = ?', sha256);
  }

  async resetAttachment(sha256: string): Promise<void> {
    if (!(await this.getAttachment(sha256))) throw noAttachment(sha256);
    this.run('DELETE FROM attachment_chunks WHERE sha256 = ?', sha256);
    this.run('UPDATE attachments SET received = 0, complete = 0 WHERE sha256 = ?', sha256);
  }
}
