import type { RejectionCode } from '../sync/protocol';
import { LIST_SEPARATOR, type Refusal, refusal } from './refusals';

/**
 * What a plain record write (not a `case.op` step) may do to the case tables. Every step of the
 * loop is a named operation checked by `applyCaseOperation`; the only plain writes left are
 * intake — a new case as it was received (manual entry, a patrol report, a 12345 import) with its
 * `received` event — and notes on the timeline. A device that creates a case already dispatched,
 * resolved or followed up, or writes a timeline event that only a step may write, would skip the
 * state machine, so the server refuses it (and the app never writes one).
 */

/** Loop fields of a case as it is received: a plain create must leave them so. */
export const INTAKE_VALUES: Readonly<Record<string, unknown>> = {
  status: 'received',
  leadDepartmentId: null,
  coDepartmentIds: [],
  respondedAt: null,
  resolvedAt: null,
  closedAt: null,
  followUp: null,
  supervised: false,
  reopenCount: 0,
  extensionRequest: null,
  summons: [],
  mergedIntoId: null,
  links: [],
};

/** Timeline events a device may create with a plain write; every other type is a step's. */
export const PLAIN_CASE_EVENT_TYPES: ReadonlySet<string> = new Set(['received', 'note']);

/** An absent field, null and an empty list all mean "nothing yet" for an optional loop field. */
function sameAsIntake(value: unknown, intake: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(intake)) return Array.isArray(value) && value.length === 0;
  return value === intake;
}

/**
 * Why a plain create of `table` with `fields` is refused, or null when it is allowed (tables other
 * than the case tables are always allowed here). Updates are not checked here: loop fields of a
 * stored case change only through a step (sync service), and timeline rows are append-only.
 */
export function plainCaseCreateRefusal(
  table: string,
  fields: Readonly<Record<string, unknown>>,
): ({ code: RejectionCode } & Refusal) | null {
  if (table === 'cases') {
    const skipped = Object.entries(INTAKE_VALUES)
      .filter(([field, intake]) => !sameAsIntake(fields[field], intake))
      .map(([field]) => field);
    if (skipped.length === 0) return null;
    return {
      code: 'illegal-transition',
      ...refusal('createPastIntake', { fields: skipped.join(LIST_SEPARATOR) }),
    };
  }
  if (table === 'caseEvents') {
    const type = fields.type;
    if (typeof type === 'string' && PLAIN_CASE_EVENT_TYPES.has(type)) return null;
    return {
      code: 'illegal-transition',
      ...refusal('stepEventOnly', { eventType: String(type) }),
    };
  }
  return null;
}
