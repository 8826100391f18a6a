import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConflictSchema } from '@shared/domain/conflict';
import type { GridworkDb } from '../../db/db';
import { freshDb, GRID, householdData } from '../../db/testing';
import { commitChange } from '../../db/write';
import { useConflictInbox } from './useConflictInbox';

const actor = { id: '01900000-0000-7000-8000-0000000000c1' };
const CONFLICT_ID = '01900000-0000-7000-8000-0000000000d1';

let db: GridworkDb;
let inbox: ReturnType<typeof useConflictInbox>;
let householdId: string;

/** A household whose `note` two devices edited at once: "已搬走" won, "独居老人" was overwritten. */
beforeEach(async () => {
  db = freshDb();
  const household = await commitChange(
    db,
    { op: 'create', table: 'households', scope: GRID, data: householdData({ note: '已搬走' }) },
    actor,
  );
  householdId = household.id;
  // As the engine stores a pulled row: a server record, no outbox entry.
  await db.conflicts.put(
    ConflictSchema.parse({
      id: CONFLICT_ID,
      scope: GRID,
      createdAt: '2026-05-01T08:00:00.000Z',
      updatedAt: '2026-05-01T08:00:00.000Z',
      hlc: '1777622400000-0000-server',
      recordTable: 'households',
      recordId: householdId,
      field: 'note',
      winnerValue: '已搬走',
      winnerHlc: '1777622400000-0001-devicea',
      loserValue: '独居老人',
      loserHlc: '1777622400000-0000-deviceb',
      loserActorId: '01900000-0000-7000-8000-0000000000c2',
      detectedAt: '2026-05-01T08:00:00.000Z',
    }),
  );
  await db.outbox.clear();
  inbox = useConflictInbox({ db, actor: () => actor, role: () => 'grid-worker' });
  await vi.waitFor(() => expect(inbox.conflicts.value).toHaveLength(1));
});
afterEach(() => inbox.stop());

describe('useConflictInbox', () => {
  it('lists the open conflict with its record title', () => {
    expect(inbox.conflicts.value[0]?.recordTitle).toBe(householdData().address);
  });

  it('keep: resolves the conflict through the outbox, record untouched', async () => {
    expect(await inbox.keep(CONFLICT_ID)).toBe(true);

    const conflict = await db.conflicts.get(CONFLICT_ID);
    expect(conflict).toMatchObject({ resolved: true, resolution: 'kept', resolvedBy: actor.id });
    const outbox = await db.outbox.toArray();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ table: 'conflicts', recordId: CONFLICT_ID, op: 'update' });
    expect((await db.households.get(householdId))?.note).toBe('已搬走');
    await vi.waitFor(() => expect(inbox.conflicts.value).toHaveLength(0));
  });

  it('replace: writes the overwritten value and resolves, two outbox entries', async () => {
    const conflict = inbox.conflicts.value[0];
    if (!conflict) throw new Error('no conflict');
    expect(await inbox.replace(conflict)).toBe(true);

    expect((await db.households.get(householdId))?.note).toBe('独居老人');
    expect(await db.conflicts.get(CONFLICT_ID)).toMatchObject({
      resolved: true,
      resolution: 'replaced',
      resolvedBy: actor.id,
    });
    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox.map((e) => [e.table, e.fields])).toEqual([
      ['households', { note: '独居老人' }],
      ['conflicts', { resolved: true, resolution: 'replaced', resolvedBy: actor.id }],
    ]);
    expect(outbox[0]?.history?.fields).toEqual({ note: { old: '已搬走', new: '独居老人' } });
  });

  it('replace writes nothing when the record refuses the value', async () => {
    const conflict = inbox.conflicts.value[0];
    if (!conflict) throw new Error('no conflict');
    expect(await inbox.replace({ ...conflict, field: 'type', loserValue: 'castle' })).toBe(false);

    expect(inbox.error.value).toMatch(/invalid households record/);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.conflicts.get(CONFLICT_ID))?.resolved).toBe(false);
  });

  it('dismiss: hides a rejection locally, without an outbox entry', async () => {
    const id = await db.rejections.add({
      seq: 7,
      table: 'households',
      recordId: householdId,
      op: 'update',
      code: 'out-of-scope',
      reason: 'scope 110101010027002 is not yours',
      fields: { note: 'x' },
      at: '2026-05-01T09:00:00.000Z',
      dismissed: false,
    });
    await vi.waitFor(() => expect(inbox.rejections.value).toHaveLength(1));

    expect(await inbox.dismiss(id)).toBe(true);

    expect((await db.rejections.get(id))?.dismissed).toBe(true);
    expect(await db.outbox.count()).toBe(0);
    await vi.waitFor(() => expect(inbox.rejections.value).toHaveLength(0));
  });
});
