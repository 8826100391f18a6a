import { z } from 'zod';
import {
  AreaGeometrySchema,
  DivisionCodeSchema,
  GridCodeSchema,
  LngLatSchema,
  SyncedFields,
  nonEmptyText,
} from './common';

export const OrgLevelSchema = z.enum(['district', 'street', 'community', 'grid']);
export type OrgLevel = z.infer<typeof OrgLevelSchema>;

/**
 * District, street, community or grid. `scope` is the unit's own code, so whoever serves a
 * unit receives its record. Boundaries are WGS-84 and may be absent (communities have no
 * public polygons).
 */
export const OrgUnitSchema = z.object({
  ...SyncedFields,
  code: z.union([GridCodeSchema, DivisionCodeSchema]),
  level: OrgLevelSchema,
  name: nonEmptyText(80),
  parentCode: DivisionCodeSchema.nullable(),
  boundary: AreaGeometrySchema.optional(),
  labelPoint: LngLatSchema.optional(),
});
export type OrgUnit = z.infer<typeof OrgUnitSchema>;

export const DepartmentKindSchema = z.enum([
  'street-office', // 街道内设科室
  'district-department', // 区职能部门
  'public-service', // 水电气热等公共服务企业
  'property-company', // 物业公司
  'community', // 社区居委会
]);

/** A unit cases can be dispatched to (职能部门, 科室, 物业, 公共服务企业). */
export const DepartmentSchema = z.object({
  ...SyncedFields,
  code: z.string().regex(/^[A-Z0-9-]{2,32}$/, 'department code: capitals, digits, dashes'),
  name: nonEmptyText(80),
  kind: DepartmentKindSchema,
  contactPhone: z.string().max(32).optional(),
});
export type Department = z.infer<typeof DepartmentSchema>;
