import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Resident } from '@shared/domain/people';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb, householdData, residentData } from '../../db/testing';
import { commitChange, commitChanges } from '../../db/write';
import {
  type ResidentForm,
  checkResidentForm,
  emptyResidentForm,
  residentToForm,
} from './residentForm';
import { ResidentSaveError, headAfterSave, saveResident } from './saveResident';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
const today = new Date('2026-11-29T00:00:00Z');
const HOUSEHOLD = '01900000-0000-7000-8000-0000000000b1';
const HEAD = '01900000-0000-7000-8000-0000000000c1';
const SPOUSE = '01900000-0000-7000-8000-0000000000c2';

let db: GridworkDb;

/** A household whose head 张三明 (named by the household) lives with his spouse 李秀英. */
beforeEach(async () => {
  db = freshDb();
  await commitChanges(
    db,
    [
      {
        op: 'create',
        table: 'households',
        scope: GRID,
        id: HOUSEHOLD,
        data: householdData({ headResidentId: HEAD }),
      },
      { op: 'create', table: 'residents', scope: GRID, id: HEAD, data: residentData(HOUSEHOLD) },
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        id: SPOUSE,
        data: residentData(HOUSEHOLD, {
          name: '李秀英',
          idNumber: null,
          phone: null,
          birthDate: '1950-03-02',
          relation: 'spouse',
        }),
      },
    ],
    actor,
  );
});
afterEach(async () => {
  await db.delete();
});

const outboxSize = () => db.outbox.count();
const entriesSince = async (seq: number) =>
  (await db.outbox.orderBy('seq').offset(seq).toArray()).filter((e) => e.table !== 'recordChanges');
const head = async () => (await db.households.get(HOUSEHOLD))?.headResidentId;

async function stored(id: string): Promise<Resident> {
  const resident = await db.residents.get(id);
  if (!resident) throw new Error(`no resident ${id}`);
  return resident;
}

/** Saves the resident (null: a new one) with the form `change` makes of its stored form. */
async function save(id: string | null, change: (form: ResidentForm) => void) {
  const form = id ? residentToForm(await stored(id), 'grid-worker') : emptyResidentForm();
  if (!id) Object.assign(form, { name: '王小明', birthDate: '1990-05-01' });
  change(form);
  const checked = checkResidentForm(form, today);
  expect(checked.errors).toEqual({});
  return saveResident(db, actor, {
    householdId: HOUSEHOLD,
    residentId: id,
    form,
    checked,
    role: 'grid-worker',
  });
}

describe('saveResident keeps the status', () => {
  it('edits a moved-out or deceased resident without bringing them back', async () => {
    for (const status of ['moved-out', 'deceased'] as const) {
      await commitChange(
        db,
        { op: 'update', table: 'residents', id: SPOUSE, patch: { status } },
        actor,
      );
      await save(SPOUSE, (form) => (form.phone = '13900001111'));
      expect(await stored(SPOUSE)).toMatchObject({ status, phone: '13900001111' });
    }
  });

  it('adds a new member as active', async () => {
    const added = await save(null, (form) => (form.relation = 'child'));
    expect(added.status).toBe('active');
  });
});

