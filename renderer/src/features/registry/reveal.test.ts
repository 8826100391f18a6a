import { afterEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb, householdData, residentData } from '../../db/testing';
import { commitChange } from '../../db/write';
import { revealField } from './reveal';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

describe('revealField', () => {
  it('returns the unmasked value and writes an audit event that will sync', async () => {
    db = freshDb();
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    const r = await commitChange(
      db,
      { op: 'create', table: 'residents', scope: GRID, data: residentData(h.id) },
      actor,
    );
    expect(await revealField(db, actor, r, 'idNumber')).toBe('11010519491231002X');
    const [event] = await db.auditEvents.toArray();
    expect(event).toMatchObject({
      action: 'reveal',
      table: 'residents',
      recordId: r.id,
      field: 'idNumber',
      actorId: actor.id,
      scope: GRID,
    });
    expect((await db.outbox.toArray()).at(-1)?.table).toBe('auditEvents');
  });
});
