import { readFile, writeFile } from 'node:fs/promises';
import type { SetSyncServerResult } from '@shared/ipc/contract';
import { httpOrigin } from '../config';

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
  let settings: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(deps.configPath, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      settings = { ...parsed };
  } catch {
    // No file yet, or an unreadable one: start from empty settings.
  }
  settings.syncServerUrl = origin;
  await writeFile(deps.configPath, `${JSON.stringify(settings, null, 2)}\n`, 'utf8');
  deps.allowOrigin(origin);
  return { saved: true, origin };
}
