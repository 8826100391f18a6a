import { afterEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from '../../db/db';
import { deleteRecord } from '../../db/repositories/records';
import { GRID, freshDb, householdData } from '../../db/testing';
import { commitChange } from '../../db/write';
import { recordVisit } from '../visits/visits';
import { needsOfHousehold } from './householdNeeds';
import { NeedTransitionError, transitionNeed } from './needActions';

const actor = { id: '01900000-0000-7000-8000-0000000000aa', name: '王网格' };
const other = { id: '01900000-0000-7000-8000-0000000000bb', name: '李社工' };
let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

/** A household with one visit that found two needs (both identified). */
async function householdWithNeeds() {
  const household = await commitChange(
    db,
    { op: 'create', table: 'households', scope: GRID, data: householdData() },
    actor,
  );
  await recordVisit(db, actor, {
    household,
    visitorName: actor.name,
    method: 'in-person',
    findings: '',
    photos: [],
    needs: [
      { category: '0102', urgency: 'normal', description: '需要助餐' },
      { category: '0103', urgency: 'urgent', description: '需要助浴' },
    ],
  });
  const needs = await needsOfHousehold(db, household.id);
  return { household, needs };
}

describe('transitionNeed', () => {
  it('moves a need one step and appends its event, both queued for sync in one batch', async () => {
    db = freshDb();
    const { household, needs } = await householdWithNeeds();
    const target = needs.find((n) => n.need.description === '需要助餐')?.need;
    if (!target) throw new Error('need not created');
    const outboxBefore = await db.outbox.count();
    let clock = Date.now();
    const tick = () => (clock += 60_000);

    const { need, event } = await transitionNeed(
      db,
      target.id,
      'verified',
      { note: '  已电话核实  ', wallClock: tick },
      actor,
    );
    expect(need.status).toBe('verified');
    expect(event).toMatchObject({
      needId: target.id,
      from: 'identified',
      to: 'verified',
      actorId: actor.id,
      actorName: '王网格',
      note: '已电话核实',
      scope: GRID,
    });
    await transitionNeed(db, target.id, 'matched', { wallClock: tick }, other);

    // Only the need's own rows: the change history (recordChanges) rides along in the batch.
    const outbox = (await db.outbox.toArray())
      .slice(outboxBefore)
      .filter((e) => e.table === 'needs' || e.table === 'needEvents');
    expect(outbox.map((e) => [e.table, e.op, e.actorId])).toEqual([
      ['needs', 'update', actor.id],
      ['needEvents', 'create', actor.id],
      ['needs', 'update', other.id],
      ['needEvents', 'create', other.id],
    ]);
    expect(outbox[0]?.fields).toEqual({ status: 'verified' });

    const reloaded = (await needsOfHousehold(db, household.id)).find(
      (n) => n.need.id === target.id,
    );
    expect(reloaded?.need.status).toBe('matched');
    expect(reloaded?.events.map((e) => [e.from, e.to, e.actorName, e.note])).toEqual([
      [null, 'identified', '王网格', ''],
      ['identified', 'verified', '王网格', '已电话核实'],
      ['verified', 'matched', '李社工', ''],
    ]);
  });

  it('refuses a skipped step, a step back and a repeat, writing nothing', async () => {
    db = freshDb();
    const { needs } = await householdWithNeeds();
    const id = needs[0]?.need.id ?? '';
    const outboxBefore = await db.outbox.count();
    await expect(transitionNeed(db, id, 'matched', {}, actor)).rejects.toMatchObject({
      name: 'NeedTransitionError',
      code: 'illegal-transition',
      from: 'identified',
      to: 'matched',
    });
    await transitionNeed(db, id, 'verified', {}, actor);
    for (const to of ['identified', 'verified'] as const)
      await expect(transitionNeed(db, id, to, {}, actor)).rejects.toBeInstanceOf(
        NeedTransitionError,
      );
    const written = (await db.outbox.toArray()).slice(outboxBefore);
    expect(written.filter((e) => e.table !== 'recordChanges').map((e) => e.table)).toEqual([
      'needs',
      'needEvents',
    ]);
    expect((await db.needs.get(id))?.status).toBe('verified');
  });

  it('lets only one of two simultaneous clicks through', async () => {
    db = freshDb();
    const { needs } = await householdWithNeeds();
    const id = needs[0]?.need.id ?? '';
    const results = await Promise.allSettled([
      transitionNeed(db, id, 'verified', {}, actor),
      transitionNeed(db, id, 'verified', {}, other),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await db.needEvents.where('needId').equals(id).count()).toBe(2);
  });

  it('refuses a deleted or missing need', async () => {
    db = freshDb();
    const { needs } = await householdWithNeeds();
    const id = needs[0]?.need.id ?? '';
    await deleteRecord(db, 'needs', id, actor);
    await expect(transitionNeed(db, id, 'verified', {}, actor)).rejects.toMatchObject({
      code: 'deleted',
    });
    await expect(
      transitionNeed(db, '01900000-0000-7000-8000-0000000000ff', 'verified', {}, actor),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(await db.needEvents.where('needId').equals(id).count()).toBe(1);
  });

  it('refuses a note that is too long, changing nothing', async () => {
    db = freshDb();
    const { needs } = await householdWithNeeds();
    const id = needs[0]?.need.id ?? '';
    await expect(
      transitionNeed(db, id, 'verified', { note: '长'.repeat(2001) }, actor),
    ).rejects.toMatchObject({ name: 'WriteError', code: 'validation' });
    expect((await db.needs.get(id))?.status).toBe('identified');
  });
});

describe('needsOfHousehold', () => {
  it('lists open needs first, most urgent first, each with its events', async () => {
    db = freshDb();
    const { household, needs } = await householdWithNeeds();
    expect(needs.map((n) => n.need.description)).toEqual(['需要助浴', '需要助餐']);
    expect(needs.every((n) => n.events.length === 1)).toBe(true);
    // Walk the urgent one to the end: it drops below the open one.
    const id = needs[0]?.need.id ?? '';
    for (const to of ['verified', 'matched', 'in-service', 'fulfilled', 'reviewed'] as const)
      await transitionNeed(db, id, to, {}, actor);
    const after = await needsOfHousehold(db, household.id);
    expect(after.map((n) => [n.need.description, n.need.status])).toEqual([
      ['需要助餐', 'identified'],
      ['需要助浴', 'reviewed'],
    ]);
    expect(after[1]?.events).toHaveLength(6);
  });
});
