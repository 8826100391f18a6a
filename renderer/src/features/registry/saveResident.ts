import { v7 as uuidv7 } from 'uuid';
import type { Role } from '@shared/domain/account';
import type { Resident } from '@shared/domain/people';
import type { Household } from '@shared/domain/place';
import type { GridworkDb } from '../../db/db';
import { loadDevice } from '../../db/device';
import { type Actor, type AnyChange, WriteError, commitChanges, writeStores } from '../../db/write';
import {
  type FieldError,
  type ResidentForm,
  type checkResidentForm,
  formToData,
} from './residentForm';

/**
 * Saving the resident dialog: the resident and, when the household's head (户主) changes with
 * it, the household's `headResidentId`, in ONE `commitChanges` batch read and written in one
 * transaction, so a household never names a head whose record says otherwise.
 */

/** A save refused because of one field; `error.key` names the message under `residentForm.errors`. */
export class ResidentSaveError extends WriteError {
  constructor(
    readonly field: keyof ResidentForm,
    readonly error: FieldError,
  ) {
    super('validation', `resident save refused: ${field} ${error.key}`);
    this.name = 'ResidentSaveError';
  }
}

type Member = Pick<Resident, 'id' | 'name' | 'householdId' | 'relation' | 'status' | 'deleted'>;

const living = (m: Member) => !m.deleted && m.status === 'active';

/**
 * The household's `headResidentId` once `saved` is stored: its id when it becomes the living
 * head, null when the named head stops being one (relation changed, or not active), undefined
 * to leave it as it is. Refuses (ResidentSaveError on `relation`) a second living head: another
 * active member recorded as 户主, or the living member the household names; and a head the
 * household names whose record is not on this device yet (it may well be alive).
 * `members` are the household's records, deleted ones too; `named` is the record
 * `headResidentId` points at, wherever it lives now.
 */
export function headAfterSave(
  household: Pick<Household, 'id' | 'headResidentId'>,
  members: readonly Member[],
  named: Member | undefined,
  saved: Pick<Resident, 'id' | 'relation' | 'status'>,
): string | null | undefined {
  const namedId = household.headResidentId;
  if (saved.relation !== 'head' || saved.status !== 'active')
    return namedId === saved.id ? null : undefined;

  const namedHead =
    named && named.id !== saved.id && named.householdId === household.id && living(named)
      ? named
      : undefined;
  const other =
    members.find((m) => m.id !== saved.id && living(m) && m.relation === 'head') ?? namedHead;
  if (other)
    throw new ResidentSaveError('relation', { key: 'headTaken', params: { name: other.name } });
  if (namedId !== null && namedId !== saved.id && !named)
    throw new ResidentSaveError('relation', { key: 'headNotHere' });
  return namedId === saved.id ? undefined : saved.id;
}

/** What the dialog saves: the household shown, the resident edited (null: a new one), the form. */
export interface ResidentSave {
  householdId: string;
  residentId: string | null;
  form: ResidentForm;
  /** The form's check, without errors. */
  checked: ReturnType<typeof checkResidentForm>;
  /** Who saves, for the special-group rule (see `tagsToSave`). */
  role: Role | null;
}

/**
 * Stores the resident (and the household's head, see {@link headAfterSave}). What the form does
 * not edit — status, hidden tags, the household an edited resident now belongs to — is read from
 * the stored record inside the transaction, so a change made meanwhile (a move, 迁出) is kept.
 * @throws ResidentSaveError (a field to fix) or WriteError (missing or deleted record).
 */
export async function saveResident(
  db: GridworkDb,
  actor: Actor,
  save: ResidentSave,
): Promise<Resident> {
  // First use writes the device id; that must not be rolled back with a refused save.
  await loadDevice(db);
  return db.transaction('rw', writeStores(db, ['residents', 'households']), async () => {
    const stored = save.residentId ? await db.residents.get(save.residentId) : null;
    if (stored === undefined)
      throw new WriteError('not-found', 'the resident is not on this device');
    if (stored?.deleted) throw new WriteError('deleted', 'the resident has been deleted');
    const household = await db.households.get(stored?.householdId ?? save.householdId);
    if (!household) throw new WriteError('not-found', 'the household is not on this device');
    if (household.deleted) throw new WriteError('deleted', 'the household has been deleted');

    const data = formToData(save.form, save.checked, household.id, household.gridCode, {
      role: save.role,
      stored,
    });
    const id = stored?.id ?? uuidv7();
    const [members, named] = await Promise.all([
      db.residents.where('householdId').equals(household.id).toArray(),
      household.headResidentId ? db.residents.get(household.headResidentId) : undefined,
    ]);
    const head = headAfterSave(household, members, named, {
      id,
      relation: data.relation,
      status: data.status ?? 'active',
    });

    const changes: AnyChange[] = [
      stored
        ? { op: 'update', table: 'residents', id, patch: data }
        : { op: 'create', table: 'residents', scope: household.scope, id, data },
    ];
    if (head !== undefined)
      changes.push({
        op: 'update',
        table: 'households',
        id: household.id,
        patch: { headResidentId: head },
      });
    const [resident] = await commitChanges(db, changes, actor);
    return resident as Resident;
  });
}
