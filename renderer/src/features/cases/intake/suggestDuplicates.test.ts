import { destination } from '@turf/turf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from '../../../db/db';
import { GRID, freshDb } from '../../../db/testing';
import { commitChange } from '../../../db/write';
import { DUPLICATE_RADIUS_M, suggestDuplicates } from './suggestDuplicates';
import { caseData } from '../testCases';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
const HERE: [number, number] = [116.418, 39.955];
/** A point `m` metres east of HERE. */
const east = (m: number) =>
  destination(HERE, m, 90, { units: 'meters' }).geometry.coordinates as [number, number];

let db: GridworkDb;
beforeEach(() => {
  db = freshDb();
});
afterEach(async () => {
  await db.delete();
});

async function add(caseNo: string, overrides: Parameters<typeof caseData>[0]) {
  return commitChange(
    db,
    { op: 'create', table: 'cases', scope: GRID, data: caseData({ caseNo, ...overrides }) },
    actor,
  );
}

describe('suggestDuplicates', () => {
  it('finds same-category cases within 50 m and 30 days, newest first', async () => {
    const received = '2026-11-29T02:00:00.000Z';
    await add('RX-NEAR-OLD', { location: east(10), receivedAt: '2026-11-05T02:00:00.000Z' });
    await add('RX-NEAR-NEW', { location: east(45), receivedAt: '2026-11-28T02:00:00.000Z' });
    await add('RX-TOO-FAR', { location: east(60), receivedAt: '2026-11-28T02:00:00.000Z' });
    await add('RX-TOO-OLD', { location: east(5), receivedAt: '2026-10-29T01:00:00.000Z' });
    await add('RX-OTHER-CAT', { location: HERE, category: '0101', receivedAt: received });
    await add('RX-NO-PLACE', { location: null, receivedAt: received });
    const gone = await add('RX-DELETED', { location: HERE, receivedAt: received });
    await commitChange(db, { op: 'delete', table: 'cases', id: gone.id }, actor);
    const self = await add('RX-SELF', { location: HERE, receivedAt: received });

    const hits = await suggestDuplicates(db, self);
    expect(hits.map((h) => h.case.caseNo)).toEqual(['RX-NEAR-NEW', 'RX-NEAR-OLD']);
    expect(hits[0]?.distanceM).toBeCloseTo(45, 0);
    expect(hits[0]?.distanceM).toBeLessThanOrEqual(DUPLICATE_RADIUS_M);
    expect(hits[0]?.case).not.toHaveProperty('_addrKeys');
  });

  it('puts the main case in place of a nearby duplicate merged into it, and keeps to the street', async () => {
    const received = '2026-11-29T02:00:00.000Z';
    // The main case is 200 m away; its duplicate, 20 m away, was merged into it.
    const main = await add('RX-MAIN', { location: east(200), receivedAt: received });
    await add('RX-MERGED', {
      location: east(20),
      receivedAt: received,
      status: 'archived',
      mergedIntoId: main.id,
    });
    await add('RX-OTHER-STREET', {
      location: east(5),
      receivedAt: received,
      streetCode: '110101002000',
    });
    const draft = { id: '', category: '0102', location: HERE, receivedAt: received };
    const hits = await suggestDuplicates(db, { ...draft, streetCode: '110101010000' });
    expect(hits.map((h) => [h.case.caseNo, h.via?.caseNo, Math.round(h.distanceM)])).toEqual([
      ['RX-MAIN', 'RX-MERGED', 20],
    ]);
    // Without a street, every street's cases are candidates.
    expect(await suggestDuplicates(db, draft)).toHaveLength(2);
    // Seen from the main case (same street), its own duplicate suggests nothing.
    expect(await suggestDuplicates(db, { ...main, location: east(20) })).toEqual([]);
  });

  it('suggests nothing for a case without a location', async () => {
    await add('RX-NEAR', { location: HERE });
    const draft = {
      id: '01900000-0000-7000-8000-00000000ffff',
      category: '0102',
      location: null,
      receivedAt: '2026-11-01T00:00:00.000Z',
    };
    expect(await suggestDuplicates(db, draft)).toEqual([]);
    expect(await suggestDuplicates(db, { ...draft, location: HERE })).toHaveLength(1);
  });
});
