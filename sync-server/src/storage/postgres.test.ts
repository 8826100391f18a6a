import { describe, expect, it } from 'vitest';
import { createPostgresStorage } from './postgres';
import { admin, freshSchemas, TEST_DATABASE_URL as url } from './postgres.testing';
import { describeStorage } from './storage.suite';

// Every store gets a fresh schema of its own, dropped when this file's tests are done.
const nextSchema = freshSchemas('test');

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

describe.skipIf(!url)('PostgreSQL (skipped: set GRIDWORK_TEST_DATABASE_URL to run)', () => {
  describeStorage(
    'PostgreSQL storage',
    async () => createPostgresStorage(url, { schema: nextSchema(), max: 8 }),
    { untilBlocked },
  );

  it('refuses a schema name that would need quoting', () => {
    expect(() => createPostgresStorage(url, { schema: 'Bad-Name' })).toThrow(/schema name/);
  });
});
