import { v7 as uuidv7 } from 'uuid';
import type { Relation, Resident } from '@shared/domain/people';
import type { Household } from '@shared/domain/place';
import { maskName, maskPhone } from '@shared/validation/mask';
import { parsePhone } from '@shared/validation/phone';
import type { GridworkDb } from '../../db/db';
import { stripLocalKeys } from '../../db/derive';
import { residentsOfHousehold } from '../../db/repositories/residents';
import { type AnyChange, WriteError } from '../../db/write';
import {
  type ResidentForm,
  checkResidentForm,
  findDuplicateId,
  formToData,
} from '../registry/residentForm';

/**
 * A change to the household noticed on a visit (户情变化). Moving out is the resident's
 * `status: 'moved-out'`, not a tombstone: the person stays on record (their needs, cases and
 * visit history point at them), the due-for-a-visit rule already ignores them, and a tombstone
 * means "entered by mistake" in this app.
 */
export type HouseholdChange =
  | { kind: 'moved-out'; residentId: string }
  /** Everyone leaves: the household becomes vacant and every active member moves out. */
  | { kind: 'household-moved-out' }
  | { kind: 'new-member'; member: ResidentForm }
  | { kind: 'phone'; residentId: string; phone: string };

/** A change being edited in the form; `key` keeps rows apart as they are added and removed. */
export type ChangeDraft = HouseholdChange & { key: number };

/**
 * One change in plain words, for the confirmation and the visit's findings. Existing residents'
 * names and phones are masked here (`shared/validation/mask`); a new member keeps the name as
 * typed in `name` (so the visitor can check the spelling) and carries `masked` for the record.
 */
export type ChangeLine =
  | { kind: 'moved-out'; name: string }
  | { kind: 'household-moved-out'; members: number }
  | { kind: 'head-cleared'; name: string }
  | { kind: 'new-member'; name: string; masked: string; relation: Relation }
  | { kind: 'head-set'; name: string; masked: string }
  | { kind: 'phone'; name: string; phone: string };

/** What is wrong with one change: the change's index, the field, and a full i18n key. */
export interface ChangeIssue {
  index: number;
  field: keyof ResidentForm | 'resident' | 'kind';
  key: string;
  params?: Record<string, string>;
}

export interface ChangePlan {
  /** The record changes, ready to join the visit's `commitChanges` batch. */
  records: AnyChange[];
  lines: ChangeLine[];
  /** Non-empty means: refuse the whole visit. */
  issues: ChangeIssue[];
}

/** Household changes that cannot be applied; nothing was written. */
export class HouseholdChangeError extends WriteError {
  constructor(readonly changeIssues: ChangeIssue[]) {
    super(
      'validation',
      `household changes refused: ${changeIssues.map((i) => `[${i.index}].${i.field}: ${i.key}`).join('; ')}`,
      changeIssues.map((i) => ({ path: `changes[${i.index}].${i.field}`, message: i.key })),
    );
    this.name = 'HouseholdChangeError';
  }
}

const FORM_ERRORS = 'residentForm.errors';
const CHANGE_ERRORS = 'visits.changes.errors';

/**
 * Turns the visit's household changes into record changes, checked against the stored records
 * (only active members of THIS household can move out or change phone; a new member's fields go
 * through the registry form's rules, and their ID number must be new to the street). Reads but
 * never writes: the caller adds `records` to the visit's batch so all of it is stored or none.
 * A head of household who moves out leaves the household without a head; a new member entered
 * as head becomes the head when there is none left.
 */
