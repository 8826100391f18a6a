import { v7 as uuidv7 } from 'uuid';
import {
  type CaseWarning,
  type RefusalCode,
  applyCaseOperation,
} from '@shared/cases/applyCaseOperation';
import { CASE_OPERATION, type CaseOpArgs } from '@shared/cases/caseOpMutation';
import type { CaseActor, CaseOperationInput } from '@shared/cases/operations';
import { type Case, CaseSchema } from '@shared/domain/case';
import type { GridworkDb } from '../../db/db';
import { loadDevice } from '../../db/device';
import { type AnyChange, commitChanges, writeStores } from '../../db/write';

/** A step the case loop refused, or a case that is not there; nothing was written. */
export class CaseOperationError extends Error {
  constructor(
    readonly code: RefusalCode | 'not-found' | 'deleted',
    message: string,
  ) {
    super(message);
    this.name = 'CaseOperationError';
  }
}

/**
 * Takes one named step on a case in the app (签收, 退单, 延期, 督办, 办结, 回访, 重办 …): reads the
 * case, checks the step with `applyCaseOperation` (the same rules the server re-runs), and
 * writes the changed fields and the timeline events in ONE `commitChanges` batch inside one
 * transaction, so two quick clicks cannot both take a step from the same state.
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
    const stored = await db.cases.get(caseId);
    if (!stored) throw new CaseOperationError('not-found', `case ${caseId} does not exist`);
    if (stored.deleted) throw new CaseOperationError('deleted', `case ${caseId} is deleted`);
    const result = applyCaseOperation(stored, op, actor, new Date(instant));
    if (!result.ok) throw new CaseOperationError(result.code, result.reason);
    const eventIds = result.events.map(() => uuidv7());
    const args = { op, eventIds } satisfies CaseOpArgs;
    const changes: AnyChange[] = [
      {
        op: 'workflow',
        table: 'cases',
        id: caseId,
        name: CASE_OPERATION,
        args,
        patch: result.patch,
      },
      ...result.events.map((data, i): AnyChange => ({
        op: 'create',
        table: 'caseEvents',
        id: eventIds[i],
        scope: stored.scope,
        data,
        viaWorkflow: true,
      })),
    ];
    const [updated] = await commitChanges(db, changes, actor, { wallClock: clock });
    return { case: CaseSchema.parse(updated), warnings: result.warnings };
  });
}
