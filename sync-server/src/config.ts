import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Server settings, from the environment; every value has a safe local default. */
export interface ServerConfig {
  host: string;
  port: number;
  /** The built renderer (web mode), served at `/`. */
  webRoot: string;
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
  return {
    host: env.GRIDWORK_HOST ?? '127.0.0.1',
    port,
    webRoot: resolve(env.GRIDWORK_WEB_ROOT ?? resolve(repoRoot, 'dist/renderer')),
  };
}
