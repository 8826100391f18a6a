import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** One schema migration: a `.sql` file, applied once, recorded by name in `schema_migrations`. */
export interface Migration {
  /** File name without `.sql`, e.g. `001_init`; names sort in the order they apply. */
  name: string;
  sql: string;
}

/** The migrations that ship with the code; read from the source tree (the server runs under tsx). */
export const SQLITE_MIGRATIONS = new URL('./migrations/sqlite/', import.meta.url);
/** See SQLITE_MIGRATIONS. */
export const POSTGRES_MIGRATIONS = new URL('./migrations/postgres/', import.meta.url);

const NAME = /^(\d{3,})_[a-z0-9_]+\.sql$/;

/**
 * Reads every `NNN_name.sql` in `dir`, in name order. A `.sql` file with another name is an
 * error rather than silently skipped: a typo would otherwise leave a migration unapplied.
 */
export function loadMigrations(dir: URL | string): Migration[] {
  // A directory URL needs its trailing slash, or `new URL(file, dir)` would replace its last segment.
  const base = typeof dir === 'string' ? pathToFileURL(`${dir.replace(/\/+$/, '')}/`) : dir;
  const files = readdirSync(base)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  return files.map((file) => {
    if (!NAME.test(file)) {
      throw new Error(`migration file name must look like 001_name.sql: ${file}`);
    }
    return { name: file.slice(0, -'.sql'.length), sql: readFileSync(new URL(file, base), 'utf8') };
  });
}

/**
 * Which migrations to apply, given the names the database has applied. The applied names must be
 * exactly the first migrations of `all`: a name the code does not know means the database was
 * migrated by a newer server, and a gap means a migration was added below one already applied.
 * Either way applying more could corrupt data, so the server refuses to start.
 */
export function pendingMigrations(all: Migration[], applied: Iterable<string>): Migration[] {
  const done = new Set(applied);
  const known = new Set(all.map((m) => m.name));
  for (const name of done) {
    if (!known.has(name)) {
      throw new Error(
        `the database has migration ${name}, which this server does not know: it was migrated by a newer version`,
      );
    }
  }
  const firstPending = all.findIndex((m) => !done.has(m.name));
  if (firstPending === -1) return [];
  const pending = all.slice(firstPending);
  const outOfOrder = pending.find((m) => done.has(m.name));
  if (outOfOrder) {
    const missing = all[firstPending]?.name ?? '';
    throw new Error(
      `migration ${missing} is not applied but the later ${outOfOrder.name} is: refusing to apply out of order`,
    );
  }
  return pending;
}
