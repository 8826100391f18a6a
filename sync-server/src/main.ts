/**
 * The sync server's entry point (`npm run server`, run with tsx from source).
 *
 *   npm run server                          start the server
 *   npm run server -- create-user --username wang.li --name 王丽
 *   npm run server -- load-demo             demo street + demo sign-ins
 *   npm run server -- help                  every admin command
 *
 * Settings come from the environment (config.ts): GRIDWORK_HOST, GRIDWORK_PORT, DATABASE_URL
 * (PostgreSQL) or GRIDWORK_DATA_FILE (SQLite, default data/gridwork.sqlite),
 * GRIDWORK_TOKEN_TTL_MINUTES, GRIDWORK_WEB_ROOT.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app';
import { ADMIN_USAGE, runAdmin, type CliIo } from './cli/admin';
import { ConfigError, loadConfig, type ServerConfig } from './config';
import { createStorage } from './storage/index';
import type { Storage } from './storage/types';

/** "SQLite file …" or "PostgreSQL …" with the password left out, for start-up and log lines. */
export function describeDatabase(config: Pick<ServerConfig, 'databaseUrl' | 'sqliteFile'>): string {
  if (config.databaseUrl) {
    try {
      const url = new URL(config.databaseUrl);
      // Never print a credential, even to the operator's own terminal (logs are shared and kept).
      url.password = '';
      url.searchParams.delete('password');
      return `PostgreSQL ${url.toString()}`;
    } catch {
      return 'PostgreSQL (DATABASE_URL is not a valid URL)';
    }
  }
  return config.sqliteFile === ':memory:'
    ? 'SQLite in memory (data is lost on exit)'
    : `SQLite file ${config.sqliteFile}`;
}

/** Opens the configured storage, creating the SQLite file's folder first. Not migrated yet. */
export function openStorage(config: Pick<ServerConfig, 'databaseUrl' | 'sqliteFile'>): Storage {
  if (!config.databaseUrl && config.sqliteFile !== ':memory:') {
    mkdirSync(dirname(config.sqliteFile), { recursive: true });
  }
  return createStorage(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile }
      : { sqliteFile: config.sqliteFile },
  );
}

/** A running server. */
export interface RunningServer {
  /** The URL it listens on, e.g. `http://127.0.0.1:8787`. */
  address: string;
  /** Stops listening, then closes storage. */
  close: () => Promise<void>;
}

/** Opens and migrates storage, builds the app and listens; resolves once it listens. */
export async function serve(config: ServerConfig, io: CliIo): Promise<RunningServer> {
  const storage = openStorage(config);
  try {
    const applied = await storage.migrate();
    if (applied.length > 0) io.out(`Database migrated: ${applied.join(', ')}`);
  } catch (error) {
    await storage.close();
    throw error;
  }
  const app = buildApp({ config, storage });
  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await storage.close();
    throw error;
  }
  io.out(`Gridwork 网格通 sync server: ${address}/`);
  io.out(`Database: ${describeDatabase(config)}`);
  return {
    address,
    close: async () => {
      try {
        await app.close();
      } finally {
        await storage.close();
      }
    },
  };
}

/** Closes `server` on SIGINT/SIGTERM, then exits (0, or 1 when closing failed). */
function closeOnSignals(server: RunningServer, io: CliIo): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    io.out(`${signal}: stopping …`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        io.err(`Error while stopping: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const consoleIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/**
 * Runs a command line: no arguments or `serve` start the server, anything else is an admin
 * command. Returns the exit code for commands; for the server, resolves once it listens (0).
 */
export async function main(
  argv: readonly string[],
  io: CliIo = consoleIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let config: ServerConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    io.err(error instanceof ConfigError ? error.message : String(error));
    return 2;
  }
  const [command, ...rest] = argv;
  if (command === undefined || command === 'serve') {
    if (rest.length > 0) {
      io.err(`serve takes no arguments (settings come from the environment).\n\n${ADMIN_USAGE}`);
      return 2;
    }
    try {
      closeOnSignals(await serve(config, io), io);
      return 0;
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
        io.err(`Port in use: ${error.message}. Set GRIDWORK_PORT to another port.`);
      } else {
        io.err(
          `The server could not start (${describeDatabase(config)}): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return 1;
    }
  }
  return runAdmin(argv, { openStorage: () => openStorage(config), io });
}

/** True when this file is the process's entry script (not imported by a test). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && resolve(script) === fileURLToPath(import.meta.url);
}

if (isEntryPoint()) {
  // `list-users | head` closes the pipe early: that is not a failure worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  // A listening server keeps the process alive; commands end here with their exit code.
  process.exitCode = await main(process.argv.slice(2));
}
