import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordChangeSchema } from '@shared/domain/recordChange';
import { formatHlc } from '@shared/sync/hlc';
import type { Mutation, RecordMutation } from '@shared/sync/protocol';
import { createSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/types';
import { pull, push } from './sync';
import { testSyncAuth } from './testing';
import { householdFields } from '@shared/domain/testing';

/** Protocol 4: a change of a tracked table carries its history row; the server writes both. */

const DEVICE = '0190a5d0-7c2e-7a4b-9c1d-2e3f4a5b6c7d';
const GRID = '110101010027001';
const OTHER_GRID = '110101010027002';
const HOUSEHOLD = '0190a5d0-0000-7000-8000-000000000001';
const HISTORY_ID = '0190a5d0-0000-7000-8000-0000000000f1';
const T0 = new Date('2026-11-29T06:00:00.000Z');
const AT = '2026-11-29T06:05:00.000Z';

const worker = testSyncAuth({ memberships: [{ scope: GRID }], deviceId: DEVICE, at: T0 });

const household = householdFields(GRID);

let seq = 0;
function change(patch: Partial<RecordMutation> = {}): Mutation {
  seq += 1;
  return {
    seq,
    op: 'create',
    table: 'households',
    recordId: HOUSEHOLD,
    scope: GRID,
    fields: household,
    base: {},
    hlc: formatHlc({ ms: T0.getTime() + seq, counter: 0, node: 'dev' }),
    actorId: worker.user.id,
    at: AT,
    history: { id: HISTORY_ID, actorName: '周敏', fields: { unit: { new: '2' } } },
    ...patch,
  };
}

let storage: Storage;
const send = async (...mutations: Mutation[]) =>
  (await push(storage, worker, { deviceId: DEVICE, mutations }, T0)).results;
const row = (table: 'households' | 'recordChanges', id: string) =>
  storage.transaction((tx) => tx.getRow(table, id));

beforeEach(async () => {
  storage = createSqliteStorage(':memory:');
  await storage.migrate();
});
afterEach(async () => {
  await storage.close();
});

describe('a change with its history row', () => {
  it('writes the history row from the change: its scope, clock, time, actor and op', async () => {
    const mutation = change();
    expect(await send(mutation)).toEqual([{ seq: mutation.seq, status: 'applied' }]);
    const history = await row('recordChanges', HISTORY_ID);
    expect(history?.scope).toBe(GRID);
    expect(RecordChangeSchema.parse(history?.record)).toMatchObject({
      id: HISTORY_ID,
      scope: GRID,
      hlc: mutation.hlc,
      createdAt: AT,
      table: 'households',
      recordId: HOUSEHOLD,
      op: 'create',
      actorId: worker.user.id,
      actorName: '周敏',
      at: AT,
      fields: { unit: { new: '2' } },
    });
    expect(await row('households', HOUSEHOLD)).toBeDefined();
  });

  it('writes neither when the change is refused', async () => {
    const [result] = await send(change({ scope: OTHER_GRID, fields: { ...household } }));
    expect(result).toMatchObject({ status: 'rejected', code: 'out-of-scope' });
    const [invalid] = await send(change({ fields: { ...household, type: 'castle' } }));
    expect(invalid).toMatchObject({ status: 'rejected', code: 'invalid-record' });
    expect(await row('recordChanges', HISTORY_ID)).toBeUndefined();
    expect(await row('households', HOUSEHOLD)).toBeUndefined();
  });

  it('refuses the change when its history row is invalid or already exists, writing nothing', async () => {
    // `new` is missing: the wire takes any history fields, the row's schema refuses them.
    const [badNote] = await send(
      change({ history: { id: HISTORY_ID, actorName: '周敏', fields: { unit: { old: '1' } } } }),
    );
    expect(badNote).toMatchObject({ status: 'rejected', code: 'invalid-record' });
    expect(await row('households', HOUSEHOLD)).toBeUndefined();

    await send(change());
    const [again] = await send(
      change({ op: 'update', fields: { note: '租户' }, base: {}, history: undefined }),
      change({ op: 'update', fields: { note: '独居' } }),
    ).then((results) => results.slice(1));
    expect(again).toMatchObject({ status: 'rejected', code: 'invalid-record' });
    expect(again?.reason).toContain(`recordChanges/${HISTORY_ID} already exists`);
    expect((await row('households', HOUSEHOLD))?.record.note).toBe('租户');
  });

  it('refuses a history row on a table that keeps none', async () => {
    const [result] = await send(
      change({
        table: 'orgUnits',
        recordId: GRID,
        fields: { code: GRID, level: 'grid', name: '第1网格', parentCode: '110101010027' },
      }),
    );
    expect(result).toMatchObject({ status: 'rejected', code: 'invalid-record' });
    expect(result?.reason).toBe('orgUnits keeps no change history');
  });

  it('answers a replay of the change as a duplicate, writing no second history row', async () => {
    const mutation = change();
    await send(mutation);
    expect(await send(mutation)).toEqual([{ seq: mutation.seq, status: 'duplicate' }]);
    const page = await pull(storage, worker, { deviceId: DEVICE, cursors: {} }, 100);
    expect(page.changes.map((c) => c.table).sort()).toEqual(['households', 'recordChanges']);
  });
});
