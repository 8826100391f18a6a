import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { formatHlc } from '@shared/sync/hlc';
import { hashPassword } from '../../sync-server/src/services/auth';
import { createStorage } from '../../sync-server/src/storage/index';
import type { Role } from '@shared/domain/account';
import type { Storage } from '../../sync-server/src/storage/types';

/**
 * Runs the REAL sync server as a child process (tsx, as `npm run server` does) on a private
 * SQLite file or a private PostgreSQL database, so tests can kill it with SIGKILL and restart it.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const TEST_PASSWORD = 'grid-test-2026';
export const PG_URL = process.env.GRIDWORK_TEST_DATABASE_URL;
export type Engine = 'sqlite' | 'postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface TestServer {
  url: string;
  engine: Engine;
  /** Opens the server's storage from the test process (seeding, and checking what it holds). */
  storage(): Storage;
  start(env?: Record<string, string>): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  dispose(): Promise<void>;
}

export async function createTestServer(engine: Engine): Promise<TestServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gridwork-it-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (engine === 'postgres') {
    if (!PG_URL) throw new Error('GRIDWORK_TEST_DATABASE_URL is not set');
    const name = `gridwork_it_${uuidv7().replace(/-/g, '').slice(-16)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }
  const sqliteFile = join(dir, 'gridwork.sqlite');
  let child: ChildProcess | null = null;
  let opened: Storage | null = null;

  const server: TestServer = {
    url: `http://127.0.0.1:${port}`,
    engine,
    storage() {
      opened ??= createStorage({ sqliteFile, ...(databaseUrl ? { databaseUrl } : {}) });
      return opened;
    },
    async start(extraEnv = {}) {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        GRIDWORK_PORT: String(port),
        GRIDWORK_HOST: '127.0.0.1',
        GRIDWORK_DATA_FILE: sqliteFile,
        ...extraEnv,
      };
      if (databaseUrl) env.DATABASE_URL = databaseUrl;
      else delete env.DATABASE_URL;
      child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      for (let attempt = 0; attempt < 200; attempt += 1) {
        if (child.exitCode !== null)
          throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
        try {
          if ((await fetch(`${server.url}/api/health`)).ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`server did not start: ${stderr}`);
    },
    async kill(signal = 'SIGTERM') {
      const running = child;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill(signal);
      });
      child = null;
    },
    async dispose() {
      await server.kill();
      await opened?.close();
      opened = null;
      await dropDatabase();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

export const STREET = '110101010000';
export const COMMUNITY = '110101010027';
export const GRID_A = '110101010027001';
export const GRID_B = '110101010027002';

/** Users, memberships and two grids with one household each, written straight into storage. */
export async function seed(
  storage: Storage,
  users: { username: string; scope: string; role: Role }[],
) {
  await storage.migrate();
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const now = new Date().toISOString();
  const ids: Record<string, string> = {};
  await storage.transaction(async (tx) => {
    for (const user of users) {
      const id = uuidv7();
      ids[user.username] = id;
      await tx.createUser({
        id,
        username: user.username,
        displayName: user.username,
        passwordHash,
        disabled: false,
        failedLogins: 0,
        lockedUntil: null,
        departmentId: null,
        createdAt: now,
      });
      await tx.grantMembership({
        id: uuidv7(),
        userId: id,
        scope: user.scope,
        role: user.role,
        grantedAt: now,
        grantedBy: null,
        revokedAt: null,
      });
    }
    for (const grid of [GRID_A, GRID_B]) {
      const householdId = uuidv7();
      ids[`household-${grid}`] = householdId;
      const record = {
        id: householdId,
        scope: grid,
        createdAt: now,
        updatedAt: now,
        deleted: false,
        hlc: formatHlc({ ms: Date.now() - 60_000, counter: 0, node: 'seed' }),
        gridCode: grid,
        buildingId: uuidv7(),
        unit: '2',
        room: '501',
        address: `和平里七区3号楼2单元501（${grid.slice(-3)}）`,
        type: 'owner',
        headResidentId: null,
        location: [116.418, 39.955],
        note: '',
      };
      await tx.putRow('households', householdId, grid, record);
    }
  });
  return ids;
}
