import type { GridworkBridge } from '@shared/ipc/contract';
import type { Platform } from './types';

/** Desktop: every call goes through the preload's allow-listed, typed bridge. */
export function createElectronPlatform(bridge: GridworkBridge): Platform {
  return {
    kind: 'electron',
    async appInfo() {
      const info = await bridge.appInfo();
      return {
        version: info.version,
        platform: info.platform,
        runtime: `Electron ${info.electron} / Chromium ${info.chrome}`,
      };
    },
    async openExternal(url) {
      return (await bridge.openExternal(url)).opened;
    },
    async setSyncServer(url) {
      const result = await bridge.setSyncServer(url);
      if (!result.saved) throw new Error(`not a valid sync server address: ${url}`);
      return true;
    },
    async setBasemapOrigin(origin) {
      const result = await bridge.setBasemapOrigin(origin);
      if (!result.saved) throw new Error(`not a valid tile server origin: ${origin}`);
      return result.reload === true;
    },
    async saveFile(suggestedName, data) {
      return (await bridge.saveFile({ suggestedName, data })).saved;
    },
    secrets: {
      get: (key) => bridge.secrets.get(key),
      async set(key, value) {
        const result = await bridge.secrets.set(key, value);
        if (!result.stored)
          throw new Error(
            `the OS keychain refused to store ${key}: ${result.reason ?? 'unknown reason'}`,
          );
      },
      delete: (key) => bridge.secrets.delete(key),
    },
  };
}
