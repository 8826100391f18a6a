import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '@shared/domain/account';
import { formatHlc } from '@shared/sync/hlc';
import type { Mutation } from '@shared/sync/protocol';
import { createSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/types';
import { testSyncAuth } from './testing';
import { type SyncAuth, push } from './sync';

/** Plain writes to the case tables: intake only — the loop's steps go through `case.op`. */

const DEVICE = '0190a5d0-7c2e-7a4b-9c1d-2e3f4a5b6c7d';
const STREET = '110101010000';
const GRID = '110101010027001';
const CASE_ID = '0190a5d0-0000-7000-8000-00000000c101';
const T0 = new Date('2026-11-02T02:00:00.000Z');
const AT = T0.toISOString();

function authFor(role: Role, scope: string, departmentId: string | null = null): SyncAuth {
  return testSyncAuth({
    memberships: [{ scope, role }],
    deviceId: DEVICE,
    userId: '0190a5d0-0000-7000-8000-0000000000b1',
    displayName: '李娜',
    departmentId,
    at: T0,
  });
}

const receivedCase = (extra: Record<string, unknown> = {}) => ({
  caseNo: 'XC20261102-00C101',
  source: 'patrol',
  workOrderNo: null,
  category: '0102',
  description: '楼道堆物',
  address: '和平里七区3号楼',
  location: null,
  reporterName: null,
  reporterPhone: null,
  gridCode: GRID,
  communityCode: '110101010027',
  streetCode: STREET,
  householdId: null,
  status: 'received',
  receivedAt: AT,
  responseDeadline: null,
  handleDeadline: null,
  leadDepartmentId: null,
  coDepartmentIds: [],
  respondedAt: null,
  resolvedAt: null,
  closedAt: null,
  followUp: null,
  supervised: false,
  reopenCount: 0,
  ...extra,
});

const eventId = (n: number) => `0190a5d0-0000-7000-8000-0000000e${String(n).padStart(4, '0')}`;
const event = (type: string) => ({
  caseId: CASE_ID,
  type,
  at: AT,
  actorId: '0190a5d0-0000-7000-8000-0000000000b1',
  actorName: '李娜',
  departmentId: null,
  reason: '',
  data: {},
});

let seq = 0;
function create(
  table: 'cases' | 'caseEvents',
  recordId: string,
  fields: Record<string, unknown>,
): Mutation {
  seq += 1;
  return {
    seq,
    op: 'create',
    table,
    recordId,
    scope: GRID,
    fields,
    base: {},
    hlc: formatHlc({ ms: T0.getTime() + seq, counter: 0, node: 'dev' }),
    actorId: '0190a5d0-0000-7000-8000-0000000000b1',
    at: AT,
  };
}

let storage: Storage;
const send = async (auth: SyncAuth, ...mutations: Mutation[]) =>
  (await push(storage, auth, { deviceId: DEVICE, mutations }, T0)).results;
const storedCase = () => storage.transaction((tx) => tx.getRow('cases', CASE_ID));

beforeEach(async () => {
  storage = createSqliteStorage(':memory:');
  await storage.migrate();
});
afterEach(async () => {
  await storage.close();
});

describe('plain writes to the case tables', () => {
  const gridWorker = authFor('grid-worker', GRID);

  it('accepts a case created as received with its received event', async () => {
    const results = await send(
      gridWorker,
      create('cases', CASE_ID, receivedCase()),
      create('caseEvents', eventId(1), event('received')),
    );
    expect(results.map((r) => [r.status, r.reason, r.reasonKey])).toEqual([
      ['applied', undefined, undefined],
      ['applied', undefined, undefined],
    ]);
    expect(await storedCase()).toBeDefined();
  });

  it('refuses a case created already resolved, with the reason, writing nothing', async () => {
    const [result] = await send(
      gridWorker,
      create('cases', CASE_ID, receivedCase({ status: 'resolved', resolvedAt: AT })),
    );
    expect(result).toMatchObject({ status: 'rejected', code: 'illegal-transition' });
    expect(result?.reason).toContain('status, resolvedAt');
    expect(result).toMatchObject({
      reasonKey: 'createPastIntake',
      reasonParams: { fields: 'status, resolvedAt' },
    });
    expect(await storedCase()).toBeUndefined();
  });

  it('refuses a step’s event written as a plain row', async () => {
    await send(gridWorker, create('cases', CASE_ID, receivedCase()));
    const [result] = await send(gridWorker, create('caseEvents', eventId(2), event('resolved')));
    expect(result).toMatchObject({ status: 'rejected', code: 'illegal-transition' });
    const stored = await storage.transaction((tx) => tx.getRow('caseEvents', eventId(2)));
    expect(stored).toBeUndefined();
  });

  it('keeps department liaisons to case steps: a plain timeline row is forbidden', async () => {
    await send(gridWorker, create('cases', CASE_ID, receivedCase()));
    const liaison = authFor('department', STREET, '0190a5d0-0000-7000-8000-00000000d001');
    const [result] = await send(liaison, create('caseEvents', eventId(3), event('note')));
    expect(result).toMatchObject({ status: 'rejected', code: 'forbidden' });
  });
});
