import { z } from 'zod';
import {
  DivisionCodeSchema,
  GridCodeSchema,
  IdSchema,
  LngLatSchema,
  SyncedFields,
  nonEmptyText,
} from './common';

export const BuildingKindSchema = z.enum([
  'residential',
  'mixed',
  'commercial',
  'bungalow',
  'public',
]);

/** 楼栋 (or a 平房 courtyard): a point with an address, inside one grid. */
export const BuildingSchema = z.object({
  ...SyncedFields,
  gridCode: GridCodeSchema,
  communityCode: DivisionCodeSchema,
  compound: z.string().max(80).default(''), // 小区 / 院落 name
  name: nonEmptyText(40), // e.g. 3号楼
  address: nonEmptyText(200),
  kind: BuildingKindSchema,
  floors: z.int().min(1).max(120),
  units: z.int().min(1).max(40),
  location: LngLatSchema,
});
export type Building = z.infer<typeof BuildingSchema>;

export const HouseholdTypeSchema = z.enum(['owner', 'rented', 'vacant', 'other']);
export type HouseholdType = z.infer<typeof HouseholdTypeSchema>;

/** 户: one dwelling (unit and room) in a building, and the people who live there. */
export const HouseholdSchema = z.object({
  ...SyncedFields,
  gridCode: GridCodeSchema,
  buildingId: IdSchema,
  unit: z.string().max(10).default(''), // 单元
  room: z.string().max(20), // 门牌号 / 室
  address: nonEmptyText(200),
  type: HouseholdTypeSchema,
  headResidentId: IdSchema.nullable().default(null),
  location: LngLatSchema,
  note: z.string().max(2000).default(''),
});
export type Household = z.infer<typeof HouseholdSchema>;
