/** `app:*` handlers: facts about the running shell. */
import { app } from 'electron';
import type { AppInfo } from '@shared/ipc/contract';

/** `app:info`: versions of the app, Electron and Chromium, and the OS platform. */
export function getAppInfo(): AppInfo {
  return {
    version: app.getVersion(),
    platform: process.platform,
    electron: process.versions.electron,
    chrome: process.versions.chrome,
  };
}
