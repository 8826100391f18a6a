import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from '../../db/db';
import { COMMUNITY, GRID, freshDb, householdData, residentData } from '../../db/testing';
import { WriteError, commitChange, commitChanges } from '../../db/write';
import { type BuildingDraft, checkBuilding, gridCentre, saveBuilding } from './buildingForm';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
const GRID_B = `${COMMUNITY}002`;
let db: GridworkDb;

const draft = (overrides: Partial<BuildingDraft> = {}): BuildingDraft => ({
  gridCode: GRID,
  compound: '和平里七区',
  name: '12号楼',
  address: '和平里七区12号楼',
  kind: 'residential',
  floors: 6,
  units: 2,
  location: [116.418, 39.955],
  ...overrides,
});

beforeEach(async () => {
  db = freshDb();
  await commitChanges(
    db,
    [GRID, GRID_B].map((code) => ({
      op: 'create' as const,
      table: 'orgUnits' as const,
      scope: code,
      data: { code, level: 'grid' as const, name: `${code}`, parentCode: COMMUNITY },
    })),
    actor,
  );
});
afterEach(async () => {
  await db.delete();
});

async function issuesOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WriteError);
  return (error as WriteError).issues;
}

describe('checkBuilding', () => {
  it('names every field to fix, once, with an i18n key', () => {
    const result = checkBuilding(
      draft({ name: '  ', floors: 0, units: null, location: [200, null], gridCode: '' }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      { path: 'gridCode', message: 'registry.building.errors.gridCode' },
      { path: 'name', message: 'registry.building.errors.name' },
      { path: 'floors', message: 'registry.building.errors.floors' },
      { path: 'units', message: 'registry.building.errors.units' },
      { path: 'location', message: 'registry.building.errors.location' },
    ]);
  });
});

describe('saveBuilding', () => {
  it('creates a building in the grid and its community, with an outbox entry', async () => {
    const saved = await saveBuilding(db, draft({ name: ' 12号楼 ' }), actor);
    expect(await db.buildings.get(saved.id)).toMatchObject({
      gridCode: GRID,
      communityCode: COMMUNITY,
      scope: GRID,
      name: '12号楼',
    });
    const entry = await db.outbox.where('[table+recordId]').equals(['buildings', saved.id]).first();
    expect(entry?.op).toBe('create');
  });

  it('refuses a missing grid or a second building at the same address, writing nothing', async () => {
    await saveBuilding(db, draft(), actor);
    const before = await db.outbox.count();
    expect(await issuesOf(saveBuilding(db, draft({ gridCode: '110101010027099' }), actor))).toEqual(
      [{ path: 'gridCode', message: 'registry.building.errors.gridCode' }],
    );
    expect(await issuesOf(saveBuilding(db, draft(), actor))).toEqual([
      { path: 'address', message: 'registry.building.errors.exists' },
    ]);
    expect(await issuesOf(saveBuilding(db, draft({ floors: 121 }), actor))).toEqual([
      { path: 'floors', message: 'registry.building.errors.floors' },
    ]);
    expect(await db.outbox.count()).toBe(before);
    expect(await db.buildings.count()).toBe(1);
  });

  it('an edit that moves and renames the building carries its households and residents along', async () => {
    const building = await saveBuilding(db, draft(), actor);
    const household = await commitChange(
      db,
      {
        op: 'create',
        table: 'households',
        scope: GRID,
        data: householdData({
          buildingId: building.id,
          address: '和平里七区12号楼2单元501',
          location: [116.41801, 39.955],
        }),
      },
      actor,
    );
    const resident = await commitChange(
      db,
      { op: 'create', table: 'residents', scope: GRID, data: residentData(household.id) },
      actor,
    );
    const before = await db.outbox.count();

    await saveBuilding(
      db,
      draft({
        gridCode: GRID_B,
        name: '12号楼',
        address: '和平里七区十二号楼',
        location: [116.419, 39.956],
      }),
      actor,
      building.id,
    );
    expect(await db.households.get(household.id)).toMatchObject({
      gridCode: GRID_B,
      address: '和平里七区十二号楼2单元501',
      location: [116.41901, 39.956],
    });
    expect((await db.residents.get(resident.id))?.gridCode).toBe(GRID_B);
    // Each record also moves to the new grid's scope, before its field changes.
    for (const [table, id] of [
      ['buildings', building.id],
      ['households', household.id],
      ['residents', resident.id],
    ] as const)
      expect((await db.table(table).get(id))?.scope).toBe(GRID_B);
    const entries = (await db.outbox.toArray()).slice(before);
    expect(
      entries
        .filter((e) => e.table !== 'recordChanges')
        .map((e) => [e.table, e.op === 'workflow' ? e.name : e.op]),
    ).toEqual([
      ['buildings', 'record.rescope'],
      ['buildings', 'update'],
      ['households', 'record.rescope'],
      ['residents', 'record.rescope'],
      ['households', 'update'],
      ['residents', 'update'],
    ]);
  });
});

describe('gridCentre', () => {
  it('is the centroid of the boundary, else the label point, else nothing', () => {
    const square = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [116, 39],
          [116.2, 39],
          [116.2, 39.2],
          [116, 39.2],
          [116, 39],
        ] as [number, number][],
      ],
    };
    const centre = gridCentre({ boundary: square });
    expect(centre?.[0]).toBeCloseTo(116.1);
    expect(centre?.[1]).toBeCloseTo(39.1);
    expect(gridCentre({ labelPoint: [116.3, 39.9] })).toEqual([116.3, 39.9]);
    expect(gridCentre(undefined)).toBeNull();
  });
});
