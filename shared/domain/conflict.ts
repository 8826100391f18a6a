import { z } from 'zod';
import { HlcSchema, IdSchema, InstantSchema, SyncedFields } from './common';

/**
 * A same-field conflict found by the sync server: two devices edited one field of one record
 * concurrently (neither had seen the other's edit). The winner is decided by HLC, the same on
 * every device; the losing value is kept here so a person can look at both and choose.
 */
export const ConflictSchema = z.object({
  ...SyncedFields,
  recordTable: z.string().max(40),
  recordId: IdSchema,
  field: z.string().max(64),
  winnerValue: z.unknown(),
  winnerHlc: HlcSchema,
  loserValue: z.unknown(),
  loserHlc: HlcSchema,
  loserActorId: IdSchema,
  detectedAt: InstantSchema,
  resolved: z.boolean().default(false),
  /** `kept` = the winner stays; `replaced` = someone re-applied the losing value. */
  resolution: z.enum(['kept', 'replaced']).nullable().default(null),
  resolvedBy: IdSchema.nullable().default(null),
});
export type Conflict = z.infer<typeof ConflictSchema>;
