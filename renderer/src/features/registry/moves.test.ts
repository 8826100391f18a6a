import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from '../../db/db';
import { COMMUNITY, GRID, freshDb, householdData, residentData } from '../../db/testing';
import { type AnyChange, commitChange, commitChanges } from '../../db/write';
import { MoveError, moveBuilding, moveHousehold, moveResident } from './moves';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
const OTHER_COMMUNITY = '110101010028';
const GRID_B = `${OTHER_COMMUNITY}002`;
const GRID_C = `${COMMUNITY}003`;

let db: GridworkDb;
let buildingA: string;
let buildingB: string;
let households: string[];
let residents: string[];

const orgUnit = (code: string, level: 'community' | 'grid', parentCode: string): AnyChange => ({
  op: 'create',
  table: 'orgUnits',
  scope: code,
  data: { code, level, name: `${code} 网格`, parentCode },
});

const building = (gridCode: string, address: string): AnyChange => ({
  op: 'create',
  table: 'buildings',
  scope: gridCode,
  data: {
    gridCode,
    communityCode: gridCode.slice(0, 12),
    compound: '和平里七区',
    name: address.replace('和平里七区', ''),
    address,
    kind: 'residential',
    floors: 6,
    units: 3,
    location: gridCode === GRID ? [116.418, 39.955] : [116.42, 39.96],
  },
});

/** Two grids of two communities, a building in each; two households with residents in A. */
beforeEach(async () => {
  db = freshDb();
  const street = GRID.slice(0, 9);
  await commitChanges(
    db,
    [
      orgUnit(COMMUNITY, 'community', `${street}000`),
      orgUnit(OTHER_COMMUNITY, 'community', `${street}000`),
      orgUnit(GRID, 'grid', COMMUNITY),
      orgUnit(GRID_B, 'grid', OTHER_COMMUNITY),
      orgUnit(GRID_C, 'grid', COMMUNITY),
    ],
    actor,
  );
  const places = await commitChanges(
    db,
    [building(GRID, '和平里七区3号楼'), building(GRID_B, '和平里七区9号楼')],
    actor,
  );
  [buildingA, buildingB] = places.map((p) => p.id as string) as [string, string];
  const created = await commitChanges(
    db,
    [
      {
        op: 'create',
        table: 'households',
        scope: GRID,
        data: householdData({ buildingId: buildingA, address: '和平里七区3号楼2单元501' }),
      },
      {
        op: 'create',
        table: 'households',
        scope: GRID,
        data: householdData({
          buildingId: buildingA,
          room: '502',
          address: '和平里七区3号楼2单元502',
        }),
      },
    ],
    actor,
  );
  households = created.map((h) => h.id as string);
  const people = await commitChanges(
    db,
    [
      { op: 'create', table: 'residents', scope: GRID, data: residentData(households[0] ?? '') },
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        data: residentData(households[0] ?? '', {
          name: '李四',
          idNumber: null,
          relation: 'spouse',
        }),
      },
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        data: residentData(households[1] ?? '', { name: '王五', idNumber: null }),
      },
    ],
    actor,
  );
  residents = people.map((r) => r.id as string);
  await commitChange(
    db,
    {
      op: 'update',
      table: 'households',
      id: households[0] ?? '',
      patch: { headResidentId: residents[0] ?? null },
    },
    actor,
  );
});
afterEach(async () => {
  await db.delete();
});

const outboxSize = () => db.outbox.count();
/** Outbox entries after the first `from`. */
const entriesSince = async (from: number) => (await db.outbox.toArray()).slice(from);
const id = (list: string[], index: number) => list[index] ?? '';

