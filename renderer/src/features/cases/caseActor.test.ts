import { describe, expect, it } from 'vitest';
import type { CaseActor } from '@shared/cases/operations';
import { makeCase } from '@shared/metrics/fixtures.test-helpers';
import { actorRoles, availableOperations, defaultRole, liaisonDepartment } from './caseActor';

const NOW = new Date('2026-03-10T00:00:00.000Z');
const DEPT = '0190a000-0000-7000-8000-00000000d001';
const OTHER = '0190a000-0000-7000-8000-00000000d002';
const who = (role: CaseActor['role'], departmentId: string | null = null): CaseActor => ({
  id: '0190a000-0000-7000-8000-0000000000ac',
  name: '测试',
  role,
  departmentId,
});

describe('actorRoles', () => {
  it('offers every role on a device nobody signed in to, the street first by default', () => {
    const roles = actorRoles(null);
    expect(roles).toContain('department');
    expect(defaultRole(roles)).toBe('street');
  });
  it('offers a signed-in user only the roles of their memberships', () => {
    const user = { memberships: [{ scope: '110101010001001', role: 'grid-worker' as const }] };
    expect(actorRoles(user)).toEqual(['grid-worker']);
    expect(defaultRole(actorRoles(user))).toBe('grid-worker');
  });
});

describe('liaisonDepartment', () => {
  const scope = '110101010000';
  it('is the department of a signed-in user with a department membership', () => {
    const liaison = { memberships: [{ scope, role: 'department' as const }], departmentId: DEPT };
    expect(liaisonDepartment(liaison)).toBe(DEPT);
  });
  it('is null with nobody signed in, without a department, or without the role', () => {
    expect(liaisonDepartment(null)).toBeNull();
    const noDept = { memberships: [{ scope, role: 'department' as const }], departmentId: null };
    expect(liaisonDepartment(noDept)).toBeNull();
    const street = { memberships: [{ scope, role: 'street' as const }], departmentId: DEPT };
    expect(liaisonDepartment(street)).toBeNull();
  });
});

describe('availableOperations', () => {
  it('lets the street dispatch (or note progress on) a received case, and nobody else', () => {
    const c = makeCase({ status: 'received' });
    expect(availableOperations(c, who('street'), NOW)).toEqual(['dispatch', 'progress']);
    expect(availableOperations(c, who('department', DEPT), NOW)).toEqual([]);
  });
  it('lets only the lead department sign or return a dispatched case', () => {
    const c = makeCase({ status: 'dispatched', leadDepartmentId: DEPT });
    expect(availableOperations(c, who('department', DEPT), NOW)).toEqual(
      expect.arrayContaining(['sign', 'return']),
    );
    expect(availableOperations(c, who('department', DEPT), NOW)).not.toContain('resolve');
    expect(availableOperations(c, who('department', OTHER), NOW)).not.toContain('sign');
  });
  it('walks the lead department through start and resolve once signed', () => {
    const signed = makeCase({ status: 'signed', leadDepartmentId: DEPT });
    expect(availableOperations(signed, who('department', DEPT), NOW)).toContain('start');
    const handling = makeCase({ status: 'handling', leadDepartmentId: DEPT });
    expect(availableOperations(handling, who('department', DEPT), NOW)).toContain('resolve');
    expect(availableOperations(handling, who('department', OTHER), NOW)).not.toContain('resolve');
  });
  it('offers 督办 only on an overdue case, and follow-up only after 办结', () => {
    const late = makeCase({
      status: 'handling',
      leadDepartmentId: DEPT,
      respondedAt: '2026-03-02T02:00:00.000Z',
      handleDeadline: '2026-03-09T00:00:00.000Z',
    });
    expect(availableOperations(late, who('street'), NOW)).toContain('supervise');
    expect(availableOperations(late, who('street'), NOW)).not.toContain('follow-up');
    const resolved = makeCase({ status: 'resolved', leadDepartmentId: DEPT });
    expect(availableOperations(resolved, who('grid-worker'), NOW)).toEqual(['follow-up']);
  });
  it('offers 吹哨 to the street on a dispatched case, and 报到 to a summoned department once', () => {
    const c = makeCase({ status: 'dispatched', leadDepartmentId: DEPT });
    expect(availableOperations(c, who('street'), NOW)).toContain('whistle');
    expect(availableOperations(c, who('department', OTHER), NOW)).not.toContain('report-in');
    const whistle = {
      at: '2026-03-09T00:00:00.000Z',
      departmentIds: [OTHER],
      reportBy: '2026-03-11T00:00:00.000Z',
      reported: [],
    };
    const summons = [whistle];
    const summoned = { ...c, summons };
    expect(availableOperations(summoned, who('department', OTHER), NOW)).toContain('report-in');
    expect(availableOperations(summoned, who('department', DEPT), NOW)).not.toContain('report-in');
    const answered = {
      ...c,
      summons: [{ ...whistle, reported: [{ departmentId: OTHER, at: NOW.toISOString() }] }],
    };
    expect(availableOperations(answered, who('department', OTHER), NOW)).not.toContain('report-in');
  });
});
