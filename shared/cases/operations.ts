import { z } from 'zod';
import { IdSchema, InstantSchema } from '../domain/common';
import { RoleSchema, type Role } from '../domain/account';
import { SatisfactionSchema } from '../domain/case';
import { TimeLimitSchema } from '../domain/rules';

/**
 * The named steps of the case loop (接诉即办) and their arguments. Every step a person takes on a
 * case is one of these operations, checked by `applyCaseOperation` the same way in the app
 * (before it writes) and, later, on the server (before it accepts a workflow mutation).
 *
 * | operation           | 中文     | status change                  | who (besides admin)             |
 * |---------------------|----------|--------------------------------|---------------------------------|
 * | `dispatch`          | 派单     | received/returned → dispatched | street dispatcher               |
 * | `sign`              | 签收     | dispatched → signed            | handler (see below)             |
 * | `return`            | 退单     | dispatched/signed → returned   | handler; reason required        |
 * | `start`             | 处置     | signed → handling              | handler                         |
 * | `progress`          | 进展     | — (timeline only)              | handler, co-department, street  |
 * | `request-extension` | 延期申请 | — (request kept on the case)   | handler; reason required        |
 * | `approve-extension` | 延期批准 | — (handle deadline moves)      | street dispatcher               |
 * | `refuse-extension`  | 延期驳回 | — (deadline stays)             | street dispatcher; reason       |
 * | `supervise`         | 督办     | — (`supervised` flag)          | street dispatcher; overdue only |
 * | `whistle`           | 吹哨     | — (summons kept on the case)   | street dispatcher; reason       |
 * | `report-in`         | 报到     | — (answers the summons)        | a summoned department's liaison |
 * | `resolve`           | 办结     | handling → resolved            | handler; result required        |
 * | `follow-up`         | 回访     | resolved → followed-up         | street, community, grid worker  |
 * | `reopen`            | 重办     | followed-up → handling         | street; after unsatisfied only  |
 * | `archive`           | 归档     | followed-up → archived         | street                          |
 * | `merge`             | 合并     | open → archived (merged)       | street; reason; see below       |
 * | `link`              | 关联     | — (`links` kept on the case)   | street                          |
 *
 * `merge` and `link` name another case (`relatedCaseId`): 合并 closes this case, a duplicate,
 * into a main case that handles both (合并办理, as 12345 centres do with repeat calls about one
 * matter); 关联 records that two cases concern the same matter while each is still handled on
 * its own (the app writes a `link` on each of the two). The other case must be live, in the
 * same street, and (merge) neither merged itself nor closed; the caller passes it as it holds
 * it, and the person must be able to take the step on it too (server: its memberships there).
 *
 * The handler is the department liaison of the case's lead department, or, for a case
 * dispatched to the area itself (no lead department: 属地办理), the grid worker or community.
 * Whether the person's memberships cover the case's scope is the sync server's check, not this
 * module's: here the role and the department decide.
 */

/** A reason a person must give (退单, 延期, 驳回, 重办 …): trimmed, not empty. */
const ReasonSchema = z.string().trim().min(2, 'a reason is required').max(2000);
const NoteSchema = z.string().trim().max(2000).default('');

export const DispatchOpSchema = z.object({
  type: z.literal('dispatch'),
  /** null = handled by the area itself (属地: the grid worker or community). */
  leadDepartmentId: IdSchema.nullable(),
  coDepartmentIds: z.array(IdSchema).max(20).default([]),
  /** The 权责清单 rule that proposed this dispatch, shown on the timeline. */
  ruleId: IdSchema.nullable().default(null),
  /** Limits from that rule; when given, the deadlines are recounted from receipt. */
  responseLimit: TimeLimitSchema.nullable().default(null),
  handleLimit: TimeLimitSchema.nullable().default(null),
  /** Why a dispatch departs from the rule (a manual override needs one; dispatch.ts decides). */
  note: NoteSchema,
});

export const SignOpSchema = z.object({ type: z.literal('sign'), note: NoteSchema });
export const ReturnOpSchema = z.object({ type: z.literal('return'), reason: ReasonSchema });
export const StartOpSchema = z.object({ type: z.literal('start'), note: NoteSchema });
export const ProgressOpSchema = z.object({
  type: z.literal('progress'),
  note: z.string().trim().min(1, 'describe the progress').max(2000),
});

export const RequestExtensionOpSchema = z.object({
  type: z.literal('request-extension'),
  /** The handle deadline asked for; must be later than the current one. */
  deadline: InstantSchema,
  reason: ReasonSchema,
});
export const ApproveExtensionOpSchema = z.object({
  type: z.literal('approve-extension'),
  note: NoteSchema,
});
export const RefuseExtensionOpSchema = z.object({
  type: z.literal('refuse-extension'),
  reason: ReasonSchema,
});
export const SuperviseOpSchema = z.object({ type: z.literal('supervise'), reason: ReasonSchema });
/** 吹哨: the street summons departments to the case, to report in (报到) by `reportBy`. */
export const WhistleOpSchema = z.object({
  type: z.literal('whistle'),
  departmentIds: z
    .array(IdSchema)
    .min(1, 'summon at least one department')
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, 'a department is summoned once'),
  /** When the departments must have reported in; must be in the future. */
  reportBy: InstantSchema,
  reason: ReasonSchema,
});
/** 报到: a summoned department's liaison reports in to the oldest whistle it has not answered. */
export const ReportInOpSchema = z.object({
  type: z.literal('report-in'),
  note: z.string().trim().min(1, 'a note is required').max(2000),
});