describe('moveBuilding', () => {
  it('moves the building, its households and their residents in one batch, with outbox entries', async () => {
    const before = await outboxSize();
    const result = await moveBuilding(db, buildingA, GRID_B, actor);
    expect(result).toEqual({ households: 2, residents: 3 });

    // The sync scope moves too, at once on this device: the new grid's workers receive them.
    expect(await db.buildings.get(buildingA)).toMatchObject({
      gridCode: GRID_B,
      communityCode: OTHER_COMMUNITY,
      scope: GRID_B,
    });
    for (const h of households)
      expect(await db.households.get(h)).toMatchObject({ gridCode: GRID_B, scope: GRID_B });
    for (const r of residents)
      expect(await db.residents.get(r)).toMatchObject({ gridCode: GRID_B, scope: GRID_B });

    const entries = await entriesSince(before);
    expect(entries.map((e) => [e.table, e.op === 'workflow' ? e.name : e.op])).toEqual([
      // Each moved record's scope before its fields, so the field changes go in the new scope.
      ['buildings', 'record.rescope'],
      ['buildings', 'update'],
      ['households', 'record.rescope'],
      ['households', 'record.rescope'],
      ['residents', 'record.rescope'],
      ['residents', 'record.rescope'],
      ['residents', 'record.rescope'],
      ['households', 'update'],
      ['households', 'update'],
      ['residents', 'update'],
      ['residents', 'update'],
      ['residents', 'update'],
    ]);
    const rescopes = entries.filter((e) => e.op === 'workflow');
    expect(rescopes.map((e) => [e.recordId, e.scope, e.args])).toEqual(
      [buildingA, ...households, ...residents].map((recordId) => [
        recordId,
        GRID,
        { toScope: GRID_B },
      ]),
    );
    const updates = entries.filter((e) => e.op === 'update');
    expect(updates.map((e) => e.scope)).toEqual(Array(6).fill(GRID_B));
    expect(updates[0]?.fields).toEqual({ gridCode: GRID_B, communityCode: OTHER_COMMUNITY });
    expect(updates[3]?.fields).toEqual({ gridCode: GRID_B });
    // The move's change history goes with the records, into the new grid's scope.
    expect(updates.every((e) => e.history !== undefined)).toBe(true);
    const history = await db.recordChanges.bulkGet(updates.map((e) => e.history?.id ?? ''));
    expect(history.map((row) => row?.scope)).toEqual(Array(6).fill(GRID_B));
  });

  it('changes nothing when one record of the batch cannot be saved', async () => {
    // A resident stored with an invalid name (say, by an old import) fails validation on move.
    const broken = await db.residents.get(id(residents, 2));
    if (!broken) throw new Error('fixture missing');
    await db.residents.put({ ...broken, name: '' });
    const before = await outboxSize();

    await expect(moveBuilding(db, buildingA, GRID_B, actor)).rejects.toMatchObject({
      code: 'validation',
    });
    expect((await db.buildings.get(buildingA))?.gridCode).toBe(GRID);
    for (const h of households) expect((await db.households.get(h))?.gridCode).toBe(GRID);
    expect((await db.residents.get(id(residents, 0)))?.gridCode).toBe(GRID);
    expect(await outboxSize()).toBe(before);
  });

  it('refuses the same grid, a missing grid and a deleted building', async () => {
    await expect(moveBuilding(db, buildingA, GRID, actor)).rejects.toMatchObject({
      key: 'same',
      subject: 'buildings',
    });
    await expect(moveBuilding(db, buildingA, '110101010099001', actor)).rejects.toMatchObject({
      code: 'not-found',
      subject: 'orgUnits',
    });
    await commitChange(db, { op: 'delete', table: 'buildings', id: buildingB }, actor);
    const before = await outboxSize();
    const refused = moveBuilding(db, buildingB, GRID, actor);
    await expect(refused).rejects.toBeInstanceOf(MoveError);
    await expect(refused).rejects.toMatchObject({ code: 'deleted', key: 'deleted' });
    expect(await outboxSize()).toBe(before);
  });
});

