/**
 * Start-up settings of the main process, read from the environment and from
 * `<userData>/config.json`. Pure functions: `index.ts` passes in `process.env`, `app.isPackaged`
 * and the file text.
 */
import { isHttpOrigin } from '@shared/ipc/contract';

export interface MainConfig {
  /** Vite dev server to load instead of `app://gridwork` (development only). */
  devServerUrl: string | null;
  /** Origins the renderer may connect to besides its own (the sync server), for the CSP. */
  connectOrigins: string[];
  /** The basemap's intranet tile server, for img-src and connect-src of the CSP; null: none. */
  basemapOrigin: string | null;
}

/** Where `npm run serve:web` listens by default (sync-server/src/config.ts). */
export const LOCAL_SYNC_SERVER = 'http://127.0.0.1:8787';

/** Shape of `<userData>/config.json`, written by an installer or an administrator. */
interface ConfigFile {
  syncServerUrl?: unknown;
  basemapOrigin?: unknown;
}

/**
 * The origin (`scheme://host[:port]`) of an http(s) URL, or null for anything else, including a
 * host the CSP cannot name (a `*` wildcard, an underscore): such an origin would make every
 * page's policy fail to build.
 */
export function httpOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return isHttpOrigin(url.origin) ? url.origin : null;
}

function parseConfigFile(text: string | null): ConfigFile {
  if (text === null) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    console.warn('[gridwork] ignoring config.json: not valid JSON');
    return {};
  }
}

/**
 * Reads the main-process configuration.
 *
 * - `GRIDWORK_DEV_SERVER_URL` is honoured only when the app is not packaged: an installed app
 *   must never be pointed at another page by an environment variable, because that page would
 *   get the `window.gridwork` bridge.
 * - The sync server origin comes from `GRIDWORK_SYNC_SERVER_URL` (comma-separated) or from
 *   `syncServerUrl` in config.json; invalid values are dropped with a warning. With neither, an
 *   unpackaged app allows the local sync server and a packaged one allows no other origin.
 * - The basemap tile server origin comes from `basemapOrigin` in config.json (written when the
 *   tile URL is saved in 设置 → 底图); an invalid value is dropped with a warning.
 */
export function readMainConfig(input: {
  env: Readonly<Record<string, string | undefined>>;
  isPackaged: boolean;
  configFileText: string | null;
}): MainConfig {
  const { env, isPackaged } = input;
  const rawDev = env['GRIDWORK_DEV_SERVER_URL'];
  let devServerUrl: string | null = null;
  if (rawDev && !isPackaged) {
    devServerUrl = httpOrigin(rawDev) === null ? null : rawDev;
    if (devServerUrl === null)
      console.warn(`[gridwork] ignoring GRIDWORK_DEV_SERVER_URL=${rawDev}`);
  }

  const file = parseConfigFile(input.configFileText);
  const candidates = [
    ...(env['GRIDWORK_SYNC_SERVER_URL'] ?? '').split(','),
    typeof file.syncServerUrl === 'string' ? file.syncServerUrl : '',
  ]
    .map((value) => value.trim())
    .filter((value) => value !== '');

  const connectOrigins: string[] = [];
  for (const candidate of candidates) {
    const origin = httpOrigin(candidate);
    if (origin === null) console.warn(`[gridwork] ignoring sync server URL ${candidate}`);
    else if (!connectOrigins.includes(origin)) connectOrigins.push(origin);
  }
  // An unpackaged app (a developer's `npm start`) talks to the local sync server by default.
  if (connectOrigins.length === 0 && !isPackaged) connectOrigins.push(LOCAL_SYNC_SERVER);

  let basemapOrigin: string | null = null;
  if (file.basemapOrigin !== undefined && file.basemapOrigin !== null) {
    basemapOrigin =
      typeof file.basemapOrigin === 'string' ? httpOrigin(file.basemapOrigin.trim()) : null;
    if (basemapOrigin === null)
      console.warn(`[gridwork] ignoring basemap origin ${JSON.stringify(file.basemapOrigin)}`);
  }
  return { devServerUrl, connectOrigins, basemapOrigin };
}
