import { z } from 'zod';
import { DateSchema, GridCodeSchema, IdSchema, SyncedFields, nonEmptyText } from './common';

export const SexSchema = z.enum(['M', 'F']);
export const RelationSchema = z.enum([
  'head', // 户主
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'child-in-law',
  'tenant', // 租住人员
  'other',
]);
export type Relation = z.infer<typeof RelationSchema>;

/** 户籍 registered here / 常住 living here without hukou / 流动 floating population. */
export const ResidenceTypeSchema = z.enum(['registered', 'resident', 'floating']);
export const ResidentStatusSchema = z.enum(['active', 'moved-out', 'deceased']);

/**
 * A person living in a household. `idNumber` and `phone` are sensitive: lists show them masked
 * (`shared/validation/mask.ts`) and revealing one is audited.
 */
export const ResidentSchema = z.object({
  ...SyncedFields,
  householdId: IdSchema,
  gridCode: GridCodeSchema,
  name: nonEmptyText(40),
  idNumber: z
    .string()
    .regex(/^\d{17}[\dX]$/, 'expected an 18-character ID number')
    .nullable(),
  phone: z.string().max(20).nullable(),
  birthDate: DateSchema,
  sex: SexSchema,
  relation: RelationSchema,
  residenceType: ResidenceTypeSchema,
  status: ResidentStatusSchema.default('active'),
  /** Special-group tag codes from `shared/catalogs/specialGroups`. Sensitive (PIPL Art. 28). */
  tags: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).default([]),
  partyMember: z.boolean().default(false),
  note: z.string().max(2000).default(''),
});
export type Resident = z.infer<typeof ResidentSchema>;
