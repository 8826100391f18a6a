import { encode } from 'jpeg-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dexie, type Table } from 'dexie';
import { createI18n } from 'vue-i18n';
import type { Household } from '@shared/domain/place';
import { makeIdNumber } from '@shared/validation/idNumber';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb, householdData, residentData } from '../../db/testing';
import { commitChange } from '../../db/write';
import en from '../../i18n/en';
import zhCN from '../../i18n/zh-CN';
import { emptyResidentForm } from '../registry/residentForm';
import { type Translate, changeSummary, describeChange } from './changeWords';
import { type HouseholdChange, planHouseholdChanges } from './householdChanges';
import { jpegSegments } from './photos';
import {
  dueInGrid,
  eventsOfNeeds,
  loadDueList,
  loadIntervalOverrides,
  type NewVisit,
  recordVisit,
  saveIntervalOverrides,
  visitsOfHousehold,
} from './visits';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
let db: GridworkDb;
afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

/**
 * The tables of the queued outbox entries, in order. Change-history rows (`recordChanges`) that
 * `commitChanges` adds for tracked tables are left out: they are the write path's business.
 */
async function queuedTables(): Promise<string[]> {
  return (await db.outbox.toArray()).map((e) => e.table).filter((t) => t !== 'recordChanges');
}

/** A real JPEG (grey) with a camera-style APP1 EXIF segment spliced in after SOI. */
function cameraJpeg(width: number, height: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(width * height * 4).fill(128);
  const jpeg = encode({ data, width, height }, 80).data;
  const payload = [...Array.from('Exif\0\0MM\0*', (c) => c.charCodeAt(0)), 0, 0, 0, 8, 0, 0];
  const app1 = [0xff, 0xe1, 0, payload.length + 2, ...payload];
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, 2));
  out.set(app1, 2);
  out.set(jpeg.subarray(2), 2 + app1.length);
  return out;
}

async function newHousehold(address = '和平里七区3号楼2单元501') {
  return commitChange(
    db,
    { op: 'create', table: 'households', scope: GRID, data: householdData({ address }) },
    actor,
  );
}

