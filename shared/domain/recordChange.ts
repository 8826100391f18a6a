import { z } from 'zod';
import { IdSchema, InstantSchema, SyncedFields } from './common';
import { isSensitiveField, maskFieldValue } from './sensitive';

export const RecordChangeOpSchema = z.enum(['create', 'update', 'delete', 'restore']);
export type RecordChangeOp = z.infer<typeof RecordChangeOpSchema>;

/**
 * One field of a change: its value after the change and, for an update, before it. A sensitive
 * value (`sensitive.ts`) is stored masked and marked `masked`, so the history never becomes a
 * second, plaintext and undeletable copy of ID numbers and phones on every device.
 */
export const FieldChangeSchema = z.object({
  new: z.json(),
  old: z.json().optional(),
  masked: z.literal(true).optional(),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;
type Json = FieldChange['new'];

/**
 * 变更记录: who changed which record, when, and what. Written by the device in the same local
 * transaction as the change it describes and synced like any row, in the changed record's scope,
 * so every device of that scope sees the same history. Append-only.
 *
 * `fields` holds, for a `create`, every field given a value; for an `update`, every changed field
 * with its old and new value; for `delete` / `restore`, nothing (the op says it all).
 * `actorName` is the actor's display name at the time, since devices keep no user directory.
 */
export const RecordChangeSchema = z.object({
  ...SyncedFields,
  table: z.string().regex(/^[a-z][A-Za-z]{0,39}$/, 'expected a table name'),
  recordId: IdSchema,
  op: RecordChangeOpSchema,
  actorId: IdSchema,
  actorName: z.string().max(40).default(''),
  at: InstantSchema,
  fields: z.record(z.string().max(64), FieldChangeSchema).default({}),
});
export type RecordChange = z.infer<typeof RecordChangeSchema>;

/**
 * A change's history row as it travels on the change's own mutation (protocol 4): the row's id and
 * the parts the mutation does not already say. The rest — table, record, op, who, when, clock and
 * scope — is the mutation's, so the server writes the row from the two (`historyRowData`) in the
 * same transaction as the change, and only when the change is applied.
 */
export const HistoryNoteSchema = z.strictObject({
  id: IdSchema,
  actorName: RecordChangeSchema.shape.actorName,
  fields: RecordChangeSchema.shape.fields,
});
export type HistoryNote = z.infer<typeof HistoryNoteSchema>;

/**
 * The fields of the history row of a change (everything but the envelope), on both ends. The
 * server passes the note's `fields` as they came (`F` unknown) and validates the row it makes.
 */
export function historyRowData<F = HistoryNote['fields']>(
  change: { table: string; recordId: string; op: RecordChangeOp; actorId: string; at: string },
  note: { actorName: string; fields: F },
): Omit<RecordChange, 'id' | 'scope' | 'createdAt' | 'updatedAt' | 'hlc' | 'clocks' | 'fields'> & {
  fields: F;
} {
  return {
    deleted: false,
    table: change.table,
    recordId: change.recordId,
    op: change.op,
    actorId: change.actorId,
    actorName: note.actorName,
    at: change.at,
    fields: note.fields,
  };
}

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * The `fields` of a history row. `changed` is what the change wrote (field → new value, as in its
 * outbox entry); `previous` is the record before it (none for a create). A create keeps only the
 * fields given a value — an empty note is not news — and the tombstone flag is the op's business.
 */
export function fieldChangesOf(
  table: string,
  op: RecordChangeOp,
  previous: Readonly<Record<string, unknown>> | undefined,
  changed: Readonly<Record<string, unknown>>,
): Record<string, FieldChange> {
  if (op === 'delete' || op === 'restore') return {};
  const result: Record<string, FieldChange> = {};
  for (const [field, value] of Object.entries(changed)) {
    if (op === 'create' && (field === 'deleted' || isEmpty(value))) continue;
    // Record values are JSON: they passed their entity schema and travel as JSON when synced.
    const entry: FieldChange = { new: maskFieldValue(table, field, value ?? null).value as Json };
    if (op === 'update')
      entry.old = maskFieldValue(table, field, previous?.[field] ?? null).value as Json;
    if (isSensitiveField(table, field)) entry.masked = true;
    result[field] = entry;
  }
  return result;
}
