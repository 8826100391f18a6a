import { afterEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb, householdData } from '../../db/testing';
import { commitChange } from '../../db/write';
import { recordVisit, visitsOfHousehold } from './visits';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

describe('recordVisit', () => {
  it('writes the visit, its photo records and the bytes, all queued for sync', async () => {
    db = freshDb();
    const household = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    await recordVisit(db, actor, {
      household,
      visitorName: '王网格',
      method: 'in-person',
      findings: '老人独居，行动不便',
      photos: [{ name: '门口.jpg', mime: 'image/jpeg', bytes }],
    });
    const [entry] = await visitsOfHousehold(db, household.id);
    expect(entry?.visit).toMatchObject({ findings: '老人独居，行动不便', visitorName: '王网格' });
    expect(entry?.photos).toHaveLength(1);
    const blob = await db.blobs.get(entry?.photos[0]?.sha256 ?? '');
    expect(blob).toMatchObject({ size: 7, uploaded: 0 });
    expect((await db.outbox.toArray()).map((e) => e.table)).toEqual([
      'households',
      'visits',
      'attachments',
    ]);
  });
});
