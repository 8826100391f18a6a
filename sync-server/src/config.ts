import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHttpOrigin } from '@shared/ipc/contract';

/** Server settings, from the environment; every value has a safe local default. */
export interface ServerConfig {
  host: string;
  port: number;
  /** The built renderer (web mode), served at `/`. */
  webRoot: string;
  /** PostgreSQL connection string (`DATABASE_URL`); when absent the server uses `sqliteFile`. */
  databaseUrl?: string;
  /** SQLite database file (`GRIDWORK_DATA_FILE`, default `<repo>/data/gridwork.sqlite`; `:memory:` for a throw-away one). */
  sqliteFile: string;
  /** Session lifetime in ms (`GRIDWORK_TOKEN_TTL_MINUTES`, default 12 h). */
  tokenTtlMs: number;
  /**
   * Intranet basemap tile servers the web pages may load from (`GRIDWORK_TILE_ORIGINS`,
   * comma-separated origins such as `https://tiles.example.gov.cn`); none by default, so a
   * page makes no request outside the server's own origin.
   */
  tileOrigins: string[];
}

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.GRIDWORK_PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(
      `GRIDWORK_PORT must be a port number (0–65535), got "${env.GRIDWORK_PORT}"`,
    );
  }
  const ttlMinutes = Number(env.GRIDWORK_TOKEN_TTL_MINUTES ?? 12 * 60);
  // Up to 30 days: DESIGN §8 asks for short-lived tokens; a typo must not mint year-long ones.
  if (!Number.isFinite(ttlMinutes) || ttlMinutes < 1 || ttlMinutes > 30 * 24 * 60) {
    throw new ConfigError(
      `GRIDWORK_TOKEN_TTL_MINUTES must be a number of minutes from 1 to 43200, got "${env.GRIDWORK_TOKEN_TTL_MINUTES}"`,
    );
  }
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const tileOrigins = (env.GRIDWORK_TILE_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  const badOrigin = tileOrigins.find((origin) => !isHttpOrigin(origin));
  if (badOrigin !== undefined) {
    throw new ConfigError(
      `GRIDWORK_TILE_ORIGINS must list http(s) origins (scheme://host[:port], no path), got "${badOrigin}"`,
    );
  }
  return {
    host: env.GRIDWORK_HOST ?? '127.0.0.1',
    port,
    webRoot: resolve(env.GRIDWORK_WEB_ROOT ?? resolve(repoRoot, 'dist/renderer')),
    ...(databaseUrl ? { databaseUrl } : {}),
    sqliteFile:
      env.GRIDWORK_DATA_FILE === ':memory:'
        ? ':memory:'
        : resolve(env.GRIDWORK_DATA_FILE ?? resolve(repoRoot, 'data/gridwork.sqlite')),
    tokenTtlMs: Math.round(ttlMinutes * 60_000),
    tileOrigins,
  };
}