export async function planHouseholdChanges(
  db: GridworkDb,
  household: Household,
  changes: readonly HouseholdChange[],
  today: Date = new Date(),
): Promise<ChangePlan> {
  const plan: ChangePlan = { records: [], lines: [], issues: [] };
  if (changes.length === 0) return plan;
  const stored = await db.households.get(household.id);
  const current = stored && !stored.deleted ? stripLocalKeys<'households'>(stored) : household;
  const members = await residentsOfHousehold(db, household.id);
  const active = new Map(
    members.filter((r) => r.status === 'active').map((r): [string, Resident] => [r.id, r]),
  );
  const issue = (
    index: number,
    field: ChangeIssue['field'],
    key: string,
    params: Record<string, string> = {},
  ) => plan.issues.push({ index, field, key, params });
  const memberAt = (index: number, residentId: string): Resident | undefined => {
    if (residentId === '') issue(index, 'resident', `${CHANGE_ERRORS}.pickResident`);
    else if (!active.has(residentId)) issue(index, 'resident', `${CHANGE_ERRORS}.notMember`);
    return active.get(residentId);
  };

  const wholeHousehold = changes.some((c) => c.kind === 'household-moved-out');
  const leaving = new Map<string, Resident>();
  if (wholeHousehold) for (const r of active.values()) leaving.set(r.id, r);
  const updates: AnyChange[] = [];
  const creates: AnyChange[] = [];
  const phoneLines: ChangeLine[] = [];
  const newLines: ChangeLine[] = [];
  /** ID numbers of the new members so far, with their names: the same person twice is refused. */
  const newIds = new Map<string, string>();
  let newHead: { id: string; name: string } | null = null;

  for (const [index, change] of changes.entries()) {
    switch (change.kind) {
      case 'household-moved-out':
        if (changes.findIndex((c) => c.kind === 'household-moved-out') !== index)
          issue(index, 'kind', `${CHANGE_ERRORS}.twice`);
        break;
      case 'moved-out': {
        const resident = memberAt(index, change.residentId);
        if (!resident) break;
        if (wholeHousehold || leaving.has(resident.id)) {
          // Listed twice, or already covered by the whole household leaving.
          if (!wholeHousehold) issue(index, 'resident', `${CHANGE_ERRORS}.twice`);
          break;
        }
        leaving.set(resident.id, resident);
        break;
      }
      case 'phone': {
        const resident = memberAt(index, change.residentId);
        const typed = change.phone.trim();
        const parsed = typed === '' ? null : parsePhone(typed);
        if (!parsed) issue(index, 'phone', `${CHANGE_ERRORS}.phoneRequired`);
        else if (!parsed.ok) issue(index, 'phone', `${FORM_ERRORS}.phoneFormat`);
        else if (resident && resident.phone === parsed.normalized)
          issue(index, 'phone', `${CHANGE_ERRORS}.phoneSame`);
        if (!resident || !parsed?.ok) break;
        updates.push({
          op: 'update',
          table: 'residents',
          id: resident.id,
          patch: { phone: parsed.normalized },
        });
        phoneLines.push({
          kind: 'phone',
          name: maskName(resident.name),
          phone: maskPhone(parsed.normalized),
        });
        break;
      }
      case 'new-member': {
        if (wholeHousehold) issue(index, 'kind', `${CHANGE_ERRORS}.newMemberLeaving`);
        const checked = checkResidentForm(change.member, today);
        for (const [field, error] of Object.entries(checked.errors)) {
          if (error)
            issue(index, field as keyof ResidentForm, `${FORM_ERRORS}.${error.key}`, error.params);
        }
        if (Object.keys(checked.errors).length > 0) break;
        if (checked.idNumber) {
          const duplicate =
            newIds.get(checked.idNumber) ??
            (await findDuplicateId(db, checked.idNumber, household.gridCode, null))?.name;
          if (duplicate !== undefined) {
            issue(index, 'idNumber', `${FORM_ERRORS}.idDuplicate`, { name: duplicate });
            break;
          }
          newIds.set(checked.idNumber, change.member.name.trim());
        }
        // The visit form edits no special-group tags, so there are none to keep or hide.
        const data = formToData(change.member, checked, household.id, household.gridCode, {
          role: null,
          stored: null,
        });
        const id = uuidv7();
        creates.push({ op: 'create', table: 'residents', scope: household.scope, id, data });
        newLines.push({
          kind: 'new-member',
          name: data.name,
          masked: maskName(data.name),
          relation: data.relation,
        });
        if (data.relation === 'head' && !newHead) newHead = { id, name: data.name };
        break;
      }
    }
  }
  if (plan.issues.length > 0) return plan;

  const patch: { type?: 'vacant'; headResidentId?: string | null } = {};
  if (wholeHousehold) {
    patch.type = 'vacant';
    plan.lines.push({ kind: 'household-moved-out', members: leaving.size });
  }
  for (const resident of leaving.values()) {
    updates.push({
      op: 'update',
      table: 'residents',
      id: resident.id,
      patch: { status: 'moved-out' },
    });
    plan.lines.push({ kind: 'moved-out', name: maskName(resident.name) });
  }
  const head = current.headResidentId;
  const headLeaves = head !== null && leaving.has(head);
  // A recorded head who is no longer an active member (moved out earlier) can be replaced too.
  const headless = head === null || headLeaves || !active.has(head);
  if (headLeaves && !newHead) {
    patch.headResidentId = null;
    plan.lines.push({ kind: 'head-cleared', name: maskName(leaving.get(head)?.name) });
  }
  plan.lines.push(...newLines, ...phoneLines);
  if (newHead && headless) {
    patch.headResidentId = newHead.id;
    plan.lines.push({ kind: 'head-set', name: newHead.name, masked: maskName(newHead.name) });
  }
  if (Object.keys(patch).length > 0)
    updates.push({ op: 'update', table: 'households', id: household.id, patch });
  // New residents first: the household may then name one of them as its head.
  plan.records = [...creates, ...updates];
  return plan;
}
