import { matterCategory } from '../catalogs/matterCategories';
import { deadlineAfter } from '../calendar/workdays';
import type { Case, CaseEvent, CaseStatus, Whistle } from '../domain/case';
import type { TimeLimit } from '../domain/rules';
import { isOverdue } from './caseClock';
import {
  CaseActorSchema,
  CaseOperationSchema,
  OPERATION_ROLES,
  type CaseActor,
  type CaseOperation,
  type CaseOperationType,
} from './operations';
import { type Refusal, refusal } from './refusals';
import { checkCaseTransition } from './transitions';

/**
 * Applies one named step to a case, purely: the caller gets the fields to change and the
 * timeline events to append, and writes both in one transaction (app: `commitChanges`; server:
 * the workflow plan). Nothing is read but the arguments, so the app and the server decide alike;
 * a step that names another case (合并, 关联) is given that case by the caller, who looks it up
 * (app: the device's copy; server: its stored row).
 */

/** The case fields an operation may change. */
export type CasePatch = Partial<
  Pick<
    Case,
    | 'status'
    | 'leadDepartmentId'
    | 'coDepartmentIds'
    | 'responseDeadline'
    | 'handleDeadline'
    | 'respondedAt'
    | 'resolvedAt'
    | 'closedAt'
    | 'followUp'
    | 'supervised'
    | 'reopenCount'
    | 'extensionRequest'
    | 'summons'
    | 'mergedIntoId'
    | 'links'
  >
>;

/** A timeline event to append (its envelope is the writer's to fill). */
export type CaseEventDraft = Pick<
  CaseEvent,
  'caseId' | 'type' | 'at' | 'actorId' | 'actorName' | 'departmentId' | 'reason' | 'data'
>;

/** A deadline counted past the holiday calendar's last year: an estimate the UI must flag. */
export interface CaseWarning {
  code: 'beyond-calendar';
  deadline: 'response' | 'handle';
  at: string;
}

/** `not-found`: the other case a step names (合并, 关联) is not there (or deleted). */
export type RefusalCode = 'invalid-args' | 'forbidden' | 'illegal-state' | 'not-found';

/** A refusal carries its message key and parameters (`refusals.ts`) and the English reason. */
export type CaseOperationResult =
  | { ok: true; patch: CasePatch; events: CaseEventDraft[]; warnings: CaseWarning[] }
  | ({ ok: false; code: RefusalCode } & Refusal);

/** The case as the operation sees it. */
export type CaseState = Pick<
  Case,
  | 'id'
  | 'category'
  | 'status'
  | 'receivedAt'
  | 'leadDepartmentId'
  | 'coDepartmentIds'
  | 'responseDeadline'
  | 'handleDeadline'
  | 'respondedAt'
  | 'followUp'
  | 'supervised'
  | 'reopenCount'
  | 'extensionRequest'
  | 'summons'
> &
  Partial<Pick<Case, 'caseNo' | 'streetCode' | 'mergedIntoId' | 'links'>>;

/**
 * The other case a step names (`relatedCaseId`: the main case of a 合并, the case of a 关联),
 * as the caller holds it; null when the caller has no such case.
 */
export type RelatedCase = Pick<Case, 'id' | 'caseNo' | 'streetCode' | 'status'> &
  Partial<Pick<Case, 'deleted' | 'mergedIntoId' | 'links'>>;

const refuse = (code: RefusalCode, why: Refusal): CaseOperationResult => ({
  ok: false,
  code,
  ...why,
});

/** Statuses in which the case is still being worked on (extensions, supervision, progress). */
const OPEN: ReadonlySet<CaseStatus> = new Set([
  'received',
  'dispatched',
  'signed',
  'handling',
  'returned',
]);

/**
 * Validates `op` (unknown input is fine: it is parsed) and `actor`, checks the role and the
 * case's state, and returns the change, or a refusal a person can read (its key and parameters
 * for the app to say in the user's language, and the English reason).
 * `related` is the case the step names, if it names one (see `RelatedCase`); whether the person
 * may act on that case too is the caller's check (`mayAct` on it, or the server's memberships).
 */
