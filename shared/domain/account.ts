import { z } from 'zod';
import { IdSchema, InstantSchema, ScopeSchema, SyncedFields } from './common';

export const RoleSchema = z.enum(['grid-worker', 'community', 'street', 'department', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** A person who signs in. The server is the authority; devices hold a copy of their own. */
export const UserSchema = z.object({
  id: IdSchema,
  username: z.string().regex(/^[a-z0-9_.-]{3,32}$/, 'username: 3–32 of a-z 0-9 _ . -'),
  displayName: z.string().trim().min(1).max(40),
  phone: z.string().max(20).nullable().default(null),
  departmentId: IdSchema.nullable().default(null),
  disabled: z.boolean().default(false),
  createdAt: InstantSchema,
});
export type User = z.infer<typeof UserSchema>;

/** user × scope × role. A street membership covers the street's communities and grids. */
export const MembershipSchema = z.object({
  id: IdSchema,
  userId: IdSchema,
  scope: ScopeSchema,
  role: RoleSchema,
  grantedAt: InstantSchema,
  grantedBy: IdSchema.nullable(),
});
export type Membership = z.infer<typeof MembershipSchema>;

export const AuditActionSchema = z.enum([
  'view',
  'reveal', // unmasked an ID number or phone
  'create',
  'update',
  'delete',
  'restore',
  'export',
  'import',
  'login',
  'logout',
  'login-failed',
]);

/** Append-only: who viewed, changed or exported what, and why. */
export const AuditEventSchema = z.object({
  ...SyncedFields,
  at: InstantSchema,
  actorId: IdSchema,
  action: AuditActionSchema,
  table: z.string().max(40).nullable().default(null),
  recordId: IdSchema.nullable().default(null),
  field: z.string().max(40).nullable().default(null),
  reason: z.string().max(500).default(''),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
