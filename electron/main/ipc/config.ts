import { readFile, writeFile } from 'node:fs/promises';
import { isHttpOrigin } from '@shared/ipc/contract';
import type { SetBasemapOriginResult, SetSyncServerResult } from '@shared/ipc/contract';
import { httpOrigin } from '../config';

// Writes to config.json one after another: two settings saved at once must not both read the
// old file and then drop each other's change.
let configWrites: Promise<unknown> = Promise.resolve();

/**
 * Reads config.json, lets `update` change its settings and writes it back, keeping the settings
 * it does not touch. A missing or unreadable file counts as empty settings.
 */
function updateConfigFile(
  configPath: string,
  update: (settings: Record<string, unknown>) => void,
): Promise<void> {
  const write = configWrites.then(async () => {
    let settings: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(await readFile(configPath, 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        settings = { ...parsed };
    } catch {
      // No file yet, or an unreadable one: start from empty settings.
    }
    update(settings);
    await writeFile(configPath, `${JSON.stringify(settings, null, 2)}\n`, 'utf8');
  });
  configWrites = write.catch(() => undefined);
  return write;
}

export interface SyncServerSettingDeps {
  /** `<userData>/config.json`, the file `readMainConfig` reads at start-up. */
  configPath: string;
  /** Allows an origin in the CSP of pages served from now on. */
  allowOrigin: (origin: string) => void;
}

/**
 * Saves the sync server chosen in the login screen: only an http(s) URL is accepted, only its
 * origin is allowed in `connect-src`, and it is written to config.json so the next start allows
 * it too. Other settings in the file are kept.
 */
export async function setSyncServer(
  url: string,
  deps: SyncServerSettingDeps,
): Promise<SetSyncServerResult> {
  const origin = httpOrigin(url);
  if (origin === null) return { saved: false, reason: 'invalid-url' };
  await updateConfigFile(deps.configPath, (settings) => {
    settings.syncServerUrl = origin;
  });
  deps.allowOrigin(origin);
  return { saved: true, origin };
}

export interface BasemapOriginSettingDeps {
  /** `<userData>/config.json`, the file `readMainConfig` reads at start-up. */
  configPath: string;
  /** The tile origin the CSP of pages served from now on allows (`CspOrigins` in main). */
  csp: { basemapOrigin: string | null };
}

/**
 * Saves the basemap's tile server (设置 → 底图): an http(s) origin exactly (`scheme://host[:port]`,
 * no path, no wildcard), or null to remove it. It is written to config.json as `basemapOrigin`
 * so the next start allows it too, and allowed in img-src and connect-src of pages served from
 * now on. `reload` tells the renderer that its page predates the origin. The payload schema has
 * already refused anything else; the check repeats here because this is what widens the CSP.
 */
export async function setBasemapOrigin(
  origin: string | null,
  deps: BasemapOriginSettingDeps,
): Promise<SetBasemapOriginResult> {
  if (origin !== null && !isHttpOrigin(origin)) return { saved: false, reason: 'invalid-origin' };
  const previous = deps.csp.basemapOrigin;
  await updateConfigFile(deps.configPath, (settings) => {
    if (origin === null) delete settings.basemapOrigin;
    else settings.basemapOrigin = origin;
  });
  deps.csp.basemapOrigin = origin;
  return { saved: true, origin, reload: origin !== null && origin !== previous };
}