export function applyCaseOperation(
  c: CaseState,
  op: unknown,
  actor: unknown,
  now: Date,
  related: RelatedCase | null = null,
): CaseOperationResult {
  const parsedOp = CaseOperationSchema.safeParse(op);
  if (!parsedOp.success)
    return refuse(
      'invalid-args',
      refusal('invalidOperation', { detail: issueText(parsedOp.error.issues) }),
    );
  const parsedActor = CaseActorSchema.safeParse(actor);
  if (!parsedActor.success)
    return refuse(
      'invalid-args',
      refusal('invalidActor', { detail: issueText(parsedActor.error.issues) }),
    );
  const o = parsedOp.data;
  const who = parsedActor.data;
  const allowed = mayAct(c, o.type, who);
  if (allowed !== true) return refuse('forbidden', allowed);
  return STEPS[o.type](c, o as never, who, now, related);
}

function issueText(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .map((i) => `${i.path.map(String).join('.') || 'operation'}: ${i.message}`)
    .join('; ');
}

/** true, or why this person may not take this step on this case. */
export function mayAct(c: CaseState, type: CaseOperationType, actor: CaseActor): true | Refusal {
  if (actor.role === 'admin') return true;
  const rule = OPERATION_ROLES[type];
  const isHandler =
    c.leadDepartmentId === null
      ? actor.role === 'grid-worker' || actor.role === 'community'
      : actor.role === 'department' && actor.departmentId === c.leadDepartmentId;
  switch (rule) {
    case 'street':
      return actor.role === 'street' ? true : refusal('streetOnly', { op: type });
    case 'handler':
      if (isHandler) return true;
      return c.leadDepartmentId === null
        ? refusal('localHandlerOnly', { op: type })
        : refusal('leadLiaisonOnly', { op: type });
    case 'follow-up':
      return ['street', 'community', 'grid-worker'].includes(actor.role)
        ? true
        : refusal('followUpRoles');
    case 'summoned':
      return actor.role === 'department' &&
        actor.departmentId !== null &&
        (c.summons ?? []).some((w) => w.departmentIds.includes(actor.departmentId ?? ''))
        ? true
        : refusal('summonedOnly');
    case 'progress': {
      const coDepartment =
        actor.role === 'department' &&
        actor.departmentId !== null &&
        c.coDepartmentIds.includes(actor.departmentId);
      return isHandler || coDepartment || actor.role === 'street' ? true : refusal('progressRoles');
    }
  }
}

type Step<T extends CaseOperationType> = (
  c: CaseState,
  op: Extract<CaseOperation, { type: T }>,
  actor: CaseActor,
  now: Date,
  related: RelatedCase | null,
) => CaseOperationResult;

function event(
  c: Pick<CaseState, 'id'>,
  type: CaseEventDraft['type'],
  actor: CaseActor,
  now: Date,
  reason = '',
  data: Record<string, unknown> = {},
): CaseEventDraft {
  return {
    caseId: c.id,
    type,
    at: now.toISOString(),
    actorId: actor.id,
    actorName: actor.name,
    departmentId: actor.departmentId,
    reason,
    data,
  };
}

/** A status move, checked against the transition table the server already enforces. */
function move(c: CaseState, to: CaseStatus): Refusal | null {
  const check = checkCaseTransition(c.status, to);
  if (check.ok) return null;
  const { key, params, reason } = check;
  return { key, params, reason };
}

function ok(patch: CasePatch, events: CaseEventDraft[], warnings: CaseWarning[] = []) {
  return { ok: true as const, patch, events, warnings };
}

function counted(
  start: Date,
  limit: TimeLimit,
  which: CaseWarning['deadline'],
  warnings: CaseWarning[],
) {
  const d = deadlineAfter(start, limit);
  if (d.beyondCalendar) warnings.push({ code: 'beyond-calendar', deadline: which, at: d.at });
  return d.at;
}

