/**
 * The IPC allow-list: every channel between the renderer and Electron's main process, named
 * `area:action`. This file has no dependencies so the sandboxed preload can bundle it without
 * pulling in zod; the schemas and types that go with each channel live in `contract.ts`.
 *
 * Adding a name here is a type error in `contract.ts` (no schema, no response type), in main's
 * handler table (`electron/main/ipc/index.ts`) and in the bridge (`bridge.ts`) until all are written.
 */
export const ipcChannels = [
  'app:info',
  'shell:open-external',
  'file:save',
  'secret:get',
  'secret:set',
  'secret:delete',
  'secret:status',
  'config:set-sync-server',
  'config:set-basemap-origin',
] as const;

/** One IPC channel name. */
export type IpcChannel = (typeof ipcChannels)[number];

const channelSet: ReadonlySet<string> = new Set(ipcChannels);

/** Whether `value` is an allow-listed channel (a runtime guard for the preload and for main). */
export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && channelSet.has(value);
}