describe('recordVisit', () => {
  it('writes the visit, its prepared photo records and the bytes, all queued for sync', async () => {
    db = freshDb();
    const household = await newHousehold();
    const progress: string[] = [];
    await recordVisit(
      db,
      actor,
      {
        household,
        visitorName: '王网格',
        method: 'in-person',
        findings: '老人独居，行动不便',
        photos: [{ name: '门口.jpeg', mime: 'image/jpeg', bytes: cameraJpeg(2400, 1200) }],
      },
      {
        onPhotoProgress: (done, total) => {
          progress.push(`${done}/${total}`);
        },
      },
    );
    expect(progress).toEqual(['0/1', '1/1']);
    const [entry] = await visitsOfHousehold(db, household.id);
    expect(entry?.visit).toMatchObject({ findings: '老人独居，行动不便', visitorName: '王网格' });
    expect(entry?.photos).toHaveLength(1);
    expect(entry?.photos[0]).toMatchObject({ name: '门口.jpg', mime: 'image/jpeg' });
    const blob = await db.blobs.get(entry?.photos[0]?.sha256 ?? '');
    expect(blob).toMatchObject({ uploaded: 0, size: entry?.photos[0]?.size });
    expect(jpegSegments(blob?.bytes ?? new Uint8Array()).some((s) => s.marker === 0xe1)).toBe(
      false,
    );
    expect(await queuedTables()).toEqual(['households', 'visits', 'attachments']);
  });

  it('refuses a broken photo before writing anything', async () => {
    db = freshDb();
    const household = await newHousehold();
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    await expect(
      recordVisit(db, actor, {
        household,
        visitorName: '王网格',
        method: 'in-person',
        findings: '',
        photos: [{ name: 'x.jpg', mime: 'image/jpeg', bytes }],
      }),
    ).rejects.toMatchObject({ name: 'PhotoError', code: 'corrupt' });
    expect(await db.visits.count()).toBe(0);
  });

  it('creates the needs found, each identified with its first event', async () => {
    db = freshDb();
    const household = await newHousehold();
    const visit = await recordVisit(db, actor, {
      household,
      visitorName: '王网格',
      method: 'in-person',
      findings: '',
      photos: [],
      needs: [
        { category: '0101', urgency: 'high', description: '需要助浴服务' },
        { category: '1003', urgency: 'low', description: '水龙头漏水' },
      ],
    });
    const [entry] = await visitsOfHousehold(db, household.id);
    expect(entry?.needs.map((n) => [n.category, n.layer, n.status, n.visitId])).toEqual([
      ['0101', 'basic', 'identified', visit.id],
      ['1003', 'improvement', 'identified', visit.id],
    ]);
    const events = await eventsOfNeeds(db, entry?.needs.map((n) => n.id) ?? []);
    expect(events.map((e) => [e.from, e.to, e.actorId, e.actorName])).toEqual([
      [null, 'identified', actor.id, '王网格'],
      [null, 'identified', actor.id, '王网格'],
    ]);
    expect(await queuedTables()).toEqual([
      'households',
      'visits',
      'needs',
      'needEvents',
      'needs',
      'needEvents',
    ]);
  });

  it("takes the household's location unless one was picked on the map", async () => {
    db = freshDb();
    const household = await newHousehold();
    const base: NewVisit = {
      household,
      visitorName: '王网格',
      method: 'in-person',
      findings: '',
      photos: [],
    };
    const atHome = await recordVisit(db, actor, base);
    expect(atHome.location).toEqual(household.location);
    const picked: [number, number] = [116.4201, 39.9602];
    const elsewhere = await recordVisit(db, actor, { ...base, location: picked });
    expect(elsewhere.location).toEqual(picked);
    expect((await db.visits.get(elsewhere.id))?.location).toEqual(picked);
  });

  it('refuses a need filed on a top-level category', async () => {
    db = freshDb();
    const household = await newHousehold();
    await expect(
      recordVisit(db, actor, {
        household,
        visitorName: '王网格',
        method: 'phone',
        findings: '',
        photos: [],
        needs: [{ category: '01', urgency: 'normal', description: '养老' }],
      }),
    ).rejects.toMatchObject({ code: 'validation' });
    expect(await db.visits.count()).toBe(0);
  });
});

describe('loadDueList', () => {
  it('lists tagged households by the shared rule, with head and address', async () => {
    db = freshDb();
    const alone = await newHousehold('一号楼101');
    const child = await newHousehold('二号楼202');
    const plain = await newHousehold('三号楼303');
    const gone = await newHousehold('四号楼404');
    const head = await commitChange(
      db,
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        data: residentData(alone.id, { name: '李独居', tags: ['living-alone-elder'] }),
      },
      actor,
    );
    await commitChange(
      db,
      { op: 'update', table: 'households', id: alone.id, patch: { headResidentId: head.id } },
      actor,
    );
    await commitChange(
      db,
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        data: residentData(child.id, {
          name: '赵小',
          relation: 'child',
          birthDate: '2016-01-01',
          idNumber: null,
          tags: ['left-behind-child'],
        }),
      },
      actor,
    );
    await commitChange(
      db,
      { op: 'create', table: 'residents', scope: GRID, data: residentData(plain.id) },
      actor,
    );
    await commitChange(
      db,
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        data: residentData(gone.id, { status: 'deceased', tags: ['living-alone-elder'] }),
      },
      actor,
    );
    // The child's household was visited just now; the elder never.
    await recordVisit(db, actor, {
      household: child,
      visitorName: '王网格',
      method: 'in-person',
      findings: '',
      photos: [],
    });
    // A minute short of ten days after the records were made: part days round up to 10.
    const inTenDays = new Date(Date.now() + 10 * 24 * 3600 * 1000 - 60_000);
    const rows = await loadDueList(db, inTenDays, {});
    expect(rows.map((r) => [r.household.address, r.headName, r.tags, r.daysOverdue])).toEqual([
      ['一号楼101', '李独居', ['living-alone-elder'], 10],
    ]);
    // Tighten left-behind children to 5 days: the child's household is due too (5 days over).
    await saveIntervalOverrides(db, { 'left-behind-child': 5 });
    const overrides = await loadIntervalOverrides(db);
    expect(overrides).toEqual({ 'left-behind-child': 5 });
    const tightened = await loadDueList(db, inTenDays, overrides);
    expect(tightened.map((r) => [r.household.address, r.headName, r.daysOverdue])).toEqual([
      ['一号楼101', '李独居', 10],
      ['二号楼202', null, 5],
    ]);
    // Narrowed to a grid picked on the map: these households' grid, or another one.
    expect(dueInGrid(tightened, GRID)).toEqual(tightened);
    expect(dueInGrid(tightened, '110101010027002')).toEqual([]);
    expect(dueInGrid(tightened, null)).toBe(tightened);
  });
});

