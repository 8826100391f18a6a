import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadMigrations,
  pendingMigrations,
  POSTGRES_MIGRATIONS,
  SQLITE_MIGRATIONS,
  type Migration,
} from './migrations';
import { createPostgresStorage } from './postgres';
import { admin, freshSchemas, TEST_DATABASE_URL as url } from './postgres.testing';
import { createSqliteStorage } from './sqlite';
import type { Storage } from './types';

const tmp = mkdtempSync(join(tmpdir(), 'gridwork-migrations-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let dirs = 0;
/** A migrations directory holding the shipped 001 plus `extra` files. */
function migrationsDir(shipped: URL, extra: Record<string, string> = {}): string {
  const dir = join(tmp, `m${++dirs}`);
  mkdirSync(dir);
  copyFileSync(new URL('001_init.sql', shipped), join(dir, '001_init.sql'));
  for (const [name, sql] of Object.entries(extra)) writeFileSync(join(dir, name), sql);
  return dir;
}

const m = (name: string): Migration => ({ name, sql: '' });

describe('migration plan', () => {
  it('loads the shipped migrations of both engines in name order', () => {
    const shipped = ['001_init', '002_scope_exits'];
    expect(loadMigrations(SQLITE_MIGRATIONS).map((x) => x.name)).toEqual(shipped);
    expect(loadMigrations(POSTGRES_MIGRATIONS).map((x) => x.name)).toEqual(shipped);
    expect(loadMigrations(fileURLToPath(SQLITE_MIGRATIONS))[0]?.sql).toContain(
      'CREATE TABLE records',
    );
  });

  it('sorts by name and refuses a .sql file with a malformed name', () => {
    const dir = migrationsDir(SQLITE_MIGRATIONS, {
      '010_later.sql': 'SELECT 1;',
      '002_next.sql': 'SELECT 1;',
      'README.md': 'not a migration',
    });
    expect(loadMigrations(dir).map((x) => x.name)).toEqual(['001_init', '002_next', '010_later']);
    writeFileSync(join(dir, 'fix-users.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/001_name\.sql: fix-users\.sql/);
  });

  it('applies what follows the applied ones; refuses unknown or out-of-order history', () => {
    const all = [m('001_a'), m('002_b'), m('003_c')];
    expect(pendingMigrations(all, []).map((x) => x.name)).toEqual(['001_a', '002_b', '003_c']);
    expect(pendingMigrations(all, ['001_a']).map((x) => x.name)).toEqual(['002_b', '003_c']);
    expect(pendingMigrations(all, ['001_a', '002_b', '003_c'])).toEqual([]);
    expect(() => pendingMigrations(all, ['001_a', '004_d'])).toThrow(/newer version/);
    expect(() => pendingMigrations(all, ['001_a', '003_c'])).toThrow(/002_b is not applied/);
  });
});

/** One empty database, and ways to open stores over it and look inside it directly. */
interface RunnerTarget {
  open(migrations: string): Storage;
  /** Names in schema_migrations, in order ([] when the table does not exist). */
  applied(): Promise<string[]>;
  hasTable(name: string): Promise<boolean>;
}

/** The runner behaviour both engines share. */
function describeRunner(name: string, shipped: URL, fresh: () => Promise<RunnerTarget>) {
  /** Opens a store, runs `fn` with it, and closes it. */
  async function using<T>(db: RunnerTarget, dir: string, fn: (s: Storage) => Promise<T>) {
    const store = db.open(dir);
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  describe(name, () => {
    it('applies a second migration once, after the one already applied', async () => {
      const db = await fresh();
      expect(await using(db, migrationsDir(shipped), (s) => s.migrate())).toEqual(['001_init']);
      const withNotes = migrationsDir(shipped, {
        '002_notes.sql': 'CREATE TABLE notes (id text PRIMARY KEY, body text NOT NULL);\n',
      });
      await using(db, withNotes, async (s) => {
        expect(await s.migrate()).toEqual(['002_notes']);
        expect(await s.migrate()).toEqual([]);
      });
      // A later start (another process) finds nothing to do either.
      expect(await using(db, withNotes, (s) => s.migrate())).toEqual([]);
      expect(await db.applied()).toEqual(['001_init', '002_notes']);
      expect(await db.hasTable('notes')).toBe(true);
      // A server that only knows 001 refuses a database migrated further.
      await using(db, migrationsDir(shipped), async (s) => {
        await expect(s.migrate()).rejects.toThrow(/002_notes, which this server does not know/);
      });
    });

    it('applies nothing of a batch when one migration fails', async () => {
      const db = await fresh();
      const dir = migrationsDir(shipped, {
        '002_ok.sql': 'CREATE TABLE ok_table (id text PRIMARY KEY);\n',
        '003_broken.sql': 'CREATE TABLE broken (id text PRIMARY KEY);\nCREATE TABLE oops (;\n',
      });
      await using(db, dir, async (s) => {
        await expect(s.migrate()).rejects.toThrow();
      });
      // Nothing was recorded or created, so the next start tries all three again.
      expect(await db.applied()).toEqual([]);
      expect(await db.hasTable('records')).toBe(false);
      expect(await db.hasTable('ok_table')).toBe(false);
      expect(await db.hasTable('broken')).toBe(false);
    });
  });
}

let sqliteFiles = 0;
describeRunner('SQLite migration runner', SQLITE_MIGRATIONS, async () => {
  const file = join(tmp, `runner-${++sqliteFiles}.db`);
  const peek = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(file, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const hasTable = async (name: string) =>
    peek((db) =>
      Boolean(
        db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name),
      ),
    );
  return {
    open: (migrations) => createSqliteStorage(file, { migrations }),
    hasTable,
    applied: async () =>
      (await hasTable('schema_migrations'))
        ? peek((db) =>
            db
              .prepare<[], { name: string }>('SELECT name FROM schema_migrations ORDER BY name')
              .all()
              .map((row) => row.name),
          )
        : [],
  };
});

const nextSchema = freshSchemas('migr');

describe.skipIf(!url)('PostgreSQL (skipped: set GRIDWORK_TEST_DATABASE_URL to run)', () => {
  describeRunner('PostgreSQL migration runner', POSTGRES_MIGRATIONS, async () => {
    const schema = nextSchema();
    const hasTable = (name: string) =>
      admin(async (client) => {
        const { rows } = await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [
          `"${schema}".${name}`,
        ]);
        return rows[0]?.t != null;
      });
    return {
      open: (migrations) => createPostgresStorage(url, { schema, migrations, max: 2 }),
      hasTable,
      applied: async () =>
        (await hasTable('schema_migrations'))
          ? admin(async (client) => {
              const { rows } = await client.query<{ name: string }>(
                `SELECT name FROM "${schema}".schema_migrations ORDER BY name`,
              );
              return rows.map((row) => row.name);
            })
          : [],
    };
  });
});
