import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseActor } from '@shared/cases/operations';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb } from '../../db/testing';
import { commitChange } from '../../db/write';
import { CaseOperationError, runCaseOperation } from './caseActions';
import { caseData } from './testCases';

const DEPT = '01900000-0000-7000-8000-00000000d001';
const street: CaseActor = {
  id: '01900000-0000-7000-8000-0000000000a1',
  name: '街道派单员',
  role: 'street',
  departmentId: null,
};
const liaison: CaseActor = {
  id: '01900000-0000-7000-8000-0000000000a2',
  name: '城管联络员',
  role: 'department',
  departmentId: DEPT,
};
const clock = () => Date.parse('2026-11-02T02:00:00.000Z');

let db: GridworkDb;
beforeEach(() => {
  db = freshDb();
});
afterEach(async () => {
  await db.delete();
});

async function aCase() {
  return commitChange(db, { op: 'create', table: 'cases', scope: GRID, data: caseData() }, street);
}

describe('runCaseOperation', () => {
  it('writes the patch and the timeline event together, sent as ONE case.op entry', async () => {
    const c = await aCase();
    const outbox = await db.outbox.count();
    const dispatched = await runCaseOperation(
      db,
      c.id,
      { type: 'dispatch', leadDepartmentId: DEPT },
      street,
      clock,
    );
    expect(dispatched.case).toMatchObject({ status: 'dispatched', leadDepartmentId: DEPT });
    const returned = await runCaseOperation(
      db,
      c.id,
      { type: 'return', reason: '不属于本部门职责' },
      liaison,
      clock,
    );
    expect(returned.case).toMatchObject({ status: 'returned', leadDepartmentId: null });
    const events = await db.caseEvents.where('caseId').equals(c.id).toArray();
    expect(events.map((e) => [e.type, e.actorName, e.reason, e.scope])).toEqual([
      ['dispatched', '街道派单员', '', GRID],
      ['returned', '城管联络员', '不属于本部门职责', GRID],
    ]);
    const entries = (await db.outbox.toArray()).slice(outbox);
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => [e.op, e.name, e.table, e.recordId])).toEqual([
      ['workflow', 'case.op', 'cases', c.id],
      ['workflow', 'case.op', 'cases', c.id],
    ]);
    // The entry names the step and the ids of the events it created, so the server's are these.
    expect(entries[1]?.args).toEqual({
      op: { type: 'return', reason: '不属于本部门职责' },
      eventIds: [events[1]?.id],
    });
    // Its fields mark the case's pending local fields until the server answers.
    expect(Object.keys(entries[1]?.fields ?? {}).sort()).toEqual(
      expect.arrayContaining(['leadDepartmentId', 'status']),
    );
    expect(entries[1]?.at).toBe(new Date(clock()).toISOString());
  });

  it('sends a step that changes no field (progress) for its event', async () => {
    const c = await aCase();
    await runCaseOperation(db, c.id, { type: 'dispatch', leadDepartmentId: DEPT }, street, clock);
    const outbox = await db.outbox.count();
    await runCaseOperation(db, c.id, { type: 'progress', note: '已联系物业' }, liaison, clock);
    const entries = (await db.outbox.toArray()).slice(outbox);
    expect(entries.map((e) => [e.name, Object.keys(e.fields)])).toEqual([['case.op', []]]);
    expect(await db.caseEvents.where('caseId').equals(c.id).count()).toBe(2);
  });

  it('refuses an illegal step, a missing reason and a missing case, writing nothing', async () => {
    const c = await aCase();
    const outbox = await db.outbox.count();
    await expect(
      runCaseOperation(db, c.id, { type: 'resolve', result: '已处理' }, liaison, clock),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      runCaseOperation(db, c.id, { type: 'archive' }, street, clock),
    ).rejects.toMatchObject({ code: 'illegal-state' });
    await runCaseOperation(db, c.id, { type: 'dispatch', leadDepartmentId: DEPT }, street, clock);
    const afterDispatch = await db.outbox.count();
    await expect(
      runCaseOperation(db, c.id, { type: 'return', reason: '' }, liaison, clock),
    ).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(
      runCaseOperation(db, '01900000-0000-7000-8000-00000000ffff', { type: 'sign' }, liaison),
    ).rejects.toBeInstanceOf(CaseOperationError);
    expect(await db.outbox.count()).toBe(afterDispatch);
    expect(afterDispatch - outbox).toBe(1);
    expect((await db.cases.get(c.id))?.status).toBe('dispatched');
  });
});
