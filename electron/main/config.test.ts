import { describe, expect, it, vi } from 'vitest';
import { httpOrigin, LOCAL_SYNC_SERVER, readMainConfig } from './config';

describe('httpOrigin', () => {
  it('keeps only http(s) origins', () => {
    expect(httpOrigin('https://sync.example.gov.cn/api/v1')).toBe('https://sync.example.gov.cn');
    expect(httpOrigin('http://10.1.2.3:8080')).toBe('http://10.1.2.3:8080');
    expect(httpOrigin('file:///x')).toBeNull();
    expect(httpOrigin("https://x.cn; script-src 'unsafe-inline'")).toBeNull();
    expect(httpOrigin('nonsense')).toBeNull();
  });

  it('refuses hosts a CSP source cannot name', () => {
    expect(httpOrigin('https://*.example.gov.cn')).toBeNull();
    expect(httpOrigin('https://sync_1.example.gov.cn')).toBeNull();
    expect(httpOrigin('HTTPS://Sync.Example.gov.cn:443/x')).toBe('https://sync.example.gov.cn');
  });
});

describe('readMainConfig', () => {
  const quiet = () => vi.spyOn(console, 'warn').mockImplementation(() => undefined);

  it('uses the dev server only when not packaged', () => {
    const env = { GRIDWORK_DEV_SERVER_URL: 'http://127.0.0.1:5173' };
    expect(readMainConfig({ env, isPackaged: false, configFileText: null }).devServerUrl).toBe(
      'http://127.0.0.1:5173',
    );
    expect(readMainConfig({ env, isPackaged: true, configFileText: null }).devServerUrl).toBeNull();
  });

  it('ignores a dev server URL that is not http(s)', () => {
    quiet();
    const env = { GRIDWORK_DEV_SERVER_URL: 'file:///tmp/evil.html' };
    expect(
      readMainConfig({ env, isPackaged: false, configFileText: null }).devServerUrl,
    ).toBeNull();
  });

  it('collects sync server origins from the environment and config.json, dropping bad ones', () => {
    quiet();
    const config = readMainConfig({
      env: { GRIDWORK_SYNC_SERVER_URL: 'https://a.gov.cn/sync, javascript:1 ,https://a.gov.cn' },
      isPackaged: true,
      configFileText: JSON.stringify({ syncServerUrl: 'http://10.0.0.8:8787/' }),
    });
    expect(config.connectOrigins).toEqual(['https://a.gov.cn', 'http://10.0.0.8:8787']);
  });

  it('survives a broken config.json', () => {
    quiet();
    const config = readMainConfig({ env: {}, isPackaged: true, configFileText: '{nope' });
    expect(config).toEqual({ devServerUrl: null, connectOrigins: [], basemapOrigin: null });
  });

  it('reads the basemap tile origin from config.json', () => {
    const read = (basemapOrigin: unknown) =>
      readMainConfig({
        env: {},
        isPackaged: true,
        configFileText: JSON.stringify({ basemapOrigin }),
      }).basemapOrigin;
    expect(read('https://tiles.example.gov.cn:8443')).toBe('https://tiles.example.gov.cn:8443');
    // Written by hand: a URL is cut to its origin.
    expect(read(' http://10.0.0.8/tiles/{z}/{x}/{y}.png ')).toBe('http://10.0.0.8');
    expect(read(null)).toBeNull();
    expect(readMainConfig({ env: {}, isPackaged: true, configFileText: '{}' }).basemapOrigin).toBe(
      null,
    );
  });

  it('drops a basemap origin the CSP cannot hold', () => {
    const warn = quiet();
    warn.mockClear();
    for (const bad of ['https://*.example.gov.cn', 'file:///x', "'unsafe-eval'", 42, {}]) {
      const config = readMainConfig({
        env: {},
        isPackaged: true,
        configFileText: JSON.stringify({ basemapOrigin: bad }),
      });
      expect(config.basemapOrigin).toBeNull();
    }
    expect(warn).toHaveBeenCalledTimes(5);
  });

  it('lets an unpackaged app reach the local sync server when nothing is configured', () => {
    const config = readMainConfig({ env: {}, isPackaged: false, configFileText: null });
    expect(config.connectOrigins).toEqual([LOCAL_SYNC_SERVER]);
  });
});
