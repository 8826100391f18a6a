import { afterEach, describe, expect, it } from 'vitest';
import { RecordChangeSchema } from '@shared/domain/recordChange';
import type { GridworkDb } from './db';
import { COMMUNITY, GRID, freshDb, householdData, residentData } from './testing';
import { WriteError, commitChange, commitChanges, countUnsentChanges } from './write';

/** The change history `commitChanges` writes beside every change of a tracked table. */

const actor = { id: '01900000-0000-7000-8000-0000000000aa', name: '王网格' };
let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

async function history() {
  return db.recordChanges.orderBy('id').toArray();
}

describe('change history', () => {
  it('writes one row per create, update, delete and restore, each sent on its change', async () => {
    db = freshDb();
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData({ note: '' }) },
      actor,
    );
    await commitChange(
      db,
      { op: 'update', table: 'households', id: h.id, patch: { type: 'rented', note: '租户' } },
      actor,
    );
    await commitChange(db, { op: 'delete', table: 'households', id: h.id }, actor);
    await commitChange(db, { op: 'restore', table: 'households', id: h.id }, actor);

    const rows = await history();
    for (const row of rows) expect(RecordChangeSchema.parse(row)).toEqual(row);
    expect(rows.map((r) => [r.table, r.recordId, r.op, r.scope, r.actorId, r.actorName])).toEqual(
      ['create', 'update', 'delete', 'restore'].map((op) => [
        'households',
        h.id,
        op,
        GRID,
        actor.id,
        '王网格',
      ]),
    );
    const [created, updated, deleted, restored] = rows;
    // A create lists the fields given a value; the empty note and headResidentId are no news.
    expect(created?.fields).toEqual({
      gridCode: { new: GRID },
      buildingId: { new: householdData().buildingId },
      unit: { new: '2' },
      room: { new: '501' },
      address: { new: '和平里七区3号楼2单元501' },
      type: { new: 'owner' },
      location: { new: [116.418, 39.955] },
    });
    expect(updated?.fields).toEqual({
      type: { old: 'owner', new: 'rented' },
      note: { old: '', new: '租户' },
    });
    expect(deleted?.fields).toEqual({});
    expect(restored?.fields).toEqual({});

    // Each history row rides on its change's outbox entry (protocol 4), and the row is exactly
    // what the server builds from the two: same clock, time, scope, actor.
    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox.map((e) => [e.table, e.op])).toEqual([
      ['households', 'create'],
      ['households', 'update'],
      ['households', 'delete'],
      ['households', 'restore'],
    ]);
    rows.forEach((row, i) => {
      const change = outbox[i];
      expect(change?.history).toEqual({ id: row.id, actorName: '王网格', fields: row.fields });
      expect([row.hlc, row.at, row.createdAt, row.scope]).toEqual([
        change?.hlc,
        change?.at,
        change?.at,
        change?.scope,
      ]);
      expect([row.table, row.recordId, row.op, row.actorId]).toEqual([
        change?.table,
        change?.recordId,
        change?.op,
        change?.actorId,
      ]);
    });
    expect(await countUnsentChanges(db)).toBe(4);
  });

  it('stores ID numbers and phones masked, never in plaintext', async () => {
    db = freshDb();
    const householdId = '01900000-0000-7000-8000-0000000000b1';
    const [, resident] = await commitChanges(
      db,
      [
        { op: 'create', table: 'households', scope: GRID, id: householdId, data: householdData() },
        { op: 'create', table: 'residents', scope: GRID, data: residentData(householdId) },
      ],
      actor,
    );
    const residentId = String(resident?.id);
    await commitChange(
      db,
      {
        op: 'update',
        table: 'residents',
        id: residentId,
        patch: { phone: '13987654321', idNumber: null, note: '独居' },
      },
      actor,
    );
    const rows = (await history()).filter((r) => r.table === 'residents');
    expect(rows[0]?.fields).toMatchObject({
      name: { new: '张三明' },
      idNumber: { new: '110105********002X', masked: true },
      phone: { new: '138****1234', masked: true },
    });
    expect(rows[1]?.fields).toEqual({
      phone: { old: '138****1234', new: '139****4321', masked: true },
      idNumber: { old: '110105********002X', new: null, masked: true },
      note: { old: '', new: '独居' },
    });
    const notes = (await db.outbox.toArray()).map((e) => e.history);
    const written = JSON.stringify([await history(), notes]);
    expect(written).toContain('139****4321');
    for (const plain of ['11010519491231002X', '13812341234', '13987654321'])
      expect(written).not.toContain(plain);
  });

  it('writes nothing for a no-op update, nor for untracked tables', async () => {
    db = freshDb();
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    await commitChange(
      db,
      { op: 'update', table: 'households', id: h.id, patch: { type: 'owner' } },
      actor,
    );
    const grid = { code: GRID, level: 'grid' as const, name: '第1网格', parentCode: COMMUNITY };
    await commitChange(db, { op: 'create', table: 'orgUnits', scope: GRID, data: grid }, actor);
    expect((await history()).map((r) => [r.table, r.op])).toEqual([['households', 'create']]);
    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox.map((e) => [e.table, e.history !== undefined])).toEqual([
      ['households', true],
      ['orgUnits', false],
    ]);
  });

  it('writes no history when the batch fails, in validation or in storage', async () => {
    db = freshDb();
    const householdId = '01900000-0000-7000-8000-0000000000b1';
    await expect(
      commitChanges(
        db,
        [
          {
            op: 'create',
            table: 'households',
            scope: GRID,
            id: householdId,
            data: householdData(),
          },
          { op: 'create', table: 'residents', scope: GRID, data: residentData('not-a-uuid') },
        ],
        actor,
      ),
    ).rejects.toBeInstanceOf(WriteError);
    db.outbox.hook('creating', () => {
      throw new Error('disk full');
    });
    await expect(
      commitChange(
        db,
        { op: 'create', table: 'households', scope: GRID, data: householdData() },
        actor,
      ),
    ).rejects.toThrow('disk full');
    expect(await db.recordChanges.count()).toBe(0);
    expect(await db.households.count()).toBe(0);
  });

  it('is written in the same transaction: a failed history write undoes the change', async () => {
    db = freshDb();
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    db.recordChanges.hook('creating', () => {
      throw new Error('history refused');
    });
    await expect(
      commitChange(
        db,
        { op: 'update', table: 'households', id: h.id, patch: { note: '改了' } },
        actor,
      ),
    ).rejects.toThrow('history refused');
    expect((await db.households.get(h.id))?.note).toBe('');
    expect(await db.outbox.count()).toBe(1);
    expect(await db.recordChanges.count()).toBe(1);
  });

  it('records each change of a batch, including later edits of a record the batch created', async () => {
    db = freshDb();
    const householdId = '01900000-0000-7000-8000-0000000000b1';
    await commitChanges(
      db,
      [
        { op: 'create', table: 'households', scope: GRID, id: householdId, data: householdData() },
        { op: 'update', table: 'households', id: householdId, patch: { note: '新户' } },
      ],
      { id: actor.id },
    );
    const rows = await history();
    expect(rows.map((r) => [r.op, r.actorName])).toEqual([
      ['create', ''],
      ['update', ''],
    ]);
    expect(rows[1]?.fields).toEqual({ note: { old: '', new: '新户' } });
  });
});
