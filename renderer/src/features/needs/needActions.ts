import {
  type Need,
  type NeedEvent,
  NeedEventSchema,
  NeedSchema,
  type NeedStatus,
} from '@shared/domain/need';
import { canTransitionNeed } from '@shared/needs/transitions';
import type { GridworkDb } from '../../db/db';
import { loadDevice } from '../../db/device';
import { type Actor, commitChanges, writeStores } from '../../db/write';

/** Why a status change was refused; nothing was written. */
export type NeedTransitionErrorCode = 'not-found' | 'deleted' | 'illegal-transition';

/** A refused status change, with what the need was and what was asked, for the message. */
export class NeedTransitionError extends Error {
  constructor(
    readonly code: NeedTransitionErrorCode,
    message: string,
    readonly from: NeedStatus | null = null,
    readonly to: NeedStatus | null = null,
  ) {
    super(message);
    this.name = 'NeedTransitionError';
  }
}

/** Who moves the need: the user id for the outbox and the name the history shows. */
export interface NeedActor extends Actor {
  name: string;
}

export interface TransitionOptions {
  /** Why, or what was agreed (核实情况, 对接的资源 …); may be empty. */
  note?: string;
  wallClock?: () => number;
}

/**
 * Moves a need one step along `shared/needs/transitions` and appends its NeedEvent (who, when,
 * from, to, note), both through ONE `commitChanges` batch: the status never changes without its
 * event, nor the reverse. The need is read and checked inside the same transaction, so two quick
 * clicks (or two windows) cannot both move it from the same status.
 * @throws NeedTransitionError for a missing or deleted need or a step the table does not allow;
 *   WriteError for an invalid note (too long).
 */
export async function transitionNeed(
  db: GridworkDb,
  needId: string,
  to: NeedStatus,
  options: TransitionOptions,
  actor: NeedActor,
): Promise<{ need: Need; event: NeedEvent }> {
  const wallClock = options.wallClock ?? Date.now;
  // Outside the transaction below: a first run creates the device id in its own transaction.
  await loadDevice(db, wallClock);
  return db.transaction('rw', writeStores(db, ['needs', 'needEvents']), async () => {
    const stored = await db.needs.get(needId);
    if (!stored) throw new NeedTransitionError('not-found', `need ${needId} does not exist`);
    if (stored.deleted)
      throw new NeedTransitionError('deleted', `need ${needId} is deleted`, stored.status, to);
    const from = stored.status;
    if (!canTransitionNeed(from, to))
      throw new NeedTransitionError(
        'illegal-transition',
        `a need cannot move from ${from} to ${to}`,
        from,
        to,
      );
    const [need, event] = await commitChanges(
      db,
      [
        { op: 'update', table: 'needs', id: needId, patch: { status: to } },
        {
          op: 'create',
          table: 'needEvents',
          scope: stored.scope,
          data: {
            needId,
            from,
            to,
            actorId: actor.id,
            actorName: actor.name,
            at: new Date(wallClock()).toISOString(),
            note: (options.note ?? '').trim(),
          },
        },
      ],
      actor,
      { wallClock },
    );
    // The batch returns plain validated records; parsing again only gives them their types.
    return { need: NeedSchema.parse(need), event: NeedEventSchema.parse(event) };
  });
}