describe('saveResident and the household head', () => {
  it('refuses a second living head, says who the head is, and writes nothing', async () => {
    const before = await outboxSize();
    const refused = save(SPOUSE, (form) => (form.relation = 'head'));
    await expect(refused).rejects.toBeInstanceOf(ResidentSaveError);
    await expect(refused).rejects.toMatchObject({
      field: 'relation',
      error: { key: 'headTaken', params: { name: '张三明' } },
    });
    await expect(save(null, (form) => (form.relation = 'head'))).rejects.toMatchObject({
      error: { key: 'headTaken' },
    });
    expect(await outboxSize()).toBe(before);
    expect((await stored(SPOUSE)).relation).toBe('spouse');
    expect(await db.residents.where('householdId').equals(HOUSEHOLD).count()).toBe(2);
  });

  it('refuses a second head recorded as 户主 even when the household names none', async () => {
    await commitChange(
      db,
      { op: 'update', table: 'households', id: HOUSEHOLD, patch: { headResidentId: null } },
      actor,
    );
    await expect(save(SPOUSE, (form) => (form.relation = 'head'))).rejects.toMatchObject({
      error: { key: 'headTaken', params: { name: '张三明' } },
    });
  });

  it('changing the head to another relation clears the household head in the same batch', async () => {
    const before = await outboxSize();
    await save(HEAD, (form) => (form.relation = 'spouse'));
    expect(await head()).toBeNull();
    const entries = await entriesSince(before);
    expect(entries.map((e) => [e.table, e.fields])).toEqual([
      ['residents', { relation: 'spouse' }],
      ['households', { headResidentId: null }],
    ]);
    // One batch: one transaction stamps every entry with the same time.
    expect(new Set(entries.map((e) => e.at)).size).toBe(1);
  });

  it('a new 户主 of a household without one becomes its head in the same batch', async () => {
    await save(HEAD, (form) => (form.relation = 'parent'));
    const before = await outboxSize();
    const added = await save(null, (form) => (form.relation = 'head'));
    expect(await head()).toBe(added.id);
    const entries = await entriesSince(before);
    expect(entries.map((e) => [e.table, e.op, e.recordId])).toEqual([
      ['residents', 'create', added.id],
      ['households', 'update', HOUSEHOLD],
    ]);
    expect(entries[1]?.fields).toEqual({ headResidentId: added.id });
    expect(new Set(entries.map((e) => e.at)).size).toBe(1);
  });

  it('replaces a head who moved out, and lets a member become head when there is none', async () => {
    await commitChange(
      db,
      { op: 'update', table: 'residents', id: HEAD, patch: { status: 'moved-out' } },
      actor,
    );
    await save(SPOUSE, (form) => (form.relation = 'head'));
    expect(await head()).toBe(SPOUSE);
    // The moved-out former head can still be edited: they are not a second living head.
    await save(HEAD, (form) => (form.phone = '13900002222'));
    expect(await stored(HEAD)).toMatchObject({ relation: 'head', status: 'moved-out' });
    expect(await head()).toBe(SPOUSE);
  });

  it('leaves the household alone when the head edits their own details', async () => {
    const before = await outboxSize();
    await save(HEAD, (form) => (form.phone = '13900003333'));
    expect((await entriesSince(before)).map((e) => e.table)).toEqual(['residents']);
    expect(await head()).toBe(HEAD);
  });

  it('refuses a new head while the head the household names is not on this device', async () => {
    await commitChange(
      db,
      {
        op: 'update',
        table: 'households',
        id: HOUSEHOLD,
        patch: { headResidentId: '01900000-0000-7000-8000-0000000000ff' },
      },
      actor,
    );
    await save(HEAD, (form) => (form.relation = 'parent'));
    await expect(save(SPOUSE, (form) => (form.relation = 'head'))).rejects.toMatchObject({
      error: { key: 'headNotHere' },
    });
  });
});

describe('headAfterSave', () => {
  const member = (id: string, more: Partial<Resident> = {}) => ({
    id,
    name: id,
    householdId: 'h',
    relation: 'head' as const,
    status: 'active' as const,
    deleted: false,
    ...more,
  });
  const saved = { id: 'b', relation: 'head' as const, status: 'active' as const };

  it('ignores a named head who is deleted, dead or now lives elsewhere', () => {
    for (const gone of [{ deleted: true }, { status: 'deceased' as const }, { householdId: 'x' }]) {
      const a = member('a', gone);
      // `members` are the household's records: one who moved away is no longer among them.
      const members = a.householdId === 'h' ? [a] : [];
      expect(headAfterSave({ id: 'h', headResidentId: 'a' }, members, a, saved)).toBe('b');
    }
  });

  it('keeps a moved-out 户主 out of it, and clears the pointer to them', () => {
    const movedOut = { ...saved, status: 'moved-out' as const };
    const living = member('a');
    expect(headAfterSave({ id: 'h', headResidentId: 'a' }, [living], living, movedOut)).toBe(
      undefined,
    );
    expect(headAfterSave({ id: 'h', headResidentId: 'b' }, [], undefined, movedOut)).toBeNull();
  });
});
