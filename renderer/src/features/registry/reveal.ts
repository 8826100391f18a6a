import type { Resident } from '@shared/domain/people';
import type { GridworkDb } from '../../db/db';
import { type Actor, commitChange } from '../../db/write';

export type RevealableField = 'idNumber' | 'phone';

/**
 * Shows one sensitive value unmasked, and records who saw what and when (PIPL: access to
 * personal information is audited). The audit event syncs like any record.
 */
export async function revealField(
  db: GridworkDb,
  actor: Actor,
  resident: Resident,
  field: RevealableField,
): Promise<string> {
  await commitChange(
    db,
    {
      op: 'create',
      table: 'auditEvents',
      scope: resident.scope,
      data: {
        at: new Date().toISOString(),
        actorId: actor.id,
        action: 'reveal',
        table: 'residents',
        recordId: resident.id,
        field,
        reason: '',
      },
    },
    actor,
  );
  return resident[field] ?? '';
}
