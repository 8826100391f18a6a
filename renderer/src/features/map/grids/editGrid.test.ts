import { afterEach, describe, expect, it } from 'vitest';
import type { AreaGeometry } from '@shared/domain/common';
import { streetFeature } from '@shared/data/beijing';
import type { GridworkDb } from '../../../db/db';
import { freshDb } from '../../../db/testing';
import { commitChange } from '../../../db/write';
import { loadStreet } from './gridContext';
import { nextGridCode, saveGridBoundary } from './editGrid';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
const STREET = '110101010000';
const C1 = '110101010003';

function square(lng: number, lat: number, size = 0.004): AreaGeometry {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
      ],
    ],
  };
}
const west = square(116.398, 39.953);
const east = square(116.402, 39.953);

let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

async function seeded() {
  db = freshDb();
  const units = [
    {
      code: STREET,
      level: 'street' as const,
      name: '和平里街道',
      parentCode: '110101000000',
      boundary: streetFeature(STREET)?.geometry,
    },
    { code: C1, level: 'community' as const, name: '民旺社区', parentCode: STREET },
    {
      code: `${C1}001`,
      level: 'grid' as const,
      name: '民旺第1网格',
      parentCode: C1,
      boundary: west,
    },
    {
      code: `${C1}002`,
      level: 'grid' as const,
      name: '民旺第2网格',
      parentCode: C1,
      boundary: east,
    },
  ];
  for (const data of units) {
    await commitChange(db, { op: 'create', table: 'orgUnits', scope: data.code, data }, actor);
  }
}
const unit = (code: string) => db.orgUnits.where('code').equals(code).first();

describe('saveGridBoundary', () => {
  it('replaces a grid’s outline and label point', async () => {
    await seeded();
    const smaller = square(116.398, 39.953, 0.003);
    const result = await saveGridBoundary(
      db,
      {
        streetCode: STREET,
        code: `${C1}001`,
        name: '民旺第1网格',
        geometry: smaller,
        isNew: false,
      },
      actor,
    );
    expect(result).toEqual({ ok: true, code: `${C1}001` });
    expect((await unit(`${C1}001`))?.boundary).toEqual(smaller);
    expect(await db.orgUnits.count()).toBe(4);
  });

  it('refuses an outline that overlaps a neighbour, and writes nothing', async () => {
    await seeded();
    const outbox = await db.outbox.count();
    const result = await saveGridBoundary(
      db,
      {
        streetCode: STREET,
        code: `${C1}001`,
        name: '民旺第1网格',
        geometry: square(116.399, 39.953),
        isNew: false,
      },
      actor,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => [i.code, i.other?.code])).toEqual([['overlap', `${C1}002`]]);
    }
    expect((await unit(`${C1}001`))?.boundary).toEqual(west);
    expect(await db.outbox.count()).toBe(outbox);
  });

  it('creates a new grid, refusing a taken code and an empty drawing', async () => {
    await seeded();
    const street = await loadStreet(db, STREET);
    const code = nextGridCode(street, C1);
    expect(code).toBe(`${C1}003`);
    const south = square(116.398, 39.949);

    const taken = await saveGridBoundary(
      db,
      { streetCode: STREET, code: `${C1}002`, name: '新网格', geometry: south, isNew: true },
      actor,
    );
    expect(taken.ok ? [] : taken.issues.map((i) => i.code)).toEqual(['code-duplicate']);
    const nothing = await saveGridBoundary(
      db,
      { streetCode: STREET, code, name: '新网格', geometry: null, isNew: true },
      actor,
    );
    expect(nothing.ok ? [] : nothing.issues.map((i) => i.code)).toEqual(['geometry-missing']);

    const created = await saveGridBoundary(
      db,
      { streetCode: STREET, code, name: ' 民旺第3网格 ', geometry: south, isNew: true },
      actor,
    );
    expect(created.ok).toBe(true);
    expect(await unit(code)).toMatchObject({ name: '民旺第3网格', parentCode: C1, level: 'grid' });
  });
});
