import { APPEND_ONLY_TABLES, ENTITY_SCHEMAS, type EntityTable } from '../domain/entities';
import { SYNC_ENVELOPE_FIELDS } from '../domain/common';
import { formatHlc, parseHlc } from './hlc';
import type { RecordMutation, RejectionCode } from './protocol';

/**
 * Per-field last-writer-wins merge (DESIGN §5.2), shared by the server (applying pushes) and
 * the client (applying pulls), so both sides resolve the same way.
 */

export type Row = Record<string, unknown>;

/** The clock of one field of a stored row: its own entry, or the row's creation clock. */
export function fieldClock(row: Row, field: string): string {
  const clocks = row.clocks as Record<string, string> | undefined;
  return clocks?.[field] ?? (row.hlc as string);
}

const ENVELOPE = new Set<string>(SYNC_ENVELOPE_FIELDS);
/** Envelope fields a mutation may carry: only the tombstone flag. */
const WRITABLE_ENVELOPE = new Set(['deleted']);

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A clock more than `maxSkewMs` ahead of `nowMs` is pulled back to that bound (keeping its
 * counter and node), so one device with a wrong clock cannot win every future conflict.
 */
export function clampHlc(hlc: string, nowMs: number, maxSkewMs: number): string {
  const parsed = parseHlc(hlc);
  const limit = nowMs + maxSkewMs;
  return parsed.ms > limit ? formatHlc({ ...parsed, ms: limit }) : hlc;
}

export interface FieldConflict {
  field: string;
  winnerValue: unknown;
  winnerHlc: string;
  loserValue: unknown;
  loserHlc: string;
  /** Which side lost: the value already stored, or the incoming one. */
  loser: 'stored' | 'incoming';
}

export type MergeResult =
  | { ok: true; record: Row; changed: boolean; lost: string[]; conflicts: FieldConflict[] }
  | { ok: false; code: RejectionCode; reason: string };

/**
 * Applies one record mutation to the stored row (undefined = none yet). Each field is taken
 * when the mutation's clock is newer than the field's stored clock; otherwise it is `lost`.
 * When the device's base clock for a field differs from the stored clock, someone else wrote
 * the field concurrently: if the values differ that is a conflict, reported with both values.
 * The merged row is validated against the entity schema; an invalid result is rejected whole.
 */
export function mergeMutation(stored: Row | undefined, mutation: RecordMutation): MergeResult {
  const table: EntityTable = mutation.table;
  for (const key of Object.keys(mutation.fields)) {
    if (ENVELOPE.has(key) && !WRITABLE_ENVELOPE.has(key)) {
      return {
        ok: false,
        code: 'invalid-record',
        reason: `${key} is part of the record envelope and cannot be written`,
      };
    }
  }

  let next: Row;
  const lost: string[] = [];
  const conflicts: FieldConflict[] = [];
  let changed = false;

  if (!stored) {
    if (mutation.op !== 'create') {
      return {
        ok: false,
        code: 'not-found',
        reason: `${table}/${mutation.recordId} does not exist on the server`,
      };
    }
    next = {
      ...mutation.fields,
      id: mutation.recordId,
      scope: mutation.scope,
      createdAt: mutation.at,
      updatedAt: mutation.at,
      hlc: mutation.hlc,
    };
    changed = true;
  } else {
    if (stored.scope !== mutation.scope) {
      return {
        ok: false,
        code: 'scope-change',
        reason: `${table}/${mutation.recordId} belongs to scope ${String(stored.scope)}`,
      };
    }
    if (APPEND_ONLY_TABLES.has(table) && mutation.op !== 'create') {
      return { ok: false, code: 'append-only', reason: `${table} rows cannot be changed` };
    }
    next = { ...stored };
    const clocks: Record<string, string> = {
      ...(stored.clocks as Record<string, string> | undefined),
    };
    for (const [field, value] of Object.entries(mutation.fields)) {
      const storedClock = fieldClock(stored, field);
      const base = mutation.base[field];
      const concurrent = base !== undefined && base !== storedClock && !same(stored[field], value);
      if (mutation.hlc > storedClock) {
        if (concurrent)
          conflicts.push({
            field,
            winnerValue: value,
            winnerHlc: mutation.hlc,
            loserValue: stored[field],
            loserHlc: storedClock,
            loser: 'stored',
          });
        if (!same(stored[field], value)) changed = true;
        next[field] = value;
        clocks[field] = mutation.hlc;
      } else {
        if (concurrent)
          conflicts.push({
            field,
            winnerValue: stored[field],
            winnerHlc: storedClock,
            loserValue: value,
            loserHlc: mutation.hlc,
            loser: 'incoming',
          });
        if (!same(stored[field], value)) lost.push(field);
      }
    }
    if (changed) {
      next.clocks = clocks;
      if (String(next.updatedAt) < mutation.at) next.updatedAt = mutation.at;
    }
  }

  const parsed = ENTITY_SCHEMAS[table].safeParse(next);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return { ok: false, code: 'invalid-record', reason: `invalid ${table} record: ${issues}` };
  }
  return { ok: true, record: parsed.data as Row, changed, lost, conflicts };
}

/**
 * The client's side: a row pulled from the server replaces the local one, except for fields
 * that still have an unacknowledged local edit — those keep their local value and clock until
 * the server has answered the push that carries them.
 */
export function applyServerRow(
  local: Row | undefined,
  server: Row,
  pendingFields: ReadonlySet<string>,
): Row {
  if (!local || pendingFields.size === 0) return server;
  const next: Row = { ...server };
  const clocks: Record<string, string> = {
    ...(server.clocks as Record<string, string> | undefined),
  };
  for (const field of pendingFields) {
    if (!(field in local)) continue;
    next[field] = local[field];
    clocks[field] = fieldClock(local, field);
  }
  next.clocks = clocks;
  return next;
}
