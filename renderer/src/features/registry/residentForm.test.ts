import { afterEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb, householdData, residentData } from '../../db/testing';
import { commitChange } from '../../db/write';
import { checkResidentForm, emptyResidentForm, findDuplicateId } from './residentForm';

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