const dispatch: Step<'dispatch'> = (c, op, actor, now) => {
  const illegal = move(c, 'dispatched');
  if (illegal) return refuse('illegal-state', illegal);
  if (op.leadDepartmentId !== null && op.coDepartmentIds.includes(op.leadDepartmentId))
    return refuse('invalid-args', refusal('leadAlsoCo'));
  const warnings: CaseWarning[] = [];
  const received = new Date(c.receivedAt);
  const patch: CasePatch = {
    status: 'dispatched',
    leadDepartmentId: op.leadDepartmentId,
    coDepartmentIds: [...new Set(op.coDepartmentIds)],
  };
  if (op.responseLimit)
    patch.responseDeadline = counted(received, op.responseLimit, 'response', warnings);
  if (op.handleLimit) patch.handleDeadline = counted(received, op.handleLimit, 'handle', warnings);
  const data = {
    leadDepartmentId: op.leadDepartmentId,
    coDepartmentIds: patch.coDepartmentIds,
    ruleId: op.ruleId,
  };
  return ok(patch, [event(c, 'dispatched', actor, now, op.note, data)], warnings);
};

const sign: Step<'sign'> = (c, op, actor, now) => {
  const illegal = move(c, 'signed');
  if (illegal) return refuse('illegal-state', illegal);
  const patch: CasePatch = { status: 'signed' };
  // 响应: the first signature answers the response deadline; a re-dispatch keeps the first.
  if (c.respondedAt === null) patch.respondedAt = now.toISOString();
  return ok(patch, [event(c, 'signed', actor, now, op.note)]);
};

const returnCase: Step<'return'> = (c, op, actor, now) => {
  const illegal = move(c, 'returned');
  if (illegal) return refuse('illegal-state', illegal);
  const data = { leadDepartmentId: c.leadDepartmentId };
  return ok(
    { status: 'returned', leadDepartmentId: null, coDepartmentIds: [], extensionRequest: null },
    [event(c, 'returned', actor, now, op.reason, data)],
  );
};

const start: Step<'start'> = (c, op, actor, now) => {
  const illegal = move(c, 'handling');
  if (c.status !== 'signed' || illegal)
    return refuse('illegal-state', illegal ?? refusal('startWrongStatus', { status: c.status }));
  return ok({ status: 'handling' }, [event(c, 'started', actor, now, op.note)]);
};

const progress: Step<'progress'> = (c, op, actor, now) => {
  if (!OPEN.has(c.status) || c.status === 'returned')
    return refuse('illegal-state', refusal('statusNotHandling', { status: c.status }));
  return ok({}, [event(c, 'progress', actor, now, op.note)]);
};

const requestExtension: Step<'request-extension'> = (c, op, actor, now) => {
  if (c.status !== 'signed' && c.status !== 'handling')
    return refuse('illegal-state', refusal('extensionWrongStatus', { status: c.status }));
  if (c.extensionRequest) return refuse('illegal-state', refusal('extensionPending'));
  if (c.handleDeadline !== null && op.deadline <= c.handleDeadline)
    return refuse('invalid-args', refusal('extensionNotLater', { deadline: c.handleDeadline }));
  if (Date.parse(op.deadline) <= now.getTime())
    return refuse('invalid-args', refusal('extensionInPast'));
  const request = {
    requestedAt: now.toISOString(),
    requestedBy: actor.id,
    deadline: op.deadline,
    reason: op.reason,
  };
  const data = { deadline: op.deadline, previousDeadline: c.handleDeadline };
  return ok({ extensionRequest: request }, [
    event(c, 'extension-requested', actor, now, op.reason, data),
  ]);
};

const approveExtension: Step<'approve-extension'> = (c, op, actor, now) => {
  if (!c.extensionRequest) return refuse('illegal-state', refusal('noExtensionRequest'));
  if (!OPEN.has(c.status))
    return refuse('illegal-state', refusal('extensionNotNeeded', { status: c.status }));
  const data = { deadline: c.extensionRequest.deadline, previousDeadline: c.handleDeadline };
  return ok({ handleDeadline: c.extensionRequest.deadline, extensionRequest: null }, [
    event(c, 'extension-approved', actor, now, op.note, data),
  ]);
};

