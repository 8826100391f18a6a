import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
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
  toSafeInt,
} from './common';
import {
  loadMigrations,
  pendingMigrations,
  POSTGRES_MIGRATIONS,
  type Migration,
} from './migrations';
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

/** Options of `createPostgresStorage`. */
export interface PostgresStorageOptions {
  /**
   * A schema of its own (created by `migrate` if missing, first on every connection's
   * search_path), so tests can share one database. Lower-case letters, digits and `_`.
   */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
  /** Directory of `NNN_name.sql` migrations (default: the ones shipped in ./migrations/postgres). */
  migrations?: URL | string;
}

/**
 * Storage in PostgreSQL, for one or more stateless server instances sharing one database
 * (attachment bytes included).
 */
export function createPostgresStorage(url: string, options: PostgresStorageOptions = {}): Storage {
  return new PostgresStorage(url, options);
}

/** Serializes `migrate` across server instances starting together (any number; ours is "grid"). */
const MIGRATION_LOCK = 0x67726964;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Applies pending migrations on `client` in one transaction (PostgreSQL DDL is transactional, so
 * it is all or nothing) and records them in `schema_migrations`; returns the names applied.
 */
export async function runPostgresMigrations(
  client: PoolClient | pg.Client,
  migrations: Migration[],
  schema?: string,
): Promise<string[]> {
  await client.query('BEGIN');
  try {
    // Instances starting at once would otherwise race: both see 001 pending, one fails.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = await client.query<{ name: string }>('SELECT name FROM schema_migrations');
    const pending = pendingMigrations(
      migrations,
      applied.rows.map((row) => row.name),
    );
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [migration.name]);
    }
    await client.query('COMMIT');
    return pending.map((m) => m.name);
  } catch (error) {
    // The migration's error is the one worth reporting; a failed ROLLBACK only means the
    // connection is gone, and the transaction with it.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** How pg returns the columns the engines store differently. */
interface PgTypes extends DbTypes {
  bool: boolean;
  /** int8 (bigint) as a string, since it may exceed 2^53. */
  int8: string;
  /** jsonb, already parsed. */
  json: Record<string, unknown>;
}

const { toStoredRow, toLogEntry, toUser, toMembership, toSession, toAttachment } =
  rowMappers<PgTypes>({
    bool: (value) => value,
    int8: toSafeInt,
    json: (value) => value,
  });

class PostgresStorage implements Storage {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;
  private readonly migrationsDir: URL | string;

  constructor(url: string, options: PostgresStorageOptions) {
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new Error(`schema name must match ${String(SCHEMA_NAME)}: ${options.schema}`);
    }
    this.schema = options.schema;
    this.migrationsDir = options.migrations ?? POSTGRES_MIGRATIONS;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      // A transaction left open by a stuck request would hold the partition row locks that
      // every push into that scope waits for; PostgreSQL ends such a session after a minute.
      idle_in_transaction_session_timeout: 60_000,
      // A startup parameter rather than a SET after connecting: it is in force before the first
      // query of every pooled connection, with no window where a query could run without it.
      ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
    });
    // An idle pooled connection can fail (server restart, network); the pool drops it and the
    // next query reconnects. Without a listener the 'error' event would crash the process.
    this.pool.on('error', (error) => {
      console.warn(`storage: idle PostgreSQL connection failed: ${error.message}`);
    });
  }

  async migrate(): Promise<string[]> {
    const migrations = loadMigrations(this.migrationsDir);
    const client = await this.pool.connect();
    let failed = false;
    try {
      return await runPostgresMigrations(client, migrations, this.schema);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // After a failure the connection's state is unknown: destroy it rather than pool it.
      client.release(failed);
    }
  }

  async transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx = new PostgresTx(client);
    // A connection whose ROLLBACK failed is in an unknown state: destroy it instead of pooling it.
    let broken: Error | undefined;
    try {
      // READ COMMITTED (the default, stated so it survives a changed server default): the
      // partition counter's row lock orders writers, so no stronger isolation is needed, and
      // under REPEATABLE READ a writer that waited for the lock would fail instead of continuing.
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      const result = await fn(tx);
      tx.end();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      tx.end();
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * The changelog filter of a pull (`ScopeFilter`) for `records` and `scope_exits` alike: the
 * partition after a seq, the subtree prefix or an exact ancestor scope, and the tables, if
 * named. `$5` is the caller's LIMIT; the parameters come from `logFilterParams`.
 */
const LOG_FILTER = `part = $1 AND seq > $2 AND (starts_with(scope, $3) OR scope = ANY ($4::text[]))
  AND ($6::text[] IS NULL OR tbl = ANY ($6::text[]))`;

function logFilterParams(partition: string, filter: ScopeFilter, afterSeq: number, limit: number) {
  return [partition, afterSeq, filter.prefix, filter.ancestors, limit, filter.tables ?? null];
}

class PostgresTx extends EndableTx implements StorageTx {
  constructor(private readonly client: PoolClient) {
    super();
  }

  private async query<R extends QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<{ rows: R[]; rowCount: number }> {
    this.checkOpen();
    const result = await this.client.query<R>(sql, params);
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }

  private async one<R extends QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<R | undefined> {
    return (await this.query<R>(sql, params)).rows[0];
  }

  /** The first row of `sql` as `to` maps it, or undefined when there is none. */
  private async oneAs<R extends QueryResultRow, D>(
    to: (row: R) => D,
    sql: string,
    params: unknown[] = [],
  ): Promise<D | undefined> {
    const row = await this.one<R>(sql, params);
    return row ? to(row) : undefined;
  }

  // ---------------------------------------------------------------- changelog

  async getMutationResult(deviceId: string, seq: number): Promise<MutationResult | undefined> {
    const row = await this.one<{ result: MutationResult }>(
      'SELECT result FROM mutations WHERE device_id = $1 AND seq = $2',
      [deviceId, seq],
    );
    return row?.result;
  }

  async saveMutationResult(
    deviceId: string,
    seq: number,
    userId: string,
    result: MutationResult,
  ): Promise<void> {
    // DO NOTHING rather than letting the key fail: a failed statement would abort the whole
    // transaction on PostgreSQL. If another transaction holds the same key uncommitted, this
    // waits for it and then counts as a duplicate.
    const { rowCount } = await this.query(
      `INSERT INTO mutations (device_id, seq, user_id, result, received_at)
       VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT DO NOTHING`,
      [deviceId, seq, userId, JSON.stringify(result), new Date().toISOString()],
    );
    if (rowCount === 0) throw duplicateMutation(deviceId, seq);
  }

  async lockPartitions(partitions: readonly string[]): Promise<void> {
    // The counter row nextSeq upserts, upserted without taking a number: that locks it (and
    // creates it for a partition never written) until the transaction ends.
    for (const part of [...new Set(partitions)].sort())
      await this.query(
        `INSERT INTO partition_seq (part, seq) VALUES ($1, 0)
         ON CONFLICT (part) DO UPDATE SET seq = partition_seq.seq`,
        [partitionOfScope(part)],
      );
  }

  async getRow(table: EntityTable, id: string): Promise<StoredRow | undefined> {
    return this.oneAs(
      toStoredRow,
      `SELECT ${RECORD_COLUMNS} FROM records WHERE tbl = $1 AND id = $2`,
      [table, id],
    );
  }

  async putRow(
    table: EntityTable,
    id: string,
    scope: string,
    record: Record<string, unknown>,
  ): Promise<number> {
    const part = partitionOfScope(scope);
    const seq = await this.nextSeq(part);
    await this.query(
      `INSERT INTO records (tbl, id, scope, part, seq, record) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (tbl, id) DO UPDATE SET
         scope = excluded.scope, part = excluded.part, seq = excluded.seq, record = excluded.record`,
      // JSON text, not the object: pg would send a JS array as a PostgreSQL array.
      [table, id, scope, part, seq, JSON.stringify(record)],
    );
    return seq;
  }

  /** The partition's next sequence number, for a row or an exit written in this transaction. */
  private async nextSeq(part: string): Promise<number> {
    // Why a counter row and not a sequence: a pull reads "seq > cursor" and moves its cursor to
    // the last seq it saw. With a sequence (or max(seq)+1), tx A could take 7, tx B take 8 and
    // commit first; a pull then sees 8, moves to 8, and never sees 7 when A commits. Upserting
    // the partition's counter row instead locks that row until this transaction ends, so B
    // blocks here until A commits (then reads A's value and takes 8) or rolls back (then takes
    // 7). Commits of one partition thus happen in seq order, and whatever seq a reader sees, all
    // lower ones are already committed. The cost, one writer per district at a time, is small
    // at our write rates; keep transactions short, and note that two transactions writing the
    // same two partitions in opposite orders can deadlock (PostgreSQL then aborts one).
    const head = await this.one<{ seq: string }>(
      `INSERT INTO partition_seq (part, seq) VALUES ($1, 1)
       ON CONFLICT (part) DO UPDATE SET seq = partition_seq.seq + 1
       RETURNING seq`,
      [part],
    );
    if (!head) throw new Error(`no sequence number for partition ${part}`);
    return toSafeInt(head.seq, 'partition_seq.seq');
  }

  async putExit(table: EntityTable, id: string, scope: string, exitedAt: string): Promise<number> {
    const part = partitionOfScope(scope);
    const seq = await this.nextSeq(part);
    await this.query(
      `INSERT INTO scope_exits (tbl, id, scope, part, seq, exited_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tbl, id, scope) DO UPDATE SET seq = excluded.seq, exited_at = excluded.exited_at`,
      [table, id, scope, part, seq, exitedAt],
    );
    return seq;
  }

  async deleteExit(table: EntityTable, id: string, scope: string): Promise<void> {
    await this.query('DELETE FROM scope_exits WHERE tbl = $1 AND id = $2 AND scope = $3', [
      table,
      id,
      scope,
    ]);
  }

  async listLog(
    partition: string,
    filter: ScopeFilter,
    afterSeq: number,
    limit: number,
  ): Promise<LogEntry[]> {
    if (limit < 1) return [];
    // One statement, one snapshot (see StorageTx.listLog). The same filter for exits as for
    // rows; each side is cut to `limit` first (on its (part, seq) index), then merged.
    const { rows } = await this.query<LogDbRow<PgTypes>>(
      `SELECT ${LOG_COLUMNS} FROM (
         (SELECT 'row' AS kind, tbl, id, scope, seq, record, NULL::text AS exited_at
          FROM records WHERE ${LOG_FILTER} ORDER BY seq LIMIT $5)
         UNION ALL
         (SELECT 'exit' AS kind, tbl, id, scope, seq, NULL::jsonb AS record, exited_at
          FROM scope_exits WHERE ${LOG_FILTER} ORDER BY seq LIMIT $5)
       ) AS log ORDER BY seq LIMIT $5`,
      logFilterParams(partition, filter, afterSeq, limit),
    );
    return rows.map(toLogEntry);
  }

  async listChanges(
    partition: string,
    filter: ScopeFilter,
    afterSeq: number,
    limit: number,
  ): Promise<StoredRow[]> {
    if (limit < 1) return [];
    const { rows } = await this.query<RecordDbRow<PgTypes>>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE ${LOG_FILTER} ORDER BY seq LIMIT $5`,
      logFilterParams(partition, filter, afterSeq, limit),
    );
    return rows.map(toStoredRow);
  }

  async maxSeq(partition: string): Promise<number> {
    const row = await this.one<{ seq: string }>('SELECT seq FROM partition_seq WHERE part = $1', [
      partition,
    ]);
    return row ? toSafeInt(row.seq, 'partition_seq.seq') : 0;
  }

  // ---------------------------------------------------------------- accounts

  async createUser(user: UserRow): Promise<void> {
    const { rowCount } = await this.query(
      `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING`,
      userValues(user),
    );
    if (rowCount === 0) throw duplicateUser(user);
  }

  async getUserById(id: string): Promise<UserRow | undefined> {
    return this.oneAs(toUser, `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  }

  async getUserByUsername(username: string): Promise<UserRow | undefined> {
    return this.oneAs(toUser, `SELECT ${USER_COLUMNS} FROM users WHERE username = $1`, [username]);
  }

  async updateUser(id: string, patch: UserPatch): Promise<void> {
    const set = userPatchColumns(patch);
    const { rowCount } =
      set.length === 0
        ? await this.query('SELECT 1 FROM users WHERE id = $1', [id])
        : await this.query(
            `UPDATE users SET ${set.map((c, i) => `${c.column} = $${i + 1}`).join(', ')}
             WHERE id = $${set.length + 1}`,
            [...set.map((c) => c.value), id],
          );
    if (rowCount === 0) throw noUser(id);
  }

  async listUsers(): Promise<UserRow[]> {
    // COLLATE "C": the same byte order as SQLite, whatever the database's locale.
    const { rows } = await this.query<UserDbRow<PgTypes>>(
      `SELECT ${USER_COLUMNS} FROM users ORDER BY username COLLATE "C"`,
    );
    return rows.map(toUser);
  }

  async listMemberships(userId: string): Promise<MembershipRow[]> {
    const { rows } = await this.query<MembershipDbRow>(
      `SELECT ${MEMBERSHIP_COLUMNS} FROM memberships
       WHERE user_id = $1 AND revoked_at IS NULL
       ORDER BY granted_at COLLATE "C", id COLLATE "C"`,
      [userId],
    );
    return rows.map(toMembership);
  }

  private async requireUser(userId: string): Promise<void> {
    if (!(await this.one('SELECT 1 FROM users WHERE id = $1', [userId]))) {
      throw noUser(userId);
    }
  }

  async grantMembership(m: MembershipRow): Promise<void> {
    await this.requireUser(m.userId);
    const { rowCount } = await this.query(
      `INSERT INTO memberships (${MEMBERSHIP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING`,
      membershipValues(m),
    );
    if (rowCount === 0) throw duplicateMembership(m);
  }

  async revokeMembership(
    userId: string,
    scope: string,
    role: string | null,
    at: string,
  ): Promise<number> {
    const { rowCount } = await this.query(
      `UPDATE memberships SET revoked_at = $1
       WHERE user_id = $2 AND scope = $3 AND ($4::text IS NULL OR role = $4) AND revoked_at IS NULL`,
      [at, userId, scope, role],
    );
    return rowCount;
  }

  async createSession(session: SessionRow): Promise<void> {
    await this.requireUser(session.userId);
    const { rowCount } = await this.query(
      `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      sessionValues(session),
    );
    if (rowCount === 0) throw duplicateSession();
  }

  async getSession(tokenHash: string): Promise<SessionRow | undefined> {
    return this.oneAs(toSession, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = $1`, [
      tokenHash,
    ]);
  }

  async revokeSession(tokenHash: string, at: string): Promise<void> {
    // Revoking twice keeps the first instant; revoking an unknown token is a no-op (logout twice).
    await this.query(
      'UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL',
      [at, tokenHash],
    );
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    // Compared as instants: as text, '…:00.5Z' would sort before '…:00Z'.
    const { rowCount } = await this.query(
      'DELETE FROM sessions WHERE expires_at::timestamptz <= $1::timestamptz',
      [now],
    );
    return rowCount;
  }

  // ---------------------------------------------------------------- attachments

  async getAttachment(sha256: string): Promise<AttachmentRow | undefined> {
    return this.selectAttachment(sha256, '');
  }

  /** The attachment, its row locked until commit so concurrent writers to it take turns. */
  private async lockAttachment(sha256: string): Promise<AttachmentRow | undefined> {
    return this.selectAttachment(sha256, ' FOR UPDATE');
  }

  private async selectAttachment(
    sha256: string,
    lock: '' | ' FOR UPDATE',
  ): Promise<AttachmentRow | undefined> {
    return this.oneAs(
      toAttachment,
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE sha256 = $1${lock}`,
      [sha256],
    );
  }

  async createAttachment(row: AttachmentRow): Promise<void> {
    checkNewAttachment(row);
    const { rowCount } = await this.query(
      `INSERT INTO attachments (${ATTACHMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      attachmentValues(row),
    );
    if (rowCount === 0) throw duplicateAttachment(row);
  }

  async appendAttachmentChunk(sha256: string, offset: number, bytes: Uint8Array): Promise<number> {
    // FOR UPDATE: two instances receiving the same chunk at once would otherwise both see the
    // same `received`; with the lock the second sees the first's result and is refused.
    const received = checkChunk(
      sha256,
      await this.lockAttachment(sha256),
      offset,
      bytes.byteLength,
    );
    if (bytes.byteLength === 0) return received;
    await this.query(
      'INSERT INTO attachment_chunks (sha256, "offset", bytes) VALUES ($1, $2, $3)',
      [sha256, offset, asBuffer(bytes)],
    );
    await this.query('UPDATE attachments SET received = $1 WHERE sha256 = $2', [received, sha256]);
    return received;
  }

  async readAttachment(sha256: string): Promise<Uint8Array> {
    if (!(await this.getAttachment(sha256))) throw noAttachment(sha256);
    const { rows } = await this.query<{ bytes: Buffer }>(
      'SELECT bytes FROM attachment_chunks WHERE sha256 = $1 ORDER BY "offset"',
      [sha256],
    );
    return concatBytes(rows.map((r) => r.bytes));
  }

  async markAttachmentComplete(sha256: string): Promise<void> {
    checkCompletable(sha256, await this.lockAttachment(sha256));
    await this.query('UPDATE attachments SET complete = true WHERE sha256 = $1', [sha256]);
  }

  async resetAttachment(sha256: string): Promise<void> {
    if (!(await this.lockAttachment(sha256))) throw noAttachment(sha256);
    await this.query('DELETE FROM attachment_chunks WHERE sha256 = $1', [sha256]);
    await this.query('UPDATE attachments SET received = 0, complete = false WHERE sha256 = $1', [
      sha256,
    ]);
  }
}
