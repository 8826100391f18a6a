import { z } from 'zod';
import {
  DateSchema,
  DivisionCodeSchema,
  GridCodeSchema,
  IdSchema,
  InstantSchema,
  SyncedFields,
  nonEmptyText,
} from './common';
import { CategoryCodeSchema } from './need';

export const TimeLimitSchema = z.object({
  value: z.number().positive(),
  unit: z.enum(['hours', 'workdays']),
});
export type TimeLimit = z.infer<typeof TimeLimitSchema>;

/**
 * Where a 权责清单 rule applies: a 15-digit grid or a 12-digit division (community, street,
 * district); `shared/cases/dispatch.ts` reads the level from the code.
 */
export const RuleAreaCodeSchema = z.union([GridCodeSchema, DivisionCodeSchema]);

/**
 * 权责清单 row: matter category (+ area) → lead unit, co-handlers, time limits; versioned. A rule
 * in force is never rewritten: an edit closes it (effectiveTo) and adds a row with version + 1
 * whose `supersedesId` names it (shared/cases/ruleVersions.ts).
 */
export const ResponsibilityRuleSchema = z.object({
  ...SyncedFields,
  version: z.int().min(1),
  category: CategoryCodeSchema,
  areaCode: RuleAreaCodeSchema.nullable().default(null), // null = the whole scope
  leadDepartmentId: IdSchema,
  coDepartmentIds: z.array(IdSchema).default([]),
  responseLimit: TimeLimitSchema,
  handleLimit: TimeLimitSchema,
  effectiveFrom: DateSchema,
  effectiveTo: DateSchema.nullable().default(null),
  basis: z.string().max(500).default(''), // 依据 (law, document)
  /** The version this row replaced (same category and area), null for a first version. */
  supersedesId: IdSchema.nullable().default(null),
});
export type ResponsibilityRule = z.infer<typeof ResponsibilityRuleSchema>;

/** 负面清单 item: a matter that must not be assigned to a community. */
export const NegativeListItemSchema = z.object({
  ...SyncedFields,
  category: CategoryCodeSchema,
  description: nonEmptyText(500),
  effectiveFrom: DateSchema,
  effectiveTo: DateSchema.nullable().default(null),
});
export type NegativeListItem = z.infer<typeof NegativeListItemSchema>;

/** 议事 record at one of the three consultation levels, linked to what it decided. */
export const MeetingSchema = z.object({
  ...SyncedFields,
  level: z.enum(['community', 'street', 'district']), // 社区议事厅 / 街道协调会 / 区级联席会
  title: nonEmptyText(120),
  heldAt: InstantSchema,
  place: z.string().max(120).default(''),
  attendees: z.array(z.string().max(60)).default([]),
  minutes: z.string().max(20000).default(''),
  decisions: z.string().max(4000).default(''),
  caseIds: z.array(IdSchema).default([]),
  needIds: z.array(IdSchema).default([]),
});
export type Meeting = z.infer<typeof MeetingSchema>;