const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } });
const t: Translate = (key, params) => i18n.global.t(key, params);
const summarizeChanges = (lines: Parameters<typeof changeSummary>[1]) => changeSummary(t, lines);

/** A household of two: 张三明 (head, 13812341234) and 王小芳 (spouse, 13900001111). */
async function family(): Promise<{ household: Household; headId: string; spouseId: string }> {
  const created = await newHousehold();
  const head = await commitChange(
    db,
    { op: 'create', table: 'residents', scope: GRID, data: residentData(created.id) },
    actor,
  );
  const spouse = await commitChange(
    db,
    {
      op: 'create',
      table: 'residents',
      scope: GRID,
      data: residentData(created.id, {
        name: '王小芳',
        idNumber: makeIdNumber('110105', '1952-04-01', 122),
        phone: '13900001111',
        birthDate: '1952-04-01',
        relation: 'spouse',
      }),
    },
    actor,
  );
  const household = await commitChange(
    db,
    { op: 'update', table: 'households', id: created.id, patch: { headResidentId: head.id } },
    actor,
  );
  // Only what the visit queues is of interest below.
  await db.outbox.clear();
  return { household, headId: head.id, spouseId: spouse.id };
}

function visitWith(household: Household, changes: HouseholdChange[], findings = '入户了解情况') {
  return recordVisit(
    db,
    actor,
    { household, visitorName: '王网格', method: 'in-person', findings, photos: [], changes },
    { summarizeChanges },
  );
}

const newMember = (overrides: Partial<ReturnType<typeof emptyResidentForm>> = {}) => ({
  kind: 'new-member' as const,
  member: {
    ...emptyResidentForm('child'),
    name: '李四',
    idNumber: makeIdNumber('110105', '2001-06-15', 131),
    phone: '139 0000 2222',
    ...overrides,
  },
});

