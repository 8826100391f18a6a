import { describe, expect, it } from 'vitest';
import type { CaseStatus } from '../domain/case';
import {
  type CaseOperationResult,
  type CaseState,
  type RelatedCase,
  MAX_LINKS,
  applyCaseOperation,
  mayAct,
  summonsOf,
} from './applyCaseOperation';
import { CASE_OPERATION_TYPES, type CaseActor, type CaseOperationInput } from './operations';
import { REFUSAL_TEMPLATES, type RefusalKey, fillTemplate, templateParams } from './refusals';
import { checkCaseTransition } from './transitions';

const DEPT = '01900000-0000-7000-8000-00000000d001';
const OTHER_DEPT = '01900000-0000-7000-8000-00000000d002';
const CO_DEPT = '01900000-0000-7000-8000-00000000d003';
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
const otherLiaison: CaseActor = {
  ...liaison,
  id: '01900000-0000-7000-8000-0000000000a3',
  departmentId: OTHER_DEPT,
};
const coLiaison: CaseActor = {
  ...liaison,
  id: '01900000-0000-7000-8000-0000000000a4',
  departmentId: CO_DEPT,
};
const gridWorker: CaseActor = {
  id: '01900000-0000-7000-8000-0000000000a5',
  name: '王网格',
  role: 'grid-worker',
  departmentId: null,
};
const community: CaseActor = {
  ...gridWorker,
  id: '01900000-0000-7000-8000-0000000000a6',
  role: 'community',
};
const admin: CaseActor = { ...street, id: '01900000-0000-7000-8000-0000000000a7', role: 'admin' };

// Monday 2026-11-30 10:00 Beijing.
const RECEIVED = '2026-11-30T02:00:00.000Z';
const NOW = new Date('2026-12-01T02:00:00.000Z');

const STREET = '110105001000';
const MAIN_ID = '01900000-0000-7000-8000-00000000c0aa';
/** The other case of 合并 and 关联 tests: an open case in the same street. */
const MAIN: RelatedCase = {
  id: MAIN_ID,
  caseNo: 'RX20261129-000009',
  streetCode: STREET,
  status: 'handling',
  mergedIntoId: null,
};

function aCase(overrides: Partial<CaseState> = {}): CaseState {
  return {
    id: '01900000-0000-7000-8000-00000000c001',
    caseNo: 'SL20261130-00C001',
    streetCode: STREET,
    category: '0102', // 垃圾积存清运: 24 h response, 2 workdays to handle
    status: 'received',
    receivedAt: RECEIVED,
    leadDepartmentId: null,
    coDepartmentIds: [],
    responseDeadline: '2026-12-01T02:00:00.000Z',
    handleDeadline: '2026-12-02T16:00:00.000Z',
    respondedAt: null,
    followUp: null,
    supervised: false,
    reopenCount: 0,
    extensionRequest: null,
    ...overrides,
  };
}

/** Applies steps in order, folding each patch into the case; fails the test on a refusal. */
function run(c: CaseState, steps: [CaseOperationInput, CaseActor, Date?][]) {
  let current = c;
  const events: string[] = [];
  for (const [op, actor, at] of steps) {
    const r = applyCaseOperation(current, op, actor, at ?? NOW);
    if (!r.ok) throw new Error(`${op.type} refused: ${r.reason}`);
    current = { ...current, ...r.patch };
    events.push(...r.events.map((e) => e.type));
  }
  return { c: current, events };
}

/**
 * A refusal names its key with exactly the parameters of the key's template, and its English
 * reason is that template filled in: the sentence in logs is the one the app translates.
 */
function expectKeyed(r: CaseOperationResult): void {
  if (r.ok) throw new Error('expected a refusal');
  const template = REFUSAL_TEMPLATES[r.key];
  expect(Object.keys(r.params).sort(), r.key).toEqual([...templateParams(template)].sort());
  expect(r.reason).toBe(fillTemplate(template, r.params));
  expect(r.reason).not.toMatch(/[{}]/);
}

const dispatchTo = (leadDepartmentId: string | null): CaseOperationInput => ({
  type: 'dispatch',
  leadDepartmentId,
});

describe('applyCaseOperation: the main loop', () => {
  it('runs 受理 → 派单 → 签收 → 处置中 → 办结 → 回访 → 归档 with one event per step', () => {
    const { c, events } = run(aCase(), [
      [{ type: 'dispatch', leadDepartmentId: DEPT, coDepartmentIds: [CO_DEPT] }, street],
      [{ type: 'sign' }, liaison],
      [{ type: 'start' }, liaison],
      [{ type: 'progress', note: '已联系物业' }, coLiaison],
      [{ type: 'resolve', result: '垃圾已清运' }, liaison],
      [{ type: 'follow-up', contacted: true, resolved: true, satisfaction: 'satisfied' }, street],
      [{ type: 'archive' }, street],
    ]);
    expect(events).toEqual([
      'dispatched',
      'signed',
      'started',
      'progress',
      'resolved',
      'followed-up',
      'archived',
    ]);
    expect(c).toMatchObject({
      status: 'archived',
      leadDepartmentId: DEPT,
      coDepartmentIds: [CO_DEPT],
      respondedAt: NOW.toISOString(),
      resolvedAt: NOW.toISOString(),
      closedAt: NOW.toISOString(),
      followUp: { contacted: true, resolved: true, satisfaction: 'satisfied' },
    });
  });

  it('lets the grid worker handle a case dispatched to the area (属地)', () => {
    const { c } = run(aCase(), [
      [dispatchTo(null), street],
      [{ type: 'sign' }, gridWorker],
      [{ type: 'start' }, community],
      [{ type: 'resolve', result: '已协调清运' }, gridWorker],
      [{ type: 'follow-up', contacted: false, resolved: null, satisfaction: null }, gridWorker],
    ]);
    expect(c.status).toBe('followed-up');
  });

  it('records who acted, when, why and for which department', () => {
    const r = applyCaseOperation(
      aCase({ status: 'dispatched', leadDepartmentId: DEPT }),
      { type: 'return', reason: '不属于本部门职责' },
      liaison,
      NOW,
    );
    expect(r).toEqual({
      ok: true,
      patch: {
        status: 'returned',
        leadDepartmentId: null,
        coDepartmentIds: [],
        extensionRequest: null,
      },
      events: [
        {
          caseId: '01900000-0000-7000-8000-00000000c001',
          type: 'returned',
          at: NOW.toISOString(),
          actorId: liaison.id,
          actorName: '城管联络员',
          departmentId: DEPT,
          reason: '不属于本部门职责',
          data: { leadDepartmentId: DEPT },
        },
      ],
      warnings: [],
    });
  });

  it('re-dispatches a returned case, keeping the first response time', () => {
    const { c, events } = run(aCase(), [
      [dispatchTo(OTHER_DEPT), street],
      [{ type: 'sign' }, otherLiaison, new Date('2026-11-30T03:00:00.000Z')],
      [{ type: 'return', reason: '应由城管处置' }, otherLiaison],
      [dispatchTo(DEPT), street],
      [{ type: 'sign' }, liaison],
    ]);
    expect(events).toEqual(['dispatched', 'signed', 'returned', 'dispatched', 'signed']);
    expect(c).toMatchObject({ leadDepartmentId: DEPT, respondedAt: '2026-11-30T03:00:00.000Z' });
  });
});