describe('moveHousehold', () => {
  it('moves a household into another building: grid, address, location and residents follow', async () => {
    const before = await outboxSize();
    await moveHousehold(db, id(households, 0), buildingB, { unit: ' 1 ', room: '101' }, actor);
    expect(await db.households.get(id(households, 0))).toMatchObject({
      buildingId: buildingB,
      gridCode: GRID_B,
      unit: '1',
      room: '101',
      address: '和平里七区9号楼1单元101',
      location: [116.42, 39.96],
      _addrKeys: expect.arrayContaining(['9号楼1单元101']) as unknown,
    });
    expect((await db.residents.get(id(residents, 0)))?.gridCode).toBe(GRID_B);
    expect((await db.residents.get(id(residents, 1)))?.gridCode).toBe(GRID_B);
    expect((await db.residents.get(id(residents, 2)))?.gridCode).toBe(GRID); // other household
    for (const [table, recordId] of [
      ['households', id(households, 0)],
      ['residents', id(residents, 0)],
      ['residents', id(residents, 1)],
    ] as const)
      expect((await db.table(table).get(recordId))?.scope).toBe(GRID_B);
    expect((await db.residents.get(id(residents, 2)))?.scope).toBe(GRID);
    const entries = await entriesSince(before);
    expect(entries.map((e) => [e.table, e.recordId, e.op === 'workflow' ? e.name : e.op])).toEqual([
      ['households', id(households, 0), 'record.rescope'],
      ['residents', id(residents, 0), 'record.rescope'],
      ['residents', id(residents, 1), 'record.rescope'],
      ['households', id(households, 0), 'update'],
      ['residents', id(residents, 0), 'update'],
      ['residents', id(residents, 1), 'update'],
    ]);
    expect(entries[0]).toMatchObject({ scope: GRID, args: { toScope: GRID_B } });
  });

  it('keeps the scope of a household moved within its grid', async () => {
    await commitChange(db, building(GRID, '和平里七区5号楼'), actor);
    const other = (await db.buildings.toArray()).find((b) => b.address === '和平里七区5号楼');
    const before = await outboxSize();
    await moveHousehold(db, id(households, 0), other?.id ?? '', { unit: '1', room: '101' }, actor);
    expect((await entriesSince(before)).map((e) => e.op)).toEqual(['update']);
    expect((await db.households.get(id(households, 0)))?.scope).toBe(GRID);
  });

  it('refuses the same place, a taken room, an empty room and a missing building', async () => {
    const before = await outboxSize();
    const same = { unit: '2', room: '501' };
    await expect(
      moveHousehold(db, id(households, 0), buildingA, same, actor),
    ).rejects.toMatchObject({ key: 'same' });
    await expect(
      moveHousehold(db, id(households, 0), buildingA, { unit: '2', room: '502' }, actor),
    ).rejects.toMatchObject({ key: 'roomTaken', params: { address: '和平里七区3号楼2单元502' } });
    await expect(
      moveHousehold(db, id(households, 0), buildingB, { unit: '1', room: ' ' }, actor),
    ).rejects.toMatchObject({ key: 'roomRequired' });
    await expect(
      moveHousehold(db, id(households, 0), households[1] ?? '', same, actor),
    ).rejects.toMatchObject({ code: 'not-found', subject: 'buildings' });
    expect(await outboxSize()).toBe(before);
  });
});

describe('moveResident', () => {
  it('moves the head out: the old household loses its head, in the same batch', async () => {
    const before = await outboxSize();
    await moveResident(db, id(residents, 0), id(households, 1), 'parent', actor);
    expect(await db.residents.get(id(residents, 0))).toMatchObject({
      householdId: id(households, 1),
      gridCode: GRID,
      relation: 'parent',
    });
    expect((await db.households.get(id(households, 0)))?.headResidentId).toBeNull();
    const entries = await entriesSince(before);
    expect(entries.map((e) => [e.table, e.recordId])).toEqual([
      ['residents', id(residents, 0)],
      ['households', id(households, 0)],
    ]);
    expect(entries[1]?.fields).toEqual({ headResidentId: null });
  });

  it('makes an arriving head the head of a household that has none, and follows its grid', async () => {
    await moveHousehold(db, id(households, 1), buildingB, { unit: '1', room: '102' }, actor);
    const before = await outboxSize();
    await moveResident(db, id(residents, 1), id(households, 1), 'head', actor);
    expect(await db.residents.get(id(residents, 1))).toMatchObject({
      gridCode: GRID_B,
      scope: GRID_B,
    });
    expect((await db.households.get(id(households, 1)))?.headResidentId).toBe(id(residents, 1));
    const entries = await entriesSince(before);
    expect(entries.map((e) => [e.table, e.recordId, e.op, e.scope])).toEqual([
      ['residents', id(residents, 1), 'workflow', GRID],
      ['residents', id(residents, 1), 'update', GRID_B],
      ['households', id(households, 1), 'update', GRID_B],
    ]);
    expect(entries[0]).toMatchObject({ name: 'record.rescope', args: { toScope: GRID_B } });
  });

  it('refuses the same household, a second head, and a deleted household', async () => {
    await expect(
      moveResident(db, id(residents, 1), id(households, 0), 'spouse', actor),
    ).rejects.toMatchObject({ key: 'same' });
    await expect(
      moveResident(db, id(residents, 2), id(households, 0), 'head', actor),
    ).rejects.toMatchObject({ key: 'headTaken', params: { name: '张三明' } });
    await commitChange(db, { op: 'delete', table: 'households', id: id(households, 1) }, actor);
    const before = await outboxSize();
    await expect(
      moveResident(db, id(residents, 1), id(households, 1), 'other', actor),
    ).rejects.toMatchObject({ code: 'deleted', subject: 'households' });
    expect((await db.residents.get(id(residents, 1)))?.householdId).toBe(id(households, 0));
    expect(await outboxSize()).toBe(before);
  });
});
