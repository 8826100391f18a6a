import { z } from 'zod';

/**
 * Building blocks every entity schema shares. Records are made on devices that are often
 * offline, so ids are UUIDv7 strings generated locally and every synced record carries the
 * scope (grid / community / street code) that decides who may read and write it.
 */

/** UUIDv7 (or any RFC 9562 UUID) made on the device that created the record. */
export const IdSchema = z.uuid();

/** ISO-8601 instant in UTC, e.g. `2026-11-29T06:00:00.000Z`. */
export const InstantSchema = z.iso.datetime({ offset: false });

/** Calendar date `YYYY-MM-DD` (birth dates, due dates, periods). */
export const DateSchema = z.iso.date();

/** Hybrid logical clock as produced by `shared/sync/hlc.ts`; sortable as a string. */
export const HlcSchema = z.string().regex(/^\d{13}-[0-9a-f]{4}-[0-9a-z-]{1,64}$/, 'invalid HLC');

/** 12-digit statistical division code (district/street/community, NBS). */
export const DivisionCodeSchema = z
  .string()
  .regex(/^11\d{10}$|^\d{12}$/, 'expected a 12-digit division code');

/** 15-digit Beijing grid code: district 6 + street 3 + community 3 + grid 3. */
export const GridCodeSchema = z.string().regex(/^\d{15}$/, 'expected a 15-digit grid code');

/** A scope is a grid code or, for records above grid level, a community/street/district code. */
export const ScopeSchema = z.union([GridCodeSchema, DivisionCodeSchema]);

/** WGS-84 position `[lng, lat]`, always stored in WGS-84 (DESIGN §6). */
export const LngLatSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

const PositionSchema = z.tuple([z.number(), z.number()]);
const RingSchema = z.array(PositionSchema).min(4);
export const PolygonSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(RingSchema).min(1),
});
export const MultiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(RingSchema).min(1)).min(1),
});
export const AreaGeometrySchema = z.discriminatedUnion('type', [PolygonSchema, MultiPolygonSchema]);
export type AreaGeometry = z.infer<typeof AreaGeometrySchema>;

/**
 * Fields every synced record has. `hlc` is the clock of the record's creation and never changes;
 * `clocks` holds the clock of every field written after that, so a field's clock is
 * `clocks[field] ?? hlc` (kept sparse: 150k demo residents need no per-field map). Per-field
 * last-writer-wins compares these clocks (DESIGN §5.2).
 */
export const SyncedFields = {
  id: IdSchema,
  scope: ScopeSchema,
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
  deleted: z.boolean().default(false),
  hlc: HlcSchema,
  clocks: z.record(z.string(), HlcSchema).optional(),
};

/** Field names that belong to the sync envelope, not to the entity's own data. */
export const SYNC_ENVELOPE_FIELDS = [
  'id',
  'scope',
  'createdAt',
  'updatedAt',
  'deleted',
  'hlc',
  'clocks',
] as const;

export const SyncedBaseSchema = z.object(SyncedFields);
export type SyncedBase = z.infer<typeof SyncedBaseSchema>;

/** Trimmed, non-empty text with an upper bound, for names and titles. */
export const nonEmptyText = (max: number) => z.string().trim().min(1).max(max);
