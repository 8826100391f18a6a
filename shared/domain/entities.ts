import type { z } from 'zod';
import { AuditEventSchema } from './account';
import { CaseEventSchema, CaseSchema } from './case';
import { ConflictSchema } from './conflict';
import {
  NeedEventSchema,
  NeedSchema,
  NeedsListSchema,
  ProjectSchema,
  ResourceSchema,
} from './need';
import { DepartmentSchema, OrgUnitSchema } from './org';
import { ResidentSchema } from './people';
import { BuildingSchema, HouseholdSchema } from './place';
import { RecordChangeSchema } from './recordChange';
import { MeetingSchema, NegativeListItemSchema, ResponsibilityRuleSchema } from './rules';
import { AttachmentSchema, VisitSchema } from './visit';

/**
 * Every synced table and the schema its records satisfy. The local database, the outbox,
 * the sync protocol and the server all key on these names, so adding an entity here is the
 * one step that makes it syncable.
 */
export const ENTITY_SCHEMAS = {
  orgUnits: OrgUnitSchema,
  departments: DepartmentSchema,
  buildings: BuildingSchema,
  households: HouseholdSchema,
  residents: ResidentSchema,
  visits: VisitSchema,
  attachments: AttachmentSchema,
  needs: NeedSchema,
  needEvents: NeedEventSchema,
  resources: ResourceSchema,
  projects: ProjectSchema,
  needsLists: NeedsListSchema,
  cases: CaseSchema,
  caseEvents: CaseEventSchema,
  responsibilityRules: ResponsibilityRuleSchema,
  negativeList: NegativeListItemSchema,
  meetings: MeetingSchema,
  auditEvents: AuditEventSchema,
  conflicts: ConflictSchema,
  recordChanges: RecordChangeSchema,
} as const;

export type EntityTable = keyof typeof ENTITY_SCHEMAS;
export type EntityOf<T extends EntityTable> = z.infer<(typeof ENTITY_SCHEMAS)[T]>;
export const ENTITY_TABLES = Object.keys(ENTITY_SCHEMAS) as EntityTable[];

/** Tables whose rows are append-only: edits are refused, only new rows are added. */
export const APPEND_ONLY_TABLES: ReadonlySet<EntityTable> = new Set([
  'caseEvents',
  'needEvents',
  'auditEvents',
  'recordChanges',
]);

/**
 * Tables whose local edits are written to the change history (`recordChanges`, one row per
 * change, in the same transaction): the registry and the lists people maintain by hand. Not the
 * history itself, nor rows that are already a history (events, audit log), nor reference data
 * (org units, departments), content-addressed attachments or server-made conflicts; cases keep
 * their own timeline of events.
 */
export const HISTORY_TABLES: ReadonlySet<EntityTable> = new Set([
  'buildings',
  'households',
  'residents',
  'visits',
  'needs',
  'resources',
  'projects',
  'needsLists',
]);

export function isEntityTable(name: string): name is EntityTable {
  return Object.hasOwn(ENTITY_SCHEMAS, name);
}