const refuseExtension: Step<'refuse-extension'> = (c, op, actor, now) => {
  if (!c.extensionRequest) return refuse('illegal-state', refusal('noExtensionRequest'));
  const data = { deadline: c.extensionRequest.deadline };
  return ok({ extensionRequest: null }, [
    event(c, 'extension-refused', actor, now, op.reason, data),
  ]);
};

const supervise: Step<'supervise'> = (c, op, actor, now) => {
  if (!OPEN.has(c.status))
    return refuse('illegal-state', refusal('superviseWrongStatus', { status: c.status }));
  if (!isOverdue(c, now)) return refuse('illegal-state', refusal('notOverdue'));
  return ok({ supervised: true }, [event(c, 'supervised', actor, now, op.reason)]);
};

/** Statuses in which departments may be summoned to a case (吹哨): it has been dispatched. */
const WHISTLE_OPEN: ReadonlySet<CaseStatus> = new Set(['dispatched', 'signed', 'handling']);

const whistle: Step<'whistle'> = (c, op, actor, now) => {
  if (!WHISTLE_OPEN.has(c.status))
    return refuse('illegal-state', refusal('whistleWrongStatus', { status: c.status }));
  if (Date.parse(op.reportBy) <= now.getTime())
    return refuse('invalid-args', refusal('reportByInPast'));
  const blown: Whistle = {
    at: now.toISOString(),
    departmentIds: op.departmentIds,
    reportBy: op.reportBy,
    reported: [],
  };
  const data = { departmentIds: op.departmentIds, reportBy: op.reportBy };
  return ok({ summons: [...(c.summons ?? []), blown] }, [
    event(c, 'whistle-blown', actor, now, op.reason, data),
  ]);
};

const reportIn: Step<'report-in'> = (c, op, actor, now) => {
  if (!WHISTLE_OPEN.has(c.status))
    return refuse('illegal-state', refusal('reportInWrongStatus', { status: c.status }));
  const summons = c.summons ?? [];
  const department = actor.departmentId;
  // The oldest whistle before now that summoned this department and it has not answered.
  const i =
    department === null
      ? -1
      : summons.findIndex(
          (w) =>
            Date.parse(w.at) <= now.getTime() &&
            w.departmentIds.includes(department) &&
            !w.reported.some((r) => r.departmentId === department),
        );
  const answering = summons[i];
  if (department === null || !answering) {
    const summoned =
      department !== null && summons.some((w) => w.departmentIds.includes(department));
    return refuse('illegal-state', refusal(summoned ? 'alreadyReportedIn' : 'notSummonedHere'));
  }
  const reported: Whistle = {
    ...answering,
    reported: [...answering.reported, { departmentId: department, at: now.toISOString() }],
  };
  return ok({ summons: summons.map((w, j) => (j === i ? reported : w)) }, [
    event(c, 'reported-in', actor, now, op.note, { departmentId: department }),
  ]);
};

const resolve: Step<'resolve'> = (c, op, actor, now) => {
  const illegal = move(c, 'resolved');
  if (illegal) return refuse('illegal-state', illegal);
  return ok({ status: 'resolved', resolvedAt: now.toISOString(), extensionRequest: null }, [
    event(c, 'resolved', actor, now, op.result),
  ]);
};

const followUp: Step<'follow-up'> = (c, op, actor, now) => {
  if (c.status !== 'resolved')
    return refuse('illegal-state', refusal('followUpWrongStatus', { status: c.status }));
  const result = {
    contacted: op.contacted,
    resolved: op.resolved,
    satisfaction: op.satisfaction,
    at: now.toISOString(),
    note: op.note,
  };
  const data = { contacted: op.contacted, resolved: op.resolved, satisfaction: op.satisfaction };
  return ok({ status: 'followed-up', followUp: result }, [
    event(c, 'followed-up', actor, now, op.note, data),
  ]);
};

/** A follow-up that calls for 重办: the caller said it is not resolved, or is unsatisfied. */
export function followUpFailed(f: Case['followUp']): boolean {
  return f !== null && f.contacted && (f.resolved === false || f.satisfaction === 'unsatisfied');
}

