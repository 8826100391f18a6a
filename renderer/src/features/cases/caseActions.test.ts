import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseActor } from '@shared/cases/operations';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb } from '../../db/testing';
import { commitChange } from '../../db/write';
import { CaseOperationError, linkCases, runCaseOperation } from './caseActions';
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
    // The refusal travels with its key, for the dialog to say it in the user's language.
    await expect(
      runCaseOperation(db, c.id, { type: 'archive' }, street, clock),
    ).rejects.toMatchObject({
      code: 'illegal-state',
      refusal: { key: 'archiveWrongStatus', params: { status: 'received' } },
      message: '归档 follows the follow-up call, not status received',
    });
    await runCaseOperation(db, c.id, { type: 'dispatch', leadDepartmentId: DEPT }, street, clock);
    const afterDispatch = await db.outbox.count();
    await expect(
      runCaseOperation(db, c.id, { type: 'return', reason: '' }, liaison, clock),
    ).rejects.toMatchObject({ code: 'invalid-args' });
    const missing = runCaseOperation(
      db,
      '01900000-0000-7000-8000-00000000ffff',
      { type: 'sign' },
      liaison,
    );
    await expect(missing).rejects.toBeInstanceOf(CaseOperationError);
    await expect(missing).rejects.toMatchObject({
      code: 'not-found',
      refusal: { key: 'caseMissing', params: { id: '01900000-0000-7000-8000-00000000ffff' } },
    });
    expect(await db.outbox.count()).toBe(afterDispatch);
    expect(afterDispatch - outbox).toBe(1);
    expect((await db.cases.get(c.id))?.status).toBe('dispatched');
  });
});

describe('合并 and 关联 on the device', () => {
  const GRID2 = `${GRID.slice(0, 12)}002`;
  const other = (caseNo: string) =>
    commitChange(
      db,
      { op: 'create', table: 'cases', scope: GRID2, data: caseData({ caseNo, gridCode: GRID2 }) },
      street,
    );

  it('merges a duplicate in one case.op entry that tells the main case in its own scope', async () => {
    const main = await other('RX20261101-000009');
    const dup = await aCase();
    const outbox = await db.outbox.count();
    const merged = await runCaseOperation(
      db,
      dup.id,
      { type: 'merge', intoCaseId: main.id, reason: '同一事项重复来电' },
      street,
      clock,
    );
    expect(merged.case).toMatchObject({ status: 'archived', mergedIntoId: main.id });
    const [mainEvent] = await db.caseEvents.where('caseId').equals(main.id).toArray();
    const [dupEvent] = await db.caseEvents.where('caseId').equals(dup.id).toArray();
    expect(dupEvent).toMatchObject({ type: 'merged', scope: GRID, data: { intoCaseId: main.id } });
    expect(mainEvent).toMatchObject({ type: 'merged', scope: GRID2, data: { fromCaseId: dup.id } });
    const entries = (await db.outbox.toArray()).slice(outbox);
    expect(entries.map((e) => [e.name, e.recordId, e.args?.eventIds])).toEqual([
      ['case.op', dup.id, [dupEvent?.id, mainEvent?.id]],
    ]);
    // Into a merged case, or into a case not on this device: refused, nothing written.
    const third = await other('RX20261101-000010');
    const afterMerge = await db.outbox.count();
    await expect(
      runCaseOperation(db, third.id, { type: 'merge', intoCaseId: dup.id, reason: '重复' }, street),
    ).rejects.toMatchObject({ code: 'illegal-state' });
    await expect(
      runCaseOperation(
        db,
        third.id,
        { type: 'merge', intoCaseId: '01900000-0000-7000-8000-00000000ffff', reason: '重复' },
        street,
      ),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(await db.outbox.count()).toBe(afterMerge);
    expect(await db.caseEvents.where('caseId').equals(third.id).count()).toBe(0);
  });

  it('links both ways in one batch, and linking again only completes a missing side', async () => {
    const a = await aCase();
    const b = await other('RX20261101-000009');
    const outbox = await db.outbox.count();
    expect(await linkCases(db, a.id, b.id, '同一楼栋', street, clock)).toBe(2);
    expect((await db.cases.get(a.id))?.links).toEqual([b.id]);
    expect((await db.cases.get(b.id))?.links).toEqual([a.id]);
    const entries = (await db.outbox.toArray()).slice(outbox);
    expect(entries.map((e) => [e.recordId, e.scope, e.args?.op])).toEqual([
      [a.id, GRID, { type: 'link', otherCaseId: b.id, note: '同一楼栋' }],
      [b.id, GRID2, { type: 'link', otherCaseId: a.id, note: '同一楼栋' }],
    ]);
    expect(await linkCases(db, b.id, a.id, '', street, clock)).toBe(0);
    // One side lost (the server refused it): linking again writes that side only.
    await db.cases.update(b.id, { links: [] });
    expect(await linkCases(db, a.id, b.id, '', street, clock)).toBe(1);
    expect((await db.cases.get(b.id))?.links).toEqual([a.id]);
    await expect(linkCases(db, a.id, b.id, '', liaison, clock)).resolves.toBe(0);
    const c = await other('RX20261101-000010');
    await expect(linkCases(db, a.id, c.id, '', liaison, clock)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