export const ResolveOpSchema = z.object({
  type: z.literal('resolve'),
  /** 办理结果: what was done, as it is read back to the caller. */
  result: z.string().trim().min(2, 'describe the result').max(2000),
});

export const FollowUpOpSchema = z
  .object({
    type: z.literal('follow-up'),
    contacted: z.boolean(),
    resolved: z.boolean().nullable(),
    satisfaction: SatisfactionSchema.nullable(),
    note: NoteSchema,
  })
  .refine((op) => op.contacted || (op.resolved === null && op.satisfaction === null), {
    message: 'a caller who was not reached gave no answers',
    path: ['contacted'],
  })
  .refine((op) => !op.contacted || (op.resolved !== null && op.satisfaction !== null), {
    message: 'a reached caller is asked whether it is resolved and how satisfied they are',
    path: ['satisfaction'],
  });

export const ReopenOpSchema = z.object({
  type: z.literal('reopen'),
  reason: ReasonSchema,
  /** A new handling limit from now; defaults to the category's own. */
  handleLimit: TimeLimitSchema.nullable().default(null),
});
export const ArchiveOpSchema = z.object({
  type: z.literal('archive'),
  /** Needed only to archive a case whose follow-up was unsatisfied or failed. */
  reason: z.string().trim().max(2000).default(''),
});

/** 合并: this case, a duplicate, is closed into `intoCaseId`, which is handled for both. */
export const MergeOpSchema = z.object({
  type: z.literal('merge'),
  intoCaseId: IdSchema,
  reason: ReasonSchema,
});
/** 关联: this case records `otherCaseId` as concerning the same matter (one side of a link). */
export const LinkOpSchema = z.object({
  type: z.literal('link'),
  otherCaseId: IdSchema,
  note: NoteSchema,
});

export const CaseOperationSchema = z.discriminatedUnion('type', [
  DispatchOpSchema,
  SignOpSchema,
  ReturnOpSchema,
  StartOpSchema,
  ProgressOpSchema,
  RequestExtensionOpSchema,
  ApproveExtensionOpSchema,
  RefuseExtensionOpSchema,
  SuperviseOpSchema,
  WhistleOpSchema,
  ReportInOpSchema,
  ResolveOpSchema,
  FollowUpOpSchema,
  ReopenOpSchema,
  ArchiveOpSchema,
  MergeOpSchema,
  LinkOpSchema,
]);
/** A validated operation. */
export type CaseOperation = z.infer<typeof CaseOperationSchema>;
/** An operation as a caller writes it (defaults may be left out). */
export type CaseOperationInput = z.input<typeof CaseOperationSchema>;
export type CaseOperationType = CaseOperation['type'];

export const CASE_OPERATION_TYPES = CaseOperationSchema.options.map((o) => o.shape.type.value);

/**
 * The other case an operation names (`merge`: the main case; `link`: the linked case), or null.
 * Reads unparsed input too, so the server can look the case up before it runs the step.
 */
export function relatedCaseId(op: unknown): string | null {
  if (typeof op !== 'object' || op === null) return null;
  const { type, intoCaseId, otherCaseId } = op as Record<string, unknown>;
  const id = type === 'merge' ? intoCaseId : type === 'link' ? otherCaseId : null;
  return typeof id === 'string' ? id : null;
}

/**
 * Which roles may take each step. `handler` = the department liaison of the lead department,
 * or the grid worker / community when the case has no lead department (checked per case);
 * `summoned` = the liaison of a department a whistle on the case summoned (吹哨报到).
 */
export type RoleRule = 'street' | 'handler' | 'follow-up' | 'progress' | 'summoned';
export const OPERATION_ROLES: Readonly<Record<CaseOperationType, RoleRule>> = {
  dispatch: 'street',
  sign: 'handler',
  return: 'handler',
  start: 'handler',
  progress: 'progress',
  'request-extension': 'handler',
  'approve-extension': 'street',
  'refuse-extension': 'street',
  supervise: 'street',
  whistle: 'street',
  'report-in': 'summoned',
  resolve: 'handler',
  'follow-up': 'follow-up',
  reopen: 'street',
  archive: 'street',
  merge: 'street',
  link: 'street',
};

/** Who takes a step: their user id, display name, role and (liaisons) department. */
export const CaseActorSchema = z.object({
  id: IdSchema,
  name: z.string().max(40),
  role: RoleSchema,
  departmentId: IdSchema.nullable().default(null),
});
export type CaseActor = z.infer<typeof CaseActorSchema>;
export type { Role };
