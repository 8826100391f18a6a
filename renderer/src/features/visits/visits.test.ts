import { encode } from 'jpeg-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb, householdData, residentData } from '../../db/testing';
import { commitChange } from '../../db/write';
import { jpegSegments } from './photos';
import {
  eventsOfNeeds,
  loadDueList,
  loadIntervalOverrides,
  recordVisit,
  saveIntervalOverrides,
  visitsOfHousehold,
} from './visits';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

/** A real JPEG (grey) with a camera-style APP1 EXIF segment spliced in after SOI. */
function cameraJpeg(width: number, height: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(width * height * 4).fill(128);
  const jpeg = encode({ data, width, height }, 80).data;
  const payload = [...Array.from('Exif\0\0MM\0*', (c) => c.charCodeAt(0)), 0, 0, 0, 8, 0, 0];
  const app1 = [0xff, 0xe1, 0, payload.length + 2, ...payload];
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, 2));
  out.set(app1, 2);
  out.set(jpeg.subarray(2), 2 + app1.length);
  return out;
}

async function newHousehold(address = '和平里七区3号楼2单元501') {
  return commitChange(
    db,
    { op: 'create', table: 'households', scope: GRID, data: householdData({ address }) },
    actor,
  );
}

describe('recordVisit', () => {
  it('writes the visit, its prepared photo records and the bytes, all queued for sync', async () => {
    db = freshDb();
    const household = await newHousehold();
    const progress: string[] = [];
    await recordVisit(
      db,
      actor,
      {
        household,
        visitorName: '王网格',
        method: 'in-person',
        findings: '老人独居，行动不便',
        photos: [{ name: '门口.jpeg', mime: 'image/jpeg', bytes: cameraJpeg(2400, 1200) }],
      },
      {
        onPhotoProgress: (done, total) => {
          progress.push(`${done}/${total}`);
        },
      },
    );
    expect(progress).toEqual(['0/1', '1/1']);
    const [entry] = await visitsOfHousehold(db, household.id);
    expect(entry?.visit).toMatchObject({ findings: '老人独居，行动不便', visitorName: '王网格' });
    expect(entry?.photos).toHaveLength(1);
    expect(entry?.photos[0]).toMatchObject({ name: '门口.jpg', mime: 'image/jpeg' });
    const blob = await db.blobs.get(entry?.photos[0]?.sha256 ?? '');
    expect(blob).toMatchObject({ uploaded: 0, size: entry?.photos[0]?.size });
    expect(jpegSegments(blob?.bytes ?? new Uint8Array()).some((s) => s.marker === 0xe1)).toBe(
      false,
    );
    expect((await db.outbox.toArray()).map((e) => e.table)).toEqual([
      'households',
      'visits',
      'attachments',
    ]);
  });

  it('refuses a broken photo before writing anything', async () => {
    db = freshDb();
    const household = await newHousehold();
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    await expect(
      recordVisit(db, actor, {
        household,
        visitorName: '王网格',
        method: 'in-person',
        findings: '',
        photos: [{ name: 'x.jpg', mime: 'image/jpeg', bytes }],
      }),
    ).rejects.toMatchObject({ name: 'PhotoError', code: 'corrupt' });
    expect(await db.visits.count()).toBe(0);
  });

  it('creates the needs found, each identified with its first event', async () => {
    db = freshDb();
    const household = await newHousehold();
    const visit = await recordVisit(db, actor, {
      household,
      visitorName: '王网格',
      method: 'in-person',
      findings: '',
      photos: [],
      needs: [
        { category: '0101', urgency: 'high', description: '需要助浴服务' },
        { category: '1003', urgency: 'low', description: '水龙头漏水' },
      ],
    });
    const [entry] = await visitsOfHousehold(db, household.id);
    expect(entry?.needs.map((n) => [n.category, n.layer, n.status, n.visitId])).toEqual([
      ['0101', 'basic', 'identified', visit.id],
      ['1003', 'improvement', 'identified', visit.id],
    ]);
    const events = await eventsOfNeeds(db, entry?.needs.map((n) => n.id) ?? []);
    expect(events.map((e) => [e.from, e.to, e.actorId, e.actorName])).toEqual([
      [null, 'identified', actor.id, '王网格'],
      [null, 'identified', actor.id, '王网格'],
    ]);
    expect((await db.outbox.toArray()).map((e) => e.table)).toEqual([
      'households',
      'visits',
      'needs',
      'needEvents',
      'needs',
      'needEvents',
    ]);
  });

  it('refuses a need filed on a top-level category', async () => {
    db = freshDb();
    const household = await newHousehold();
    await expect(
      recordVisit(db, actor, {
        household,
        visitorName: '王网格',
        method: 'phone',
        findings: '',
        photos: [],
        needs: [{ category: '01', urgency: 'normal', description: '养老' }],
      }),
    ).rejects.toMatchObject({ code: 'validation' });
    expect(await db.visits.count()).toBe(0);
  });
});

describe('loadDueList', () => {
  it('lists tagged households by the shared rule, with head and address', async () => {
    db = freshDb();
    const alone = await newHousehold('一号楼101');
    const child = await newHousehold('二号楼202');
    const plain = await newHousehold('三号楼303');
    const gone = await newHousehold('四号楼404');
    const head = await commitChange(
      db,
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        data: residentData(alone.id, { name: '李独居', tags: ['living-alone-elder'] }),
      },
      actor,
    );
    await commitChange(
      db,
      { op: 'update', table: 'households', id: alone.id, patch: { headResidentId: head.id } },
      actor,
    );
    await commitChange(
      db,
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        data: residentData(child.id, {
          name: '赵小',
          relation: 'child',
          birthDate: '2016-01-01',
          idNumber: null,
          tags: ['left-behind-child'],
        }),
      },
      actor,
    );
    await commitChange(
      db,
      { op: 'create', table: 'residents', scope: GRID, data: residentData(plain.id) },
      actor,
    );
    await commitChange(
      db,
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        data: residentData(gone.id, { status: 'deceased', tags: ['living-alone-elder'] }),
      },
      actor,
    );
    // The child's household was visited just now; the elder never.
    await recordVisit(db, actor, {
      household: child,
      visitorName: '王网格',
      method: 'in-person',
      findings: '',
      photos: [],
    });
    // A minute short of ten days after the records were made: part days round up to 10.
    const inTenDays = new Date(Date.now() + 10 * 24 * 3600 * 1000 - 60_000);
    const rows = await loadDueList(db, inTenDays, {});
    expect(rows.map((r) => [r.household.address, r.headName, r.tags, r.daysOverdue])).toEqual([
      ['一号楼101', '李独居', ['living-alone-elder'], 10],
    ]);
    // Tighten left-behind children to 5 days: the child's household is due too (5 days over).
    await saveIntervalOverrides(db, { 'left-behind-child': 5 });
    const overrides = await loadIntervalOverrides(db);
    expect(overrides).toEqual({ 'left-behind-child': 5 });
    const tightened = await loadDueList(db, inTenDays, overrides);
    expect(tightened.map((r) => [r.household.address, r.headName, r.daysOverdue])).toEqual([
      ['一号楼101', '李独居', 10],
      ['二号楼202', null, 5],
    ]);
  });
});
