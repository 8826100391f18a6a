import { z } from 'zod';
import { DateSchema, IdSchema, InstantSchema, SyncedFields, nonEmptyText } from './common';

export const NeedLayerSchema = z.enum(['basic', 'improvement', 'special']);
export const UrgencySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export const NeedStatusSchema = z.enum([
  'identified',
  'verified',
  'matched',
  'in-service',
  'fulfilled',
  'reviewed',
]);
export type NeedStatus = z.infer<typeof NeedStatusSchema>;

/** Matter-catalog style code: 2 digits for a top level, 4 for a sub-category. */
export const CategoryCodeSchema = z
  .string()
  .regex(/^\d{2}(\d{2})?$/, 'expected a 2- or 4-digit category code');

/** 需求: what a household or resident needs, found on a visit or reported. */
export const NeedSchema = z.object({
  ...SyncedFields,
  householdId: IdSchema,
  residentId: IdSchema.nullable().default(null),
  visitId: IdSchema.nullable().default(null),
  category: CategoryCodeSchema, // from shared/catalogs/needCategories
  layer: NeedLayerSchema,
  urgency: UrgencySchema,
  description: nonEmptyText(2000),
  status: NeedStatusSchema,
  resourceId: IdSchema.nullable().default(null),
  dueDate: DateSchema.nullable().default(null),
});
export type Need = z.infer<typeof NeedSchema>;

/** One status change of a need: who moved it, when, and why. Child rows, append-only. */
export const NeedEventSchema = z.object({
  ...SyncedFields,
  needId: IdSchema,
  from: NeedStatusSchema.nullable(),
  to: NeedStatusSchema,
  actorId: IdSchema,
  actorName: z.string().max(40),
  at: InstantSchema,
  note: z.string().max(2000).default(''),
});
export type NeedEvent = z.infer<typeof NeedEventSchema>;

export const ResourceKindSchema = z.enum([
  'provider', // 服务机构
  'volunteer', // 志愿者 / 队伍
  'co-building-unit', // 共建单位
  'venue', // 场地
  'fund', // 资金
]);

/** 资源清单 entry: who or what can meet needs of which categories. */
export const ResourceSchema = z.object({
  ...SyncedFields,
  kind: ResourceKindSchema,
  name: nonEmptyText(80),
  contact: z.string().max(40).default(''),
  phone: z.string().max(20).nullable().default(null),
  categories: z.array(CategoryCodeSchema).default([]),
  description: z.string().max(2000).default(''),
});
export type Resource = z.infer<typeof ResourceSchema>;

/** 项目清单 entry: needs turned into a project served by resources. */
export const ProjectSchema = z.object({
  ...SyncedFields,
  name: nonEmptyText(120),
  needsListId: IdSchema.nullable().default(null),
  needIds: z.array(IdSchema).default([]),
  resourceIds: z.array(IdSchema).default([]),
  status: z.enum(['planned', 'active', 'done', 'cancelled']),
  startDate: DateSchema.nullable().default(null),
  endDate: DateSchema.nullable().default(null),
  budgetYuan: z.number().min(0).nullable().default(null),
});
export type Project = z.infer<typeof ProjectSchema>;

/** 需求清单: a community's compiled and approved list of needs for a period. */
export const NeedsListSchema = z.object({
  ...SyncedFields,
  period: z.string().regex(/^\d{4}(-Q[1-4]|-\d{2})?$/, 'period: YYYY, YYYY-Qn or YYYY-MM'),
  title: nonEmptyText(120),
  status: z.enum(['draft', 'submitted', 'approved']),
  needIds: z.array(IdSchema).default([]),
  approvedBy: IdSchema.nullable().default(null),
  approvedAt: InstantSchema.nullable().default(null),
});
export type NeedsList = z.infer<typeof NeedsListSchema>;
