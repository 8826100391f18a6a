import pg from 'pg';
import { afterAll } from 'vitest';

/** What the PostgreSQL test files share (they run only when a test database is configured). */

/** CI and the development machine set this; without it there is no PostgreSQL to test against. */
export const TEST_DATABASE_URL = process.env.GRIDWORK_TEST_DATABASE_URL ?? '';

/** Runs `fn` on a connection of its own, outside any store under test. */
export async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A maker of fresh schema names (`gw_<tag>_<pid>_<time>_<n>`), so every store gets a schema of
 * its own, isolated from other tests and other test files on the same database. Registers an
 * `afterAll` of the calling test file that drops every schema it named.
 */
export function freshSchemas(tag: string): () => string {
  const prefix = `gw_${tag}_${process.pid}_${Date.now().toString(36)}`;
  const schemas: string[] = [];
  afterAll(async () => {
    if (schemas.length === 0) return;
    await admin(async (client) => {
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    });
  });
  return () => {
    const schema = `${prefix}_${schemas.length + 1}`;
    schemas.push(schema);
    return schema;
  };
}
