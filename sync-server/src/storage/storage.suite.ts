import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MutationResult } from '@shared/sync/protocol';
import { isStorageError, type StorageErrorCode } from './errors';
import type { AttachmentRow, LogEntry, MembershipRow, Storage, StorageTx, UserRow } from './types';

/**
 * The one behaviour both storage engines must have. `sqlite.test.ts` and `postgres.test.ts` run
 * it; a test that only makes sense on one engine skips itself on the other.
 */

/** Engine-specific helpers a test file may give the suite. */
export interface StorageSuiteHooks {
  /**
   * Resolves once another connection is waiting for a row lock (PostgreSQL). Without it the
   * suite waits a fixed time instead, which proves less: that the writer did not finish, not
   * that it reached the lock.
   */
  untilBlocked?: () => Promise<void>;
}

// Beijing codes: district 110105 (Chaoyang), one street, two communities, grids below them.
const P = '110105';
const DISTRICT = '110105000000';
const STREET = '110105001000';
const COMMUNITY = '110105001002';
const GRID = '110105001002003';
const GRID_NEXT = '110105001002004';
const OTHER_COMMUNITY_GRID = '110105001003001';
const OTHER_STREET = '110105002000';
// Another district: another partition.
const Q = '110108';
const Q_GRID = '110108001001001';

const T0 = '2026-11-29T06:00:00.000Z';

function user(id: string, username: string, patch: Partial<UserRow> = {}): UserRow {
  return {
    id,
    username,
    displayName: `用户 ${username}`,
    passwordHash: 'scrypt$x',
    disabled: false,
    failedLogins: 0,
    lockedUntil: null,
    departmentId: null,
    createdAt: T0,
    ...patch,
  };
}

function rec(
  id: string,
  scope: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { id, scope, hlc: '1764396000000-0000-dev1', deleted: false, name: '张三', ...extra };
}

function attachment(sha256: string, size: number): AttachmentRow {
  return { sha256, size, mime: 'image/jpeg', received: 0, complete: false, createdAt: T0 };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A promise with its resolver, to hold a transaction open until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Whether `promise` has settled, without waiting for it. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const winner = await Promise.race([promise.then(() => true), sleep(0).then(() => marker)]);
  return winner !== marker;
}

async function expectStorageError(promise: Promise<unknown>, code: StorageErrorCode) {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStorageError(error, code), `expected StorageError ${code}, got ${String(error)}`).toBe(
    true,
  );
}

