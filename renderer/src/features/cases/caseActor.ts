import {
  applyCaseOperation,
  type CaseOperationResult,
  type CaseState,
} from '@shared/cases/applyCaseOperation';
import {
  CASE_OPERATION_TYPES,
  type CaseActor,
  type CaseOperationInput,
  type CaseOperationType,
} from '@shared/cases/operations';
import { type Role, RoleSchema } from '@shared/domain/account';
import type { SessionUser } from '@shared/sync/protocol';

/**
 * The roles a person may work a case as on this device: a signed-in user's membership roles;
 * on a device nobody has signed in to (local or demo use) every role, since there is no server
 * to ask — the server checks each step again when it syncs, so this only shapes the buttons.
 */
export function actorRoles(user: Pick<SessionUser, 'memberships'> | null): Role[] {
  if (user === null) return [...RoleSchema.options];
  const mine = new Set(user.memberships.map((m) => m.role));
  return RoleSchema.options.filter((r) => mine.has(r));
}

/**
 * The department a signed-in 部门联络员 acts for: their `departmentId` when they hold a
 * `department` membership, else null (nobody signed in, or not a liaison). The cases screen then
 * opens on that department's cases as that department, the way the server judges their steps.
 */
export function liaisonDepartment(
  user: Pick<SessionUser, 'memberships' | 'departmentId'> | null,
): string | null {
  if (user === null || user.departmentId === null) return null;
  return user.memberships.some((m) => m.role === 'department') ? user.departmentId : null;
}

/** The role a screen starts in: the street office when allowed (dispatch), else the first. */
export function defaultRole(roles: readonly Role[]): Role | null {
  return roles.includes('street') ? 'street' : (roles[0] ?? null);
}

/**
 * Valid arguments for each step, used only to ask `applyCaseOperation` whether the step is
 * open to this person in this state. Probing with the real function keeps the buttons in step
 * with the rules instead of copying them.
 */
function probe(type: CaseOperationType, now: Date): CaseOperationInput {
  const reason = '——';
  switch (type) {
    case 'dispatch':
      return { type, leadDepartmentId: null };
    case 'return':
    case 'refuse-extension':
    case 'supervise':
      return { type, reason };
    case 'progress':
    case 'report-in':
      return { type, note: reason };
    case 'whistle':
      return {
        type,
        departmentIds: ['00000000-0000-7000-8000-000000000000'],
        reportBy: new Date(now.getTime() + 86_400_000).toISOString(),
        reason,
      };
    case 'request-extension':
      return { type, reason, deadline: new Date(now.getTime() + 400 * 86_400_000).toISOString() };
    case 'resolve':
      return { type, result: reason };
    case 'follow-up':
      return { type, contacted: false, resolved: null, satisfaction: null };
    case 'reopen':
      return { type, reason, handleLimit: { value: 1, unit: 'workdays' } };
    case 'archive':
      return { type, reason };
    // 合并 / 关联 name another case; probed without one they are refused (not-found), so they
    // are offered from the case's similar-cases list instead of as plain buttons.
    case 'merge':
      return { type, reason, intoCaseId: '00000000-0000-7000-8000-000000000000' };
    case 'link':
      return { type, otherCaseId: '00000000-0000-7000-8000-000000000000' };
    case 'sign':
    case 'start':
    case 'approve-extension':
      return { type };
  }
}

/** The steps this actor may take on the case now (a refusal for args alone still counts). */
export function availableOperations(
  c: CaseState,
  actor: CaseActor,
  now: Date,
): CaseOperationType[] {
  return CASE_OPERATION_TYPES.filter((type) => {
    const result: CaseOperationResult = applyCaseOperation(c, probe(type, now), actor, now);
    return result.ok || result.code === 'invalid-args';
  });
}
