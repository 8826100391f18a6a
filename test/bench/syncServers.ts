import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { hashPassword } from '../../sync-server/src/services/auth';
import { createStorage } from '../../sync-server/src/storage/index';
import { repoRoot } from './harness';
import { BENCH_STREET, benchRecords } from './syncData';

/**
 * The two servers of `npm run bench:sync`, each its own child process on a fixed port (so the
 * bench page's Vite proxy can stay put while a server is restarted with another dataset):
 * the real Gridwork sync server on a private SQLite file, seeded straight into its storage as
 * the integration tests' `seed` does, and express-pouchdb (pouchServer.ts).
 */

export const BENCH_USER = 'bench-street';
export const BENCH_PASSWORD = 'bench-sync-2026';

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
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

/** A running server process. */
export interface ServerProcess {
  readonly pid: number;
  /** CPU seconds (user + system) the process has used so far (Linux /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

function wrap(child: ChildProcess): ServerProcess {
  const pid = child.pid;
  if (pid === undefined) throw new Error('server process has no pid');
  return {
    pid,
    cpuSeconds: () => processCpuSeconds(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/**
 * Writes `count` bench records, the bench user and its street membership (role `street`, which
 * reads and writes every grid of the street) into a fresh SQLite file, in big transactions.
 */
export async function seedGridwork(sqliteFile: string, count: number): Promise<{ ms: number }> {
  const started = Date.now();
  const storage = createStorage({ sqliteFile });
  try {
    await storage.migrate();
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const now = new Date().toISOString();
    await storage.transaction(async (tx) => {
      const userId = uuidv7();
      await tx.createUser({
        id: userId,
        username: BENCH_USER,
        displayName: '街道网格管理员（基准测试）',
        passwordHash,
        disabled: false,
        failedLogins: 0,
        lockedUntil: null,
        departmentId: null,
        createdAt: now,
      });
      await tx.grantMembership({
        id: uuidv7(),
        userId,
        scope: BENCH_STREET,
        role: 'street',
        grantedAt: now,
        grantedBy: null,
        revokedAt: null,
      });
    });
    for (const batch of benchRecords(count, 5000)) {
      await storage.transaction(async (tx) => {
        for (const { table, record } of batch)
          await tx.putRow(table, String(record.id), String(record.scope), record);
      });
    }
  } finally {
    await storage.close();
  }
  return { ms: Date.now() - started };
}

async function waitFor(child: ChildProcess, stderr: () => string, ready: () => Promise<boolean>) {
  for (let attempt = 0; attempt < 3000; attempt += 1) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}: ${stderr()}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not start: ${stderr()}`);
}

/** Starts the real Gridwork server (`node --import tsx sync-server/src/main.ts`) on a seeded file. */
export async function startGridwork(port: number, sqliteFile: string): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GRIDWORK_PORT: String(port),
    GRIDWORK_HOST: '127.0.0.1',
    GRIDWORK_DATA_FILE: sqliteFile,
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(
    child,
    () => stderr,
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/api/health`)).ok;
      } catch {
        return false;
      }
    },
  );
  return wrap(child);
}

/** What the PouchDB server process reports once it listens. */
export interface PouchReady {
  docs: number;
  /** `datasetHash` of what it seeded, to compare with the Gridwork side. */
  hash: string;
  seedMs: number;
}

/** Starts express-pouchdb (pouchServer.ts) with database `bench-<count>` seeded in memory. */
export async function startPouch(
  port: number,
  count: number,
): Promise<{ server: ServerProcess; ready: PouchReady }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/pouchServer.ts'], {
    cwd: repoRoot,
    env: { ...process.env, BENCH_COUCH_PORT: String(port), BENCH_COUNT: String(count) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(
    child,
    () => stderr,
    async () => stdout.includes('\n'),
  );
  const line = stdout.split('\n')[0] ?? '';
  const parsed = JSON.parse(line) as Partial<PouchReady>;
  if (typeof parsed.docs !== 'number' || typeof parsed.hash !== 'string')
    throw new Error(`unexpected output from the PouchDB server: ${line}`);
  return {
    server: wrap(child),
    ready: { docs: parsed.docs, hash: parsed.hash, seedMs: parsed.seedMs ?? 0 },
  };
}
