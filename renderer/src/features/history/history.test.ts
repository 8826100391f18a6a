import { afterEach, describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb, householdData, residentData } from '../../db/testing';
import { commitChange, commitChanges } from '../../db/write';
import en from '../../i18n/en';
import zhCN from '../../i18n/zh-CN';
import { type HistoryEntry, householdHistoryTargets, loadRecordHistory } from './history';
import {
  type HistoryTextContext,
  actorText,
  fieldText,
  shownFields,
  valueText,
} from './historyFormat';

const LOCAL = '00000000-0000-0000-0000-000000000000';
const wang = { id: '01900000-0000-7000-8000-0000000000aa', name: '王网格' };
const li = { id: '01900000-0000-7000-8000-0000000000bb' };
const householdId = '01900000-0000-7000-8000-0000000000b1';
const residentId = '01900000-0000-7000-8000-0000000000c1';

let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

/** A household with one member, then an edit of each by another user, a minute apart. */
async function seed() {
  db = freshDb();
  let clock = Date.parse('2026-11-29T02:00:00Z');
  const tick = () => (clock += 60_000);
  await commitChanges(
    db,
    [
      { op: 'create', table: 'households', scope: GRID, id: householdId, data: householdData() },
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        id: residentId,
        data: residentData(householdId),
      },
    ],
    wang,
    { wallClock: tick },
  );
  await commitChange(
    db,
    { op: 'update', table: 'residents', id: residentId, patch: { phone: '13987654321' } },
    li,
    tick,
  );
  await commitChange(
    db,
    { op: 'update', table: 'households', id: householdId, patch: { type: 'rented' } },
    li,
    tick,
  );
  await commitChange(db, { op: 'delete', table: 'residents', id: residentId }, li, tick);
}

describe('loadRecordHistory', () => {
  it('lists the given records’ changes newest first, and only theirs', async () => {
    await seed();
    const entries = await loadRecordHistory(db, [
      { table: 'households', recordIds: [householdId] },
      { table: 'residents', recordIds: [residentId] },
    ]);
    expect(entries.map((e) => [e.table, e.op, e.actorName])).toEqual([
      ['residents', 'delete', null],
      ['households', 'update', null],
      ['residents', 'update', null],
      // One batch, one time: the clock orders its rows.
      ['residents', 'create', '王网格'],
      ['households', 'create', '王网格'],
    ]);
    expect(entries[2]?.fields).toEqual([
      { field: 'phone', old: '138****1234', new: '139****4321', hasOld: true, masked: true },
    ]);
    const onlyHousehold = await loadRecordHistory(db, [
      { table: 'households', recordIds: [householdId] },
    ]);
    expect(onlyHousehold.map((e) => e.op)).toEqual(['update', 'create']);
    expect(await loadRecordHistory(db, [{ table: 'households', recordIds: [] }])).toEqual([]);
  });

  it('names actors this device knows and keeps to the limit', async () => {
    await seed();
    const entries = await loadRecordHistory(db, [{ table: 'residents', recordIds: [residentId] }], {
      knownActors: new Map([[li.id, '李社工']]),
      limit: 2,
    });
    expect(entries.map((e) => [e.op, e.actorName])).toEqual([
      ['delete', '李社工'],
      ['update', '李社工'],
    ]);
  });

  it('covers a household and every member ever recorded in it, deleted ones too', async () => {
    await seed();
    const { targets, names } = await householdHistoryTargets(db, householdId);
    expect(targets).toEqual([
      { table: 'households', recordIds: [householdId] },
      { table: 'residents', recordIds: [residentId] },
    ]);
    expect(names.get(residentId)).toBe('张三明');
    expect(await loadRecordHistory(db, targets)).toHaveLength(5);
  });
});

describe('history text', () => {
  const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } });
  const { t, te } = i18n.global;
  const ctx: HistoryTextContext = {
    t: (key, params) => (params ? t(key, params) : t(key)),
    te: (key) => te(key),
    english: false,
    role: 'grid-worker',
    names: new Map([[residentId, '张三明']]),
    localActorId: LOCAL,
  };
  const field = (name: string, value: unknown, old?: unknown, masked = false) => ({
    field: name,
    new: value,
    old,
    hasOld: old !== undefined,
    masked,
  });

  it('labels fields in the table’s own words, and falls back to the raw name', () => {
    expect(fieldText('residents', field('name', '张三明'), ctx).label).toBe('姓名');
    expect(fieldText('households', field('headResidentId', residentId), ctx)).toEqual({
      label: '户主',
      old: null,
      new: '张三明',
    });
    expect(fieldText('visits', field('shoeSize', 42), ctx)).toEqual({
      label: 'shoeSize',
      old: null,
      new: '42',
    });
  });

  it('names enum values and catalogue codes, keeps masked values as stored', () => {
    expect(fieldText('households', field('type', 'rented', 'owner'), ctx)).toMatchObject({
      label: '类型',
      old: '自住',
      new: '出租',
    });
    expect(valueText('residents', 'relation', 'child-in-law', ctx)).toBe('儿媳/女婿');
    expect(valueText('needs', 'category', '0101', { ...ctx, english: true })).not.toBe('0101');
    expect(valueText('residents', 'idNumber', '110105********002X', ctx)).toBe(
      '110105********002X',
    );
    expect(valueText('residents', 'partyMember', true, ctx)).toBe('是');
    expect(valueText('households', 'note', '', ctx)).toBe('（空）');
    expect(valueText('households', 'location', [116.418, 39.955], ctx)).toBe('116.41800, 39.95500');
    expect(valueText('visits', 'visitedAt', '2026-11-29T02:00:00.000Z', ctx)).toMatch(
      /^2026-11-29 \d\d:00$/,
    );
    expect(valueText('residents', 'sex', 'x.y', ctx)).toBe('x.y');
  });

  it('shows special-group tags only as far as the viewer’s role may see them', () => {
    const tags = ['advanced-age-elder', 'disabled'];
    expect(valueText('residents', 'tags', tags, ctx)).toBe('高龄老人、残疾人');
    expect(valueText('residents', 'tags', tags, { ...ctx, role: 'street' })).toBe(
      '高龄老人、另有 1 项无权查看',
    );
    expect(valueText('residents', 'tags', tags, { ...ctx, role: 'department' })).toBe(
      '另有 2 项无权查看',
    );
  });

  it('leaves out where a new record was put, but shows a move', async () => {
    await seed();
    const entries = await loadRecordHistory(db, [{ table: 'residents', recordIds: [residentId] }]);
    const created = entries.find((e) => e.op === 'create');
    expect(created?.fields.map((f) => f.field)).toContain('householdId');
    expect(shownFields(created as HistoryEntry).map((f) => f.field)).not.toContain('householdId');
    const move = { op: 'update', fields: [field('gridCode', GRID, '110101010027002')] };
    expect(shownFields(move as HistoryEntry)).toHaveLength(1);
  });

  it('says who: the saved name, this device before sign-in, else a short id', () => {
    const entry = (actorId: string, actorName: string | null) =>
      ({ actorId, actorName }) as HistoryEntry;
    expect(actorText(entry(wang.id, '王网格'), ctx)).toBe('王网格');
    expect(actorText(entry(LOCAL, null), ctx)).toBe('本机用户（未登录）');
    expect(actorText(entry(li.id, null), ctx)).toBe('用户 01900000');
  });
});