/** One legal case state per status, and an actor who may act on it. */
const STATE_OF: Record<CaseStatus, CaseState> = {
  received: aCase(),
  dispatched: aCase({ status: 'dispatched', leadDepartmentId: DEPT }),
  signed: aCase({ status: 'signed', leadDepartmentId: DEPT, respondedAt: RECEIVED }),
  handling: aCase({ status: 'handling', leadDepartmentId: DEPT, respondedAt: RECEIVED }),
  resolved: aCase({ status: 'resolved', leadDepartmentId: DEPT, respondedAt: RECEIVED }),
  'followed-up': aCase({
    status: 'followed-up',
    leadDepartmentId: DEPT,
    respondedAt: RECEIVED,
    followUp: {
      contacted: true,
      resolved: false,
      satisfaction: 'unsatisfied',
      at: RECEIVED,
      note: '',
    },
  }),
  archived: aCase({ status: 'archived', leadDepartmentId: DEPT, respondedAt: RECEIVED }),
  returned: aCase({ status: 'returned', respondedAt: RECEIVED }),
};

/** A valid example of every operation. */
const EXAMPLE: Record<(typeof CASE_OPERATION_TYPES)[number], CaseOperationInput> = {
  dispatch: dispatchTo(DEPT),
  sign: { type: 'sign' },
  return: { type: 'return', reason: '非本部门职责' },
  start: { type: 'start' },
  progress: { type: 'progress', note: '正在处置' },
  'request-extension': {
    type: 'request-extension',
    deadline: '2026-12-10T16:00:00.000Z',
    reason: '需协调产权单位',
  },
  'approve-extension': { type: 'approve-extension' },
  'refuse-extension': { type: 'refuse-extension', reason: '理由不充分' },
  supervise: { type: 'supervise', reason: '超期未办结' },
  whistle: {
    type: 'whistle',
    departmentIds: [OTHER_DEPT],
    reportBy: '2026-12-02T02:00:00.000Z',
    reason: '需多部门联合执法',
  },
  'report-in': { type: 'report-in', note: '已到现场' },
  resolve: { type: 'resolve', result: '已处置完毕' },
  'follow-up': { type: 'follow-up', contacted: true, resolved: true, satisfaction: 'satisfied' },
  reopen: { type: 'reopen', reason: '回访不满意' },
  archive: { type: 'archive', reason: '多次重办后归档' },
  merge: { type: 'merge', intoCaseId: MAIN_ID, reason: '同一事项重复来电' },
  link: { type: 'link', otherCaseId: MAIN_ID },
};

/** Status moves each operation makes; null = the status stays. */
const MOVES: Record<(typeof CASE_OPERATION_TYPES)[number], [CaseStatus[], CaseStatus | null]> = {
  dispatch: [['received', 'returned'], 'dispatched'],
  sign: [['dispatched'], 'signed'],
  return: [['dispatched', 'signed'], 'returned'],
  start: [['signed'], 'handling'],
  progress: [['received', 'dispatched', 'signed', 'handling'], null],
  'request-extension': [['signed', 'handling'], null],
  'approve-extension': [[], null], // needs a pending request: tested below
  'refuse-extension': [[], null],
  supervise: [[], null], // needs an overdue case: tested below
  whistle: [['dispatched', 'signed', 'handling'], null],
  'report-in': [[], null], // needs a whistle: tested below
  resolve: [['handling'], 'resolved'],
  'follow-up': [['resolved'], 'followed-up'],
  reopen: [['followed-up'], 'handling'],
  archive: [['followed-up'], 'archived'],
  merge: [['received', 'dispatched', 'signed', 'handling', 'returned'], 'archived'],
  link: [
    [
      'received',
      'dispatched',
      'signed',
      'handling',
      'resolved',
      'followed-up',
      'archived',
      'returned',
    ],
    null,
  ],
};

describe('applyCaseOperation: every step from every status', () => {
  const statuses = Object.keys(STATE_OF) as CaseStatus[];
  for (const type of CASE_OPERATION_TYPES) {
    for (const status of statuses) {
      const [from, to] = MOVES[type];
      const legal = from.includes(status);
      it(`${type} from ${status} is ${legal ? 'legal' : 'refused'}`, () => {
        const r = applyCaseOperation(STATE_OF[status], EXAMPLE[type], admin, NOW, MAIN);
        if (legal) {
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.patch.status).toBe(to ?? undefined);
          // 合并 tells both timelines; every other step appends one event.
          expect(r.events).toHaveLength(type === 'merge' ? 2 : 1);
          // Every status change is one the server's transition table accepts.
          if (to) expect(checkCaseTransition(status, to)).toEqual({ ok: true });
        } else {
          expect(r).toMatchObject({ ok: false, code: 'illegal-state', reason: expect.any(String) });
          expectKeyed(r);
        }
      });
    }
  }
});