const reopen: Step<'reopen'> = (c, op, actor, now) => {
  if (c.status !== 'followed-up')
    return refuse('illegal-state', refusal('reopenWrongStatus', { status: c.status }));
  if (!followUpFailed(c.followUp))
    return refuse('illegal-state', refusal('reopenNeedsFailedFollowUp'));
  const limit = op.handleLimit ?? matterCategory(c.category)?.handleLimit;
  if (!limit) return refuse('invalid-args', refusal('unknownCategory', { category: c.category }));
  const warnings: CaseWarning[] = [];
  const handleDeadline = counted(now, limit, 'handle', warnings);
  const data = { reopenCount: c.reopenCount + 1, handleDeadline, followUp: c.followUp };
  return ok(
    {
      status: 'handling',
      reopenCount: c.reopenCount + 1,
      handleDeadline,
      resolvedAt: null,
      followUp: null,
    },
    [event(c, 'reopened', actor, now, op.reason, data)],
    warnings,
  );
};

const archive: Step<'archive'> = (c, op, actor, now) => {
  const illegal = move(c, 'archived');
  if (illegal) return refuse('illegal-state', illegal);
  // The table also lets an open case be closed, but only by 合并 (`merge`).
  if (c.status !== 'followed-up')
    return refuse('illegal-state', refusal('archiveWrongStatus', { status: c.status }));
  if (followUpFailed(c.followUp) && op.reason.length < 2)
    return refuse('invalid-args', refusal('archiveNeedsReason'));
  return ok({ status: 'archived', closedAt: now.toISOString() }, [
    event(c, 'archived', actor, now, op.reason),
  ]);
};

/**
 * The other case of a 合并 or 关联, checked alike for both: given, live, not this case, and in
 * the same street. Returns it, or the refusal.
 */
function otherCase(
  c: CaseState,
  id: string,
  related: RelatedCase | null,
): RelatedCase | CaseOperationResult {
  if (id === c.id) return refuse('invalid-args', refusal('relatedSelf'));
  if (related === null || related.id !== id || related.deleted === true)
    return refuse('not-found', refusal('relatedMissing', { id }));
  if (related.streetCode !== c.streetCode)
    return refuse('invalid-args', refusal('relatedOtherStreet', { caseNo: related.caseNo }));
  return related;
}
const isResult = (x: RelatedCase | CaseOperationResult): x is CaseOperationResult => 'ok' in x;

/** 合并: a duplicate still open (not yet 办结 nor closed) is closed into its main case. */
const merge: Step<'merge'> = (c, op, actor, now, related) => {
  if (c.mergedIntoId) return refuse('illegal-state', refusal('alreadyMerged'));
  const illegal = move(c, 'archived');
  if (!OPEN.has(c.status) || illegal)
    return refuse('illegal-state', refusal('mergeWrongStatus', { status: c.status }));
  const main = otherCase(c, op.intoCaseId, related);
  if (isResult(main)) return main;
  if (main.mergedIntoId)
    return refuse('illegal-state', refusal('mainMerged', { caseNo: main.caseNo }));
  if (main.status === 'archived')
    return refuse('illegal-state', refusal('mainClosed', { caseNo: main.caseNo }));
  const at = now.toISOString();
  return ok({ status: 'archived', closedAt: at, mergedIntoId: main.id, extensionRequest: null }, [
    event(c, 'merged', actor, now, op.reason, { intoCaseId: main.id, intoCaseNo: main.caseNo }),
    // The main case's timeline tells it too: written in the main case's scope by the caller.
    event(main, 'merged', actor, now, op.reason, {
      fromCaseId: c.id,
      fromCaseNo: c.caseNo ?? null,
    }),
  ]);
};

/** How many other cases one case may name as linked. */
export const MAX_LINKS = 50;

