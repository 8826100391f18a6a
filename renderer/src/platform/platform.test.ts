import { describe, expect, it, vi } from 'vitest';
import type { GridworkBridge } from '@shared/ipc/contract';
import { createBrowserPlatform } from './browser';
import { createElectronPlatform } from './electron';

function fakeBridge(overrides: Partial<GridworkBridge> = {}): GridworkBridge {
  return {
    appInfo: vi.fn(async () => ({
      version: '0.1.0',
      platform: 'linux',
      electron: '45.5.0',
      chrome: '142',
    })),
    openExternal: vi.fn(async () => ({ opened: false, reason: 'unsafe-url' as const })),
    saveFile: vi.fn(async () => ({ saved: true, path: '/tmp/x.xlsx' })),
    setSyncServer: vi.fn(async (url: string) =>
      url.startsWith('http')
        ? { saved: true, origin: url }
        : { saved: false, reason: 'invalid-url' as const },
    ),
    setBasemapOrigin: vi.fn(async (origin: string | null) =>
      origin === null || origin.startsWith('http')
        ? { saved: true, origin, reload: origin !== null && origin !== 'http://10.0.0.8' }
        : { saved: false, reason: 'invalid-origin' as const },
    ),
    secrets: {
      get: vi.fn(async () => 'token'),
      set: vi.fn(async () => ({ stored: false, reason: 'encryption-unavailable' as const })),
      delete: vi.fn(async () => undefined),
      status: vi.fn(async () => ({ available: false, backend: 'basic_text' })),
    },
    ...overrides,
  };
}

describe('electron platform', () => {
  it('maps bridge answers onto the platform interface', async () => {
    const bridge = fakeBridge();
    const platform = createElectronPlatform(bridge);
    expect(platform.kind).toBe('electron');
    expect((await platform.appInfo()).runtime).toContain('Electron 45.5.0');
    expect(await platform.openExternal('javascript:alert(1)')).toBe(false);
    expect(
      await platform.saveFile('台账.xlsx', new Uint8Array([1]), 'application/octet-stream'),
    ).toBe(true);
    expect(bridge.saveFile).toHaveBeenCalledWith({
      suggestedName: '台账.xlsx',
      data: new Uint8Array([1]),
    });
  });

  it('passes the sync server to main and reports a refused address', async () => {
    const platform = createElectronPlatform(fakeBridge());
    expect(await platform.setSyncServer('https://sync.example.gov.cn')).toBe(true);
    await expect(platform.setSyncServer('javascript:x')).rejects.toThrow(/not a valid/);
  });

  it('passes the basemap origin to main and answers whether the page must reload', async () => {
    const bridge = fakeBridge();
    const platform = createElectronPlatform(bridge);
    expect(await platform.setBasemapOrigin('https://tiles.example.gov.cn')).toBe(true);
    expect(await platform.setBasemapOrigin('http://10.0.0.8')).toBe(false);
    expect(await platform.setBasemapOrigin(null)).toBe(false);
    expect(bridge.setBasemapOrigin).toHaveBeenLastCalledWith(null);
    await expect(platform.setBasemapOrigin('ftp://tiles.example.gov.cn')).rejects.toThrow(
      /not a valid tile server origin/,
    );
  });

  it('fails loudly when the keychain refuses a secret', async () => {
    const platform = createElectronPlatform(fakeBridge());
    await expect(platform.secrets.set('sync-token', 't')).rejects.toThrow(/encryption-unavailable/);
  });
});

describe('browser platform', () => {
  it('leaves the security policy to the server: setting a basemap origin is a no-op', async () => {
    const platform = createBrowserPlatform();
    expect(await platform.setBasemapOrigin('https://tiles.example.gov.cn')).toBe(false);
    expect(await platform.setBasemapOrigin(null)).toBe(false);
  });
});
