import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setSyncServer } from './config';

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
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'not a url']) {
      expect(await setSyncServer(url, { configPath, allowOrigin: (o) => allowed.push(o) })).toEqual(
        { saved: false, reason: 'invalid-url' },
      );
    }
    expect(allowed).toEqual([]);
    expect(() => readFileSync(configPath)).toThrow();
  });
});
