/**
 * The preload: exposes `window.gridwork` (see `GridworkBridge` in shared/ipc/contract.ts) to the
 * page. It runs sandboxed, so it is bundled into one CommonJS file whose only `require` is
 * `electron`. Named functions only: the page never gets `ipcRenderer` itself (checklist item 20).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from '@shared/ipc/bridge';
import { isIpcChannel } from '@shared/ipc/channels';
import type { GridworkBridge, IpcInvoke } from '@shared/ipc/contract';

/** Sends on allow-listed channels only; the check repeats the type system's at run time. */
const invoke: IpcInvoke = (channel, request) => {
  if (!isIpcChannel(channel)) return Promise.reject(new Error(`Unknown IPC channel: ${channel}`));
  return ipcRenderer.invoke(channel, request);
};

const bridge: GridworkBridge = createBridge(invoke);

contextBridge.exposeInMainWorld('gridwork', bridge);
