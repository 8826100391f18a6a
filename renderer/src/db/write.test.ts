import { afterEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from './db';
import { openDb } from './db';
import { COMMUNITY, GRID, freshDb, householdData, residentData } from './testing';
import { WriteError, commitChange, commitChanges } from './write';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

/** The outbox, in mutation order (change history rides on it: see write.history.test). */
async function recordEntries() {
  return db.outbox.orderBy('seq').toArray();
}

describe('commitChange', () => {
  it('writes the record and an outbox entry with mutation number, HLC and fields', async () => {
    db = freshDb();
    const household = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    const resident = await commitChange(
      db,
      { op: 'create', table: 'residents', scope: GRID, data: residentData(household.id) },
      actor,
    );

    expect(await db.households.get(household.id)).toMatchObject({
      address: '和平里七区3号楼2单元501',
      deleted: false,
    });
    const outbox = await recordEntries();
    expect(outbox.map((e) => [e.seq, e.table, e.op, e.recordId])).toEqual([
      [1, 'households', 'create', household.id],
      [2, 'residents', 'create', resident.id],
    ]);
    expect(outbox[1]?.fields).toMatchObject({ name: '张三明', idNumber: '11010519491231002X' });
    expect((outbox[0]?.hlc ?? '') < (outbox[1]?.hlc ?? '')).toBe(true);
    expect((await db.meta.get('hlc'))?.value).toBe(outbox[1]?.hlc);
  });

  it('records only the changed fields of an update, with per-field clocks', async () => {
    db = freshDb();
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    const updated = await commitChange(
      db,
      { op: 'update', table: 'households', id: h.id, patch: { type: 'rented', note: '租户' } },
      actor,
    );
    const entry = (await recordEntries())[1];
    expect(entry?.op).toBe('update');
    expect(entry?.fields).toEqual({ type: 'rented', note: '租户' });
    expect(updated.clocks).toEqual({ type: entry?.hlc, note: entry?.hlc });
    expect(updated.hlc).toBe(h.hlc); // the record's own clock is its creation clock
    expect(entry?.base).toEqual({ type: h.hlc, note: h.hlc });

    await commitChange(
      db,
      { op: 'update', table: 'households', id: h.id, patch: { type: 'rented' } },
      actor,
    );
    expect(await db.outbox.count()).toBe(2); // a no-op update writes nothing
  });

  it('refuses invalid data and writes neither record nor outbox entry', async () => {
    db = freshDb();
    const bad = commitChange(
      db,
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        data: residentData('not-a-uuid', { birthDate: '1949-02-30' }),
      },
      actor,
    );
    await expect(bad).rejects.toBeInstanceOf(WriteError);
    await expect(bad).rejects.toMatchObject({
      code: 'validation',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'householdId' })]),
    });
    expect(await db.residents.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('leaves neither record nor outbox entry when the database write fails', async () => {
    db = freshDb();
    const grid = { code: GRID, level: 'grid' as const, name: '第1网格', parentCode: COMMUNITY };
    await commitChange(db, { op: 'create', table: 'orgUnits', scope: GRID, data: grid }, actor);
    // Same unique code: the record put fails inside the transaction after validation passed.
    const duplicate = commitChange(
      db,
      { op: 'create', table: 'orgUnits', scope: GRID, data: { ...grid, name: '重复' } },
      actor,
    );
    await expect(duplicate).rejects.toThrow();
    expect(await db.orgUnits.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
    expect((await db.orgUnits.toArray()).map((u) => u.name)).toEqual(['第1网格']);
  });

  it('rolls back the record when the outbox write fails', async () => {
    db = freshDb();
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
    expect(await db.households.count()).toBe(0);
  });

  it('deletes as a tombstone that can be restored, refuses edits while deleted', async () => {
    db = freshDb();
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    await commitChange(db, { op: 'delete', table: 'households', id: h.id }, actor);
    expect((await db.households.get(h.id))?.deleted).toBe(true);
    await expect(
      commitChange(
        db,
        { op: 'update', table: 'households', id: h.id, patch: { note: 'x' } },
        actor,
      ),
    ).rejects.toMatchObject({ code: 'deleted' });
    await commitChange(db, { op: 'restore', table: 'households', id: h.id }, actor);
    expect((await db.households.get(h.id))?.deleted).toBe(false);
    expect((await recordEntries()).map((e) => [e.op, e.fields])).toEqual([
      ['create', expect.any(Object)],
      ['delete', { deleted: true }],
      ['restore', { deleted: false }],
    ]);
  });

  it('refuses edits of append-only rows and of the envelope', async () => {
    db = freshDb();
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    await expect(
      commitChange(
        db,
        {
          op: 'update',
          table: 'households',
          id: h.id,
          patch: { scope: '110101010027002' } as never,
        },
        actor,
      ),
    ).rejects.toMatchObject({ code: 'validation' });
    const event = await commitChange(
      db,
      {
        op: 'create',
        table: 'auditEvents',
        scope: GRID,
        data: {
          at: new Date().toISOString(),
          actorId: actor.id,
          action: 'view',
          table: 'households',
          recordId: h.id,
          field: null,
          reason: '',
        },
      },
      actor,
    );
    await expect(
      commitChange(
        db,
        { op: 'update', table: 'auditEvents', id: event.id, patch: { reason: 'edited' } },
        actor,
      ),
    ).rejects.toMatchObject({ code: 'append-only' });
  });

  it('keeps HLCs monotonic across a restart even when the wall clock goes back', async () => {
    db = freshDb();
    const name = db.name;
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
      () => 2_000_000_000_000,
    );
    db.close();
    db = openDb(name);
    const later = await commitChange(
      db,
      { op: 'update', table: 'households', id: h.id, patch: { note: 'x' } },
      actor,
      () => 1_000_000_000_000,
    );
    expect((later.clocks?.note ?? '') > h.hlc).toBe(true);
  });
});

