import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage } from './postgres';
import { describeStorage } from './storage.suite';

/** CI and the development machine set this; without it there is no PostgreSQL to test against. */
const url = process.env.GRIDWORK_TEST_DATABASE_URL ?? '';

// Every store gets a fresh schema of its own, so tests are isolated from each other and from
// other test files on the same database; this file drops all of them at the end.
const prefix = `gw_test_${process.pid}_${Date.now().toString(36)}`;
const schemas: string[] = [];

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Resolves once some connection is waiting for a lock on a partition counter. */
async function untilBlocked(): Promise<void> {
  await admin(async (client) => {
    for (let i = 0; i < 500; i++) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'
           AND query LIKE '%partition_seq%'`,
      );
      if (Number(rows[0]?.n ?? 0) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no transaction started waiting for the partition counter');
  });
}

afterAll(async () => {
  if (schemas.length === 0) return;
  await admin(async (client) => {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
});

describe.skipIf(!url)('PostgreSQL (skipped: set GRIDWORK_TEST_DATABASE_URL to run)', () => {
  describeStorage(
    'PostgreSQL storage',
    async () => {
      const schema = `${prefix}_${schemas.length + 1}`;
      schemas.push(schema);
      return createPostgresStorage(url, { schema, max: 8 });
    },
    { untilBlocked },
  );

  it('refuses a schema name that would need quoting', () => {
    expect(() => createPostgresStorage(url, { schema: 'Bad-Name' })).toThrow(/schema name/);
  });
});
