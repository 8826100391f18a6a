import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Role } from '@shared/domain/account';
import type { Storage } from '../../sync-server/src/storage/types';
import { TestDevice } from './device';
import { type Engine, PG_URL, type TestServer, createTestServer, seed } from './harness';

/** SQLite always; PostgreSQL too when GRIDWORK_TEST_DATABASE_URL is set (as in CI). */
export const ENGINES: Engine[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * One seeded server process per `describe` block, and devices that are signed in on demand and
 * thrown away after each test. Call inside `describe`.
 */
export function useSeededServer(
  engine: Engine,
  users: { username: string; scope: string; role: Role }[],
  prepare?: (storage: Storage) => Promise<void>,
) {
  let server: TestServer | null = null;
  let ids: Record<string, string> = {};
  const devices: TestDevice[] = [];
  const current = () => {
    if (!server) throw new Error('the server is not started yet');
    return server;
  };

  beforeAll(async () => {
    server = await createTestServer(engine);
    ids = await seed(server.storage(), users);
    await prepare?.(server.storage());
    await server.start();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((d) => d.dispose()));
  });
  afterAll(async () => {
    await server?.dispose();
  });

  return {
    get server() {
      return current();
    },
    /** Ids made by `seed`, e.g. `household-<grid code>`. */
    id(key: string): string {
      const value = ids[key];
      if (!value) throw new Error(`no seeded id ${key}`);
      return value;
    },
    /** A fresh simulated device signed in as `username`. */
    async device(username: string): Promise<TestDevice> {
      const d = await TestDevice.create(current().url);
      await d.login(username);
      devices.push(d);
      return d;
    },
  };
}
