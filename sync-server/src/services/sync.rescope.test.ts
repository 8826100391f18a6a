import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '@shared/domain/account';
import type { EntityTable } from '@shared/domain/entities';
import { formatHlc } from '@shared/sync/hlc';
import type { Mutation, PullChange, PullResponse } from '@shared/sync/protocol';
import { createSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/types';
import { testSyncAuth } from './testing';
import { type SyncAuth, pull, push } from './sync';
import { householdFields } from '@shared/domain/testing';

/** `record.rescope` in the sync service: the checks, the move, the scope exit and the pulls. */

const DEVICE = '0190a5d0-7c2e-7a4b-9c1d-2e3f4a5b6c7d';
const USER_ID = '0190a5d0-0000-7000-8000-0000000000a1';
const STREET = '110101010000';
const COMMUNITY = '110101010027';
const GRID_1 = '110101010027001';
const GRID_2 = '110101010027002';
const GRID_OTHER_STREET = '110101020001001';
// Another district: another changelog partition.
const GRID_OTHER_DISTRICT = '110102001001001';
const HOUSEHOLD = '0190a5d0-0000-7000-8000-000000000001';
const T0 = new Date('2026-11-29T06:00:00.000Z');
const AT = '2026-11-29T06:05:00.000Z';

function authFor(...memberships: { scope: string; role?: Role }[]): SyncAuth {
  return testSyncAuth({ memberships, deviceId: DEVICE, userId: USER_ID, at: T0 });
}

const street = authFor({ scope: STREET, role: 'street' });

function household(scope: string, extra: Record<string, unknown> = {}) {
  return {
    id: HOUSEHOLD,
    scope,
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    deleted: false,
    hlc: formatHlc({ ms: T0.getTime(), counter: 0, node: 'seed' }),
    ...householdFields(scope, '0190a5d0-0000-7000-8000-0000000000b1'),
    ...extra,
  };
}

let seq = 0;
function rescope(
  toScope: unknown,
  patch: Partial<{ scope: string; table: EntityTable; recordId: string; seq: number }> = {},
): Mutation {
  seq += 1;
  return {
    seq,
    op: 'workflow',
    name: 'record.rescope',
    args: { toScope },
    table: 'households',
    recordId: HOUSEHOLD,
    scope: GRID_1,
    hlc: formatHlc({ ms: T0.getTime() + 1000, counter: 0, node: 'dev' }),
    actorId: USER_ID,
    at: AT,
    ...patch,
  } as Mutation;
}

let storage: Storage;
const stored = () => storage.transaction((tx) => tx.getRow('households', HOUSEHOLD));
const send = (auth: SyncAuth, ...mutations: Mutation[]) =>
  push(storage, auth, { deviceId: DEVICE, mutations }, T0);

/** Every change the user pulls from scratch, page by page (`limit` rows a page). */
async function pullAll(auth: SyncAuth, limit = 1000): Promise<PullChange[]> {
  const cursors: Record<string, number> = {};
  const all: PullChange[] = [];
  for (let i = 0; i < 100; i += 1) {
    const page: PullResponse = await pull(storage, auth, { deviceId: DEVICE, cursors }, limit);
    if (page.scope === null) return all;
    cursors[page.scope] = page.cursor;
    all.push(...page.changes);
  }
  throw new Error('pull did not end');
}

const describeChange = (c: PullChange) =>
  'kind' in c ? ['exit', c.recordId, c.exitedScope] : ['row', c.record.id, c.record.scope];

beforeEach(async () => {
  storage = createSqliteStorage(':memory:');
  await storage.migrate();
  await storage.transaction((tx) => tx.putRow('households', HOUSEHOLD, GRID_1, household(GRID_1)));
});
afterEach(async () => {
  await storage.close();
});

describe('record.rescope', () => {
  it('moves the row to the new scope with a new seq, and leaves an exit in the old one', async () => {
    const before = await stored();
    const { results } = await send(street, rescope(GRID_2));
    expect(results).toEqual([{ seq, status: 'applied' }]);
    const after = await stored();
    expect(after).toMatchObject({ scope: GRID_2, seq: 2 });
    // Only the envelope moved: scope and updatedAt; the fields and their clocks are as they were.
    expect(after?.record).toEqual({ ...before?.record, scope: GRID_2, updatedAt: AT });

    const worker1 = await pullAll(authFor({ scope: GRID_1 }));
    expect(worker1.map(describeChange)).toEqual([['exit', HOUSEHOLD, GRID_1]]);
    expect(worker1[0]).toEqual({
      kind: 'exit',
      table: 'households',
      seq: 3,
      recordId: HOUSEHOLD,
      exitedScope: GRID_1,
    });
    const worker2 = await pullAll(authFor({ scope: GRID_2 }));
    expect(worker2.map(describeChange)).toEqual([['row', HOUSEHOLD, GRID_2]]);
    // Whoever reads both grids gets the row in its new scope first, then the exit.
    expect((await pullAll(street)).map(describeChange)).toEqual([
      ['row', HOUSEHOLD, GRID_2],
      ['exit', HOUSEHOLD, GRID_1],
    ]);
  });

  it('pages rows and exits together in seq order', async () => {
    await send(street, rescope(GRID_2));
    await storage.transaction((tx) =>
      tx.putRow('households', HOUSEHOLD.replace(/1$/, '2'), GRID_1, {
        ...household(GRID_1),
        id: HOUSEHOLD.replace(/1$/, '2'),
      }),
    );
    const pages = await pullAll(street, 1);
    expect(pages.map((c) => c.seq)).toEqual([2, 3, 4]);
    expect(pages.map((c) => ('kind' in c ? 'exit' : 'row'))).toEqual(['row', 'exit', 'row']);
  });

  it('is refused when the user cannot write the new scope, and changes nothing', async () => {
    const worker1 = authFor({ scope: GRID_1 });
    for (const to of [GRID_2, GRID_OTHER_STREET]) {
      const [result] = (await send(worker1, rescope(to))).results;
      expect(result).toMatchObject({ status: 'rejected', code: 'out-of-scope' });
      expect(result?.reason).toContain(to);
      // The device gets the row back to undo its local move.
      expect(result?.record).toMatchObject({ id: HOUSEHOLD, scope: GRID_1 });
    }
    expect(await stored()).toMatchObject({ scope: GRID_1, seq: 1 });
    expect(await pullAll(authFor({ scope: GRID_1 }))).toHaveLength(1);
  });

  it('is refused when the user cannot write the scope the row is in', async () => {
    const worker2 = authFor({ scope: GRID_2 });
    // As the device knew it, and as a forged mutation naming a writable scope would claim.
    for (const scope of [GRID_1, GRID_2]) {
      const [result] = (await send(worker2, rescope(GRID_2, { scope }))).results;
      expect(result).toMatchObject({ status: 'rejected', code: 'out-of-scope' });
      // Nothing of a row the user cannot write (or maybe read) comes back.
      expect(result?.record).toBeUndefined();
    }
    expect(await stored()).toMatchObject({ scope: GRID_1, seq: 1 });
  });

  it('refuses a scope that is not a grid, a table that cannot move, a missing or deleted row', async () => {
    for (const to of [COMMUNITY, STREET, '110101010027000', 'grid-2', 42, undefined]) {
      const [result] = (await send(street, rescope(to))).results;
      expect(result).toMatchObject({ status: 'rejected', code: 'invalid-record' });
    }
    const [caseResult] = (await send(street, rescope(GRID_2, { table: 'cases' }))).results;
    expect(caseResult).toMatchObject({ status: 'rejected', code: 'unknown-operation' });
    const missing = '0190a5d0-0000-7000-8000-0000000000ff';
    const [missingResult] = (await send(street, rescope(GRID_2, { recordId: missing }))).results;
    expect(missingResult).toMatchObject({ status: 'rejected', code: 'not-found' });

    await storage.transaction((tx) =>
      tx.putRow('households', HOUSEHOLD, GRID_1, household(GRID_1, { deleted: true })),
    );
    const [deletedResult] = (await send(street, rescope(GRID_2))).results;
    expect(deletedResult).toMatchObject({ status: 'rejected', code: 'not-found' });
    expect(deletedResult?.reason).toMatch(/deleted/);
    expect(await stored()).toMatchObject({ scope: GRID_1, seq: 2 });
    const log = await storage.transaction((tx) =>
      tx.listLog('110101', { prefix: '110101', ancestors: [] }, 0, 10),
    );
    expect(log.map((e) => e.kind)).toEqual(['row']);
  });

  it('answers a replay of the same (device, seq) as a duplicate and changes nothing', async () => {
    const mutation = rescope(GRID_2);
    await send(street, mutation);
    const moved = await stored();
    // The same mutation again, alone and within a batch that would otherwise move it back.
    expect((await send(street, mutation)).results).toEqual([
      { seq: mutation.seq, status: 'duplicate' },
    ]);
    const back = rescope(GRID_1, { scope: GRID_2 });
    expect((await send(street, mutation, back)).results.map((r) => r.status)).toEqual([
      'duplicate',
      'applied',
    ]);
    expect((await send(street, mutation, back)).results.map((r) => r.status)).toEqual([
      'duplicate',
      'duplicate',
    ]);
    expect(moved).toMatchObject({ scope: GRID_2, seq: 2 });
    expect(await stored()).toMatchObject({ scope: GRID_1, seq: 4 });
  });

  it('drops the exit of a scope the row comes back to, and keeps the others', async () => {
    await send(street, rescope(GRID_2));
    await send(street, rescope(GRID_1, { scope: GRID_2 }));
    expect((await pullAll(authFor({ scope: GRID_1 }))).map(describeChange)).toEqual([
      ['row', HOUSEHOLD, GRID_1],
    ]);
    expect((await pullAll(authFor({ scope: GRID_2 }))).map(describeChange)).toEqual([
      ['exit', HOUSEHOLD, GRID_2],
    ]);
  });

  it('treats a move to where the row already is as done', async () => {
    await send(street, rescope(GRID_2));
    // A second device moved it there too, from its stale copy in grid 1.
    expect((await send(street, rescope(GRID_2))).results).toEqual([{ seq, status: 'applied' }]);
    expect(await stored()).toMatchObject({ scope: GRID_2, seq: 2 });
  });

  it('moves a row across districts: the row into the new partition, the exit in the old one', async () => {
    const both = authFor(
      { scope: STREET, role: 'street' },
      { scope: '110102000000', role: 'street' },
    );
    expect((await send(both, rescope(GRID_OTHER_DISTRICT))).results[0]).toMatchObject({
      status: 'applied',
    });
    expect(await stored()).toMatchObject({ scope: GRID_OTHER_DISTRICT, seq: 1 });
    expect((await pullAll(street)).map(describeChange)).toEqual([['exit', HOUSEHOLD, GRID_1]]);
    expect((await pullAll(authFor({ scope: GRID_OTHER_DISTRICT }))).map(describeChange)).toEqual([
      ['row', HOUSEHOLD, GRID_OTHER_DISTRICT],
    ]);
  });

  it('keeps later field edits in the new scope working, and refuses them in the old one', async () => {
    await send(street, rescope(GRID_2));
    const update = (scope: string): Mutation => {
      seq += 1;
      return {
        seq,
        op: 'update',
        table: 'households',
        recordId: HOUSEHOLD,
        scope,
        fields: { gridCode: GRID_2 },
        base: {},
        hlc: formatHlc({ ms: T0.getTime() + 2000, counter: 0, node: 'dev' }),
        actorId: USER_ID,
        at: AT,
      };
    };
    expect((await send(street, update(GRID_2))).results[0]).toMatchObject({ status: 'applied' });
    expect((await send(street, update(GRID_1))).results[0]).toMatchObject({
      status: 'rejected',
      code: 'scope-change',
    });
    // A worker of the old grid cannot write it any more.
    expect((await send(authFor({ scope: GRID_1 }), update(GRID_1))).results[0]).toMatchObject({
      status: 'rejected',
      code: 'out-of-scope',
    });
    expect((await stored())?.record).toMatchObject({ scope: GRID_2, gridCode: GRID_2 });
  });
});
