import { z } from 'zod';
import { HlcSchema, IdSchema, InstantSchema, ScopeSchema } from '../domain/common';
import { ENTITY_TABLES, type EntityTable } from '../domain/entities';
import { RoleSchema } from '../domain/account';
import { HistoryNoteSchema } from '../domain/recordChange';
import { isGridCode } from '../validation/codes';

/**
 * The Gridwork sync protocol, version 4. Prose in PROTOCOL.md beside this file; this module is
 * the executable half: every request and response body is a zod schema that both the server
 * (on the way in) and the client (on the way back) parse.
 */
export const PROTOCOL_VERSION = 4;
/** Every request carries the protocol version in this header. */
export const PROTOCOL_HEADER = 'x-gridwork-protocol';
/** Every authenticated request names the device its token was issued to. */
export const DEVICE_HEADER = 'x-gridwork-device';

export const SYNC_LIMITS = {
  /** Mutations per push request. */
  maxPushMutations: 500,
  /** Rows per pull page (the client may ask for fewer). */
  maxPullPage: 2000,
  defaultPullPage: 1000,
  /** Largest JSON body the server reads. */
  maxBodyBytes: 4 * 1024 * 1024,
  /** A clock further ahead of the server's wall clock than this is clamped (DESIGN §5.2). */
  maxClockSkewMs: 5 * 60_000,
  /** Attachment upload chunk. */
  attachmentChunkBytes: 1024 * 1024,
  maxAttachmentBytes: 50 * 1024 * 1024,
} as const;

