import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from '../db';
import { freshDb, householdData, residentData, GRID } from '../testing';
import { commitChange } from '../write';
import { classifyQuery, residentsOfHousehold, searchResidents } from './residents';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
let db: GridworkDb;
let householdA: string;
let householdB: string;

beforeEach(async () => {
  db = freshDb();
  const create = <T extends Parameters<typeof commitChange>[1]>(change: T) =>
    commitChange(db, change, actor);
  householdA = (
    await create({ op: 'create', table: 'households', scope: GRID, data: householdData() })
  ).id;
  householdB = (
    await create({
      op: 'create',
      table: 'households',
      scope: GRID,
      data: householdData({ address: '安德里北街5号楼1单元1203', unit: '1', room: '1203' }),
    })
  ).id;
  await create({ op: 'create', table: 'residents', scope: GRID, data: residentData(householdA) });
  await create({
    op: 'create',
    table: 'residents',
    scope: GRID,
    data: residentData(householdA, {
      name: '李小红',
      idNumber: '110101201003074528',
      birthDate: '2010-03-07',
      relation: 'child',
      phone: null,
    }),
  });
  await create({
    op: 'create',
    table: 'residents',
    scope: GRID,
    data: residentData(householdB, {
      name: '张伟',
      idNumber: '11010119800101123X',
      birthDate: '1980-01-01',
      sex: 'M',
      phone: '010-64005678',
    }),
  });
});
afterEach(async () => {
  await db.delete();
});

describe('searchResidents', () => {
  it('classifies queries', () => {
    expect(classifyQuery(' 002X ')).toBe('tail');
    expect(classifyQuery('123')).toBe('text');
    expect(classifyQuery('张')).toBe('text');
    expect(classifyQuery('')).toBe('none');
  });

  it('finds by name prefix', async () => {
    const hits = await searchResidents(db, '张');
    expect(hits.map((h) => h.resident.name).sort()).toEqual(['张三明', '张伟']);
    expect(hits.every((h) => h.matchedBy === 'name')).toBe(true);
  });

  it('finds by the last digits of the ID number, with its household', async () => {
    const hits = await searchResidents(db, '002x');
    expect(hits).toHaveLength(1);
    expect(hits[0]?.resident.name).toBe('张三明');
    expect(hits[0]?.household?.id).toBe(householdA);
    expect(hits[0]?.matchedBy).toBe('id-tail');
    expect(await searchResidents(db, '9002X')).toHaveLength(0);
    expect(await searchResidents(db, '31002X')).toHaveLength(1);
  });

  it('finds by phone tail, whatever the separators', async () => {
    const hits = await searchResidents(db, '5678');
    expect(hits.map((h) => [h.resident.name, h.matchedBy])).toEqual([['张伟', 'phone-tail']]);
  });

  it('finds household members by address fragments', async () => {
    const hits = await searchResidents(db, '3号楼2单元');
    expect(hits.map((h) => h.resident.name).sort()).toEqual(['张三明', '李小红']);
    expect((await searchResidents(db, '安德里')).map((h) => h.resident.householdId)).toEqual([
      householdB,
    ]);
  });

  it('skips deleted residents and lists members head first', async () => {
    const members = await residentsOfHousehold(db, householdA);
    expect(members.map((m) => m.relation)).toEqual(['head', 'child']);
    await commitChange(db, { op: 'delete', table: 'residents', id: members[0]?.id ?? '' }, actor);
    expect((await searchResidents(db, '张')).map((h) => h.resident.name)).toEqual(['张伟']);
  });
});