describe('applyCaseOperation: arguments', () => {
  it.each([
    ['return', { type: 'return', reason: '' }],
    ['return', { type: 'return', reason: '  ' }],
    ['return', { type: 'return' }],
    ['request-extension', { type: 'request-extension', deadline: '2026-12-10T16:00:00.000Z' }],
    ['refuse-extension', { type: 'refuse-extension', reason: '' }],
    ['supervise', { type: 'supervise', reason: '' }],
    ['reopen', { type: 'reopen', reason: '' }],
    ['resolve', { type: 'resolve', result: '' }],
    ['progress', { type: 'progress', note: '' }],
  ])('%s without a reason is refused', (_, op) => {
    expect(applyCaseOperation(STATE_OF.handling, op, admin, NOW)).toMatchObject({
      ok: false,
      code: 'invalid-args',
      reason: expect.stringMatching(/reason|result|progress|required|expected/),
    });
  });

  it('refuses unknown operations, bad ids and bad actors', () => {
    expect(applyCaseOperation(aCase(), { type: 'teleport' }, admin, NOW)).toMatchObject({
      code: 'invalid-args',
    });
    expect(
      applyCaseOperation(aCase(), { type: 'dispatch', leadDepartmentId: 'x' }, street, NOW),
    ).toMatchObject({ code: 'invalid-args', reason: expect.stringContaining('leadDepartmentId') });
    expect(
      applyCaseOperation(aCase(), dispatchTo(DEPT), { ...street, role: 'mayor' }, NOW),
    ).toMatchObject({ code: 'invalid-args', reason: expect.stringContaining('role') });
  });

  it('refuses a lead department that is also a co-handler', () => {
    const op = { type: 'dispatch', leadDepartmentId: DEPT, coDepartmentIds: [DEPT] };
    expect(applyCaseOperation(aCase(), op, street, NOW)).toMatchObject({ code: 'invalid-args' });
  });

  it('refuses inconsistent follow-up answers', () => {
    const resolved = STATE_OF.resolved;
    for (const op of [
      { type: 'follow-up', contacted: false, resolved: true, satisfaction: null },
      { type: 'follow-up', contacted: true, resolved: true, satisfaction: null },
      { type: 'follow-up', contacted: true, resolved: null, satisfaction: 'satisfied' },
    ])
      expect(applyCaseOperation(resolved, op, street, NOW)).toMatchObject({ code: 'invalid-args' });
  });
});

describe('applyCaseOperation: roles', () => {
  const assigned = STATE_OF.dispatched; // lead department DEPT
  const local = aCase({ status: 'dispatched' }); // 属地: no lead department
  const withCo = aCase({ ...STATE_OF.handling, coDepartmentIds: [CO_DEPT] });

  it.each([
    ['dispatch', STATE_OF.received, [street, admin], [liaison, gridWorker, community]],
    ['sign', assigned, [liaison, admin], [otherLiaison, coLiaison, street, gridWorker]],
    ['sign', local, [gridWorker, community], [liaison, street]],
    ['return', assigned, [liaison], [otherLiaison, street, gridWorker]],
    ['start', STATE_OF.signed, [liaison], [coLiaison, street]],
    ['progress', withCo, [liaison, coLiaison, street], [otherLiaison, gridWorker]],
    ['request-extension', STATE_OF.handling, [liaison], [street, coLiaison]],
    ['resolve', STATE_OF.handling, [liaison], [street, otherLiaison, gridWorker]],
    ['follow-up', STATE_OF.resolved, [street, community, gridWorker], [liaison]],
    ['reopen', STATE_OF['followed-up'], [street], [liaison, community, gridWorker]],
    ['archive', STATE_OF['followed-up'], [street], [liaison, community]],
    ['merge', STATE_OF.dispatched, [street, admin], [liaison, community, gridWorker]],
    ['link', STATE_OF.resolved, [street, admin], [liaison, community, gridWorker]],
  ] as const)('%s: allowed and forbidden actors', (type, state, allowed, forbidden) => {
    for (const actor of allowed)
      expect(applyCaseOperation(state, EXAMPLE[type], actor, NOW, MAIN).ok, actor.name).toBe(true);
    for (const actor of forbidden) {
      const r = applyCaseOperation(state, EXAMPLE[type], actor, NOW, MAIN);
      expect(r).toMatchObject({ ok: false, code: 'forbidden' });
      expectKeyed(r);
    }
  });

  it('explains a refusal by role, with the step as a parameter', () => {
    expect(mayAct(STATE_OF.received, 'dispatch', liaison)).toEqual({
      key: 'streetOnly',
      params: { op: 'dispatch' },
      reason: 'only the street office may dispatch a case',
    });
    expect(mayAct(STATE_OF.dispatched, 'sign', otherLiaison)).toMatchObject({
      key: 'leadLiaisonOnly',
      params: { op: 'sign' },
      reason: expect.stringMatching(/lead department/),
    });
    expect(mayAct(STATE_OF.dispatched, 'sign', liaison)).toBe(true);
  });
});

