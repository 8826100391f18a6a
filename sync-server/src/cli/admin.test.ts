import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { login } from '../services/auth';
import { createSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/types';
import { parseAdminArgs, runAdmin, UsageError } from './admin';
import { DEMO_PASSWORD } from './loadDemo';

const DEVICE = '0190a5d0-7c2e-7a4b-9c1d-2e3f4a5b6c7d';
const NOW = new Date('2026-11-29T06:00:00.000Z');

let file: string;
beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'gw-admin-')), 'gridwork.sqlite');
});

/** Runs one command line against the test database file, like `npm run server -- …` would. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let opened = false;
  const code = await runAdmin(argv, {
    openStorage: () => {
      opened = true;
      return createSqliteStorage(file);
    },
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    now: () => NOW,
  });
  return { code, out: out.join('\n'), err: err.join('\n'), opened };
}

async function withStorage<T>(fn: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = createSqliteStorage(file);
  try {
    await storage.migrate();
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

describe('admin command line', () => {
  it('exits 2 with the usage on bad usage, before opening the database', async () => {
    for (const argv of [
      ['frobnicate'],
      ['grant', '--username', 'x'],
      ['create-user', '--username', 'x', '--name', 'y', '--colour', 'red'],
      ['list-users', 'extra'],
      ['import-org'],
      ['set-password', '--username'],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err).toContain('Usage:');
      expect(result.opened).toBe(false);
    }
    expect(() =>
      parseAdminArgs(['grant', '--username', 'u', '--scope', ' ', '--role', 'street']),
    ).toThrow(UsageError);
    expect(parseAdminArgs(['help'])).toBeNull();
    expect((await run('--help')).code).toBe(0);
  });

  it('exits 2 for a bad role, scope or demo option', async () => {
    await run(
      'create-user',
      '--username',
      'wang.li',
      '--name',
      '王丽',
      '--password',
      'heping2026li',
    );
    const role = await run(
      'grant',
      '--username',
      'wang.li',
      '--scope',
      '110101010027001',
      '--role',
      'boss',
    );
    expect(role.code).toBe(2);
    expect(role.err).toContain('--role must be one of');
    const scope = await run(
      'grant',
      '--username',
      'wang.li',
      '--scope',
      '1101',
      '--role',
      'street',
    );
    expect(scope.code).toBe(2);
    expect(scope.err).toContain('--scope must be');
    const wide = await run(
      'grant',
      '--username',
      'wang.li',
      '--scope',
      '110000000000',
      '--role',
      'street',
    );
    expect(wide.code).toBe(2);
    const demo = await run('load-demo', '--households', 'lots');
    expect(demo.code).toBe(2);
    const demoRange = await run('load-demo', '--households', '0');
    expect(demoRange.code).toBe(2);
    expect(demoRange.err).toContain('households');
  });

  it('creates users, grants, lists, revokes, disables and sets passwords', async () => {
    const created = await run('create-user', '--username', 'Wang.Li', '--name', '王丽');
    expect(created.code).toBe(0);
    const password =
      /Password \(shown once, hand it over safely\): (\S+)/.exec(created.out)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z2-9]{16}$/);

    const taken = await run(
      'create-user',
      '--username',
      'wang.li',
      '--name',
      '另一个',
      '--password',
      'heping2026li',
    );
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('taken');
    const weak = await run(
      'create-user',
      '--username',
      'li.na',
      '--name',
      '李娜',
      '--password',
      'short',
    );
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('at least 8');
    const badName = await run('create-user', '--username', 'x', '--name', '李娜');
    expect(badName.code).toBe(1);
    expect(badName.err).toContain('username');

    expect(
      (
        await run(
          'grant',
          '--username',
          'wang.li',
          '--scope',
          '110101010027001',
          '--role',
          'grid-worker',
        )
      ).code,
    ).toBe(0);
    const again = await run(
      'grant',
      '--username',
      'wang.li',
      '--scope',
      '110101010027001',
      '--role',
      'grid-worker',
    );
    expect(again.out).toContain('already has');
    expect(
      (
        await run(
          'grant',
          '--username',
          'wang.li',
          '--scope',
          '110101010027',
          '--role',
          'community',
        )
      ).code,
    ).toBe(0);
    expect(
      (await run('grant', '--username', 'nobody', '--scope', '110101010027', '--role', 'community'))
        .code,
    ).toBe(1);

    // A liaison: the department they act for is set with the grant, and checked first.
    const DEPT = '0190a5d0-0000-7000-8000-00000000d001';
    const badDept = await run(
      'grant',
      '--username',
      'wang.li',
      '--scope',
      '110101010000',
      '--role',
      'department',
      '--department-id',
      'city-management',
    );
    expect(badDept.code).toBe(2);
    const liaison = await run(
      'grant',
      '--username',
      'wang.li',
      '--scope',
      '110101010000',
      '--role',
      'department',
      '--department-id',
      DEPT,
    );
    expect(liaison.code).toBe(0);
    expect(liaison.err).not.toContain('no department');
    const user = await withStorage((s) => s.transaction((tx) => tx.getUserByUsername('wang.li')));
    expect(user?.departmentId).toBe(DEPT);
    await run('revoke', '--username', 'wang.li', '--scope', '110101010000', '--role', 'department');

    const listed = await run('list-users');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('wang.li');
    expect(listed.out).toContain('grid-worker@110101010027001, community@110101010027');

    const session = await withStorage((s) =>
      login(s, { username: 'wang.li', password, deviceId: DEVICE }, NOW),
    );
    expect(session.user.memberships).toHaveLength(2);

    expect(
      (
        await run(
          'revoke',
          '--username',
          'wang.li',
          '--scope',
          '110101010027',
          '--role',
          'community',
        )
      ).code,
    ).toBe(0);
    const none = await run('revoke', '--username', 'wang.li', '--scope', '110101010027');
    expect(none.code).toBe(1);
    expect(none.err).toContain('no active membership');

    expect((await run('disable-user', '--username', 'wang.li')).code).toBe(0);
    expect((await run('list-users')).out).toContain('disabled');
    await expect(
      withStorage((s) => login(s, { username: 'wang.li', password, deviceId: DEVICE }, NOW)),
    ).rejects.toMatchObject({ code: 'account-disabled' });
    expect((await run('enable-user', '--username', 'wang.li')).code).toBe(0);

    expect(
      (await run('set-password', '--username', 'wang.li', '--password', 'neues2026pw')).code,
    ).toBe(0);
    const renewed = await withStorage((s) =>
      login(s, { username: 'wang.li', password: 'neues2026pw', deviceId: DEVICE }, NOW),
    );
    expect(renewed.user.memberships).toEqual([{ scope: '110101010027001', role: 'grid-worker' }]);
    expect(
      (await run('set-password', '--username', 'wang.li', '--password', 'nodigits')).code,
    ).toBe(1);
  });

  it('imports an org file, and fails with every problem listed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-org-'));
    const good = join(dir, 'org.csv');
    writeFileSync(good, 'code,name,parentCode\n110101000000,东城区,\n110101010000,和平里街道,\n');
    const dry = await run('import-org', '--file', good, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('Dry run');
    const done = await run('import-org', '--file', good);
    expect(done.out).toContain('Imported 2 units (1 district, 1 street): 2 new, 0 updated');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'code,name,parentCode\n110101001099,孤儿社区,\nabc,坏,\n');
    const failed = await run('import-org', '--file', bad);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('line 2 (110101001099): parent 110101001000 is neither');
    expect(failed.err).toContain('line 3 (abc)');
    expect(failed.err).toContain('2 problems; nothing imported');
    expect((await run('import-org', '--file', join(dir, 'missing.csv'))).code).toBe(1);
  });

  it('loads the demo street once and its sign-ins work', async () => {
    const first = await run(
      'load-demo',
      '--households',
      '120',
      '--now',
      '2026-11-29T00:00:00.000Z',
    );
    expect(first.code).toBe(0);
    expect(first.out).toContain('orgUnits:');
    expect(first.out).toMatch(/demo-grid\s+grid-worker\s+1101010100\d\d001/);
    expect(first.out).toContain(DEMO_PASSWORD);
    const second = await run(
      'load-demo',
      '--households',
      '120',
      '--now',
      '2026-11-29T00:00:00.000Z',
    );
    expect(second.code).toBe(0);
    expect(second.out).toContain('in the database already');
    expect(second.out).toMatch(/Users: 0 created, \d+ already there/);
    const seq = await withStorage((s) => s.transaction((tx) => tx.maxSeq('110101')));
    const third = await run('load-demo', '--households', '120');
    expect(third.code).toBe(0);
    expect(await withStorage((s) => s.transaction((tx) => tx.maxSeq('110101')))).toBe(seq);
    const session = await withStorage((s) =>
      login(s, { username: 'demo-street', password: DEMO_PASSWORD, deviceId: DEVICE }, NOW),
    );
    expect(session.user.memberships).toEqual([{ scope: '110101010000', role: 'street' }]);
  });
});
