import { describe, expect, it } from 'vitest';
import type { CaseActor } from '@shared/cases/operations';
import type { Role } from '@shared/domain/account';
import { caseData } from '../../renderer/src/features/cases/testCases';
import { runCaseOperation } from '../../renderer/src/features/cases/caseActions';
import type { TestDevice } from './device';
import { ENGINES, useSeededServer } from './fixture';
import { GRID_A, STREET } from './harness';

/**
 * The case loop enforced on the server (`case.op`, PROTOCOL.md §3.2): each step travels as one
 * named operation that the server re-runs with the user's role, and the timeline events the
 * devices wrote at once are the very rows the server stores. Real server process, real clients,
 * SQLite and (with GRIDWORK_TEST_DATABASE_URL) PostgreSQL.
 */
const DEPT = '0190a5d0-0000-7000-8000-00000000d001';

describe.each(ENGINES)('the case loop on %s', (engine) => {
  const env = useSeededServer(
    engine,
    [
      { username: 'sam', scope: STREET, role: 'street' },
      { username: 'dora', scope: STREET, role: 'department' },
      { username: 'alice', scope: GRID_A, role: 'grid-worker' },
    ],
    async (storage) => {
      await storage.transaction(async (tx) => {
        const dora = await tx.getUserByUsername('dora');
        if (!dora) throw new Error('dora was not seeded');
        await tx.updateUser(dora.id, { departmentId: DEPT });
      });
    },
  );
  const actor = (d: TestDevice, role: Role, departmentId: string | null = null): CaseActor => ({
    id: d.userId,
    name: role,
    role,
    departmentId,
  });
  const timeline = async (d: TestDevice, caseId: string) =>
    (await d.db.caseEvents.where('caseId').equals(caseId).toArray())
      .map((e) => `${e.id} ${e.type}`)
      .sort();

  it('dispatches offline, the liaison signs and resolves, an illegal step is refused', async () => {
    const [sam, dora, alice] = await Promise.all([
      env.device('sam'),
      env.device('dora'),
      env.device('alice'),
    ]);
    // The dispatcher takes the case in and dispatches it before any sync (offline).
    const c = await sam.create('cases', GRID_A, caseData());
    await runCaseOperation(
      sam.db,
      c.id,
      { type: 'dispatch', leadDepartmentId: DEPT },
      actor(sam, 'street'),
    );
    expect((await sam.sync()).rejected).toBe(0);

    // The liaison pulls it, signs, starts and resolves it offline, then syncs once.
    await dora.sync();
    expect(await dora.get('cases', c.id)).toMatchObject({ status: 'dispatched' });
    const liaison = actor(dora, 'department', DEPT);
    await runCaseOperation(dora.db, c.id, { type: 'sign' }, liaison);
    await runCaseOperation(dora.db, c.id, { type: 'start' }, liaison);
    await runCaseOperation(dora.db, c.id, { type: 'resolve', result: '已清运' }, liaison);
    expect((await dora.sync()).rejected).toBe(0);

    // The grid worker sees it resolved; meanwhile the street makes the follow-up call first.
    await alice.sync();
    expect(await alice.get('cases', c.id)).toMatchObject({ status: 'resolved' });
    await sam.sync();
    const followUp = { contacted: true, resolved: true, satisfaction: 'satisfied' } as const;
    await runCaseOperation(sam.db, c.id, { type: 'follow-up', ...followUp }, actor(sam, 'street'));
    expect((await sam.sync()).rejected).toBe(0);

    // Alice's own follow-up, taken on her stale copy, is legal locally but not on the server.
    await runCaseOperation(
      alice.db,
      c.id,
      { type: 'follow-up', ...followUp, note: '再次回访' },
      actor(alice, 'grid-worker'),
    );
    const aliceReport = await alice.sync();
    expect(aliceReport.rejected).toBe(1);
    const [rejection] = await alice.db.rejections.toArray();
    expect(rejection).toMatchObject({
      table: 'cases',
      recordId: c.id,
      op: 'case.op',
      code: 'illegal-transition',
      // The refusal's message key travels and is kept, for the inbox to say it in Chinese.
      reason: 'a follow-up call is made after 办结, not in status followed-up',
      reasonKey: 'followUpWrongStatus',
      reasonParams: { status: 'followed-up' },
    });

    await Promise.all([sam.sync(), dora.sync()]);
    const final = await sam.get('cases', c.id);
    expect(final).toMatchObject({ status: 'followed-up', leadDepartmentId: DEPT });
    for (const d of [dora, alice]) expect(await d.get('cases', c.id)).toEqual(final);

    // One copy of each event everywhere: the devices' own rows are the server's.
    const events = await timeline(sam, c.id);
    expect(events.map((e) => e.split(' ')[1]).sort()).toEqual(
      ['dispatched', 'followed-up', 'resolved', 'signed', 'started'].sort(),
    );
    for (const d of [dora, alice]) expect(await timeline(d, c.id)).toEqual(events);
  });

  it('refuses a step the user’s role may not take, even when the device claims another role', async () => {
    const [sam, alice] = await Promise.all([env.device('sam'), env.device('alice')]);
    const c = await sam.create('cases', GRID_A, caseData({ caseNo: 'RX20261101-000002' }));
    await sam.sync();
    await alice.sync();
    // A device that believes its user is a street dispatcher: the server knows better.
    await runCaseOperation(
      alice.db,
      c.id,
      { type: 'dispatch', leadDepartmentId: DEPT },
      actor(alice, 'street'),
    );
    expect(await alice.get('cases', c.id)).toMatchObject({ status: 'dispatched' });
    expect((await alice.sync()).rejected).toBe(1);
    expect(await alice.db.rejections.toArray()).toEqual([
      expect.objectContaining({
        code: 'forbidden',
        recordId: c.id,
        reasonKey: 'streetOnly',
        reasonParams: { op: 'dispatch' },
      }),
    ]);
    expect(await alice.get('cases', c.id)).toMatchObject({ status: 'received' });
    expect(await timeline(alice, c.id)).toEqual([]);
  });
});
