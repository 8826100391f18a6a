import { v7 as uuidv7 } from 'uuid';
import {
  type CaseWarning,
  type RefusalCode,
  applyCaseOperation,
} from '@shared/cases/applyCaseOperation';
import { CASE_OPERATION, type CaseOpArgs } from '@shared/cases/caseOpMutation';
import { type CaseActor, type CaseOperationInput, relatedCaseId } from '@shared/cases/operations';
import { type Refusal, refusal } from '@shared/cases/refusals';
import { type Case, CaseSchema } from '@shared/domain/case';
import type { GridworkDb } from '../../db/db';
import { loadDevice } from '../../db/device';
import { type AnyChange, commitChanges, writeStores } from '../../db/write';

/**
 * A step the case loop refused, or a case that is not there; nothing was written. `refusal` is
 * why, for the dialogs to say in the user's language (`useRefusalText`); the message is its
 * English reason.
 */
export class CaseOperationError extends Error {
  constructor(
    readonly code: RefusalCode | 'deleted',
    readonly refusal: Refusal,
  ) {
    super(refusal.reason);
    this.name = 'CaseOperationError';
  }
}

/** A live case of this device, inside the caller's transaction. */
async function liveCase(db: GridworkDb, caseId: string): Promise<Case> {
  const stored = await db.cases.get(caseId);
  if (!stored) throw new CaseOperationError('not-found', refusal('caseMissing', { id: caseId }));
  if (stored.deleted)
    throw new CaseOperationError('deleted', refusal('caseDeleted', { id: caseId }));
  return stored;
}

/**
 * One checked step as the changes of a `commitChanges` batch: the case's workflow entry and the
 * events it appends, each in the scope of the case it belongs to (合并 also tells the main case).
 */
function stepChanges(
  stored: Case,
  related: Case | undefined,
  op: CaseOperationInput,
  actor: CaseActor,
  instant: number,
): { changes: AnyChange[]; warnings: CaseWarning[] } {
  const result = applyCaseOperation(stored, op, actor, new Date(instant), related ?? null);
  if (!result.ok) {
    const { key, params, reason } = result;
    throw new CaseOperationError(result.code, { key, params, reason });
  }
  const eventIds = result.events.map(() => uuidv7());
  const args = { op, eventIds } satisfies CaseOpArgs;
  const changes: AnyChange[] = [
    {
      op: 'workflow',
      table: 'cases',
      id: stored.id,
      name: CASE_OPERATION,
      args,
      patch: result.patch,
    },
    ...result.events.map((data, i): AnyChange => ({
      op: 'create',
      table: 'caseEvents',
      id: eventIds[i],
      scope: related && data.caseId === related.id ? related.scope : stored.scope,
      data,
      viaWorkflow: true,
    })),
  ];
  return { changes, warnings: result.warnings };
}

/**
 * Takes one named step on a case in the app (签收, 退单, 延期, 督办, 办结, 回访, 重办, 合并 …): reads
 * the case (and the other case a 合并 or 关联 names), checks the step with `applyCaseOperation`
 * (the same rules the server re-runs), and writes the changed fields and the timeline events in
 * ONE `commitChanges` batch inside one transaction, so two quick clicks cannot both take a step
 * from the same state.
 *
 * The step travels as ONE `case.op` workflow entry (`{ op, eventIds }`, PROTOCOL.md §3.2): the
 * events are created here under fresh ids that the entry carries, so the server's copies of them
 * are these very rows. If the server refuses the step, the sync engine puts its case back and
 * drops these events, and the refusal lands in the conflict inbox.
 * @returns the updated case and any warnings (a deadline beyond the holiday calendar).
 * @throws CaseOperationError with the refusal's code and reason.
 */
export async function runCaseOperation(
  db: GridworkDb,
  caseId: string,
  op: CaseOperationInput,
  actor: CaseActor,
  wallClock: () => number = Date.now,
): Promise<{ case: Case; warnings: CaseWarning[] }> {
  // Outside the transaction below: a first run creates the device id in its own transaction.
  await loadDevice(db, wallClock);
  // One instant for the step and its outbox entry: the server re-runs the step at the entry's `at`.
  const instant = wallClock();
  const clock = () => instant;
  return db.transaction('rw', writeStores(db, ['cases', 'caseEvents']), async () => {
    const stored = await liveCase(db, caseId);
    const otherId = relatedCaseId(op);
    // A missing other case is the step's own refusal (not-found), with its reason.
    const related = otherId === null ? undefined : await db.cases.get(otherId);
    const { changes, warnings } = stepChanges(stored, related, op, actor, instant);
    const [updated] = await commitChanges(db, changes, actor, { wallClock: clock });
    return { case: CaseSchema.parse(updated), warnings };
  });
}

/**
 * 关联: links two cases both ways — a `link` step on each, in one batch and one transaction. A
 * side already linked is left as it is, so linking a pair again completes a one-sided link (one
 * half refused by the server) instead of failing.
 * @returns how many sides were linked now (0 when both already were).
 * @throws CaseOperationError when either step is refused.
 */
export async function linkCases(
  db: GridworkDb,
  caseId: string,
  otherCaseId: string,
  note: string,
  actor: CaseActor,
  wallClock: () => number = Date.now,
): Promise<number> {
  await loadDevice(db, wallClock);
  const instant = wallClock();
  return db.transaction('rw', writeStores(db, ['cases', 'caseEvents']), async () => {
    const a = await liveCase(db, caseId);
    const b = await liveCase(db, otherCaseId);
    const changes: AnyChange[] = [];
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      if ((from.links ?? []).includes(to.id)) continue;
      const op = { type: 'link', otherCaseId: to.id, note } as const;
      changes.push(...stepChanges(from, to, op, actor, instant).changes);
    }
    if (changes.length > 0) await commitChanges(db, changes, actor, { wallClock: () => instant });
    return changes.filter((c) => c.op === 'workflow').length;
  });
}