describe('commitChanges', () => {
  it('writes a whole batch with its outbox entries, in order, and builds on earlier changes', async () => {
    db = freshDb();
    const householdId = '01900000-0000-7000-8000-0000000000b1';
    const results = await commitChanges(
      db,
      [
        { op: 'create', table: 'households', scope: GRID, id: householdId, data: householdData() },
        { op: 'create', table: 'residents', scope: GRID, data: residentData(householdId) },
        { op: 'update', table: 'households', id: householdId, patch: { note: '新户' } },
      ],
      actor,
    );
    expect(results).toHaveLength(3);
    expect(await db.households.get(householdId)).toMatchObject({ note: '新户' });
    expect(await db.residents.count()).toBe(1);
    const outbox = await recordEntries();
    expect(outbox.map((e) => [e.table, e.op])).toEqual([
      ['households', 'create'],
      ['residents', 'create'],
      ['households', 'update'],
    ]);
    expect(outbox[2]?.base).toEqual({ note: outbox[0]?.hlc });
    expect((await db.meta.get('hlc'))?.value).toBe(outbox[2]?.hlc);
  });

  it('refuses the whole batch when any change is invalid, naming its position', async () => {
    db = freshDb();
    const error = await commitChanges(
      db,
      [
        { op: 'create', table: 'households', scope: GRID, data: householdData() },
        { op: 'create', table: 'residents', scope: GRID, data: residentData('not-a-uuid') },
      ],
      actor,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteError);
    expect((error as WriteError).issues[0]?.path).toBe('[1].householdId');
    expect(await db.households.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('rescope', () => {
  const GRID_2 = `${COMMUNITY}002`;

  it('moves the local copy at once and queues record.rescope with the old and new scope', async () => {
    db = freshDb();
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    const before = (await db.outbox.toArray()).length;
    const [moved, edited] = await commitChanges(
      db,
      [
        { op: 'rescope', table: 'households', id: h.id, scope: GRID_2 },
        { op: 'update', table: 'households', id: h.id, patch: { gridCode: GRID_2 } },
      ],
      actor,
    );
    expect(moved).toMatchObject({ id: h.id, scope: GRID_2, gridCode: GRID });
    expect(edited).toMatchObject({ scope: GRID_2, gridCode: GRID_2 });
    expect(await db.households.get(h.id)).toMatchObject({ scope: GRID_2, gridCode: GRID_2 });
    const entries = (await db.outbox.toArray()).slice(before);
    expect(entries[0]).toMatchObject({
      table: 'households',
      recordId: h.id,
      scope: GRID,
      op: 'workflow',
      name: 'record.rescope',
      args: { toScope: GRID_2 },
      fields: {},
      base: {},
    });
    // The field change that follows it, with its history row, is in the new scope; the scope
    // move itself carries no history row (it changes no field).
    expect(entries.slice(1).map((e) => [e.table, e.op, e.scope, e.history !== undefined])).toEqual([
      ['households', 'update', GRID_2, true],
    ]);
    expect(entries[0]?.history).toBeUndefined();
    expect((entries[0]?.hlc ?? '') < (entries[1]?.hlc ?? '')).toBe(true);
  });

  it('does nothing for the same scope; refuses a non-grid scope, a missing or deleted record', async () => {
    db = freshDb();
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    const count = await db.outbox.count();
    await commitChange(db, { op: 'rescope', table: 'households', id: h.id, scope: GRID }, actor);
    expect(await db.outbox.count()).toBe(count);

    for (const scope of [COMMUNITY, '110101010027000', 'nowhere']) {
      const refused = commitChanges(
        db,
        [
          { op: 'update', table: 'households', id: h.id, patch: { note: '不应保存' } },
          { op: 'rescope', table: 'households', id: h.id, scope },
        ],
        actor,
      );
      await expect(refused).rejects.toBeInstanceOf(WriteError);
      await expect(refused).rejects.toMatchObject({
        code: 'validation',
        issues: [{ path: '[1].scope' }],
      });
    }
    // Only the registry tables move between grids.
    const unit = await commitChange(
      db,
      {
        op: 'create',
        table: 'orgUnits',
        scope: GRID,
        data: { code: GRID, level: 'grid', name: '第一网格', parentCode: COMMUNITY },
      },
      actor,
    );
    await expect(
      commitChange(db, { op: 'rescope', table: 'orgUnits', id: unit.id, scope: GRID_2 }, actor),
    ).rejects.toMatchObject({ code: 'validation' });
    await expect(
      commitChange(
        db,
        {
          op: 'rescope',
          table: 'households',
          id: '01900000-0000-7000-8000-0000000000ff',
          scope: GRID_2,
        },
        actor,
      ),
    ).rejects.toMatchObject({ code: 'not-found' });
    await commitChange(db, { op: 'delete', table: 'households', id: h.id }, actor);
    await expect(
      commitChange(db, { op: 'rescope', table: 'households', id: h.id, scope: GRID_2 }, actor),
    ).rejects.toMatchObject({ code: 'deleted' });
    expect(await db.households.get(h.id)).toMatchObject({ scope: GRID, note: '' });
  });
});
