import { encode } from 'jpeg-js';
import { afterEach, describe, expect, it } from 'vitest';
import { plainCaseCreateRefusal } from '@shared/cases/plainWrites';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb } from '../../db/testing';
import { patrolCaseNo, reportPatrolEvent } from './patrol';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
const jpeg = () =>
  new Uint8Array(
    encode({ data: new Uint8Array(4 * 4 * 4).fill(200), width: 4, height: 4 }, 80).data,
  );
let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

describe('reportPatrolEvent', () => {
  it('creates a patrol case with deadlines from its category, a received event and its photo', async () => {
    db = freshDb();
    const now = new Date('2026-11-29T02:00:00.000Z');
    const created = await reportPatrolEvent(
      db,
      actor,
      {
        gridCode: GRID,
        category: '0101',
        description: '楼道堆放杂物，堵塞消防通道',
        address: '和平里七区3号楼',
        location: [116.418, 39.955],
        householdId: null,
        actorName: '王网格',
        photos: [{ name: 'a.png', mime: 'image/jpeg', bytes: jpeg() }],
      },
      now,
    );
    expect(created).toMatchObject({
      source: 'patrol',
      status: 'received',
      gridCode: GRID,
      communityCode: '110101010027',
      streetCode: '110101010000',
    });
    expect(created.caseNo).toMatch(/^XC20261129-[0-9A-F]{6}$/);
    expect(Date.parse(created.handleDeadline ?? '')).toBeGreaterThan(now.getTime());
    expect((await db.caseEvents.toArray()).map((e) => [e.caseId, e.type])).toEqual([
      [created.id, 'received'],
    ]);
    expect((await db.attachments.toArray()).map((a) => [a.mime, a.name])).toEqual([
      ['image/jpeg', 'a.jpg'],
    ]);
    const outbox = await db.outbox.toArray();
    expect(outbox.map((e) => e.table)).toEqual(['cases', 'caseEvents', 'attachments']);
    // What the server accepts as intake (a case as received, its received event).
    for (const e of outbox) expect(plainCaseCreateRefusal(e.table, e.fields)).toBeNull();
  });

  it('refuses a report whose photo cannot be read, writing nothing', async () => {
    db = freshDb();
    const report = {
      gridCode: GRID,
      category: '0101',
      description: 'x',
      address: '',
      location: null,
      householdId: null,
      actorName: 'a',
      photos: [{ name: 'b.jpg', mime: 'image/jpeg', bytes: new Uint8Array([1, 2, 3]) }],
    };
    await expect(reportPatrolEvent(db, actor, report)).rejects.toThrow();
    expect(await db.cases.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('refuses a top-level category', async () => {
    db = freshDb();
    await expect(
      reportPatrolEvent(db, actor, {
        gridCode: GRID,
        category: '01',
        description: 'x',
        address: '',
        location: null,
        householdId: null,
        actorName: 'a',
        photos: [],
      }),
    ).rejects.toThrow(/sub-category/);
    expect(await db.cases.count()).toBe(0);
  });
});

describe('case numbers', () => {
  it('numbers patrol cases by day and record id', () => {
    const start = new Date('2026-11-29T00:00:00.000Z');
    expect(patrolCaseNo(start, '01900000-0000-7000-8000-00000000abcd')).toBe('XC20261129-00ABCD');
  });
});
