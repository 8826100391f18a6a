import { describe, expect, it } from 'vitest';
import { createBridge } from './bridge';
import { ipcChannels } from './contract';
import type { GridworkBridge, IpcChannel, IpcInvoke } from './contract';

function recordingBridge(): { bridge: GridworkBridge; calls: [IpcChannel, unknown][] } {
  const calls: [IpcChannel, unknown][] = [];
  const invoke: IpcInvoke = (channel, request) => {
    calls.push([channel, request]);
    return Promise.resolve(undefined as never);
  };
  return { bridge: createBridge(invoke), calls };
}

/** Calls every function of the bridge once. */
async function callEverything(bridge: GridworkBridge): Promise<void> {
  await bridge.appInfo();
  await bridge.openExternal('https://www.beijing.gov.cn/');
  await bridge.saveFile({ suggestedName: 'a.csv', data: 'a' });
  await bridge.secrets.get('sync-token');
  await bridge.secrets.set('sync-token', 'abc');
  await bridge.secrets.delete('sync-token');
  await bridge.secrets.status();
  await bridge.setSyncServer('https://sync.example.gov.cn');
  await bridge.setBasemapOrigin('https://tiles.example.gov.cn');
  await bridge.setBasemapOrigin(null);
}

describe('createBridge', () => {
  it('reaches every contract channel, and nothing else', async () => {
    const { bridge, calls } = recordingBridge();
    await callEverything(bridge);
    expect(new Set(calls.map(([channel]) => channel))).toEqual(new Set(ipcChannels));
  });

  it('sends the payload shapes the contract expects', async () => {
    const { bridge, calls } = recordingBridge();
    await callEverything(bridge);
    expect(calls).toEqual([
      ['app:info', undefined],
      ['shell:open-external', 'https://www.beijing.gov.cn/'],
      ['file:save', { suggestedName: 'a.csv', data: 'a' }],
      ['secret:get', { key: 'sync-token' }],
      ['secret:set', { key: 'sync-token', value: 'abc' }],
      ['secret:delete', { key: 'sync-token' }],
      ['secret:status', undefined],
      ['config:set-sync-server', 'https://sync.example.gov.cn'],
      ['config:set-basemap-origin', 'https://tiles.example.gov.cn'],
      ['config:set-basemap-origin', null],
    ]);
  });
});
