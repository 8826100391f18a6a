import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_CSP, buildApp } from './app';
import { ConfigError, loadConfig } from './config';

describe('web mode server', () => {
  it('serves the web build with a strict CSP', async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'gw-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>网格通</title>');
    const app = buildApp({ config: { ...loadConfig({}), port: 0, webRoot } });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('网格通');
    expect(response.headers['content-security-policy']).toBe(WEB_CSP);
    expect(WEB_CSP).toContain("script-src 'self'");
    await app.close();
  });

  it('lets pages load basemap tiles only from the configured intranet tile servers', async () => {
    expect(WEB_CSP).not.toContain('tiles.example');
    const config = loadConfig({ GRIDWORK_TILE_ORIGINS: 'https://tiles.example.gov.cn:8443' });
    expect(config.tileOrigins).toEqual(['https://tiles.example.gov.cn:8443']);
    const app = buildApp({ config: { ...config, port: 0 } });
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("connect-src 'self' https://tiles.example.gov.cn:8443");
    expect(csp).toContain("img-src 'self' data: blob: https://tiles.example.gov.cn:8443");
    await app.close();
    for (const bad of [
      'https://tiles.example.gov.cn/xyz',
      'https://*.gov.cn',
      'ftp://x.cn',
      'x; script-src *',
    ])
      expect(() => loadConfig({ GRIDWORK_TILE_ORIGINS: bad })).toThrow(ConfigError);
  });

  it('explains a missing web build instead of a bare 404', async () => {
    const app = buildApp({
      config: { ...loadConfig({}), port: 0, webRoot: join(tmpdir(), 'gw-missing-build') },
    });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build:renderer');
    await app.close();
  });

  it('rejects a bad port with a clear message', () => {
    expect(() => loadConfig({ GRIDWORK_PORT: 'eighty' })).toThrow(ConfigError);
    expect(loadConfig({ GRIDWORK_PORT: '9000' }).port).toBe(9000);
  });

  it('reads the database and session settings', () => {
    const defaults = loadConfig({});
    expect(defaults.databaseUrl).toBeUndefined();
    expect(defaults.sqliteFile).toMatch(/data[/\\]gridwork\.sqlite$/);
    expect(defaults.tokenTtlMs).toBe(12 * 60 * 60_000);
    const custom = loadConfig({
      DATABASE_URL: 'postgres://gw:secret@db.example.invalid:5432/gridwork',
      GRIDWORK_DATA_FILE: ':memory:',
      GRIDWORK_TOKEN_TTL_MINUTES: '30',
    });
    expect(custom.databaseUrl).toBe('postgres://gw:secret@db.example.invalid:5432/gridwork');
    expect(custom.sqliteFile).toBe(':memory:');
    expect(custom.tokenTtlMs).toBe(30 * 60_000);
    expect(() => loadConfig({ GRIDWORK_TOKEN_TTL_MINUTES: 'forever' })).toThrow(ConfigError);
    expect(() => loadConfig({ GRIDWORK_TOKEN_TTL_MINUTES: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
  });

  it('serves a build that appears after the server started', async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'gw-late-'));
    const app = buildApp({ config: { ...loadConfig({}), port: 0, webRoot } });
    expect((await app.inject({ method: 'GET', url: '/' })).statusCode).toBe(503);
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>网格通</title>');
    const later = await app.inject({ method: 'GET', url: '/' });
    expect(later.statusCode).toBe(200);
    expect(later.body).toContain('网格通');
    await app.close();
  });
});
