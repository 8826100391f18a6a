import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '@shared/domain/account';
import type { EntityTable } from '@shared/domain/entities';
import { formatHlc } from '@shared/sync/hlc';
import type { Mutation, MutationResult } from '@shared/sync/protocol';
import { createSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/types';
import { testSyncAuth } from './testing';
import { type SyncAuth, actorsFor, pull, push } from './sync';

/** `case.op` in the sync service: roles, refusals, the events it writes, replays. */

const DEVICE = '0190a5d0-7c2e-7a4b-9c1d-2e3f4a5b6c7d';
const STREET = '110101010000';
const GRID = '110101010027001';
const CASE_ID = '0190a5d0-0000-7000-8000-00000000c001';
const DEPT = '0190a5d0-0000-7000-8000-00000000d001';
const OTHER_DEPT = '0190a5d0-0000-7000-8000-00000000d002';
const T0 = new Date('2026-11-02T02:00:00.000Z');
const AT = '2026-11-02T02:05:00.000Z';

function authFor(
  role: Role,
  scope: string,
  departmentId: string | null = null,
  userId = '0190a5d0-0000-7000-8000-0000000000a1',
): SyncAuth {
  return testSyncAuth({
    memberships: [{ scope, role }],
    deviceId: DEVICE,
    userId,
    displayName: `${role}用户`,
    departmentId,
    at: T0,
  });
}

const dispatcher = authFor('street', STREET, null, '0190a5d0-0000-7000-8000-0000000000a1');
const liaison = authFor('department', STREET, DEPT, '0190a5d0-0000-7000-8000-0000000000a2');
const otherLiaison = authFor(
  'department',
  STREET,
  OTHER_DEPT,
  '0190a5d0-0000-7000-8000-0000000000a3',
);
const gridWorker = authFor('grid-worker', GRID, null, '0190a5d0-0000-7000-8000-0000000000a4');

function caseRow(extra: Record<string, unknown> = {}) {
  return {
    id: CASE_ID,
    scope: GRID,
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    deleted: false,
    hlc: formatHlc({ ms: T0.getTime(), counter: 0, node: 'seed' }),
    caseNo: 'RX20261101-000001',
    source: 'hotline',
    workOrderNo: null,
    category: '0102',
    description: '垃圾未清运',
    address: '和平里七区3号楼',
    location: [116.418, 39.955],
    reporterName: null,
    reporterPhone: null,
    gridCode: GRID,
    communityCode: '110101010027',
    streetCode: STREET,
    householdId: null,
    status: 'received',
    receivedAt: '2026-11-01T00:00:00.000Z',
    ...extra,
  };
}

let seq = 0;
let idCounter = 0;
const eventId = () => `0190a5d0-0000-7000-8000-${String(++idCounter).padStart(12, '0')}`;

function step(
  op: Record<string, unknown>,
  patch: Partial<{ eventIds: string[]; table: EntityTable; seq: number; at: string }> = {},
): Mutation {
  seq += 1;
  return {
    seq: patch.seq ?? seq,
    op: 'workflow',
    name: 'case.op',
    args: { op, eventIds: patch.eventIds ?? [eventId()] },
    table: patch.table ?? 'cases',
    recordId: CASE_ID,
    scope: GRID,
    hlc: formatHlc({ ms: T0.getTime() + seq, counter: 0, node: 'dev' }),
    actorId: '0190a5d0-0000-7000-8000-0000000000a1',
    at: patch.at ?? AT,
  };
}

let storage: Storage;
const send = async (auth: SyncAuth, ...mutations: Mutation[]): Promise<MutationResult[]> =>
  (await push(storage, auth, { deviceId: DEVICE, mutations }, T0)).results;
const storedCase = async () =>
  (await storage.transaction((tx) => tx.getRow('cases', CASE_ID)))?.record;
async function events() {
  const page = await pull(storage, dispatcher, { deviceId: DEVICE, cursors: {} }, 1000);
  return page.changes.flatMap((c) => ('kind' in c || c.table !== 'caseEvents' ? [] : [c.record]));
}

beforeEach(async () => {
  storage = createSqliteStorage(':memory:');
  await storage.migrate();
  await storage.transaction((tx) => tx.putRow('cases', CASE_ID, GRID, caseRow()));
});
afterEach(async () => {
  await storage.close();
});

describe('case.op', () => {
  it('maps memberships to the operation roles, with the user’s department', () => {
    expect(actorsFor(liaison, GRID)).toEqual([
      { id: liaison.user.id, name: 'department用户', role: 'department', departmentId: DEPT },
    ]);
    expect(actorsFor(gridWorker, GRID).map((a) => a.role)).toEqual(['grid-worker']);
    expect(actorsFor(gridWorker, '110101010027002')).toEqual([]);
  });

  it('runs dispatch → sign → start → resolve, writing the fields and one event per step', async () => {
    const ids = [eventId(), eventId(), eventId(), eventId()];
    const results = [
      ...(await send(
        dispatcher,
        step({ type: 'dispatch', leadDepartmentId: DEPT }, { eventIds: [ids[0] ?? ''] }),
      )),
      ...(await send(liaison, step({ type: 'sign' }, { eventIds: [ids[1] ?? ''] }))),
      ...(await send(liaison, step({ type: 'start' }, { eventIds: [ids[2] ?? ''] }))),
      ...(await send(
        liaison,
        step({ type: 'resolve', result: '已清运' }, { eventIds: [ids[3] ?? ''] }),
      )),
    ];
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(await storedCase()).toMatchObject({
      status: 'resolved',
      leadDepartmentId: DEPT,
      respondedAt: AT,
      resolvedAt: AT,
    });
    const timeline = await events();
    expect(timeline.map((e) => [e.id, e.type, e.actorId, e.scope, e.at])).toEqual([
      [ids[0], 'dispatched', dispatcher.user.id, GRID, AT],
      [ids[1], 'signed', liaison.user.id, GRID, AT],
      [ids[2], 'started', liaison.user.id, GRID, AT],
      [ids[3], 'resolved', liaison.user.id, GRID, AT],
    ]);
  });

  it('answers a replay as duplicate and writes no second event', async () => {
    const dispatch = step({ type: 'dispatch', leadDepartmentId: DEPT });
    expect((await send(dispatcher, dispatch))[0]?.status).toBe('applied');
    expect((await send(dispatcher, dispatch))[0]?.status).toBe('duplicate');
    // The same event ids under a new mutation number: refused, not written twice.
    const again = { ...dispatch, seq: dispatch.seq + 100 };
    const [answer] = await send(dispatcher, again);
    expect(answer).toMatchObject({ status: 'rejected', code: 'illegal-transition' });
    expect(await events()).toHaveLength(1);
  });

  it('refuses each kind of illegal step with a named code, the server row and nothing written', async () => {
    const before = await storedCase();
    // The step's own refusals carry their message key and raw parameters for the app.
    const keyed: [SyncAuth, Mutation, string, string, Record<string, string>][] = [
      [
        gridWorker,
        step({ type: 'dispatch', leadDepartmentId: DEPT }),
        'forbidden',
        'streetOnly',
        { op: 'dispatch' },
      ],
      [
        dispatcher,
        step({ type: 'follow-up', contacted: false, resolved: null, satisfaction: null }),
        'illegal-transition',
        'followUpWrongStatus',
        { status: 'received' },
      ],
      [
        dispatcher,
        step({ type: 'archive' }),
        'illegal-transition',
        'archiveWrongStatus',
        { status: 'received' },
      ],
    ];
    for (const [auth, mutation, code, reasonKey, reasonParams] of keyed) {
      const [answer] = await send(auth, mutation);
      expect(answer).toMatchObject({ status: 'rejected', code, reasonKey, reasonParams });
    }
    const cases: [SyncAuth, Mutation, string][] = [
      // grid worker may not dispatch: role
      [gridWorker, step({ type: 'dispatch', leadDepartmentId: DEPT }), 'forbidden'],
      // not dispatched yet: state
      [dispatcher, step({ type: 'archive' }), 'illegal-transition'],
      // a reason is required: args
      [dispatcher, step({ type: 'supervise', reason: '' }), 'invalid-record'],
      [dispatcher, step({ type: 'teleport' }), 'invalid-record'],
      // one event, two ids
      [
        dispatcher,
        step({ type: 'dispatch', leadDepartmentId: DEPT }, { eventIds: [eventId(), eventId()] }),
        'invalid-record',
      ],
      // only cases
      [dispatcher, step({ type: 'sign' }, { table: 'needs' }), 'unknown-operation'],
    ];
    for (const [auth, mutation, code] of cases) {
      const [answer] = await send(auth, mutation);
      expect(answer, JSON.stringify(mutation.op === 'workflow' && mutation.args)).toMatchObject({
        status: 'rejected',
        code,
      });
      expect(answer?.reason).toBeTruthy();
    }
    expect(await storedCase()).toEqual(before);
    expect(await events()).toEqual([]);
    // A case the server does not have (deleted there, or never sent).
    await storage.transaction((tx) =>
      tx.putRow('cases', CASE_ID, GRID, caseRow({ deleted: true })),
    );
    const [missing] = await send(dispatcher, step({ type: 'dispatch', leadDepartmentId: DEPT }));
    expect(missing).toMatchObject({
      status: 'rejected',
      code: 'not-found',
      reasonKey: 'caseMissingOnServer',
      reasonParams: { id: CASE_ID },
    });
    await storage.transaction((tx) => tx.putRow('cases', CASE_ID, GRID, caseRow()));
    // The retired name is answered, not silently applied.
    const [old] = await send(dispatcher, {
      ...step({}),
      name: 'case.transition',
      args: { to: 'dispatched' },
    } as Mutation);
    expect(old).toMatchObject({ status: 'rejected', code: 'unknown-operation' });
  });

  it('lets only the lead department’s liaison take handler steps; co-departments report progress', async () => {
    await send(
      dispatcher,
      step({ type: 'dispatch', leadDepartmentId: DEPT, coDepartmentIds: [OTHER_DEPT] }),
    );
    const [sign] = await send(otherLiaison, step({ type: 'sign' }));
    expect(sign).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(sign?.record).toMatchObject({ status: 'dispatched' });
    const [progress] = await send(otherLiaison, step({ type: 'progress', note: '协办已到场' }));
    expect(progress?.status).toBe('applied');
    const [byOwner] = await send(liaison, step({ type: 'sign' }));
    expect(byOwner?.status).toBe('applied');
  });

  it('runs 吹哨 → 报到: the summoned department reports in once, others are refused', async () => {
    await send(dispatcher, step({ type: 'dispatch', leadDepartmentId: DEPT }));
    const reportBy = '2026-11-03T02:00:00.000Z';
    const [whistle] = await send(
      dispatcher,
      step({ type: 'whistle', departmentIds: [OTHER_DEPT], reportBy, reason: '需联合执法' }),
    );
    expect(whistle?.status).toBe('applied');
    expect(await storedCase()).toMatchObject({
      status: 'dispatched',
      summons: [{ at: AT, departmentIds: [OTHER_DEPT], reportBy, reported: [] }],
    });
    // The lead department was not summoned.
    const [notSummoned] = await send(liaison, step({ type: 'report-in', note: '到场' }));
    expect(notSummoned).toMatchObject({
      status: 'rejected',
      code: 'forbidden',
      reasonKey: 'summonedOnly',
      reasonParams: {},
    });
    const [reportIn] = await send(otherLiaison, step({ type: 'report-in', note: '已到现场' }));
    expect(reportIn?.status).toBe('applied');
    const [again] = await send(otherLiaison, step({ type: 'report-in', note: '再次报到' }));
    expect(again).toMatchObject({ status: 'rejected', code: 'illegal-transition' });
    expect(await storedCase()).toMatchObject({
      summons: [{ reported: [{ departmentId: OTHER_DEPT, at: AT }] }],
    });
    const timeline = await events();
    expect(timeline.map((e) => [e.type, e.actorId, e.departmentId, e.data])).toEqual([
      ['dispatched', dispatcher.user.id, null, expect.anything()],
      ['whistle-blown', dispatcher.user.id, null, { departmentIds: [OTHER_DEPT], reportBy }],
      ['reported-in', otherLiaison.user.id, OTHER_DEPT, { departmentId: OTHER_DEPT }],
    ]);
    // The summons is a loop field: no plain update changes it.
    seq += 1;
    const [plain] = await send(dispatcher, {
      seq,
      op: 'update',
      table: 'cases',
      recordId: CASE_ID,
      scope: GRID,
      fields: { summons: [] },
      base: {},
      hlc: formatHlc({ ms: T0.getTime() + seq, counter: 0, node: 'dev' }),
      actorId: dispatcher.user.id,
      at: AT,
    });
    expect(plain).toMatchObject({
      status: 'rejected',
      code: 'illegal-transition',
      reasonKey: 'loopFieldsStepOnly',
      reasonParams: { fields: 'summons' },
    });
  });

  it('refuses a plain update of the loop fields, but not of the others', async () => {
    const plain = (fields: Record<string, unknown>): Mutation => {
      seq += 1;
      return {
        seq,
        op: 'update',
        table: 'cases',
        recordId: CASE_ID,
        scope: GRID,
        fields,
        base: {},
        hlc: formatHlc({ ms: T0.getTime() + seq, counter: 0, node: 'dev' }),
        actorId: dispatcher.user.id,
        at: AT,
      };
    };
    const [status] = await send(dispatcher, plain({ status: 'archived' }));
    expect(status).toMatchObject({ status: 'rejected', code: 'illegal-transition' });
    const [address] = await send(dispatcher, plain({ address: '和平里七区4号楼' }));
    expect(address?.status).toBe('applied');
  });
});

describe('department liaisons', () => {
  const household = (): Mutation => {
    seq += 1;
    return {
      seq,
      op: 'create',
      table: 'households',
      recordId: eventId(),
      scope: GRID,
      fields: {},
      base: {},
      hlc: formatHlc({ ms: T0.getTime() + seq, counter: 0, node: 'dev' }),
      actorId: liaison.user.id,
      at: AT,
    };
  };

  it('may not write registry tables nor move records', async () => {
    const [create] = await send(liaison, household());
    expect(create).toMatchObject({
      status: 'rejected',
      code: 'forbidden',
      reason: 'a department liaison may not write households',
      reasonKey: 'liaisonTable',
      reasonParams: { table: 'households' },
    });
    const [move] = await send(liaison, {
      ...step({}),
      table: 'households',
      name: 'record.rescope',
      args: { toScope: '110101010027002' },
    } as Mutation);
    expect(move).toMatchObject({
      status: 'rejected',
      code: 'forbidden',
      reasonKey: 'liaisonWorkflow',
      reasonParams: { table: 'households', workflow: 'record.rescope' },
    });
  });

  it('keeps its other roles: a liaison who is also a grid worker writes the registry', async () => {
    const both: SyncAuth = {
      ...liaison,
      memberships: [
        ...liaison.memberships,
        ...gridWorker.memberships.map((m) => ({ ...m, id: 'm2', userId: liaison.user.id })),
      ],
    };
    const [create] = await send(both, household());
    // Not refused for the role (the empty household is then invalid, which is the schema's word).
    expect(create).toMatchObject({ status: 'rejected', code: 'invalid-record' });
  });
});

describe('case.op naming another case: 合并 and 关联', () => {
  const GRID2 = '110101010027002';
  const MAIN_ID = '0190a5d0-0000-7000-8000-00000000c0aa';
  const FAR_ID = '0190a5d0-0000-7000-8000-00000000c0bb';
  const FAR_STREET = '110101002000';
  const FAR_GRID = '110101002001001';

  /** A step on any case (the suite's `step` works on CASE_ID only). */
  function stepOn(
    caseId: string,
    scope: string,
    op: Record<string, unknown>,
    eventIds: string[],
  ): Mutation {
    seq += 1;
    return {
      ...step(op, { eventIds }),
      seq,
      recordId: caseId,
      scope,
    };
  }
  const caseOf = async (id: string) =>
    (await storage.transaction((tx) => tx.getRow('cases', id)))?.record;

  beforeEach(async () => {
    await storage.transaction(async (tx) => {
      await tx.putRow(
        'cases',
        MAIN_ID,
        GRID2,
        caseRow({ id: MAIN_ID, scope: GRID2, gridCode: GRID2, caseNo: 'RX20261031-000009' }),
      );
      await tx.putRow(
        'cases',
        FAR_ID,
        FAR_GRID,
        caseRow({
          id: FAR_ID,
          scope: FAR_GRID,
          gridCode: FAR_GRID,
          communityCode: FAR_GRID.slice(0, 12),
          streetCode: FAR_STREET,
          caseNo: 'RX20261031-000010',
        }),
      );
    });
  });

  it('merges a duplicate: it closes into the main case, whose timeline tells it in its own scope', async () => {
    await send(dispatcher, step({ type: 'dispatch', leadDepartmentId: DEPT }));
    const ids = [eventId(), eventId()];
    const mainBefore = await caseOf(MAIN_ID);
    const [merged] = await send(
      dispatcher,
      step({ type: 'merge', intoCaseId: MAIN_ID, reason: '同一事项重复来电' }, { eventIds: ids }),
    );
    expect(merged?.status).toBe('applied');
    expect(await storedCase()).toMatchObject({
      status: 'archived',
      mergedIntoId: MAIN_ID,
      closedAt: AT,
    });
    expect(await caseOf(MAIN_ID)).toEqual(mainBefore);
    const timeline = (await events()).filter((e) => e.type === 'merged');
    expect(timeline.map((e) => [e.id, e.caseId, e.scope, e.data])).toEqual([
      [ids[0], CASE_ID, GRID, { intoCaseId: MAIN_ID, intoCaseNo: 'RX20261031-000009' }],
      [ids[1], MAIN_ID, GRID2, { fromCaseId: CASE_ID, fromCaseNo: 'RX20261101-000001' }],
    ]);
    // Nothing merges into the merged duplicate any more.
    const [into] = await send(
      dispatcher,
      stepOn(MAIN_ID, GRID2, { type: 'merge', intoCaseId: CASE_ID, reason: '重复' }, [
        eventId(),
        eventId(),
      ]),
    );
    expect(into).toMatchObject({ status: 'rejected', code: 'illegal-transition' });
    expect(into?.reason).toContain('itself merged');
  });

  it('refuses an illegal merge on the server’s copy of both cases, writing nothing', async () => {
    // The main case is merged elsewhere on the server (another device did it first).
    await storage.transaction((tx) =>
      tx.putRow(
        'cases',
        MAIN_ID,
        GRID2,
        caseRow({
          id: MAIN_ID,
          scope: GRID2,
          gridCode: GRID2,
          caseNo: 'RX20261031-000009',
          status: 'archived',
          mergedIntoId: FAR_ID,
        }),
      ),
    );
    const before = await storedCase();
    const streetInOneGrid = authFor('street', GRID, null, '0190a5d0-0000-7000-8000-0000000000a5');
    const merge = (intoCaseId: string) =>
      step({ type: 'merge', intoCaseId, reason: '重复来电' }, { eventIds: [eventId(), eventId()] });
    const cases: [SyncAuth, Mutation, string, string][] = [
      [dispatcher, merge(MAIN_ID), 'illegal-transition', 'itself merged'],
      [dispatcher, merge(CASE_ID), 'invalid-record', 'itself'],
      [dispatcher, merge('0190a5d0-0000-7000-8000-00000000c0cc'), 'not-found', 'does not exist'],
      [dispatcher, merge(FAR_ID), 'invalid-record', 'another street'],
      [gridWorker, merge(MAIN_ID), 'forbidden', 'street'],
    ];
    for (const [auth, mutation, code, reason] of cases) {
      const [answer] = await send(auth, mutation);
      expect(answer, JSON.stringify(mutation.op === 'workflow' && mutation.args)).toMatchObject({
        status: 'rejected',
        code,
        reason: expect.stringContaining(reason),
      });
    }
    // A street role over this grid only: no say over the main case's grid.
    await storage.transaction((tx) =>
      tx.putRow(
        'cases',
        MAIN_ID,
        GRID2,
        caseRow({ id: MAIN_ID, scope: GRID2, gridCode: GRID2, caseNo: 'RX20261031-000009' }),
      ),
    );
    const [narrow] = await send(streetInOneGrid, merge(MAIN_ID));
    expect(narrow).toMatchObject({
      status: 'rejected',
      code: 'forbidden',
      reasonKey: 'noRoleOverRelated',
      reasonParams: { caseNo: 'RX20261031-000009', op: 'merge' },
    });
    expect(await storedCase()).toEqual(before);
    expect(await events()).toEqual([]);
  });

  it('links two cases with one step on each, and refuses linking them twice', async () => {
    const ids = [eventId(), eventId()];
    const results = await send(
      dispatcher,
      step({ type: 'link', otherCaseId: MAIN_ID, note: '同一楼栋' }, { eventIds: [ids[0] ?? ''] }),
      stepOn(MAIN_ID, GRID2, { type: 'link', otherCaseId: CASE_ID, note: '同一楼栋' }, [
        ids[1] ?? '',
      ]),
    );
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await storedCase()).toMatchObject({ links: [MAIN_ID], status: 'received' });
    expect(await caseOf(MAIN_ID)).toMatchObject({ links: [CASE_ID] });
    expect((await events()).map((e) => [e.id, e.caseId, e.scope, e.type, e.data])).toEqual([
      [ids[0], CASE_ID, GRID, 'note', { linkedCaseId: MAIN_ID, linkedCaseNo: 'RX20261031-000009' }],
      [
        ids[1],
        MAIN_ID,
        GRID2,
        'note',
        { linkedCaseId: CASE_ID, linkedCaseNo: 'RX20261101-000001' },
      ],
    ]);
    const [again] = await send(dispatcher, step({ type: 'link', otherCaseId: MAIN_ID }));
    expect(again).toMatchObject({ status: 'rejected', code: 'illegal-transition' });
    const [far] = await send(dispatcher, step({ type: 'link', otherCaseId: FAR_ID }));
    expect(far).toMatchObject({ status: 'rejected', code: 'invalid-record' });
  });
});
