import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '@shared/domain/account';
import { type Resident, ResidentSchema } from '@shared/domain/people';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb, householdData, residentData } from '../../db/testing';
import { commitChange } from '../../db/write';
import {
  checkResidentForm,
  defaultRelation,
  emptyResidentForm,
  findDuplicateId,
  formToData,
  householdHasHead,
  residentToForm,
  tagsToSave,
} from './residentForm';

const today = new Date('2026-11-29T00:00:00Z');
let db: GridworkDb | null = null;
afterEach(async () => {
  await db?.delete();
  db = null;
});

describe('checkResidentForm', () => {
  it('says what to fix for each bad field', () => {
    const form = {
      ...emptyResidentForm(),
      idNumber: '110105194912310021',
      phone: '1381234',
      name: '',
    };
    const { errors } = checkResidentForm(form, today);
    expect(errors).toEqual({
      name: { key: 'nameRequired' },
      idNumber: { key: 'idCheckDigit' },
      phone: { key: 'phoneFormat' },
    });
    expect(
      checkResidentForm({ ...form, idNumber: '11010519490230002X' }, today).errors.idNumber,
    ).toEqual({ key: 'idBirthDate' });
  });

  it('reads birth date and sex from a valid ID number and normalises the phone', () => {
    const result = checkResidentForm(
      {
        ...emptyResidentForm(),
        name: '张三明',
        idNumber: '11010519491231002x',
        phone: '138 1234 1234',
        sex: 'M',
        birthDate: '2000-01-01',
      },
      today,
    );
    expect(result).toMatchObject({
      errors: {},
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'F',
      phone: '13812341234',
    });
  });

  it('needs a real birth date when there is no ID number', () => {
    expect(
      checkResidentForm({ ...emptyResidentForm(), name: '李', birthDate: '' }, today).errors
        .birthDate,
    ).toEqual({ key: 'birthDateRequired' });
    expect(
      checkResidentForm({ ...emptyResidentForm(), name: '李', birthDate: '2030-01-01' }, today)
        .errors.birthDate,
    ).toEqual({ key: 'idFuture' });
  });
});

describe('findDuplicateId', () => {
  it('finds the same ID number elsewhere in the street, not the resident itself', async () => {
    db = freshDb();
    const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
    const h = await commitChange(
      db,
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      actor,
    );
    const r = await commitChange(
      db,
      { op: 'create', table: 'residents', scope: GRID, data: residentData(h.id) },
      actor,
    );
    expect((await findDuplicateId(db, '11010519491231002X', '110101010027002', null))?.id).toBe(
      r.id,
    );
    expect(await findDuplicateId(db, '11010519491231002X', GRID, r.id)).toBeUndefined();
    expect(
      await findDuplicateId(db, '11010519491231002X', '110101001001001', null),
    ).toBeUndefined(); // other street
  });
});

describe('defaultRelation', () => {
  const member = (id: string, relation: Resident['relation'], more: Partial<Resident> = {}) => ({
    id,
    relation,
    status: 'active' as const,
    deleted: false,
    ...more,
  });
  const owner = { headResidentId: null, type: 'owner' as const };

  it('is 户主 for the first member of a household', () => {
    expect(defaultRelation(owner, [])).toBe('head');
    expect(emptyResidentForm(defaultRelation(owner, [])).relation).toBe('head');
  });

  it('is not 户主 once the household has a head', () => {
    const members = [member('a', 'head')];
    expect(householdHasHead(owner, members)).toBe(true);
    expect(defaultRelation(owner, members)).toBe('other');
    expect(defaultRelation({ ...owner, type: 'rented' }, members)).toBe('tenant');
    // The head the household names counts even when recorded with another relation …
    expect(defaultRelation({ ...owner, headResidentId: 'b' }, [member('b', 'spouse')])).toBe(
      'other',
    );
    // … and when that record is not on this device yet.
    expect(defaultRelation({ ...owner, headResidentId: 'x' }, [])).toBe('other');
  });

  it('is 户主 again when the head has died, moved out or been deleted', () => {
    for (const gone of [{ status: 'deceased' as const }, { status: 'moved-out' as const }]) {
      expect(
        defaultRelation({ ...owner, headResidentId: 'a' }, [
          member('a', 'head', gone),
          member('b', 'spouse'),
        ]),
      ).toBe('head');
    }
    expect(
      defaultRelation({ ...owner, headResidentId: 'a' }, [member('a', 'head', { deleted: true })]),
    ).toBe('head');
  });
});

describe('hidden tags survive an edit', () => {
  const stored = ResidentSchema.parse({
    ...residentData('01900000-0000-7000-8000-000000000009'),
    tags: ['severe-mental-disorder', 'veteran', 'living-alone-elder'],
    id: '01900000-0000-7000-8000-000000000010',
    scope: GRID,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    deleted: false,
    hlc: '1767225600000-0000-node',
  });

  function edit(role: Role | null, change: (tags: string[]) => string[]): string[] {
    const form = residentToForm(stored, role);
    form.tags = change(form.tags);
    const checked = checkResidentForm(form, today);
    expect(checked.errors).toEqual({});
    const data = formToData(form, checked, stored.householdId, stored.gridCode, {
      role,
      stored,
    });
    // Always set by formToData; `tags` is optional only in the schema's input type.
    return data.tags ?? ['(missing)'];
  }

  it('keeps the sensitive tags street staff cannot see when they clear the list', () => {
    expect(residentToForm(stored, 'street').tags).toEqual(['veteran']);
    expect(edit('street', () => [])).toEqual(['severe-mental-disorder', 'living-alone-elder']);
    expect(edit('street', (tags) => [...tags, 'unemployed'])).toEqual([
      'veteran',
      'unemployed',
      'severe-mental-disorder',
      'living-alone-elder',
    ]);
  });

  it('keeps every tag for a role that sees none, and lets no one add a hidden tag', () => {
    expect(residentToForm(stored, 'department').tags).toEqual([]);
    expect(edit('department', () => ['veteran'])).toEqual(stored.tags);
    expect(tagsToSave('street', [], ['disabled', 'veteran'])).toEqual(['veteran']);
  });

  it('lets a grid worker (or the signed-out demo device) remove any tag', () => {
    expect(edit('grid-worker', () => ['veteran'])).toEqual(['veteran']);
    expect(edit(null, () => [])).toEqual([]);
  });
});

describe('formToData keeps what the form does not edit', () => {
  const form = { ...emptyResidentForm('spouse'), name: '李秀英', birthDate: '1950-03-02' };
  const checked = checkResidentForm(form, today);
  const data = (stored: Pick<Resident, 'tags' | 'status'> | null) =>
    formToData(form, checked, 'h', GRID, { role: 'grid-worker', stored });

  it('keeps a moved-out or deceased resident as they are stored', () => {
    expect(checked.errors).toEqual({});
    expect(data({ tags: [], status: 'moved-out' }).status).toBe('moved-out');
    expect(data({ tags: [], status: 'deceased' }).status).toBe('deceased');
    expect(data({ tags: [], status: 'active' }).status).toBe('active');
  });

  it('makes a new resident active', () => {
    expect(data(null).status).toBe('active');
  });
});
