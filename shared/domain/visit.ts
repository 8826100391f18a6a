import { z } from 'zod';
import { IdSchema, InstantSchema, LngLatSchema, SyncedFields } from './common';

export const VisitMethodSchema = z.enum(['in-person', 'phone', 'video', 'other']);

/** 走访记录: one door-to-door (or phone) visit to a household. Needs and photos are child rows. */
export const VisitSchema = z.object({
  ...SyncedFields,
  householdId: IdSchema,
  visitorId: IdSchema,
  visitorName: z.string().trim().min(1).max(40),
  visitedAt: InstantSchema,
  method: VisitMethodSchema,
  location: LngLatSchema.nullable().default(null),
  findings: z.string().max(4000).default(''),
});
export type Visit = z.infer<typeof VisitSchema>;

/**
 * A file attached to a record (visit photo, case document). Content-addressed: `sha256` names
 * the bytes, which travel separately from the record outbox (DESIGN §5.6).
 */
export const AttachmentSchema = z.object({
  ...SyncedFields,
  ownerTable: z.enum(['visits', 'cases', 'caseEvents', 'needs', 'meetings']),
  ownerId: IdSchema,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mime: z.string().max(100),
  size: z
    .int()
    .min(0)
    .max(50 * 1024 * 1024),
  name: z.string().max(200),
});
export type Attachment = z.infer<typeof AttachmentSchema>;