const link: Step<'link'> = (c, op, actor, now, related) => {
  const other = otherCase(c, op.otherCaseId, related);
  if (isResult(other)) return other;
  const links = c.links ?? [];
  if (links.includes(other.id))
    return refuse('illegal-state', refusal('alreadyLinked', { caseNo: other.caseNo }));
  if (links.length >= MAX_LINKS)
    return refuse('illegal-state', refusal('tooManyLinks', { max: MAX_LINKS }));
  // A `note` event: the timeline's existing type for remarks, so apps that do not know links
  // still read the row (CaseEventTypeSchema is a closed list).
  return ok({ links: [...links, other.id] }, [
    event(c, 'note', actor, now, op.note, {
      linkedCaseId: other.id,
      linkedCaseNo: other.caseNo,
    }),
  ]);
};

const STEPS: { [T in CaseOperationType]: Step<T> } = {
  dispatch,
  sign,
  return: returnCase,
  start,
  progress,
  'request-extension': requestExtension,
  'approve-extension': approveExtension,
  'refuse-extension': refuseExtension,
  supervise,
  whistle,
  'report-in': reportIn,
  resolve,
  'follow-up': followUp,
  reopen,
  archive,
  merge,
  link,
};

/** One whistle as the timeline tells it: who was summoned, who reported in, who is late. */
export interface Summons {
  /** The whistle-blown event. */
  eventId: string;
  at: string;
  actorName: string;
  reason: string;
  reportBy: string;
  departments: {
    departmentId: string;
    /** When the department reported in, or null. */
    reportedAt: string | null;
    /** Not reported and `reportBy` has passed. */
    overdue: boolean;
  }[];
  reported: string[];
  notReported: string[];
  /** Some summoned department has not reported in by `reportBy`. */
  overdue: boolean;
}

type SummonsEvent = Pick<CaseEvent, 'id' | 'type' | 'at' | 'actorName' | 'reason' | 'data'> &
  Partial<Pick<CaseEvent, 'departmentId' | 'deleted'>>;

/**
 * 吹哨报到 from a case's timeline, oldest whistle first: a `reported-in` event answers the oldest
 * earlier whistle that summoned its department and that it has not answered yet (the rule the
 * `report-in` step follows).
 */
export function summonsOf(events: readonly SummonsEvent[], now: Date): Summons[] {
  const sorted = events
    .filter((e) => e.deleted !== true)
    .slice()
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const whistles: { summons: Summons; reportedAt: Map<string, string> }[] = [];
  for (const e of sorted) {
    if (e.type === 'whistle-blown') {
      const ids = Array.isArray(e.data.departmentIds)
        ? e.data.departmentIds.filter((d): d is string => typeof d === 'string')
        : [];
      const reportBy = typeof e.data.reportBy === 'string' ? e.data.reportBy : e.at;
      whistles.push({
        summons: {
          eventId: e.id,
          at: e.at,
          actorName: e.actorName,
          reason: e.reason,
          reportBy,
          departments: ids.map((departmentId) => ({
            departmentId,
            reportedAt: null,
            overdue: false,
          })),
          reported: [],
          notReported: [],
          overdue: false,
        },
        reportedAt: new Map(),
      });
    } else if (e.type === 'reported-in') {
      const department =
        typeof e.data.departmentId === 'string' ? e.data.departmentId : e.departmentId;
      if (!department) continue;
      const answered = whistles.find(
        (w) =>
          w.summons.departments.some((d) => d.departmentId === department) &&
          !w.reportedAt.has(department),
      );
      answered?.reportedAt.set(department, e.at);
    }
  }
  return whistles.map(({ summons, reportedAt }) => {
    const late = Date.parse(summons.reportBy) < now.getTime();
    const departments = summons.departments.map((d) => {
      const at = reportedAt.get(d.departmentId) ?? null;
      return { departmentId: d.departmentId, reportedAt: at, overdue: at === null && late };
    });
    return {
      ...summons,
      departments,
      reported: departments.filter((d) => d.reportedAt !== null).map((d) => d.departmentId),
      notReported: departments.filter((d) => d.reportedAt === null).map((d) => d.departmentId),
      overdue: departments.some((d) => d.overdue),
    };
  });
}
