/**
 * Main's IPC handler table: one entry per contract channel (`satisfies` makes a missing channel a
 * type error) and the call that registers them all through the guard in `register.ts`.
 */
import path from 'node:path';
import { app, ipcMain, safeStorage } from 'electron';
import { getAppInfo } from './app';
import type { CspOrigins } from '../protocol';
import { setBasemapOrigin, setSyncServer } from './config';
import { saveFile } from './file';
import { registerIpcHandlers } from './register';
import type { MainIpcHandlers } from './register';
import { createSecretStore } from './secret';
import type { SecretStore } from './secret';
import { openExternal } from './shell';

/** What the config channels change in the CSP of pages served from then on. */
export type CspSettings = Pick<CspOrigins, 'allowConnect' | 'basemapOrigin'>;

/** Builds the handler table around a secret store and the CSP's origins. */
export function createMainHandlers(
  secrets: SecretStore,
  csp: CspSettings = { allowConnect: () => {}, basemapOrigin: null },
): MainIpcHandlers {
  const configPath = () => path.join(app.getPath('userData'), 'config.json');
  return {
    'app:info': () => getAppInfo(),
    'shell:open-external': (url) => openExternal(url),
    'file:save': (request, context) => saveFile(request, context),
    'secret:get': ({ key }) => secrets.get(key),
    'secret:set': ({ key, value }) => secrets.set(key, value),
    'secret:delete': async ({ key }) => {
      await secrets.delete(key);
      return undefined;
    },
    'secret:status': () => secrets.status(),
    'config:set-sync-server': (url) =>
      setSyncServer(url, {
        configPath: configPath(),
        allowOrigin: (origin) => csp.allowConnect(origin),
      }),
    'config:set-basemap-origin': (origin) =>
      setBasemapOrigin(origin, { configPath: configPath(), csp }),
  } satisfies MainIpcHandlers;
}

/**
 * Registers every IPC channel. Call once the app is ready (safeStorage needs it).
 * `csp` holds the origins (sync server, basemap tile server) of pages served from then on.
 */
export function registerMainIpc(devServerUrl: string | null, csp?: CspSettings): void {
  const secrets = createSecretStore({
    dir: path.join(app.getPath('userData'), 'secrets'),
    cipher: safeStorage,
    platform: process.platform,
  });
  registerIpcHandlers(ipcMain, createMainHandlers(secrets, csp), devServerUrl);
}