/** Named errors, the same on both ends. The HTTP status comes with them (`ERROR_STATUS`). */
export const ERROR_CODES = [
  'protocol-version',
  'bad-request',
  'body-too-large',
  'unauthorized',
  'token-expired',
  'device-mismatch',
  'invalid-credentials',
  'account-locked',
  'account-disabled',
  'forbidden',
  'not-found',
  'attachment-hash-mismatch',
  'attachment-incomplete',
  'internal',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const ERROR_STATUS: Record<ErrorCode, number> = {
  'protocol-version': 426,
  'bad-request': 400,
  'body-too-large': 413,
  unauthorized: 401,
  'token-expired': 401,
  'device-mismatch': 401,
  'invalid-credentials': 401,
  'account-locked': 423,
  'account-disabled': 403,
  forbidden: 403,
  'not-found': 404,
  'attachment-hash-mismatch': 422,
  'attachment-incomplete': 409,
  internal: 500,
  unavailable: 503,
};

export const ErrorBodySchema = z.object({
  error: z.object({ code: ErrorCodeSchema, message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A device id: the UUID a device made for itself on first start. */
export const DeviceIdSchema = z.uuid();

// ------------------------------------------------------------------ auth

export const LoginRequestSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  deviceId: DeviceIdSchema,
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const MembershipViewSchema = z.object({ scope: ScopeSchema, role: RoleSchema });
export type MembershipView = z.infer<typeof MembershipViewSchema>;

export const SessionUserSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  memberships: z.array(MembershipViewSchema),
  /**
   * The department a 部门联络员 (liaison) acts for, as the server judges their case steps; null
   * for everyone else. Defaulted so a server or a cached session from before it still parses.
   */
  departmentId: IdSchema.nullable().default(null),
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

export const LoginResponseSchema = z.object({
  token: z.string().min(32),
  expiresAt: InstantSchema,
  user: SessionUserSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

// ------------------------------------------------------------------ push

const TableSchema = z.enum(ENTITY_TABLES as [EntityTable, ...EntityTable[]]);

const MutationBase = {
  /** The device's mutation number; (deviceId, seq) is unique forever. */
  seq: z.int().min(1),
  table: TableSchema,
  recordId: IdSchema,
  scope: ScopeSchema,
  hlc: HlcSchema,
  actorId: IdSchema,
  at: InstantSchema,
};

/** A plain record change: the changed fields and the clocks the device saw before it edited them. */
export const RecordMutationSchema = z.strictObject({
  ...MutationBase,
  op: z.enum(['create', 'update', 'delete', 'restore']),
  fields: z.record(z.string().max(64), z.unknown()),
  /** Field → the clock the device had for it when the user edited it (absent for creates). */
  base: z.record(z.string().max(64), HlcSchema).default({}),
  /**
   * Protocol 4: the change-history row of an edit of a tracked table (`HISTORY_TABLES`), written
   * by the server with the change when the change is applied (PROTOCOL.md §2). Its `fields` are
   * checked with the whole row when the server writes it, like a mutation's own `fields`: a bad
   * one refuses that mutation, not the batch.
   */
  history: HistoryNoteSchema.extend({
    fields: z.record(z.string().max(64), z.unknown()),
  }).optional(),
});

/**
 * A named workflow step (e.g. `case.op`, `record.rescope`): the server checks it against the domain's
 * rules before anything is written, and answers `rejected` with a reason when it is illegal.
 */
export const WorkflowMutationSchema = z.strictObject({
  ...MutationBase,
  op: z.literal('workflow'),
  name: z.string().regex(/^[a-z]+\.[a-z-]+$/),
  args: z.record(z.string().max(64), z.unknown()),
});

/**
 * The workflow operation that moves a record to another scope (a household moved to another
 * grid): `args: { toScope }`, the mutation's `scope` being the one the device knew the record in.
 * The server checks that the user may write both the record's current scope and `toScope`, and
 * that `toScope` is valid for the table (`isRescopeTarget`); devices that read the old scope but
 * not the new one learn from a scope exit (`PullExitChange`) to drop the row.
 */
export const RESCOPE_OPERATION = 'record.rescope';

/**
 * Tables whose rows `record.rescope` may move, and the kind of scope they live in. A table not
 * listed keeps its rows where they were created. Adding a table = one entry.
 */
export const RESCOPE_TABLES: Readonly<Partial<Record<EntityTable, 'grid'>>> = {
  buildings: 'grid',
  households: 'grid',
  residents: 'grid',
};

/** True when a row of `table` may be moved to `scope` (a grid code for the registry tables). */
export function isRescopeTarget(table: EntityTable, scope: unknown): scope is string {
  const kind = RESCOPE_TABLES[table];
  return kind === 'grid' && typeof scope === 'string' && isGridCode(scope);
}

export const MutationSchema = z.discriminatedUnion('op', [
  RecordMutationSchema,
  WorkflowMutationSchema,
]);
export type Mutation = z.infer<typeof MutationSchema>;
export type RecordMutation = z.infer<typeof RecordMutationSchema>;
export type WorkflowMutation = z.infer<typeof WorkflowMutationSchema>;

export const PushRequestSchema = z.strictObject({
  deviceId: DeviceIdSchema,
  mutations: z.array(MutationSchema).min(1).max(SYNC_LIMITS.maxPushMutations),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const REJECTION_CODES = [
  'out-of-scope',
  'invalid-record',
  'illegal-transition',
  'unknown-operation',
  'not-found',
  'append-only',
  'scope-change',
  /** Protocol 3: the user's role may not take this step or write this table (a liaison). */
  'forbidden',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** The server's answer to one mutation. Every answer is an acknowledgement. */
export const MutationResultSchema = z.object({
  seq: z.int(),
  /** applied: written (maybe partly lost to newer edits, see `lost`); duplicate: seen before; rejected: nothing written. */
  status: z.enum(['applied', 'duplicate', 'rejected']),
  code: z.enum(REJECTION_CODES).optional(),
  /** Why, in English words (logs, and apps that do not know `reasonKey`). */
  reason: z.string().optional(),
  /**
   * Why, as a message key the app says in the user's language (`RefusalKey`,
   * shared/cases/refusals.ts); a key the app does not know is shown as `reason`. Since version 4.
   */
  reasonKey: z.string().optional(),
  /** The key's parameters: raw codes (a status, a step type, a case number) and numbers. */
  reasonParams: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** Fields whose incoming value lost to a newer clock on the server. */
  lost: z.array(z.string()).optional(),
  /** The server's current row for rejected or partly lost mutations, so the device can converge. */
  record: z.record(z.string(), z.unknown()).optional(),
});
export type MutationResult = z.infer<typeof MutationResultSchema>;

export const PushResponseSchema = z.object({ results: z.array(MutationResultSchema) });
export type PushResponse = z.infer<typeof PushResponseSchema>;

// ------------------------------------------------------------------ pull

/**
 * Cursors are per membership scope; a value is the server sequence number of the partition
 * (the scope's district) up to which the device has applied changes. 0 = nothing yet, which
 * makes the first pages a snapshot of the scope's current rows.
 */
export const PullRequestSchema = z.strictObject({
  deviceId: DeviceIdSchema,
  cursors: z.record(ScopeSchema, z.int().min(0)),
  limit: z.int().min(1).max(SYNC_LIMITS.maxPullPage).default(SYNC_LIMITS.defaultPullPage),
});
export type PullRequest = z.input<typeof PullRequestSchema>;

/** A row's current state. */
export const PullRowChangeSchema = z.object({
  table: TableSchema,
  seq: z.int().min(1),
  /** The whole current row, envelope and per-field clocks included (deleted rows are tombstones). */
  record: z.record(z.string(), z.unknown()),
});
export type PullRowChange = z.infer<typeof PullRowChangeSchema>;

/**
 * A scope exit (protocol 2): row `recordId` of `table` has left `exitedScope` for a scope this
 * page does not name. The device drops its copy unless it still reads the row's new scope.
 */
export const PullExitChangeSchema = z.object({
  kind: z.literal('exit'),
  table: TableSchema,
  seq: z.int().min(1),
  recordId: IdSchema,
  exitedScope: ScopeSchema,
});
export type PullExitChange = z.infer<typeof PullExitChangeSchema>;

/** One entry of a pull page: a row, or (with `kind: 'exit'`) a scope exit. */
export const PullChangeSchema = z.union([PullExitChangeSchema, PullRowChangeSchema]);
export type PullChange = z.infer<typeof PullChangeSchema>;

export const PullResponseSchema = z.object({
  /** The user's scopes now; a device purges local data of any scope no longer listed. */
  scopes: z.array(ScopeSchema),
  /** Changes of one scope only (the first with news), in sequence order. */
  scope: ScopeSchema.nullable(),
  changes: z.array(PullChangeSchema),
  /** The cursor to store for `scope` together with these changes, in one transaction. */
  cursor: z.int().min(0),
  /** More changes wait (in this scope or another): pull again. */
  hasMore: z.boolean(),
  /**
   * Protocol 4: scopes the user reads only some tables of (a department liaison's street:
   * `readableTables`), and those tables. A scope not named reads every table. The device drops
   * its rows of the other tables there, and pulls such a scope again from 0 when it widens.
   */
  tables: z.record(z.string(), z.array(TableSchema)).default({}),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;
