import { afterEach, describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import type { AreaGeometry } from '@shared/domain/common';
import { streetFeature } from '@shared/data/beijing';
import { convertGeoJson } from '@shared/geo/crs';
import type { GridworkDb } from '../../../db/db';
import { freshDb } from '../../../db/testing';
import { commitChange } from '../../../db/write';
import { commitGridImport, importGridFile, planGridImport } from './importGrids';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
const STREET = '110101010000'; // 和平里街道
const C1 = '110101010003'; // 民旺社区 (on the device)
const C2 = '110101010008'; // 安德路社区 (only in the code list)

function square(lng: number, lat: number, size = 0.004): AreaGeometry {
  const ring: [number, number][] = [
    [lng, lat],
    [lng + size, lat],
    [lng + size, lat + size],
    [lng, lat + size],
    [lng, lat],
  ];
  return { type: 'Polygon', coordinates: [ring] };
}
const west = square(116.398, 39.953);
const east = square(116.402, 39.953);
const south = square(116.398, 39.949);

const feature = (code: string, name: string, geometry: unknown) => ({
  type: 'Feature',
  properties: { code, name },
  geometry,
});
const file = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

/** A device with 和平里's street record, one community and one grid (old outline). */
async function seededDb(): Promise<GridworkDb> {
  db = freshDb();
  const outline = streetFeature(STREET);
  await commitChange(
    db,
    {
      op: 'create',
      table: 'orgUnits',
      scope: STREET,
      data: {
        code: STREET,
        level: 'street',
        name: '和平里街道',
        parentCode: '110101000000',
        ...(outline ? { boundary: outline.geometry } : {}),
      },
    },
    actor,
  );
  for (const data of [
    { code: C1, level: 'community' as const, name: '民旺社区', parentCode: STREET },
    {
      code: `${C1}001`,
      level: 'grid' as const,
      name: '旧名称',
      parentCode: C1,
      boundary: south,
    },
  ]) {
    await commitChange(db, { op: 'create', table: 'orgUnits', scope: data.code, data }, actor);
  }
  return db;
}

const byCode = async (code: string) => db.orgUnits.where('code').equals(code).first();

describe('importGridFile', () => {
  it('creates new grids, updates a stored one, adds the missing community — in one go', async () => {
    await seededDb();
    const outboxBefore = await db.outbox.count();
    const progress: number[] = [];
    const result = await importGridFile(
      db,
      file(feature(`${C1}001`, '民旺第1网格', west), feature(`${C2}001`, '安德路第1网格', east)),
      { streetCode: STREET, crs: 'WGS84' },
      actor,
      (done) => progress.push(done),
    );
    expect(result).toEqual({ ok: true, created: 1, updated: 1, addedParents: [C2] });
    expect(progress.length).toBeGreaterThan(0);

    const updated = await byCode(`${C1}001`);
    expect(updated).toMatchObject({ name: '民旺第1网格', boundary: west, level: 'grid' });
    const created = await byCode(`${C2}001`);
    expect(created).toMatchObject({
      level: 'grid',
      scope: `${C2}001`,
      parentCode: C2,
      boundary: east,
    });
    expect(booleanPointInPolygon(created?.labelPoint ?? [0, 0], east)).toBe(true);
    expect(await byCode(C2)).toMatchObject({
      level: 'community',
      name: '安德路社区',
      parentCode: STREET,
    });
    // every record queued for sync: 1 update, 2 creates (and their change-history rows, if any)
    const queued = (await db.outbox.toArray())
      .slice(outboxBefore)
      .filter((e) => e.table === 'orgUnits');
    expect(queued.map((e) => e.op).sort()).toEqual(['create', 'create', 'update']);
  });

  it('imports nothing and lists every error when the file has any', async () => {
    await seededDb();
    const before = { units: await db.orgUnits.count(), outbox: await db.outbox.count() };
    const open = { type: 'Polygon', coordinates: [west.coordinates[0]?.slice(0, 4)] };
    const result = await importGridFile(
      db,
      file(
        feature(`${C2}001`, '好网格', east), // fine on its own
        feature(`${C2}002`, '开口网格', open),
        feature('110101001001001', '别的街道', square(116.394, 39.953)),
        feature(`${C2}003`, '压住旧网格', square(116.399, 39.95, 0.0025)),
      ),
      { streetCode: STREET, crs: 'WGS84' },
      actor,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.check.issues.map((i) => [i.feature?.index, i.code, i.other?.code])).toEqual([
        [1, 'ring-open', undefined],
        [2, 'code-other-street', undefined],
        // overlaps the stored grid 001 that the file does not replace
        [3, 'overlap', `${C1}001`],
      ]);
    }
    expect(await db.orgUnits.count()).toBe(before.units);
    expect(await db.outbox.count()).toBe(before.outbox);
    expect(await byCode(`${C2}001`)).toBeUndefined();
  });

  it('refuses an empty file and one that is not GeoJSON', async () => {
    await seededDb();
    for (const text of ['', 'code,name\n1,2']) {
      const result = await importGridFile(db, text, { streetCode: STREET, crs: 'WGS84' }, actor);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.check.issues).toHaveLength(1);
    }
    expect(await db.orgUnits.count()).toBe(3);
  });

  it('converts a GCJ-02 file to WGS-84', async () => {
    await seededDb();
    const gcj = convertGeoJson(east, 'WGS84', 'GCJ02');
    const result = await importGridFile(
      db,
      file(feature(`${C1}002`, '民旺第2网格', gcj)),
      { streetCode: STREET, crs: 'GCJ02' },
      actor,
    );
    expect(result.ok).toBe(true);
    const [lng, lat] = (await byCode(`${C1}002`))?.boundary?.coordinates[0]?.[0] as number[];
    expect(lng).toBeCloseTo(116.402, 6);
    expect(lat).toBeCloseTo(39.953, 6);
  });

  it('on a device with no street record, creates the street from the shipped data', async () => {
    db = freshDb();
    const result = await importGridFile(
      db,
      file(feature(`${C2}001`, '安德路第1网格', east)),
      { streetCode: STREET, crs: 'WGS84' },
      actor,
    );
    expect(result).toMatchObject({ ok: true, created: 1, addedParents: [STREET, C2] });
    expect(await byCode(STREET)).toMatchObject({ level: 'street', name: '和平里街道' });
  });

  it('writes nothing when the database refuses part of the batch', async () => {
    await seededDb();
    const plan = await planGridImport(
      db,
      file(feature(`${C1}002`, 'A', west), feature(`${C1}003`, 'B', east)),
      { streetCode: STREET, crs: 'WGS84' },
    );
    expect(plan.check.ok).toBe(true);
    // Meanwhile a sync brings grid 003 from another device: the plan's create now clashes
    // with the unique code index halfway through the batch.
    await commitChange(
      db,
      {
        op: 'create',
        table: 'orgUnits',
        scope: `${C1}003`,
        data: { code: `${C1}003`, level: 'grid', name: '同步来的', parentCode: C1 },
      },
      actor,
    );
    const units = await db.orgUnits.count();
    await expect(commitGridImport(db, plan, actor)).rejects.toThrow();
    expect(await db.orgUnits.count()).toBe(units);
    expect(await byCode(`${C1}002`)).toBeUndefined();
  });
});
