import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setBasemapOrigin, setSyncServer } from './config';

describe('setSyncServer', () => {
  it('keeps only the origin, writes it to config.json with the other settings, and allows it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-config-'));
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify({ other: 1 }));
    const allowed: string[] = [];
    const result = await setSyncServer('https://sync.example.gov.cn:8443/some/path?x=1', {
      configPath,
      allowOrigin: (o) => allowed.push(o),
    });
    expect(result).toEqual({ saved: true, origin: 'https://sync.example.gov.cn:8443' });
    expect(JSON.parse(readFileSync(configPath, 'utf8'))).toEqual({
      other: 1,
      syncServerUrl: 'https://sync.example.gov.cn:8443',
    });
    expect(allowed).toEqual(['https://sync.example.gov.cn:8443']);
  });

  it('refuses anything but http(s) and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-config-'));
    const configPath = join(dir, 'config.json');
    const allowed: string[] = [];
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'not a url',
      // Hosts a CSP source cannot name: allowing them would break every page's policy.
      'https://*.example.gov.cn',
      'https://sync_1.example.gov.cn',
    ]) {
      expect(await setSyncServer(url, { configPath, allowOrigin: (o) => allowed.push(o) })).toEqual(
        { saved: false, reason: 'invalid-url' },
      );
    }
    expect(allowed).toEqual([]);
    expect(() => readFileSync(configPath)).toThrow();
  });
});

describe('setBasemapOrigin', () => {
  const tempConfig = () => join(mkdtempSync(join(tmpdir(), 'gw-config-')), 'config.json');
  const readConfig = (configPath: string): unknown => JSON.parse(readFileSync(configPath, 'utf8'));

  it('writes the origin to config.json with the other settings and allows it', async () => {
    const configPath = tempConfig();
    writeFileSync(configPath, JSON.stringify({ syncServerUrl: 'https://sync.example.gov.cn' }));
    const csp = { basemapOrigin: null as string | null };
    expect(
      await setBasemapOrigin('https://tiles.example.gov.cn:8443', { configPath, csp }),
    ).toEqual({ saved: true, origin: 'https://tiles.example.gov.cn:8443', reload: true });
    expect(readConfig(configPath)).toEqual({
      syncServerUrl: 'https://sync.example.gov.cn',
      basemapOrigin: 'https://tiles.example.gov.cn:8443',
    });
    expect(csp.basemapOrigin).toBe('https://tiles.example.gov.cn:8443');
  });

  it('asks for a reload only when the page predates the origin', async () => {
    const configPath = tempConfig();
    const csp = { basemapOrigin: 'http://10.0.0.8' as string | null };
    const again = await setBasemapOrigin('http://10.0.0.8', { configPath, csp });
    expect(again).toEqual({ saved: true, origin: 'http://10.0.0.8', reload: false });
    // Written even when unchanged: a config.json that lost the value gets it back.
    expect(readConfig(configPath)).toEqual({ basemapOrigin: 'http://10.0.0.8' });
    const moved = await setBasemapOrigin('http://10.0.0.9', { configPath, csp });
    expect(moved).toEqual({ saved: true, origin: 'http://10.0.0.9', reload: true });
  });

  it('clears the origin on null without a reload', async () => {
    const configPath = tempConfig();
    writeFileSync(configPath, JSON.stringify({ basemapOrigin: 'http://10.0.0.8', other: 1 }));
    const csp = { basemapOrigin: 'http://10.0.0.8' as string | null };
    expect(await setBasemapOrigin(null, { configPath, csp })).toEqual({
      saved: true,
      origin: null,
      reload: false,
    });
    expect(readConfig(configPath)).toEqual({ other: 1 });
    expect(csp.basemapOrigin).toBeNull();
  });

  it.each([
    'https://tiles.example.gov.cn/tiles/{z}/{x}/{y}.png',
    'https://tiles.example.gov.cn/',
    'https://*.example.gov.cn',
    '*',
    'https://user:pw@tiles.example.gov.cn',
    "https://x.cn; script-src 'unsafe-inline'",
    'ws://tiles.example.gov.cn',
    'file:///etc/passwd',
    'javascript:alert(1)',
    '',
  ])('refuses %j and changes nothing', async (origin) => {
    const configPath = tempConfig();
    const csp = { basemapOrigin: 'http://10.0.0.8' as string | null };
    expect(await setBasemapOrigin(origin, { configPath, csp })).toEqual({
      saved: false,
      reason: 'invalid-origin',
    });
    expect(csp.basemapOrigin).toBe('http://10.0.0.8');
    expect(() => readFileSync(configPath)).toThrow();
  });

  it('does not lose a sync server saved at the same time', async () => {
    const configPath = tempConfig();
    const csp = { basemapOrigin: null as string | null };
    await Promise.all([
      setSyncServer('https://sync.example.gov.cn', { configPath, allowOrigin: () => {} }),
      setBasemapOrigin('https://tiles.example.gov.cn', { configPath, csp }),
    ]);
    expect(readConfig(configPath)).toEqual({
      syncServerUrl: 'https://sync.example.gov.cn',
      basemapOrigin: 'https://tiles.example.gov.cn',
    });
  });
});
