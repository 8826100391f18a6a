import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { loadConfig } from './config';
import { describeDatabase, main, serve } from './main';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('main', () => {
  it('describes the database without its password', () => {
    expect(describeDatabase({ sqliteFile: '/srv/gridwork/data.sqlite' })).toBe(
      'SQLite file /srv/gridwork/data.sqlite',
    );
    const pg = describeDatabase({
      databaseUrl:
        'postgres://gridwork:s3cret@db.internal:5432/gridwork?password=also&sslmode=require',
      sqliteFile: 'unused',
    });
    expect(pg).toBe('PostgreSQL postgres://gridwork@db.internal:5432/gridwork?sslmode=require');
    expect(pg).not.toContain('s3cret');
    expect(describeDatabase({ sqliteFile: ':memory:' })).toContain('in memory');
  });

  it('exits 2 on a bad environment or stray serve arguments', async () => {
    const bad = capture();
    expect(await main([], bad.io, { GRIDWORK_PORT: 'eighty' })).toBe(2);
    expect(bad.err.join('\n')).toContain('GRIDWORK_PORT');
    const stray = capture();
    expect(await main(['serve', '--port', '1'], stray.io, {})).toBe(2);
  });

  it('runs admin commands against GRIDWORK_DATA_FILE, creating its folder', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gw-main-')), 'nested', 'gridwork.sqlite');
    const env = { GRIDWORK_DATA_FILE: file };
    const create = capture();
    expect(
      await main(
        ['create-user', '--username', 'li.na', '--name', '李娜', '--password', 'heping2026li'],
        create.io,
        env,
      ),
    ).toBe(0);
    expect(existsSync(file)).toBe(true);
    const list = capture();
    expect(await main(['list-users'], list.io, env)).toBe(0);
    expect(list.out.join('\n')).toContain('li.na');
    const usage = capture();
    expect(await main(['nonsense'], usage.io, env)).toBe(2);
  });

  it('serves the API on the configured storage and closes cleanly', async () => {
    const { io, out } = capture();
    const config = { ...loadConfig({ GRIDWORK_DATA_FILE: ':memory:' }), port: 0 };
    const server = await serve(config, io);
    try {
      expect(out.join('\n')).toContain('Database: SQLite in memory');
      const health = await fetch(`${server.address}/api/health`);
      expect(health.status).toBe(200);
      const login = await fetch(`${server.address}/api/auth/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        },
        body: JSON.stringify({
          username: 'nobody',
          password: 'whatever1',
          deviceId: '0190a5d0-7c2e-7a4b-9c1d-2e3f4a5b6c7d',
        }),
      });
      expect(login.status).toBe(401);
      expect(((await login.json()) as { error: { code: string } }).error.code).toBe(
        'invalid-credentials',
      );
    } finally {
      await server.close();
    }
  });
});