describe('recordVisit with household changes (户情变化)', () => {
  it('moves a member out with the visit: status moved-out, head cleared, all in one batch', async () => {
    db = freshDb();
    const { household, headId } = await family();
    const visit = await visitWith(household, [{ kind: 'moved-out', residentId: headId }]);
    const head = await db.residents.get(headId);
    // Moved out is a status, not a tombstone: the person stays on record.
    expect(head).toMatchObject({ status: 'moved-out', deleted: false });
    expect((await db.households.get(household.id))?.headResidentId).toBeNull();
    expect(visit.findings).toBe(
      '入户了解情况\n\n户情变化：张*明 迁出；张*明 原为户主，本户户主暂空',
    );
    const entries = (await db.outbox.toArray()).filter((e) => e.table !== 'recordChanges');
    expect(entries.map((e) => [e.table, e.fields])).toEqual([
      ['visits', expect.objectContaining({ householdId: household.id })],
      ['residents', { status: 'moved-out' }],
      ['households', { headResidentId: null }],
    ]);
    // One commitChanges call: one timestamp for the whole batch.
    expect(new Set(entries.map((e) => e.at)).size).toBe(1);
  });

  it('writes neither the visit nor the changes when storing any part of the batch fails', async () => {
    db = freshDb();
    const { household, headId } = await family();
    // The last table of the batch to be stored fails, after the visit and the resident were put.
    const tables = Object.getPrototypeOf(db.households) as Table;
    const bulkPut = tables.bulkPut;
    vi.spyOn(tables, 'bulkPut').mockImplementation(function (this: Table, ...args) {
      if (this.name === 'households') return Dexie.Promise.reject(new Error('disk full'));
      return bulkPut.apply(this, args);
    });
    await expect(visitWith(household, [{ kind: 'moved-out', residentId: headId }])).rejects.toThrow(
      'disk full',
    );
    expect(await db.visits.count()).toBe(0);
    expect((await db.residents.get(headId))?.status).toBe('active');
    expect(await db.outbox.count()).toBe(0);
  });

  it('moves the whole household out: vacant, every member moved out, no head', async () => {
    db = freshDb();
    const { household, headId, spouseId } = await family();
    const visit = await visitWith(household, [{ kind: 'household-moved-out' }], '');
    expect(await db.households.get(household.id)).toMatchObject({
      type: 'vacant',
      headResidentId: null,
    });
    const statuses = (await db.residents.bulkGet([headId, spouseId])).map((r) => r?.status);
    expect(statuses).toEqual(['moved-out', 'moved-out']);
    expect(visit.findings).toBe(
      '户情变化：全户迁出（2 人），住户改为空置；张*明 迁出；王*芳 迁出；张*明 原为户主，本户户主暂空',
    );
    expect(await queuedTables()).toEqual(['visits', 'residents', 'residents', 'households']);
    const householdEntry = (await db.outbox.toArray()).find((e) => e.table === 'households');
    expect(householdEntry?.fields).toEqual({ type: 'vacant', headResidentId: null });
  });

  it('adds a new member checked by the registry rules, and names the visit in masked words', async () => {
    db = freshDb();
    const { household } = await family();
    const visit = await visitWith(household, [newMember()]);
    const added = (await db.residents.where('householdId').equals(household.id).toArray()).find(
      (r) => r.name === '李四',
    );
    // Birth date and sex come from the ID number; the phone is normalised.
    expect(added).toMatchObject({
      relation: 'child',
      birthDate: '2001-06-15',
      sex: 'M',
      phone: '13900002222',
      status: 'active',
      scope: GRID,
    });
    expect(visit.findings).toContain('户情变化：新增成员 李*（子女）');
    expect(await queuedTables()).toEqual(['visits', 'residents']);
    expect((await db.outbox.toArray()).find((e) => e.table === 'residents')?.op).toBe('create');
  });

  it('makes a new member entered as head the head of a household without one', async () => {
    db = freshDb();
    const household = await newHousehold();
    await db.outbox.clear();
    const visit = await visitWith(household, [newMember({ relation: 'head' })]);
    const added = await db.residents.where('householdId').equals(household.id).first();
    expect((await db.households.get(household.id))?.headResidentId).toBe(added?.id);
    expect(visit.findings).toContain('新增成员 李*（户主）；李* 登记为户主');
    expect(await queuedTables()).toEqual(['visits', 'residents', 'households']);
  });

  it('changes a phone, normalised, with the masked number in the findings', async () => {
    db = freshDb();
    const { household, spouseId } = await family();
    const visit = await visitWith(household, [
      { kind: 'phone', residentId: spouseId, phone: '+86 139-0000-0000' },
    ]);
    expect((await db.residents.get(spouseId))?.phone).toBe('13900000000');
    expect(visit.findings).toContain('户情变化：王*芳 电话改为 139****0000');
    const entries = (await db.outbox.toArray()).filter((e) => e.table !== 'recordChanges');
    expect(entries.map((e) => [e.table, e.fields])).toEqual([
      ['visits', expect.objectContaining({ findings: visit.findings })],
      ['residents', { phone: '13900000000' }],
    ]);
  });

  it('applies several kinds of change with one visit', async () => {
    db = freshDb();
    const { household, headId, spouseId } = await family();
    await visitWith(household, [
      { kind: 'moved-out', residentId: headId },
      newMember({ relation: 'head' }),
      { kind: 'phone', residentId: spouseId, phone: '010-64001234' },
    ]);
    const members = await db.residents.where('householdId').equals(household.id).toArray();
    const newHead = members.find((r) => r.name === '李四');
    expect((await db.households.get(household.id))?.headResidentId).toBe(newHead?.id);
    expect(members.find((r) => r.id === spouseId)?.phone).toBe('010-64001234');
    expect(members.find((r) => r.id === headId)?.status).toBe('moved-out');
    expect(await queuedTables()).toEqual([
      'visits',
      'residents',
      'residents',
      'residents',
      'households',
    ]);
  });

  it('refuses an invalid new member with field messages, and writes nothing, not even the visit', async () => {
    db = freshDb();
    const { household } = await family();
    const id = makeIdNumber('110105', '2001-06-15', 131);
    const wrongCheck = `${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`;
    await expect(
      visitWith(household, [newMember({ idNumber: wrongCheck, phone: '12345' })]),
    ).rejects.toMatchObject({
      name: 'HouseholdChangeError',
      code: 'validation',
      changeIssues: [
        { index: 0, field: 'idNumber', key: 'residentForm.errors.idCheckDigit' },
        { index: 0, field: 'phone', key: 'residentForm.errors.phoneFormat' },
      ],
    });
    expect(await db.visits.count()).toBe(0);
    expect(await db.residents.count()).toBe(2);
    expect(await db.outbox.count()).toBe(0);
  });

  it('refuses an ID number already in use in the street, and a member of another household', async () => {
    db = freshDb();
    const { household } = await family();
    const other = await newHousehold('和平里七区3号楼2单元502');
    const stranger = await commitChange(
      db,
      {
        op: 'create',
        table: 'residents',
        scope: GRID,
        data: residentData(other.id, {
          name: '赵六',
          idNumber: makeIdNumber('110105', '1980-01-01', 141),
        }),
      },
      actor,
    );
    const plan = await planHouseholdChanges(db, household, [
      newMember({ idNumber: makeIdNumber('110105', '1980-01-01', 141) }),
      { kind: 'moved-out', residentId: stranger.id },
      { kind: 'phone', residentId: '', phone: '' },
    ]);
    expect(plan.issues).toEqual([
      {
        index: 0,
        field: 'idNumber',
        key: 'residentForm.errors.idDuplicate',
        params: { name: '赵六' },
      },
      { index: 1, field: 'resident', key: 'visits.changes.errors.notMember', params: {} },
      { index: 2, field: 'resident', key: 'visits.changes.errors.pickResident', params: {} },
      { index: 2, field: 'phone', key: 'visits.changes.errors.phoneRequired', params: {} },
    ]);
    expect(plan.records).toEqual([]);
  });

  it('refuses a new member in a household that moves out, and a phone that did not change', async () => {
    db = freshDb();
    const { household, spouseId } = await family();
    const plan = await planHouseholdChanges(db, household, [
      { kind: 'household-moved-out' },
      newMember(),
      { kind: 'phone', residentId: spouseId, phone: '139 0000 1111' },
    ]);
    expect(plan.issues.map((i) => [i.index, i.key])).toEqual([
      [1, 'visits.changes.errors.newMemberLeaving'],
      [2, 'visits.changes.errors.phoneSame'],
    ]);
  });

  it('words the confirmation with the new name as typed and the others masked', async () => {
    db = freshDb();
    const { household, spouseId } = await family();
    const plan = await planHouseholdChanges(db, household, [
      newMember(),
      { kind: 'phone', residentId: spouseId, phone: '13900000000' },
    ]);
    expect(plan.lines.map((line) => describeChange(t, line))).toEqual([
      '新增成员 李四（子女）',
      '王*芳 电话改为 139****0000',
    ]);
    i18n.global.locale.value = 'en';
    expect(plan.lines.map((line) => describeChange(t, line))).toEqual([
      'New member 李四 (Child)',
      "王*芳's phone changed to 139****0000",
    ]);
    i18n.global.locale.value = 'zh-CN';
  });
});