describe('applyCaseOperation: extensions (延期)', () => {
  const asked = '2026-12-10T16:00:00.000Z';
  const request: CaseOperationInput = {
    type: 'request-extension',
    deadline: asked,
    reason: '需协调产权单位',
  };

  it('moves the handle deadline only when the street approves', () => {
    const requested = run(STATE_OF.handling, [[request, liaison]]).c;
    expect(requested.handleDeadline).toBe('2026-12-02T16:00:00.000Z');
    expect(requested.extensionRequest).toMatchObject({ deadline: asked, requestedBy: liaison.id });

    const approved = applyCaseOperation(requested, { type: 'approve-extension' }, street, NOW);
    expect(approved).toMatchObject({
      ok: true,
      patch: { handleDeadline: asked, extensionRequest: null },
      events: [{ type: 'extension-approved', data: { deadline: asked } }],
    });

    const refused = applyCaseOperation(
      requested,
      { type: 'refuse-extension', reason: '可按期办结' },
      street,
      NOW,
    );
    expect(refused).toMatchObject({
      ok: true,
      patch: { extensionRequest: null },
      events: [{ type: 'extension-refused', reason: '可按期办结' }],
    });
    if (refused.ok) expect(refused.patch).not.toHaveProperty('handleDeadline');
  });

  it('refuses a second request, a decision with nothing pending, and a deadline not later', () => {
    const requested = run(STATE_OF.handling, [[request, liaison]]).c;
    expect(applyCaseOperation(requested, request, liaison, NOW)).toMatchObject({
      code: 'illegal-state',
      reason: expect.stringContaining('already'),
    });
    expect(
      applyCaseOperation(STATE_OF.handling, EXAMPLE['approve-extension'], street, NOW),
    ).toMatchObject({
      code: 'illegal-state',
      reason: 'no extension request is waiting',
    });
    expect(
      applyCaseOperation(STATE_OF.handling, EXAMPLE['refuse-extension'], street, NOW),
    ).toMatchObject({
      code: 'illegal-state',
    });
    expect(
      applyCaseOperation(
        STATE_OF.handling,
        { ...request, deadline: '2026-12-01T00:00:00.000Z' },
        liaison,
        NOW,
      ),
    ).toMatchObject({ code: 'invalid-args', reason: expect.stringContaining('later') });
    expect(
      applyCaseOperation(requested, { type: 'approve-extension' }, liaison, NOW),
    ).toMatchObject({
      code: 'forbidden',
    });
  });

  it('drops a pending request when the case is returned or resolved', () => {
    const requested = run(STATE_OF.handling, [[request, liaison]]).c;
    const resolved = run(requested, [[EXAMPLE.resolve, liaison]]).c;
    expect(resolved.extensionRequest).toBeNull();
  });
});

