import { z } from 'zod';
import {
  DivisionCodeSchema,
  GridCodeSchema,
  IdSchema,
  InstantSchema,
  LngLatSchema,
  SyncedFields,
  nonEmptyText,
} from './common';
import { CategoryCodeSchema } from './need';

/** Where a request came from (诉求来源). `proactive` is 未诉先办: acted on before a complaint. */
export const CaseSourceSchema = z.enum(['hotline', 'patrol', 'walk-in', 'online', 'proactive']);
export type CaseSource = z.infer<typeof CaseSourceSchema>;

/**
 * 受理 → 派单 → 签收 → 处置中 → 办结 → 回访 → 归档, plus 退单 (returned to the dispatcher).
 * Extensions (延期), supervision (督办) and reopening (重办) are events that keep or move
 * the status; the transition rules live in `shared/cases/` (issue 6).
 */
export const CaseStatusSchema = z.enum([
  'received',
  'dispatched',
  'signed',
  'handling',
  'resolved',
  'followed-up',
  'archived',
  'returned',
]);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

export const SatisfactionSchema = z.enum(['satisfied', 'basically-satisfied', 'unsatisfied']);

export const FollowUpSchema = z.object({
  contacted: z.boolean(),
  resolved: z.boolean().nullable(),
  satisfaction: SatisfactionSchema.nullable(),
  at: InstantSchema,
  note: z.string().max(2000).default(''),
});

/** A 延期 request waiting for the street's decision; the deadline moves only on approval. */
export const ExtensionRequestSchema = z.object({
  requestedAt: InstantSchema,
  requestedBy: IdSchema,
  /** The handle deadline the requester asks for. */
  deadline: InstantSchema,
  reason: nonEmptyText(2000),
});
export type ExtensionRequest = z.infer<typeof ExtensionRequestSchema>;

/**
 * One 吹哨 (whistle) kept on the case: the departments the street summoned, by when they must
 * report in (报到), and who has. The timeline events say the same; this copy lets the server
 * check a 报到 against the stored case alone (shared/cases/).
 */
export const WhistleSchema = z.object({
  at: InstantSchema,
  departmentIds: z.array(IdSchema).min(1).max(20),
  reportBy: InstantSchema,
  reported: z.array(z.object({ departmentId: IdSchema, at: InstantSchema })).max(20),
});
export type Whistle = z.infer<typeof WhistleSchema>;

/** 案件 / 诉求: one resident request or patrol finding, run through one closed loop. */
export const CaseSchema = z.object({
  ...SyncedFields,
  caseNo: z.string().regex(/^[A-Z0-9-]{6,32}$/),
  source: CaseSourceSchema,
  workOrderNo: z.string().max(40).nullable().default(null), // 12345 工单编号
  category: CategoryCodeSchema, // 事项, from shared/catalogs/matterCategories
  description: nonEmptyText(4000),
  address: z.string().max(200).default(''),
  location: LngLatSchema.nullable().default(null),
  reporterName: z.string().max(40).nullable().default(null),
  reporterPhone: z.string().max(20).nullable().default(null),
  gridCode: GridCodeSchema.nullable(),
  communityCode: DivisionCodeSchema.nullable(),
  streetCode: DivisionCodeSchema,
  householdId: IdSchema.nullable().default(null),
  status: CaseStatusSchema,
  receivedAt: InstantSchema,
  responseDeadline: InstantSchema.nullable().default(null),
  handleDeadline: InstantSchema.nullable().default(null),
  leadDepartmentId: IdSchema.nullable().default(null),
  coDepartmentIds: z.array(IdSchema).default([]),
  respondedAt: InstantSchema.nullable().default(null),
  resolvedAt: InstantSchema.nullable().default(null),
  closedAt: InstantSchema.nullable().default(null),
  followUp: FollowUpSchema.nullable().default(null),
  supervised: z.boolean().default(false),
  reopenCount: z.int().min(0).default(0),
  /**
   * The pending 延期 request, until the street approves or refuses it (shared/cases/). Optional
   * rather than defaulted so records and fixtures written before it stay valid `Case` values.
   */
  extensionRequest: ExtensionRequestSchema.nullable().optional(),
  /** 吹哨报到: the whistles blown on this case, oldest first (optional, as above). */
  summons: z.array(WhistleSchema).max(50).optional(),
  /**
   * 合并办理: the main case this duplicate was merged into (`merge`, shared/cases/). The duplicate
   * is then closed (status `archived`) and handled in the main case. Optional, as above.
   */
  mergedIntoId: IdSchema.nullable().optional(),
  /** 关联: other cases about the same matter, each still handled on its own (`link`). */
  links: z.array(IdSchema).max(50).optional(),
});
export type Case = z.infer<typeof CaseSchema>;

export const CaseEventTypeSchema = z.enum([
  'received',
  'dispatched',
  'signed',
  'started',
  'returned',
  'extension-requested',
  'extension-approved',
  'extension-refused',
  'supervised',
  'whistle-blown',
  'reported-in',
  'progress',
  'resolved',
  'followed-up',
  'reopened',
  'archived',
  'merged',
  'note',
]);
export type CaseEventType = z.infer<typeof CaseEventTypeSchema>;

/** One entry on a case's append-only timeline: who did what, when and why. */
export const CaseEventSchema = z.object({
  ...SyncedFields,
  caseId: IdSchema,
  type: CaseEventTypeSchema,
  at: InstantSchema,
  actorId: IdSchema,
  actorName: z.string().max(40),
  departmentId: IdSchema.nullable().default(null),
  reason: z.string().max(2000).default(''),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type CaseEvent = z.infer<typeof CaseEventSchema>;
