/**
 * Builds the `window.gridwork` API from a single `invoke` function. The preload passes a wrapper
 * around `ipcRenderer.invoke`; tests pass a recorder. Imports only types from the contract so the
 * preload bundle stays free of zod.
 */
import type { GridworkBridge, IpcChannel, IpcInvoke, IpcRequest, IpcResponse } from './contract';

/** One call per channel: a new channel is a type error here until the bridge exposes it. */
type ChannelCalls = { [C in IpcChannel]: (request: IpcRequest<C>) => Promise<IpcResponse<C>> };

/** Creates the renderer-facing API; every function goes through `invoke`. */
export function createBridge(invoke: IpcInvoke): GridworkBridge {
  const call: ChannelCalls = {
    'app:info': (request) => invoke('app:info', request),
    'shell:open-external': (request) => invoke('shell:open-external', request),
    'file:save': (request) => invoke('file:save', request),
    'secret:get': (request) => invoke('secret:get', request),
    'secret:set': (request) => invoke('secret:set', request),
    'secret:delete': (request) => invoke('secret:delete', request),
    'secret:status': (request) => invoke('secret:status', request),
    'config:set-sync-server': (request) => invoke('config:set-sync-server', request),
    'config:set-basemap-origin': (request) => invoke('config:set-basemap-origin', request),
  };
  return {
    appInfo: () => call['app:info'](undefined),
    openExternal: (url) => call['shell:open-external'](url),
    saveFile: (request) => call['file:save'](request),
    setSyncServer: (url) => call['config:set-sync-server'](url),
    setBasemapOrigin: (origin) => call['config:set-basemap-origin'](origin),
    secrets: {
      get: (key) => call['secret:get']({ key }),
      set: (key, value) => call['secret:set']({ key, value }),
      delete: (key) => call['secret:delete']({ key }),
      status: () => call['secret:status'](undefined),
    },
  };
}