describe('applyCaseOperation: supervision (督办)', () => {
  const late = new Date('2026-12-03T02:00:00.000Z'); // past the 2 Dec handle deadline

  it('flags an overdue case and appends a supervised event', () => {
    const r = applyCaseOperation(STATE_OF.handling, EXAMPLE.supervise, street, late);
    expect(r).toMatchObject({
      ok: true,
      patch: { supervised: true },
      events: [{ type: 'supervised', reason: '超期未办结' }],
    });
  });

  it('supervises an unsigned case whose response deadline passed', () => {
    const r = applyCaseOperation(
      STATE_OF.dispatched,
      EXAMPLE.supervise,
      street,
      new Date('2026-12-01T03:00:00.000Z'),
    );
    expect(r.ok).toBe(true);
  });

  it('refuses to supervise a case on time, a closed case, or by anyone but the street', () => {
    expect(applyCaseOperation(STATE_OF.handling, EXAMPLE.supervise, street, NOW)).toMatchObject({
      code: 'illegal-state',
      reason: expect.stringContaining('overdue'),
    });
    expect(applyCaseOperation(STATE_OF.resolved, EXAMPLE.supervise, street, late)).toMatchObject({
      code: 'illegal-state',
    });
    expect(applyCaseOperation(STATE_OF.handling, EXAMPLE.supervise, liaison, late)).toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('applyCaseOperation: reopening (重办)', () => {
  it('reopens after an unsatisfied follow-up, counts it and restarts the handle clock', () => {
    const { c, events } = run(STATE_OF.resolved, [
      [
        { type: 'follow-up', contacted: true, resolved: false, satisfaction: 'unsatisfied' },
        street,
      ],
      [{ type: 'reopen', reason: '居民反映垃圾仍未清运' }, street],
      [{ type: 'resolve', result: '已彻底清运' }, liaison],
      [
        { type: 'follow-up', contacted: true, resolved: true, satisfaction: 'basically-satisfied' },
        street,
      ],
      [{ type: 'archive' }, street],
    ]);
    expect(events).toEqual(['followed-up', 'reopened', 'resolved', 'followed-up', 'archived']);
    // Tuesday 1 Dec + 2 workdays (Wed, Thu) → midnight Friday 4 Dec Beijing.
    expect(c).toMatchObject({
      status: 'archived',
      reopenCount: 1,
      handleDeadline: '2026-12-03T16:00:00.000Z',
    });
  });

  it('refuses to reopen a satisfied case or an unreached caller', () => {
    const satisfied = aCase({
      ...STATE_OF['followed-up'],
      followUp: {
        contacted: true,
        resolved: true,
        satisfaction: 'satisfied',
        at: RECEIVED,
        note: '',
      },
    });
    expect(applyCaseOperation(satisfied, EXAMPLE.reopen, street, NOW)).toMatchObject({
      code: 'illegal-state',
      reason: expect.stringContaining('unsatisfied'),
    });
    const unreached = aCase({
      ...STATE_OF['followed-up'],
      followUp: { contacted: false, resolved: null, satisfaction: null, at: RECEIVED, note: '' },
    });
    expect(applyCaseOperation(unreached, EXAMPLE.reopen, street, NOW).ok).toBe(false);
  });

  it('archives a failed follow-up only with a reason', () => {
    expect(
      applyCaseOperation(STATE_OF['followed-up'], { type: 'archive' }, street, NOW),
    ).toMatchObject({
      code: 'invalid-args',
      reason: expect.stringContaining('reason'),
    });
  });
});

describe('applyCaseOperation: deadlines', () => {
  it('recounts deadlines from receipt with the rule’s limits, across the Spring Festival', () => {
    // Received Friday 13 Feb 2026, 15:00 Beijing. Saturday 14 Feb is a make-up workday, the
    // festival runs 15–23 Feb: 3 workdays = 14 Feb, 24 Feb, 25 Feb → midnight closing 25 Feb.
    const festive = aCase({ receivedAt: '2026-02-13T07:00:00.000Z' });
    const r = applyCaseOperation(
      festive,
      {
        type: 'dispatch',
        leadDepartmentId: DEPT,
        ruleId: '01900000-0000-7000-8000-00000000e001',
        responseLimit: { value: 24, unit: 'hours' },
        handleLimit: { value: 3, unit: 'workdays' },
      },
      street,
      new Date('2026-02-13T08:00:00.000Z'),
    );
    expect(r).toMatchObject({
      ok: true,
      patch: {
        responseDeadline: '2026-02-14T07:00:00.000Z',
        handleDeadline: '2026-02-25T16:00:00.000Z',
      },
      events: [{ data: { ruleId: '01900000-0000-7000-8000-00000000e001' } }],
      warnings: [],
    });
  });

  it('warns when a deadline falls beyond the holiday calendar', () => {
    const late = aCase({ receivedAt: '2027-03-01T02:00:00.000Z' });
    const r = applyCaseOperation(
      late,
      { type: 'dispatch', leadDepartmentId: DEPT, handleLimit: { value: 5, unit: 'workdays' } },
      street,
      new Date('2027-03-01T03:00:00.000Z'),
    );
    expect(r).toMatchObject({
      ok: true,
      warnings: [
        { code: 'beyond-calendar', deadline: 'handle', at: expect.stringMatching(/^2027-03/) },
      ],
    });
    // A year-end reopen whose deadline spills into the unknown year warns too.
    const reopened = applyCaseOperation(
      STATE_OF['followed-up'],
      EXAMPLE.reopen,
      street,
      new Date('2026-12-30T02:00:00.000Z'),
    );
    expect(reopened).toMatchObject({ ok: true, warnings: [{ code: 'beyond-calendar' }] });
  });

  it('keeps the intake deadlines when the dispatch carries no limits', () => {
    const r = applyCaseOperation(aCase(), dispatchTo(DEPT), street, NOW);
    expect(r.ok && r.patch).not.toHaveProperty('handleDeadline');
  });
});

describe('applyCaseOperation: 吹哨报到', () => {
  const REPORT_BY = '2026-12-02T02:00:00.000Z';
  const blow: CaseOperationInput = {
    type: 'whistle',
    departmentIds: [OTHER_DEPT, CO_DEPT],
    reportBy: REPORT_BY,
    reason: '需多部门联合执法',
  };
  const reportIn: CaseOperationInput = { type: 'report-in', note: '已派执法队员到场' };
  const LATER = new Date('2026-12-01T03:00:00.000Z');

  it('summons departments with one whistle-blown event and keeps the summons on the case', () => {
    const r = applyCaseOperation(STATE_OF.handling, blow, street, NOW);
    expect(r).toMatchObject({
      ok: true,
      patch: {
        summons: [
          {
            at: NOW.toISOString(),
            departmentIds: [OTHER_DEPT, CO_DEPT],
            reportBy: REPORT_BY,
            reported: [],
          },
        ],
      },
      events: [
        {
          type: 'whistle-blown',
          actorId: street.id,
          reason: '需多部门联合执法',
          data: { departmentIds: [OTHER_DEPT, CO_DEPT], reportBy: REPORT_BY },
        },
      ],
    });
    expect(r.ok && r.patch.status).toBeUndefined();
  });

  it('lets each summoned liaison report in once, with a reported-in event', () => {
    const { c, events } = run(STATE_OF.handling, [
      [blow, street],
      [reportIn, otherLiaison, LATER],
    ]);
    expect(events).toEqual(['whistle-blown', 'reported-in']);
    expect(c.summons?.[0]?.reported).toEqual([
      { departmentId: OTHER_DEPT, at: LATER.toISOString() },
    ]);
    const r = applyCaseOperation(c, reportIn, coLiaison, LATER);
    expect(r).toMatchObject({
      ok: true,
      events: [{ type: 'reported-in', departmentId: CO_DEPT, data: { departmentId: CO_DEPT } }],
    });
  });

  it('answers the oldest unanswered whistle first', () => {
    const second: CaseOperationInput = { ...blow, departmentIds: [OTHER_DEPT] };
    const { c } = run(STATE_OF.handling, [
      [blow, street],
      [second, street, LATER],
      [reportIn, otherLiaison, LATER],
      [reportIn, otherLiaison, LATER],
    ]);
    expect(c.summons?.map((w) => w.reported.map((r) => r.departmentId))).toEqual([
      [OTHER_DEPT],
      [OTHER_DEPT],
    ]);
    expect(applyCaseOperation(c, reportIn, otherLiaison, LATER)).toMatchObject({
      ok: false,
      code: 'illegal-state',
      reason: expect.stringMatching(/already reported/),
    });
  });

  it('refuses a whistle by anyone but the street, on a case not being handled, or with bad args', () => {
    for (const actor of [liaison, gridWorker, community])
      expect(applyCaseOperation(STATE_OF.handling, blow, actor, NOW)).toMatchObject({
        code: 'forbidden',
      });
    expect(applyCaseOperation(STATE_OF.handling, blow, admin, NOW).ok).toBe(true);
    for (const status of ['received', 'returned', 'resolved', 'archived'] as const)
      expect(applyCaseOperation(STATE_OF[status], blow, street, NOW)).toMatchObject({
        code: 'illegal-state',
      });
    for (const op of [
      { ...blow, departmentIds: [] },
      { ...blow, departmentIds: [DEPT, DEPT] },
      { ...blow, departmentIds: ['x'] },
      { ...blow, reportBy: 'tomorrow' },
      { ...blow, reportBy: NOW.toISOString() },
      { ...blow, reportBy: '2026-11-30T02:00:00.000Z' },
      { ...blow, reason: ' ' },
    ])
      expect(applyCaseOperation(STATE_OF.handling, op, street, NOW)).toMatchObject({
        ok: false,
        code: 'invalid-args',
        reason: expect.any(String),
      });
  });

  it('refuses a report-in from a department not summoned, or with nothing summoned', () => {
    const { c } = run(STATE_OF.handling, [[blow, street]]);
    for (const actor of [liaison, street, gridWorker])
      expect(applyCaseOperation(c, reportIn, actor, LATER)).toMatchObject({
        ok: false,
        code: 'forbidden',
        reason: expect.stringMatching(/summoned/),
      });
    expect(applyCaseOperation(STATE_OF.handling, reportIn, otherLiaison, NOW)).toMatchObject({
      code: 'forbidden',
    });
    expect(applyCaseOperation(c, reportIn, admin, LATER)).toMatchObject({
      code: 'illegal-state',
      reason: expect.stringMatching(/summoned/),
    });
    expect(
      applyCaseOperation(c, { type: 'report-in', note: '' }, otherLiaison, LATER),
    ).toMatchObject({ code: 'invalid-args' });
    expect(
      applyCaseOperation(c, reportIn, otherLiaison, new Date('2026-11-30T02:00:00.000Z')),
    ).toMatchObject({ code: 'illegal-state' }); // before the whistle was blown
    expect(
      applyCaseOperation({ ...c, status: 'resolved' }, reportIn, otherLiaison, LATER),
    ).toMatchObject({ code: 'illegal-state' });
  });
});

describe('summonsOf', () => {
  const REPORT_BY = '2026-12-02T02:00:00.000Z';
  const ev = (
    id: string,
    type: 'whistle-blown' | 'reported-in' | 'progress',
    at: string,
    data: Record<string, unknown> = {},
  ) => ({ id, type, at, actorName: '街道派单员', reason: '', data });
  const events = [
    ev('e3', 'reported-in', '2026-12-01T05:00:00.000Z', { departmentId: OTHER_DEPT }),
    ev('e1', 'whistle-blown', '2026-12-01T02:00:00.000Z', {
      departmentIds: [OTHER_DEPT, CO_DEPT],
      reportBy: REPORT_BY,
    }),
    ev('e2', 'progress', '2026-12-01T04:00:00.000Z'),
  ];

  it('lists who reported in and who has not, in timeline order', () => {
    const [s, ...rest] = summonsOf(events, NOW);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({
      eventId: 'e1',
      reportBy: REPORT_BY,
      reported: [OTHER_DEPT],
      notReported: [CO_DEPT],
      overdue: false,
      departments: [
        { departmentId: OTHER_DEPT, reportedAt: '2026-12-01T05:00:00.000Z', overdue: false },
        { departmentId: CO_DEPT, reportedAt: null, overdue: false },
      ],
    });
  });

  it('flags the departments not reported in once reportBy has passed', () => {
    const [s] = summonsOf(events, new Date('2026-12-02T02:00:01.000Z'));
    expect(s?.overdue).toBe(true);
    expect(s?.departments.map((d) => d.overdue)).toEqual([false, true]);
  });

  it('matches a report-in to the oldest whistle its department has not answered', () => {
    const more = [
      ...events,
      ev('e4', 'whistle-blown', '2026-12-01T06:00:00.000Z', {
        departmentIds: [OTHER_DEPT],
        reportBy: '2026-12-01T08:00:00.000Z',
      }),
      ev('e5', 'reported-in', '2026-12-01T07:00:00.000Z', { departmentId: CO_DEPT }),
    ];
    const [first, second] = summonsOf(more, new Date('2026-12-01T09:00:00.000Z'));
    expect(first?.notReported).toEqual([]);
    expect(second).toMatchObject({ eventId: 'e4', notReported: [OTHER_DEPT], overdue: true });
    expect(summonsOf([], NOW)).toEqual([]);
  });
});

describe('applyCaseOperation: 合并 (merge) and 关联 (link)', () => {
  const duplicate = aCase({ status: 'dispatched', leadDepartmentId: DEPT });
  const merge = (reason = '同一事项重复来电', intoCaseId = MAIN_ID): CaseOperationInput => ({
    type: 'merge',
    intoCaseId,
    reason,
  });

  it('closes the duplicate into the main case and tells both timelines', () => {
    const pending = aCase({
      ...duplicate,
      status: 'handling',
      extensionRequest: {
        requestedAt: RECEIVED,
        requestedBy: liaison.id,
        deadline: '2026-12-10T16:00:00.000Z',
        reason: '需协调',
      },
    });
    const r = applyCaseOperation(pending, merge(), street, NOW, MAIN);
    expect(r).toMatchObject({
      ok: true,
      patch: {
        status: 'archived',
        closedAt: NOW.toISOString(),
        mergedIntoId: MAIN_ID,
        extensionRequest: null,
      },
    });
    if (!r.ok) return;
    expect(r.events).toEqual([
      expect.objectContaining({
        caseId: duplicate.id,
        type: 'merged',
        reason: '同一事项重复来电',
        data: { intoCaseId: MAIN_ID, intoCaseNo: MAIN.caseNo },
      }),
      expect.objectContaining({
        caseId: MAIN_ID,
        type: 'merged',
        actorId: street.id,
        data: { fromCaseId: duplicate.id, fromCaseNo: duplicate.caseNo },
      }),
    ]);
  });

  it('refuses a merge by the wrong role, without a reason, or of a case past 办结', () => {
    expect(applyCaseOperation(duplicate, merge(), liaison, NOW, MAIN)).toMatchObject({
      ok: false,
      code: 'forbidden',
      reason: expect.stringContaining('street'),
    });
    expect(applyCaseOperation(duplicate, merge(''), street, NOW, MAIN)).toMatchObject({
      code: 'invalid-args',
      reason: expect.stringContaining('reason'),
    });
    for (const status of ['resolved', 'followed-up', 'archived'] as const)
      expect(applyCaseOperation(STATE_OF[status], merge(), street, NOW, MAIN)).toMatchObject({
        ok: false,
        code: 'illegal-state',
        reason: expect.stringContaining('办结'),
      });
    const merged = aCase({ status: 'archived', mergedIntoId: MAIN_ID });
    expect(applyCaseOperation(merged, merge(), street, NOW, MAIN)).toMatchObject({
      code: 'illegal-state',
      reason: 'this case is already merged',
    });
  });

  it('refuses a merge into itself, a missing case, a merged or closed case, or another street', () => {
    const refusals: [RelatedCase | null, string, string][] = [
      [{ ...MAIN, id: duplicate.id }, 'invalid-args', 'itself'],
      [null, 'not-found', 'does not exist'],
      [{ ...MAIN, deleted: true }, 'not-found', 'does not exist'],
      [{ ...MAIN, id: OTHER_DEPT }, 'not-found', 'does not exist'], // not the case named
      [{ ...MAIN, status: 'archived', mergedIntoId: OTHER_DEPT }, 'illegal-state', 'itself merged'],
      [{ ...MAIN, status: 'archived' }, 'illegal-state', 'closed'],
      [{ ...MAIN, streetCode: '110105002000' }, 'invalid-args', 'another street'],
    ];
    for (const [related, code, reason] of refusals) {
      const into = related?.id === duplicate.id ? duplicate.id : MAIN_ID;
      expect(
        applyCaseOperation(duplicate, merge(undefined, into), street, NOW, related),
        JSON.stringify(related),
      ).toMatchObject({ ok: false, code, reason: expect.stringContaining(reason) });
    }
    // A resolved main case still takes a duplicate (its answer is read back to both callers).
    expect(
      applyCaseOperation(duplicate, merge(), street, NOW, { ...MAIN, status: 'resolved' }).ok,
    ).toBe(true);
  });

  it('links one side with a note event and refuses linking twice, itself or across streets', () => {
    const link = { type: 'link', otherCaseId: MAIN_ID, note: '同一小区同类问题' } as const;
    const r = applyCaseOperation(STATE_OF.handling, link, street, NOW, MAIN);
    expect(r).toMatchObject({ ok: true, patch: { links: [MAIN_ID] } });
    if (!r.ok) return;
    expect(r.events).toEqual([
      expect.objectContaining({
        caseId: STATE_OF.handling.id,
        type: 'note',
        reason: '同一小区同类问题',
        data: { linkedCaseId: MAIN_ID, linkedCaseNo: MAIN.caseNo },
      }),
    ]);
    const linked = aCase({ ...STATE_OF.handling, links: [MAIN_ID] });
    expect(applyCaseOperation(linked, link, street, NOW, MAIN)).toMatchObject({
      code: 'illegal-state',
      reason: expect.stringContaining('already linked'),
    });
    expect(
      applyCaseOperation(linked, { ...link, otherCaseId: linked.id }, street, NOW, MAIN),
    ).toMatchObject({ code: 'invalid-args', reason: expect.stringContaining('itself') });
    expect(
      applyCaseOperation(STATE_OF.handling, link, street, NOW, { ...MAIN, streetCode: 'x' }),
    ).toMatchObject({ code: 'invalid-args' });
    expect(applyCaseOperation(STATE_OF.handling, link, gridWorker, NOW, MAIN)).toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('applyCaseOperation: refusal keys', () => {
  const late = new Date('2026-12-03T02:00:00.000Z');
  const request = {
    type: 'request-extension',
    deadline: '2026-12-10T16:00:00.000Z',
    reason: '需协调产权单位',
  } as const;
  const pending = aCase({
    ...STATE_OF.handling,
    extensionRequest: {
      requestedAt: RECEIVED,
      requestedBy: liaison.id,
      deadline: '2026-12-10T16:00:00.000Z',
      reason: '需协调',
    },
  });
  const satisfied = aCase({
    ...STATE_OF['followed-up'],
    followUp: {
      contacted: true,
      resolved: true,
      satisfaction: 'satisfied',
      at: RECEIVED,
      note: '',
    },
  });
  const answered = aCase({
    ...STATE_OF.handling,
    summons: [
      {
        at: RECEIVED,
        departmentIds: [OTHER_DEPT],
        reportBy: '2026-12-02T02:00:00.000Z',
        reported: [{ departmentId: OTHER_DEPT, at: RECEIVED }],
      },
    ],
  });
  const merge = { type: 'merge', intoCaseId: MAIN_ID, reason: '同一事项重复来电' } as const;
  const link = { type: 'link', otherCaseId: MAIN_ID } as const;
  const manyLinks = Array.from(
    { length: MAX_LINKS },
    (_, i) => `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`,
  );

  // [case, step, actor, key, params, now?, other case?]
  const cases: [
    CaseState,
    unknown,
    unknown,
    RefusalKey,
    Record<string, string | number> | null,
    Date?,
    RelatedCase?,
  ][] = [
    [aCase(), { type: 'teleport' }, admin, 'invalidOperation', null],
    [aCase(), dispatchTo(DEPT), { ...street, role: 'mayor' }, 'invalidActor', null],
    [STATE_OF.received, dispatchTo(DEPT), liaison, 'streetOnly', { op: 'dispatch' }],
    [
      aCase({ status: 'dispatched' }),
      { type: 'sign' },
      liaison,
      'localHandlerOnly',
      { op: 'sign' },
    ],
    [STATE_OF.dispatched, { type: 'sign' }, otherLiaison, 'leadLiaisonOnly', { op: 'sign' }],
    [STATE_OF.resolved, EXAMPLE['follow-up'], liaison, 'followUpRoles', {}],
    [STATE_OF.handling, EXAMPLE['report-in'], liaison, 'summonedOnly', {}],
    [STATE_OF.handling, EXAMPLE.progress, gridWorker, 'progressRoles', {}],
    [STATE_OF.archived, { type: 'sign' }, admin, 'statusFinal', { from: 'archived' }],
    [
      STATE_OF.received,
      { type: 'sign' },
      admin,
      'statusMove',
      { from: 'received', allowed: 'dispatched, archived', to: 'signed' },
    ],
    [
      aCase(),
      { type: 'dispatch', leadDepartmentId: DEPT, coDepartmentIds: [DEPT] },
      street,
      'leadAlsoCo',
      {},
    ],
    [STATE_OF.resolved, { type: 'start' }, admin, 'startWrongStatus', { status: 'resolved' }],
    [STATE_OF.resolved, EXAMPLE.progress, admin, 'statusNotHandling', { status: 'resolved' }],
    [STATE_OF.dispatched, request, admin, 'extensionWrongStatus', { status: 'dispatched' }],
    [pending, request, liaison, 'extensionPending', {}],
    [
      STATE_OF.handling,
      { ...request, deadline: '2026-12-01T00:00:00.000Z' },
      liaison,
      'extensionNotLater',
      { deadline: '2026-12-02T16:00:00.000Z' },
    ],
    [
      aCase({ ...STATE_OF.handling, handleDeadline: null }),
      { ...request, deadline: '2026-11-30T00:00:00.000Z' },
      liaison,
      'extensionInPast',
      {},
    ],
    [STATE_OF.handling, EXAMPLE['approve-extension'], street, 'noExtensionRequest', {}],
    [
      aCase({ ...pending, status: 'resolved' }),
      EXAMPLE['approve-extension'],
      street,
      'extensionNotNeeded',
      { status: 'resolved' },
    ],
    [
      STATE_OF.resolved,
      EXAMPLE.supervise,
      street,
      'superviseWrongStatus',
      { status: 'resolved' },
      late,
    ],
    [STATE_OF.handling, EXAMPLE.supervise, street, 'notOverdue', {}],
    [STATE_OF.received, EXAMPLE.whistle, street, 'whistleWrongStatus', { status: 'received' }],
    [
      STATE_OF.handling,
      { ...EXAMPLE.whistle, reportBy: '2026-11-30T02:00:00.000Z' },
      street,
      'reportByInPast',
      {},
    ],
    [
      aCase({ ...answered, status: 'resolved' }),
      EXAMPLE['report-in'],
      admin,
      'reportInWrongStatus',
      { status: 'resolved' },
    ],
    [answered, EXAMPLE['report-in'], otherLiaison, 'alreadyReportedIn', {}],
    [answered, EXAMPLE['report-in'], admin, 'notSummonedHere', {}],
    [
      STATE_OF.handling,
      EXAMPLE['follow-up'],
      street,
      'followUpWrongStatus',
      { status: 'handling' },
    ],
    [STATE_OF.resolved, EXAMPLE.reopen, street, 'reopenWrongStatus', { status: 'resolved' }],
    [satisfied, EXAMPLE.reopen, street, 'reopenNeedsFailedFollowUp', {}],
    [
      aCase({ ...STATE_OF['followed-up'], category: '9999' }),
      EXAMPLE.reopen,
      street,
      'unknownCategory',
      { category: '9999' },
    ],
    [STATE_OF.received, EXAMPLE.archive, street, 'archiveWrongStatus', { status: 'received' }],
    [STATE_OF['followed-up'], { type: 'archive' }, street, 'archiveNeedsReason', {}],
    [
      STATE_OF.handling,
      { ...merge, intoCaseId: STATE_OF.handling.id },
      street,
      'relatedSelf',
      {},
      NOW,
      { ...MAIN, id: STATE_OF.handling.id },
    ],
    [STATE_OF.handling, merge, street, 'relatedMissing', { id: MAIN_ID }],
    [
      STATE_OF.handling,
      link,
      street,
      'relatedOtherStreet',
      { caseNo: MAIN.caseNo },
      NOW,
      { ...MAIN, streetCode: '110105002000' },
    ],
    [
      aCase({ ...STATE_OF.handling, mergedIntoId: MAIN_ID }),
      merge,
      street,
      'alreadyMerged',
      {},
      NOW,
      MAIN,
    ],
    [STATE_OF.resolved, merge, street, 'mergeWrongStatus', { status: 'resolved' }, NOW, MAIN],
    [
      STATE_OF.handling,
      merge,
      street,
      'mainMerged',
      { caseNo: MAIN.caseNo },
      NOW,
      { ...MAIN, status: 'archived', mergedIntoId: OTHER_DEPT },
    ],
    [
      STATE_OF.handling,
      merge,
      street,
      'mainClosed',
      { caseNo: MAIN.caseNo },
      NOW,
      { ...MAIN, status: 'archived' },
    ],
    [
      aCase({ ...STATE_OF.handling, links: [MAIN_ID] }),
      link,
      street,
      'alreadyLinked',
      { caseNo: MAIN.caseNo },
      NOW,
      MAIN,
    ],
    [
      aCase({ ...STATE_OF.handling, links: manyLinks }),
      link,
      street,
      'tooManyLinks',
      { max: MAX_LINKS },
      NOW,
      MAIN,
    ],
  ];

  it.each(cases)(
    '%#: refuses with the key and parameters',
    (c, op, actor, key, params, at, other) => {
      const r = applyCaseOperation(c, op, actor, at ?? NOW, other ?? null);
      expect(r).toMatchObject({ ok: false, key, ...(params ? { params } : {}) });
      expectKeyed(r);
    },
  );

  it('keeps the English reasons of earlier versions (logs, and apps without the keys)', () => {
    expect(applyCaseOperation(pending, request, liaison, NOW)).toMatchObject({
      reason: 'an extension request is already waiting for a decision',
    });
    expect(applyCaseOperation(STATE_OF.resolved, EXAMPLE.progress, admin, NOW)).toMatchObject({
      reason: 'a case in status resolved is not being handled',
    });
    expect(applyCaseOperation(STATE_OF.received, { type: 'sign' }, admin, NOW)).toMatchObject({
      reason: 'a case in status received can only move to dispatched, archived, not signed',
    });
  });
});