/** Registers the shared storage tests for one engine. `make` returns a fresh, unmigrated store. */
export function describeStorage(
  name: string,
  make: () => Promise<Storage>,
  hooks: StorageSuiteHooks = {},
): void {
  describe(name, () => {
    let storage: Storage;
    const tx = <T>(fn: (t: StorageTx) => Promise<T>) => storage.transaction(fn);
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

    beforeEach(async () => {
      storage = await make();
      await storage.migrate();
    });
    afterEach(async () => {
      await storage.close();
    });

    describe('migrations', () => {
      it('applies every migration once; migrating again applies nothing and keeps data', async () => {
        const fresh = await make();
        try {
          expect(await fresh.migrate()).toEqual(['001_init', '002_scope_exits']);
          await fresh.transaction((t) => t.putRow('households', 'h1', GRID, rec('h1', GRID)));
          expect(await fresh.migrate()).toEqual([]);
          expect(await fresh.transaction((t) => t.getRow('households', 'h1'))).toMatchObject({
            seq: 1,
          });
        } finally {
          await fresh.close();
        }
      });
    });

    describe('changelog', () => {
      it('numbers rows per partition, independently, and moves a replaced row to a new seq', async () => {
        await tx(async (t) => {
          expect(await t.putRow('households', 'a', GRID, rec('a', GRID))).toBe(1);
          expect(await t.putRow('residents', 'b', GRID, rec('b', GRID))).toBe(2);
          expect(await t.putRow('households', 'c', Q_GRID, rec('c', Q_GRID))).toBe(1);
        });
        // A later transaction continues the numbering; the replaced row leaves seq 1 behind.
        expect(
          await tx((t) => t.putRow('households', 'a', GRID, rec('a', GRID, { name: '李四' }))),
        ).toBe(3);
        await tx(async (t) => {
          expect(await t.getRow('households', 'a')).toEqual({
            table: 'households',
            id: 'a',
            scope: GRID,
            seq: 3,
            record: rec('a', GRID, { name: '李四' }),
          });
          // The same id in another table is another row.
          expect(await t.getRow('residents', 'a')).toBeUndefined();
          expect(await t.maxSeq(P)).toBe(3);
          expect(await t.maxSeq(Q)).toBe(1);
          expect(await t.maxSeq('110999')).toBe(0);
          const rows = await t.listChanges(P, { prefix: P, ancestors: [] }, 0, 100);
          expect(rows.map((r) => [r.id, r.seq])).toEqual([
            ['b', 2],
            ['a', 3],
          ]);
        });
      });

      it('round-trips nested JSON, CJK text and numbers exactly', async () => {
        const record = rec('j', GRID, {
          members: [{ name: '王小明', age: 7 }],
          clocks: { name: '1764396000001-0000-dev1' },
          geo: [116.4551, 39.9219],
          note: null,
          flag: true,
        });
        await tx((t) => t.putRow('households', 'j', GRID, record));
        expect((await tx((t) => t.getRow('households', 'j')))?.record).toEqual(record);
      });

      it('moves a row whose scope changes district into the other partition', async () => {
        await tx((t) => t.putRow('households', 'm', GRID, rec('m', GRID)));
        expect(await tx((t) => t.putRow('households', 'm', Q_GRID, rec('m', Q_GRID)))).toBe(1);
        await tx(async (t) => {
          expect(await t.listChanges(P, { prefix: P, ancestors: [] }, 0, 10)).toEqual([]);
          expect(ids(await t.listChanges(Q, { prefix: Q, ancestors: [] }, 0, 10))).toEqual(['m']);
        });
      });

      it('filters by subtree prefix and by exact ancestor scopes', async () => {
        await tx(async (t) => {
          for (const [id, scope] of [
            ['district', DISTRICT],
            ['street', STREET],
            ['community', COMMUNITY],
            ['grid', GRID],
            ['gridNext', GRID_NEXT],
            ['otherCommunityGrid', OTHER_COMMUNITY_GRID],
            ['otherStreet', OTHER_STREET],
          ] as const) {
            await t.putRow('cases', id, scope, rec(id, scope));
          }
        });
        await tx(async (t) => {
          // A grid worker: the grid, and read-only the community, street and district rows.
          const worker = { prefix: GRID, ancestors: [COMMUNITY, STREET, DISTRICT] };
          expect(ids(await t.listChanges(P, worker, 0, 100))).toEqual([
            'district',
            'street',
            'community',
            'grid',
          ]);
          // A street: everything under it, plus the district.
          const street = { prefix: '110105001', ancestors: [DISTRICT] };
          expect(ids(await t.listChanges(P, street, 0, 100))).toEqual([
            'district',
            'street',
            'community',
            'grid',
            'gridNext',
            'otherCommunityGrid',
          ]);
          // Ancestors are exact scopes, not prefixes; no ancestors is fine.
          const community = { prefix: COMMUNITY, ancestors: ['110105001'] };
          expect(ids(await t.listChanges(P, community, 0, 100))).toEqual([
            'community',
            'grid',
            'gridNext',
          ]);
          // The prefix is compared literally (no LIKE wildcards).
          expect(await t.listChanges(P, { prefix: '110105_', ancestors: [] }, 0, 100)).toEqual([]);
          expect(await t.listChanges(P, { prefix: '110105%', ancestors: [] }, 0, 100)).toEqual([]);
        });
      });

      it('pages by afterSeq and limit in seq order', async () => {
        await tx(async (t) => {
          for (let i = 1; i <= 10; i++) await t.putRow('visits', `v${i}`, GRID, rec(`v${i}`, GRID));
        });
        await tx(async (t) => {
          const all = { prefix: P, ancestors: [] };
          const seqs = async (after: number, limit: number) =>
            (await t.listChanges(P, all, after, limit)).map((r) => r.seq);
          expect(await seqs(0, 3)).toEqual([1, 2, 3]);
          expect(await seqs(3, 3)).toEqual([4, 5, 6]);
          expect(await seqs(9, 3)).toEqual([10]);
          expect(await seqs(10, 3)).toEqual([]);
          expect(await seqs(0, 0)).toEqual([]);
          expect(await seqs(0, 100)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        });
      });

      it('reads only the filter’s tables, rows and exits alike, when it names some', async () => {
        await tx(async (t) => {
          await t.putRow('cases', 'c', GRID, rec('c', GRID));
          await t.putRow('residents', 'r', GRID, rec('r', GRID));
          await t.putRow('caseEvents', 'e', GRID, rec('e', GRID));
          await t.putExit('residents', 'gone', GRID, '2026-11-29T06:00:00.000Z');
          await t.putExit('cases', 'moved', GRID, '2026-11-29T06:00:00.000Z');
        });
        await tx(async (t) => {
          const liaison = { prefix: P, ancestors: [], tables: ['cases', 'caseEvents'] };
          expect(ids(await t.listChanges(P, liaison, 0, 10))).toEqual(['c', 'e']);
          const log = await t.listLog(P, liaison, 0, 10);
          expect(log.map((entry) => [entry.kind, entry.id])).toEqual([
            ['row', 'c'],
            ['row', 'e'],
            ['exit', 'moved'],
          ]);
          expect(await t.listLog(P, { ...liaison, tables: [] }, 0, 10)).toEqual([]);
          expect(await t.listLog(P, { prefix: P, ancestors: [] }, 0, 10)).toHaveLength(5);
        });
      });

      it('never returns rows of another partition, even when a filter names them', async () => {
        await tx(async (t) => {
          await t.putRow('cases', 'p', GRID, rec('p', GRID));
          await t.putRow('cases', 'q', Q_GRID, rec('q', Q_GRID));
        });
        await tx(async (t) => {
          expect(
            ids(await t.listChanges(P, { prefix: '1101', ancestors: [Q_GRID] }, 0, 10)),
          ).toEqual(['p']);
          expect(ids(await t.listChanges(Q, { prefix: '1101', ancestors: [GRID] }, 0, 10))).toEqual(
            ['q'],
          );
        });
      });
    });

    describe('scope exits', () => {
      const all = { prefix: P, ancestors: [] };
      /** Just the exits of the log. */
      const exitsOf = (log: LogEntry[]) => log.filter((e) => e.kind === 'exit');

      it('numbers exits from the partition counter rows use, and lists them with rows in seq order', async () => {
        await tx(async (t) => {
          expect(await t.putRow('households', 'h', GRID, rec('h', GRID))).toBe(1);
          // The row moves to the next grid: it gets a new seq there, and grid 003 an exit.
          expect(await t.putRow('households', 'h', GRID_NEXT, rec('h', GRID_NEXT))).toBe(2);
          expect(await t.putExit('households', 'h', GRID, T0)).toBe(3);
          expect(await t.putRow('residents', 'r', GRID, rec('r', GRID))).toBe(4);
          expect(await t.maxSeq(P)).toBe(4);
        });
        await tx(async (t) => {
          const exit = {
            kind: 'exit',
            table: 'households',
            id: 'h',
            scope: GRID,
            seq: 3,
            exitedAt: T0,
          };
          const row = (id: string, scope: string, seq: number) => ({
            kind: 'row',
            table: id === 'r' ? 'residents' : 'households',
            id,
            scope,
            seq,
            record: rec(id, scope),
          });
          expect(await t.listLog(P, all, 0, 10)).toEqual([
            row('h', GRID_NEXT, 2),
            exit,
            row('r', GRID, 4),
          ]);
          // listChanges stays rows only.
          expect(ids(await t.listChanges(P, all, 0, 10))).toEqual(['h', 'r']);
          // The old grid reads the exit; the new grid reads the row; a street reads both.
          const oldGrid = { prefix: GRID, ancestors: [COMMUNITY, STREET, DISTRICT] };
          const newGrid = { prefix: GRID_NEXT, ancestors: [COMMUNITY, STREET, DISTRICT] };
          expect(await t.listLog(P, oldGrid, 0, 10)).toEqual([exit, row('r', GRID, 4)]);
          expect(await t.listLog(P, newGrid, 0, 10)).toEqual([row('h', GRID_NEXT, 2)]);
          // Exact ancestors match exits too; afterSeq, limit and partitions apply as to rows.
          expect(await t.listLog(P, { prefix: '110106', ancestors: [GRID] }, 0, 10)).toEqual([
            exit,
            row('r', GRID, 4),
          ]);
          expect(await t.listLog(P, all, 2, 1)).toEqual([exit]);
          expect((await t.listLog(P, all, 0, 2)).map((e) => e.seq)).toEqual([2, 3]);
          expect((await t.listLog(P, all, 3, 10)).map((e) => e.seq)).toEqual([4]);
          expect(await t.listLog(P, all, 0, 0)).toEqual([]);
          expect(await t.listLog(Q, { prefix: '1101', ancestors: [] }, 0, 10)).toEqual([]);
        });
      });

      it('moves a repeated exit to a new seq, drops it on return, and takes the old partition', async () => {
        await tx(async (t) => {
          await t.putExit('households', 'h', GRID, T0);
          await t.putExit('households', 'x', GRID, T0);
        });
        // The same row leaves the same scope again (it came back meanwhile): one exit, later.
        const later = '2026-11-29T07:00:00.000Z';
        expect(await tx((t) => t.putExit('households', 'h', GRID, later))).toBe(3);
        // The same id in another table, or from another scope, is another exit.
        await tx(async (t) => {
          await t.putExit('residents', 'h', GRID, T0);
          await t.putExit('households', 'h', GRID_NEXT, T0);
          // A row leaving a scope in another district is numbered in that district.
          expect(await t.putExit('households', 'q', Q_GRID, T0)).toBe(1);
        });
        await tx(async (t) => {
          const log = await t.listLog(P, all, 0, 10);
          expect(log.map((e) => [e.kind, e.table, e.id, e.scope, e.seq])).toEqual([
            ['exit', 'households', 'x', GRID, 2],
            ['exit', 'households', 'h', GRID, 3],
            ['exit', 'residents', 'h', GRID, 4],
            ['exit', 'households', 'h', GRID_NEXT, 5],
          ]);
          expect(log[1]).toMatchObject({ exitedAt: later });
          await t.deleteExit('households', 'h', GRID);
          await t.deleteExit('households', 'nothing', GRID); // no exit: nothing to do
          const left = exitsOf(await t.listLog(P, { prefix: GRID, ancestors: [] }, 0, 10));
          expect(left.map((e) => [e.table, e.id])).toEqual([
            ['households', 'x'],
            ['residents', 'h'],
          ]);
          expect(
            (await t.listLog(Q, { prefix: Q, ancestors: [] }, 0, 10)).map((e) => e.seq),
          ).toEqual([1]);
          // Rows and exits share the counter: the next row follows the last exit.
          expect(await t.putRow('households', 'n', GRID, rec('n', GRID))).toBe(6);
        });
      });

      it('rolls an exit back with its transaction', async () => {
        await expect(
          tx(async (t) => {
            await t.putExit('households', 'h', GRID, T0);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        await tx(async (t) => {
          expect(await t.listLog(P, all, 0, 10)).toEqual([]);
          expect(await t.maxSeq(P)).toBe(0);
        });
      });

      it('a pull that tails rows and exits while moves commit out of order never skips one', async () => {
        const movers = 16;
        let done = false;
        const seen: number[] = [];
        let cursor = 0;
        const pull = async () => {
          for (const entry of await tx((t) => t.listLog(P, all, cursor, 1000))) {
            seen.push(entry.seq);
            cursor = entry.seq;
          }
        };
        const puller = (async () => {
          while (!done) {
            await pull();
            await sleep(1);
          }
          await pull();
        })();
        // Each mover writes a row in its new grid and an exit from the old one, lingering
        // between and after, as a rescope does.
        await Promise.all(
          Array.from({ length: movers }, (_, i) =>
            tx(async (t) => {
              await sleep(Math.random() * 5);
              await t.putRow('households', `m${i}`, GRID_NEXT, rec(`m${i}`, GRID_NEXT));
              await sleep(Math.random() * 5);
              await t.putExit('households', `m${i}`, GRID, T0);
              await sleep(Math.random() * 5);
            }),
          ),
        );
        done = true;
        await puller;
        expect(seen).toEqual(Array.from({ length: 2 * movers }, (_, i) => i + 1));
      });
    });

    describe('transactions', () => {
      it('a transaction that throws leaves nothing behind', async () => {
        const boom = new Error('boom');
        const result: MutationResult = { seq: 1, status: 'applied' };
        await expect(
          tx(async (t) => {
            await t.putRow('households', 'h', GRID, rec('h', GRID));
            await t.saveMutationResult('dev-1', 1, 'u1', result);
            await t.createUser(user('u1', 'zhangsan'));
            await t.createAttachment(attachment('abc', 3));
            await t.appendAttachmentChunk('abc', 0, new Uint8Array([1, 2, 3]));
            throw boom;
          }),
        ).rejects.toBe(boom);
        await tx(async (t) => {
          expect(await t.getRow('households', 'h')).toBeUndefined();
          expect(await t.maxSeq(P)).toBe(0);
          expect(await t.getMutationResult('dev-1', 1)).toBeUndefined();
          expect(await t.getUserById('u1')).toBeUndefined();
          expect(await t.getAttachment('abc')).toBeUndefined();
          // The counter was rolled back too: the next row gets 1 again.
          expect(await t.putRow('households', 'h2', GRID, rec('h2', GRID))).toBe(1);
        });
      });

      it('stays usable after a refused write is caught inside it', async () => {
        await tx((t) => t.saveMutationResult('dev-1', 1, 'u1', { seq: 1, status: 'applied' }));
        await tx(async (t) => {
          await expectStorageError(
            t.saveMutationResult('dev-1', 1, 'u1', { seq: 1, status: 'rejected' }),
            'duplicate',
          );
          await t.putRow('households', 'after', GRID, rec('after', GRID));
        });
        expect(await tx((t) => t.getRow('households', 'after'))).toMatchObject({ seq: 1 });
      });

      it('refuses a tx used after its transaction ended', async () => {
        let leaked: StorageTx | undefined;
        await tx(async (t) => {
          leaked = t;
        });
        await expect(leaked?.maxSeq(P)).rejects.toThrow(/after it ended/);
        await expect(leaked?.putRow('households', 'late', GRID, rec('late', GRID))).rejects.toThrow(
          /after it ended/,
        );
        expect(await tx((t) => t.getRow('households', 'late'))).toBeUndefined();
      });
    });

    describe('mutation results', () => {
      it('round-trip, and (device, seq) is unique: a second save is refused as duplicate', async () => {
        const result: MutationResult = {
          seq: 7,
          status: 'rejected',
          code: undefined,
          reason: '状态不允许此操作',
          lost: ['name', 'phone'],
          record: { id: 'c1', status: 'closed' },
        };
        // JSON drops undefined members; what comes back is what JSON keeps.
        const stored = JSON.parse(JSON.stringify(result)) as MutationResult;
        await tx((t) => t.saveMutationResult('dev-1', 7, 'u1', result));
        await tx(async (t) => {
          expect(await t.getMutationResult('dev-1', 7)).toEqual(stored);
          expect(await t.getMutationResult('dev-1', 8)).toBeUndefined();
          expect(await t.getMutationResult('dev-2', 7)).toBeUndefined();
          // Another device may use the same number.
          await t.saveMutationResult('dev-2', 7, 'u1', { seq: 7, status: 'applied' });
        });
        await expectStorageError(
          tx((t) => t.saveMutationResult('dev-1', 7, 'u1', { seq: 7, status: 'applied' })),
          'duplicate',
        );
        expect(await tx((t) => t.getMutationResult('dev-1', 7))).toEqual(stored);
      });
    });

    describe('users', () => {
      it('creates, finds, refuses duplicates, updates and lists', async () => {
        await tx(async (t) => {
          await t.createUser(user('u2', 'wangwu'));
          await t.createUser(user('u1', 'lisi', { departmentId: 'd1' }));
        });
        await expectStorageError(
          tx((t) => t.createUser(user('u3', 'lisi'))),
          'duplicate',
        );
        await expectStorageError(
          tx((t) => t.createUser(user('u1', 'zhaoliu'))),
          'duplicate',
        );
        await tx(async (t) => {
          expect(await t.getUserById('u1')).toEqual(user('u1', 'lisi', { departmentId: 'd1' }));
          expect(await t.getUserByUsername('wangwu')).toEqual(user('u2', 'wangwu'));
          expect(await t.getUserByUsername('nobody')).toBeUndefined();
          expect(await t.getUserById('u3')).toBeUndefined();
          await t.updateUser('u1', {
            displayName: '李四（网格员）',
            disabled: true,
            failedLogins: 3,
            lockedUntil: '2026-11-29T06:15:00.000Z',
            departmentId: null,
            passwordHash: undefined,
          });
          await t.updateUser('u2', {});
        });
        await expectStorageError(
          tx((t) => t.updateUser('nobody', { disabled: true })),
          'not-found',
        );
        await expectStorageError(
          tx((t) => t.updateUser('nobody', {})),
          'not-found',
        );
        await tx(async (t) => {
          const expected = user('u1', 'lisi', {
            displayName: '李四（网格员）',
            disabled: true,
            failedLogins: 3,
            lockedUntil: '2026-11-29T06:15:00.000Z',
          });
          expect(await t.getUserById('u1')).toEqual(expected);
          expect(await t.listUsers()).toEqual([expected, user('u2', 'wangwu')]);
          await t.updateUser('u1', { disabled: false, lockedUntil: null, failedLogins: 0 });
          expect(await t.getUserById('u1')).toMatchObject({
            disabled: false,
            lockedUntil: null,
            failedLogins: 0,
          });
        });
      });
    });

    describe('memberships', () => {
      it('grants, lists active ones, revokes (kept, not listed)', async () => {
        const base = { userId: 'u1', grantedAt: T0, grantedBy: null, revokedAt: null };
        const m2: MembershipRow = {
          ...base,
          id: 'm2',
          scope: COMMUNITY,
          role: 'community',
          grantedAt: '2026-11-29T07:00:00.000Z',
          grantedBy: 'u2',
        };
        await tx(async (t) => {
          await t.createUser(user('u1', 'lisi'));
          await t.createUser(user('u2', 'wangwu'));
          await t.grantMembership({ ...base, id: 'm1', scope: GRID, role: 'grid-worker' });
          await t.grantMembership(m2);
          await t.grantMembership({ ...base, id: 'm3', scope: GRID, role: 'community' });
          await t.grantMembership({
            ...base,
            id: 'm4',
            userId: 'u2',
            scope: GRID,
            role: 'grid-worker',
          });
        });
        await expectStorageError(
          tx((t) =>
            t.grantMembership({ ...base, id: 'm9', userId: 'ghost', scope: GRID, role: 'admin' }),
          ),
          'not-found',
        );
        await tx(async (t) => {
          expect((await t.listMemberships('u1')).map((m) => m.id)).toEqual(['m1', 'm3', 'm2']);
          expect((await t.listMemberships('u1'))[2]).toEqual(m2);
          // A role filter revokes only that role; null revokes every role at the scope.
          expect(await t.revokeMembership('u1', GRID, 'street', '2026-12-01T00:00:00.000Z')).toBe(
            0,
          );
          expect(
            await t.revokeMembership('u1', GRID, 'community', '2026-12-01T00:00:00.000Z'),
          ).toBe(1);
          expect((await t.listMemberships('u1')).map((m) => m.id)).toEqual(['m1', 'm2']);
          expect(await t.revokeMembership('u1', GRID, null, '2026-12-02T00:00:00.000Z')).toBe(1);
          expect(await t.revokeMembership('u1', GRID, null, '2026-12-03T00:00:00.000Z')).toBe(0);
          expect((await t.listMemberships('u1')).map((m) => m.id)).toEqual(['m2']);
          // Another user's membership at the same scope is untouched.
          expect((await t.listMemberships('u2')).map((m) => m.id)).toEqual(['m4']);
        });
        // Revoked rows are kept: their ids are still taken.
        await expectStorageError(
          tx((t) => t.grantMembership({ ...base, id: 'm1', scope: GRID, role: 'grid-worker' })),
          'duplicate',
        );
        // Granting the scope again is a new membership.
        await tx((t) => t.grantMembership({ ...base, id: 'm5', scope: GRID, role: 'grid-worker' }));
        expect((await tx((t) => t.listMemberships('u1'))).map((m) => m.id)).toEqual(['m5', 'm2']);
      });
    });

    describe('sessions', () => {
      it('creates, gets, revokes and deletes expired ones', async () => {
        const s = (tokenHash: string, expiresAt: string) => ({
          tokenHash,
          userId: 'u1',
          deviceId: '0b7a3a52-7f0e-4a55-9d43-1d2b4f6f8a10',
          createdAt: T0,
          expiresAt,
          revokedAt: null,
        });
        await tx(async (t) => {
          await t.createUser(user('u1', 'lisi'));
          await t.createSession(s('h-early', '2026-11-29T07:00:00.000Z'));
          // Same second as "now" below but half a second later: as text it would sort earlier.
          await t.createSession(s('h-subsecond', '2026-11-29T08:00:00.500Z'));
          await t.createSession(s('h-late', '2026-11-30T06:00:00.000Z'));
        });
        await expectStorageError(
          tx((t) => t.createSession(s('h-early', '2026-12-01T00:00:00.000Z'))),
          'duplicate',
        );
        await expectStorageError(
          tx((t) => t.createSession({ ...s('h-x', T0), userId: 'ghost' })),
          'not-found',
        );
        await tx(async (t) => {
          expect(await t.getSession('h-late')).toEqual(s('h-late', '2026-11-30T06:00:00.000Z'));
          expect(await t.getSession('nope')).toBeUndefined();
          await t.revokeSession('h-late', '2026-11-29T09:00:00.000Z');
          await t.revokeSession('h-late', '2026-11-29T10:00:00.000Z');
          await t.revokeSession('nope', '2026-11-29T10:00:00.000Z');
          expect((await t.getSession('h-late'))?.revokedAt).toBe('2026-11-29T09:00:00.000Z');
          expect(await t.deleteExpiredSessions('2026-11-29T08:00:00Z')).toBe(1);
          expect(await t.getSession('h-early')).toBeUndefined();
          expect(await t.getSession('h-subsecond')).toBeDefined();
          // Expiring exactly now counts as expired.
          expect(await t.deleteExpiredSessions('2026-11-29T08:00:00.500Z')).toBe(1);
          expect(await t.getSession('h-late')).toBeDefined();
        });
      });
    });

    describe('attachments', () => {
      // Every byte value, so an encoding slip (text, base64, sign) shows.
      const bytes = Uint8Array.from({ length: 300 }, (_, i) => i % 256);

      it('uploads in order, refuses a wrong offset, reads back exact bytes, completes, resets', async () => {
        await tx((t) => t.createAttachment(attachment('sha-a', bytes.length)));
        await expectStorageError(
          tx((t) => t.createAttachment(attachment('sha-a', bytes.length))),
          'duplicate',
        );
        await expectStorageError(
          tx((t) => t.createAttachment({ ...attachment('sha-b', 10), received: 4 })),
          'attachment-state',
        );
        expect(await tx((t) => t.getAttachment('sha-a'))).toEqual(attachment('sha-a', 300));

        // Each chunk in its own transaction, as uploads arrive. A view into a larger buffer
        // checks that only the view's bytes are stored.
        const backing = new Uint8Array(400);
        backing.set(bytes.subarray(0, 100), 50);
        expect(
          await tx((t) => t.appendAttachmentChunk('sha-a', 0, backing.subarray(50, 150))),
        ).toBe(100);
        await expectStorageError(
          tx((t) => t.appendAttachmentChunk('sha-a', 0, bytes.subarray(0, 100))),
          'bad-offset',
        );
        await expectStorageError(
          tx((t) => t.appendAttachmentChunk('sha-a', 150, bytes.subarray(150))),
          'bad-offset',
        );
        await expectStorageError(
          tx((t) => t.markAttachmentComplete('sha-a')),
          'attachment-state',
        );
        expect(await tx((t) => t.appendAttachmentChunk('sha-a', 100, new Uint8Array(0)))).toBe(100);
        expect(
          await tx((t) => t.appendAttachmentChunk('sha-a', 100, bytes.subarray(100, 250))),
        ).toBe(250);
        // Past the declared size.
        await expectStorageError(
          tx((t) => t.appendAttachmentChunk('sha-a', 250, new Uint8Array(51))),
          'bad-offset',
        );
        expect(await tx((t) => t.appendAttachmentChunk('sha-a', 250, bytes.subarray(250)))).toBe(
          300,
        );

        await tx(async (t) => {
          expect(await t.readAttachment('sha-a')).toEqual(bytes);
          await t.markAttachmentComplete('sha-a');
          expect(await t.getAttachment('sha-a')).toMatchObject({ received: 300, complete: true });
        });
        await expectStorageError(
          tx((t) => t.appendAttachmentChunk('sha-a', 300, new Uint8Array(0))),
          'attachment-state',
        );

        await tx((t) => t.resetAttachment('sha-a'));
        await tx(async (t) => {
          expect(await t.getAttachment('sha-a')).toEqual(attachment('sha-a', 300));
          expect(await t.readAttachment('sha-a')).toEqual(new Uint8Array(0));
          expect(await t.appendAttachmentChunk('sha-a', 0, bytes)).toBe(300);
          expect(await t.readAttachment('sha-a')).toEqual(bytes);
        });
      });

      it('refuses unknown attachments', async () => {
        const ops: ((t: StorageTx) => Promise<unknown>)[] = [
          (t) => t.appendAttachmentChunk('nope', 0, bytes),
          (t) => t.readAttachment('nope'),
          (t) => t.markAttachmentComplete('nope'),
          (t) => t.resetAttachment('nope'),
        ];
        for (const op of ops) {
          await expectStorageError(tx(op), 'not-found');
        }
        expect(await tx((t) => t.getAttachment('nope'))).toBeUndefined();
      });

      it('keeps an empty attachment readable', async () => {
        await tx(async (t) => {
          await t.createAttachment(attachment('empty', 0));
          await t.markAttachmentComplete('empty');
          expect(await t.readAttachment('empty')).toEqual(new Uint8Array(0));
        });
      });
    });

    describe('concurrency', () => {
      it('a pull that tails the log while writers commit out of order never skips a row', async () => {
        const writers = 24;
        let done = false;
        const seen: { id: string; seq: number }[] = [];
        let cursor = 0;
        const pull = async () => {
          const rows = await tx((t) =>
            t.listChanges(P, { prefix: P, ancestors: [] }, cursor, 1000),
          );
          for (const row of rows) {
            seen.push({ id: row.id, seq: row.seq });
            cursor = row.seq;
          }
        };
        const puller = (async () => {
          while (!done) {
            await pull();
            await sleep(1);
          }
          await pull();
        })();
        // Each writer takes a seq, then lingers a random while before committing.
        await Promise.all(
          Array.from({ length: writers }, (_, i) =>
            tx(async (t) => {
              await sleep(Math.random() * 5);
              await t.putRow('cases', `w${i}`, GRID, rec(`w${i}`, GRID));
              await sleep(Math.random() * 10);
            }),
          ),
        );
        done = true;
        await puller;
        expect(seen.map((r) => r.seq)).toEqual(Array.from({ length: writers }, (_, i) => i + 1));
        expect(new Set(seen.map((r) => r.id)).size).toBe(writers);
      });

      it('PostgreSQL: a second writer of a partition waits for the first to commit; readers see no gap', async (ctx) => {
        if (storage.kind !== 'postgres') ctx.skip();
        const first = gate();
        const firstHasSeq = gate();
        const t1 = tx(async (t) => {
          const seq = await t.putRow('cases', 'one', GRID, rec('one', GRID));
          firstHasSeq.open();
          await first.promise;
          return seq;
        });
        await firstHasSeq.promise;

        const second = gate();
        let secondSeq: number | undefined;
        const t2 = tx(async (t) => {
          secondSeq = await t.putRow('cases', 'two', GRID_NEXT, rec('two', GRID_NEXT));
          await second.promise;
          return secondSeq;
        });
        if (hooks.untilBlocked) await hooks.untilBlocked();
        else await sleep(200);
        expect(secondSeq).toBeUndefined();
        expect(await settled(t2)).toBe(false);

        // Another partition is not held up.
        expect(await tx((t) => t.putRow('cases', 'q', Q_GRID, rec('q', Q_GRID)))).toBe(1);

        const visible = async () =>
          (await tx((t) => t.listChanges(P, { prefix: P, ancestors: [] }, 0, 10))).map((r) => [
            r.id,
            r.seq,
          ]);
        expect(await visible()).toEqual([]);
        expect(await tx((t) => t.maxSeq(P))).toBe(0);

        first.open();
        expect(await t1).toBe(1);
        // The second writer now gets the next number, but until it commits only seq 1 is visible.
        await expect.poll(() => secondSeq).toBe(2);
        expect(await visible()).toEqual([['one', 1]]);
        second.open();
        expect(await t2).toBe(2);
        expect(await visible()).toEqual([
          ['one', 1],
          ['two', 2],
        ]);
      });

      it('PostgreSQL: when the first writer rolls back, the waiting one takes its number', async (ctx) => {
        if (storage.kind !== 'postgres') ctx.skip();
        const first = gate();
        const firstHasSeq = gate();
        const t1 = tx(async (t) => {
          await t.putRow('cases', 'one', GRID, rec('one', GRID));
          firstHasSeq.open();
          await first.promise;
          throw new Error('rolled back');
        });
        await firstHasSeq.promise;
        const t2 = tx((t) => t.putRow('cases', 'two', GRID, rec('two', GRID)));
        if (hooks.untilBlocked) await hooks.untilBlocked();
        else await sleep(200);
        expect(await settled(t2)).toBe(false);
        first.open();
        await expect(t1).rejects.toThrow('rolled back');
        expect(await t2).toBe(1);
      });

      it('SQLite: overlapping transactions run one after another, never interleaved', async (ctx) => {
        if (storage.kind !== 'sqlite') ctx.skip();
        const events: string[] = [];
        const first = gate();
        const t1 = tx(async (t) => {
          events.push('1 begin');
          await t.putRow('cases', 'one', GRID, rec('one', GRID));
          await first.promise;
          events.push('1 end');
        });
        const t2 = tx(async (t) => {
          events.push('2 begin');
          await t.putRow('cases', 'two', Q_GRID, rec('two', Q_GRID));
          events.push('2 end');
          throw new Error('2 fails');
        });
        const t3 = tx(async (t) => {
          events.push('3 begin');
          // The failed second transaction left nothing; the first one's row is committed.
          events.push(`3 sees ${String(await t.maxSeq(Q))} ${String(await t.maxSeq(P))}`);
        });
        await sleep(50);
        expect(events).toEqual(['1 begin']);
        first.open();
        await t1;
        await expect(t2).rejects.toThrow('2 fails');
        await t3;
        expect(events).toEqual(['1 begin', '1 end', '2 begin', '2 end', '3 begin', '3 sees 0 1']);
      });

      it('SQLite: refuses a nested transaction instead of deadlocking', async (ctx) => {
        if (storage.kind !== 'sqlite') ctx.skip();
        await expect(tx(() => tx(async () => 1))).rejects.toThrow(/nested/);
        // The queue still works afterwards.
        expect(await tx((t) => t.maxSeq(P))).toBe(0);
      });
    });
  });
}
