import { describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '@shared/ipc/contract';
import type { GridworkBridge } from '@shared/ipc/contract';

const electron = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn((_channel: string, _request: unknown) => Promise.resolve(null)),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: { invoke: electron.invoke },
}));

await import('./index');

describe('preload', () => {
  it('exposes exactly one API, window.gridwork', () => {
    expect(electron.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(electron.exposeInMainWorld.mock.calls[0]?.[0]).toBe('gridwork');
  });

  it('gives the page named functions only, never ipcRenderer', () => {
    const [, api] = electron.exposeInMainWorld.mock.calls[0] as [string, GridworkBridge];
    expect(Object.keys(api).sort()).toEqual([
      'appInfo',
      'openExternal',
      'saveFile',
      'secrets',
      'setBasemapOrigin',
      'setSyncServer',
    ]);
    expect(Object.keys(api.secrets).sort()).toEqual(['delete', 'get', 'set', 'status']);
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|invoke|send|on/i);
  });

  it('reaches every contract channel through ipcRenderer.invoke', async () => {
    const [, api] = electron.exposeInMainWorld.mock.calls[0] as [string, GridworkBridge];
    await api.appInfo();
    await api.openExternal('https://x.cn/');
    await api.saveFile({ suggestedName: 'a.txt', data: 'a' });
    await api.secrets.get('sync-token');
    await api.secrets.set('sync-token', 'v');
    await api.secrets.delete('sync-token');
    await api.secrets.status();
    await api.setSyncServer('https://sync.example.gov.cn');
    await api.setBasemapOrigin('https://tiles.example.gov.cn');
    const channels = electron.invoke.mock.calls.map(([channel]) => channel);
    expect(new Set(channels)).toEqual(new Set(ipcChannels));
  });
});
