import type { Role } from '@shared/domain/account';
import type { Relation, Resident } from '@shared/domain/people';
import type { Household } from '@shared/domain/place';
import { parseIdNumber, type IdError } from '@shared/validation/idNumber';
import { parsePhone } from '@shared/validation/phone';
import { canSeeSpecialGroup, visibleSpecialGroups } from '@shared/visits/privacy';
import type { GridworkDb } from '../../db/db';
import { idTail } from '../../db/derive';
import type { EntityData } from '../../db/write';

/** What the resident form edits: the resident's own fields, as typed. */
export interface ResidentForm {
  name: string;
  idNumber: string;
  phone: string;
  sex: Resident['sex'];
  birthDate: string;
  relation: Resident['relation'];
  residenceType: Resident['residenceType'];
  tags: string[];
  partyMember: boolean;
  note: string;
}

/** A message for one field: an i18n key under `residentForm.errors` and its parameters. */
export interface FieldError {
  key: string;
  params?: Record<string, string>;
}
export type FieldErrors = Partial<Record<keyof ResidentForm, FieldError>>;

const ID_ERRORS: Record<IdError, string> = {
  format: 'idFormat',
  province: 'idProvince',
  'birth-date': 'idBirthDate',
  'future-birth-date': 'idFuture',
  'check-digit': 'idCheckDigit',
};

/** A blank form; `relation` is the household's {@link defaultRelation}. */
export function emptyResidentForm(relation: Relation = 'head'): ResidentForm {
  return {
    name: '',
    idNumber: '',
    phone: '',
    sex: 'M',
    birthDate: '',
    relation,
    residenceType: 'registered',
    tags: [],
    partyMember: false,
    note: '',
  };
}

/**
 * Whether the household already has a living head (户主): the member it names as head, or any
 * active member recorded as 'head'. A named head not among `members` (not on this device yet)
 * counts too: offering 户主 again would risk a second one.
 */
export function householdHasHead(
  household: Pick<Household, 'headResidentId'>,
  members: readonly Pick<Resident, 'id' | 'relation' | 'status' | 'deleted'>[],
): boolean {
  const living = members.filter((m) => !m.deleted && m.status === 'active');
  if (living.some((m) => m.relation === 'head')) return true;
  const named = household.headResidentId;
  if (named === null) return false;
  return living.some((m) => m.id === named) || !members.some((m) => m.id === named);
}

/**
 * The relation a new member's form starts with: 户主 only when the household has none yet;
 * otherwise 租住人员 in a rented flat and 其他 elsewhere, a neutral value the worker replaces
 * rather than a guess (配偶, 子女) that is easy to save unnoticed.
 */
export function defaultRelation(
  household: Pick<Household, 'headResidentId' | 'type'>,
  members: readonly Pick<Resident, 'id' | 'relation' | 'status' | 'deleted'>[],
): Relation {
  if (!householdHasHead(household, members)) return 'head';
  return household.type === 'rented' ? 'tenant' : 'other';
}

/**
 * The form for an existing resident. Only the tags `role` may see are put in the form; the others
 * are kept by {@link tagsToSave} when the form is saved.
 */
export function residentToForm(resident: Resident, role: Role | null): ResidentForm {
  return {
    name: resident.name,
    idNumber: resident.idNumber ?? '',
    phone: resident.phone ?? '',
    sex: resident.sex,
    birthDate: resident.birthDate,
    relation: resident.relation,
    residenceType: resident.residenceType,
    tags: visibleSpecialGroups(role, resident.tags),
    partyMember: resident.partyMember,
    note: resident.note,
  };
}

/**
 * Checks the form and says what to fix, field by field. A valid ID number decides birth date and
 * sex (they are read from it, so they cannot contradict it); a 15-digit number is upgraded.
 */
export function checkResidentForm(
  form: ResidentForm,
  today: Date = new Date(),
): {
  errors: FieldErrors;
  idNumber: string | null;
  birthDate: string;
  sex: Resident['sex'];
  phone: string | null;
} {
  const errors: FieldErrors = {};
  if (form.name.trim() === '') errors.name = { key: 'nameRequired' };
  else if (form.name.trim().length > 40) errors.name = { key: 'nameTooLong' };

  let idNumber: string | null = null;
  let { birthDate, sex } = form;
  if (form.idNumber.trim() !== '') {
    const parsed = parseIdNumber(form.idNumber, today);
    if (parsed.ok) {
      idNumber = parsed.idNumber;
      birthDate = parsed.birthDate;
      sex = parsed.sex;
    } else {
      errors.idNumber = { key: ID_ERRORS[parsed.error] };
    }
  }
  if (!errors.idNumber && !idNumber) {
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(birthDate) ||
      Number.isNaN(Date.parse(`${birthDate}T00:00:00Z`))
    )
      errors.birthDate = { key: 'birthDateRequired' };
    else if (Date.parse(`${birthDate}T00:00:00Z`) > today.getTime())
      errors.birthDate = { key: 'idFuture' };
  }

  let phone: string | null = null;
  if (form.phone.trim() !== '') {
    const parsed = parsePhone(form.phone);
    if (parsed.ok) phone = parsed.normalized;
    else errors.phone = { key: 'phoneFormat' };
  }
  return { errors, idNumber, birthDate, sex, phone };
}

/**
 * The tags to store after an edit: the edited tags `role` may see, plus every stored tag it may
 * NOT see, unchanged. Someone who cannot see a tag can neither remove it (it was never in the
 * form) nor add it (a hidden code smuggled into the form is dropped).
 */
export function tagsToSave(
  role: Role | null,
  previous: readonly string[],
  edited: readonly string[],
): string[] {
  const hidden = previous.filter((code) => !canSeeSpecialGroup(role, code));
  const shown = edited.filter((code) => canSeeSpecialGroup(role, code));
  return [...new Set([...shown, ...hidden])];
}

/**
 * The resident's data from a checked form (call only when there are no errors). `editing.role`
 * is who edits; `editing.stored` is the resident as stored now (null for a new one). The form
 * edits neither status nor the tags the role cannot see, so both are kept as stored: editing a
 * moved-out or deceased resident's phone must not bring them back. A new resident is active.
 */
export function formToData(
  form: ResidentForm,
  checked: ReturnType<typeof checkResidentForm>,
  householdId: string,
  gridCode: string,
  editing: { role: Role | null; stored: Pick<Resident, 'tags' | 'status'> | null },
): EntityData<'residents'> {
  return {
    householdId,
    gridCode,
    name: form.name.trim(),
    idNumber: checked.idNumber,
    phone: checked.phone,
    birthDate: checked.birthDate,
    sex: checked.sex,
    relation: form.relation,
    residenceType: form.residenceType,
    status: editing.stored?.status ?? 'active',
    tags: tagsToSave(editing.role, editing.stored?.tags ?? [], form.tags),
    partyMember: form.partyMember,
    note: form.note.trim(),
  };
}

/**
 * Another living resident of the same street with this ID number, if any. Uses the ID-tail
 * index, so it costs the same in a street of 150k residents.
 */
export async function findDuplicateId(
  db: GridworkDb,
  idNumber: string,
  gridCode: string,
  exceptId: string | null,
): Promise<Resident | undefined> {
  const street = gridCode.slice(0, 9);
  const tail = idTail(idNumber);
  if (!tail) return undefined;
  return db.residents
    .where('_idTail')
    .equals(tail)
    .filter(
      (r) =>
        r.idNumber === idNumber && r.id !== exceptId && !r.deleted && r.gridCode.startsWith(street),
    )
    .first();
}
