import { describe, expect, it } from 'vitest';
import type { CaseActor } from '@shared/cases/operations';
import type { Role } from '@shared/domain/account';
import { caseData } from '../../renderer/src/features/cases/testCases';
import { linkCases, runCaseOperation } from '../../renderer/src/features/cases/caseActions';
import type { TestDevice } from './device';
import { ENGINES, useSeededServer } from './fixture';
import { GRID_A, GRID_B, STREET } from './harness';

/**
 * 合并 and 关联 through the real server (PROTOCOL.md §3.2, steps that name another case): the
 * server checks its own copy of both cases, writes the main case's `merged` event in the main
 * case's scope, and refuses a merge that a stale device still believes legal.
 */
describe.each(ENGINES)('merging and linking cases on %s', (engine) => {
  const env = useSeededServer(engine, [
    { username: 'sam', scope: STREET, role: 'street' },
    { username: 'sue', scope: STREET, role: 'street' },
    { username: 'bob', scope: GRID_B, role: 'grid-worker' },
  ]);
  const actor = (d: TestDevice, role: Role): CaseActor => ({
    id: d.userId,
    name: role,
    role,
    departmentId: null,
  });
  const types = async (d: TestDevice, caseId: string) =>
    (await d.db.caseEvents.where('caseId').equals(caseId).toArray()).map((e) => e.type).sort();

  it('merges a duplicate: the main case’s grid sees the merge; a stale second merge is refused', async () => {
    const [sam, sue, bob] = await Promise.all([
      env.device('sam'),
      env.device('sue'),
      env.device('bob'),
    ]);
    const main = await sam.create('cases', GRID_B, caseData({ gridCode: GRID_B }));
    const dup = await sam.create('cases', GRID_A, caseData({ caseNo: 'RX20261101-000002' }));
    const third = await sam.create('cases', GRID_A, caseData({ caseNo: 'RX20261101-000003' }));
    await sam.sync();
    await sue.sync();

    // Sam merges the duplicate into the main case; Sue, offline, merges the main case into a
    // third one, which her copy still allows.
    const reason = '同一事项重复来电';
    await runCaseOperation(
      sam.db,
      dup.id,
      { type: 'merge', intoCaseId: main.id, reason },
      actor(sam, 'street'),
    );
    expect((await sam.sync()).rejected).toBe(0);
    await runCaseOperation(
      sue.db,
      third.id,
      { type: 'merge', intoCaseId: dup.id, reason },
      actor(sue, 'street'),
    );
    const report = await sue.sync();
    expect(report.rejected).toBe(1);
    expect(await sue.db.rejections.toArray()).toEqual([
      expect.objectContaining({ recordId: third.id, code: 'illegal-transition' }),
    ]);
    // Sue's device puts the third case back and drops both optimistic events.
    expect(await sue.get('cases', third.id)).toMatchObject({ status: 'received' });
    expect(await sue.get('cases', third.id)).not.toHaveProperty('mergedIntoId', dup.id);
    expect(await types(sue, dup.id)).toEqual(['merged']);

    // Bob reads only the main case's grid: he gets its 'merged' event, not the duplicate.
    await bob.sync();
    const [told] = await bob.db.caseEvents.where('caseId').equals(main.id).toArray();
    expect(told).toMatchObject({ type: 'merged', scope: GRID_B, data: { fromCaseId: dup.id } });
    expect(await bob.get('cases', dup.id)).toBeUndefined();
    expect(await sue.get('cases', dup.id)).toMatchObject({
      status: 'archived',
      mergedIntoId: main.id,
    });
  });

  it('links two cases in two grids both ways; a grid worker may not', async () => {
    const [sam, bob] = await Promise.all([env.device('sam'), env.device('bob')]);
    const a = await sam.create('cases', GRID_A, caseData({ caseNo: 'RX20261101-000011' }));
    const b = await sam.create(
      'cases',
      GRID_B,
      caseData({ caseNo: 'RX20261101-000012', gridCode: GRID_B }),
    );
    await sam.sync();
    expect(await linkCases(sam.db, a.id, b.id, '同一楼栋', actor(sam, 'street'))).toBe(2);
    expect((await sam.sync()).rejected).toBe(0);
    await bob.sync();
    expect(await bob.get('cases', b.id)).toMatchObject({ links: [a.id] });
    // Bob's device thinks he is the street: the server knows his role over his grid.
    const c = await bob.create(
      'cases',
      GRID_B,
      caseData({ caseNo: 'RX20261101-000013', gridCode: GRID_B }),
    );
    await runCaseOperation(bob.db, c.id, { type: 'link', otherCaseId: b.id }, actor(bob, 'street'));
    expect((await bob.sync()).rejected).toBe(1);
    expect(await bob.db.rejections.toArray()).toEqual([
      expect.objectContaining({ recordId: c.id, code: 'forbidden' }),
    ]);
    expect(await bob.get('cases', c.id)).not.toHaveProperty('links', [b.id]);
  });
});
