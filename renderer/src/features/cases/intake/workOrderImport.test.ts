// eslint-disable-next-line no-restricted-imports -- unit tests run in Node and read the fixture files
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EXISTING_WORK_ORDER,
  EXPECTED_WORK_ORDER_ISSUES,
  VALID_WORK_ORDERS,
  WORK_ORDER_HEADERS,
} from '../../../../../test/fixtures/cases/expected';
import { plainCaseCreateRefusal } from '@shared/cases/plainWrites';
import type { GridworkDb } from '../../../db/db';
import { COMMUNITY, GRID, freshDb, householdData } from '../../../db/testing';
import { commitChange } from '../../../db/write';
import { readTable } from '../../import/readTable';
import {
  matchCategory,
  parseBeijingTime,
  parseTimeLimit,
  validateWorkOrders,
} from './validateWorkOrders';
import { guessWorkOrderMapping, missingWorkOrderFields } from './workOrderColumns';
import {
  WorkOrderImportStale,
  hotlineCaseNo,
  importWorkOrders,
  planWorkOrderImport,
} from './workOrderImport';
import { caseData } from '../testCases';

const STREET = '110101010000';
const actor = { id: '01900000-0000-7000-8000-0000000000aa', name: '街道受理员' };
const NOW = new Date('2026-11-29T08:00:00.000Z'); // 16:00 Beijing, after every row's receipt
const fixture = (name: string) =>
  new Uint8Array(
    readFileSync(new URL(`../../../../../test/fixtures/cases/${name}`, import.meta.url)),
  );

let db: GridworkDb;
beforeEach(() => {
  db = freshDb();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

/** A grid with building 1号楼, a household in 3号楼, and a case already imported. */
async function seed(): Promise<void> {
  await commitChange(
    db,
    {
      op: 'create',
      table: 'buildings',
      scope: GRID,
      id: '01900000-0000-7000-8000-000000000001',
      data: {
        gridCode: GRID,
        communityCode: COMMUNITY,
        compound: '和平里七区',
        name: '1号楼',
        address: '和平里七区1号楼',
        kind: 'residential',
        floors: 6,
        units: 3,
        location: [116.417, 39.954],
      },
    },
    actor,
  );
  await commitChange(
    db,
    {
      op: 'create',
      table: 'households',
      scope: GRID,
      id: '01900000-0000-7000-8000-0000000000b1',
      data: householdData(), // 和平里七区3号楼2单元501 at [116.418, 39.955]
    },
    actor,
  );
  await commitChange(
    db,
    {
      op: 'create',
      table: 'cases',
      scope: GRID,
      data: caseData({ workOrderNo: EXISTING_WORK_ORDER }),
    },
    actor,
  );
}

const issuesByRow = (report: Awaited<ReturnType<typeof planWorkOrderImport>>['report']) =>
  Object.fromEntries(
    report.rows.flatMap((r) => (r.ok ? [] : [[r.rowNumber, r.issues.map((i) => i.code)]])),
  );

describe('work-order columns', () => {
  it('maps the usual 12345 headers and names the missing required ones', () => {
    const m = guessWorkOrderMapping([...WORK_ORDER_HEADERS]);
    expect(m).toEqual({
      workOrderNo: 0,
      receivedAt: 1,
      reporterName: 2,
      reporterPhone: 3,
      address: 4,
      description: 5,
      category: 6,
      deadline: 7,
    });
    const other = guessWorkOrderMapping(['工单号', '来电时间', '问题描述', '事项分类', '事发地址']);
    expect(other).toMatchObject({
      workOrderNo: 0,
      receivedAt: 1,
      description: 2,
      category: 3,
      address: 4,
    });
    expect(missingWorkOrderFields(guessWorkOrderMapping(['工单编号', '备注']))).toEqual([
      'receivedAt',
      'description',
      'category',
    ]);
  });
});

describe('cell parsing', () => {
  it('reads Beijing wall-clock times in the spellings exports use', () => {
    const iso = (s: string) => parseBeijingTime(s)?.toISOString() ?? null;
    expect(iso('2026-11-29 09:15:00')).toBe('2026-11-29T01:15:00.000Z');
    expect(iso('2026/11/29 9:15')).toBe('2026-11-29T01:15:00.000Z');
    expect(iso('2026年11月29日 09时15分')).toBe('2026-11-29T01:15:00.000Z');
    expect(iso('2026-11-29')).toBe('2026-11-28T16:00:00.000Z');
    expect(iso('46355.5')).toBe('2026-11-29T04:00:00.000Z'); // Excel serial, noon Beijing
    for (const bad of ['2026-02-30 10:00', '2026-13-01', '29/11/2026', '2026-11-29 25:00', ''])
      expect(iso(bad), bad).toBeNull();
  });

  it('reads time limits and catalog categories', () => {
    expect(parseTimeLimit('2个工作日')).toEqual({ value: 2, unit: 'workdays' });
    expect(parseTimeLimit('24小时')).toEqual({ value: 24, unit: 'hours' });
    expect(parseTimeLimit('3天')).toEqual({ value: 3, unit: 'workdays' });
    expect(parseTimeLimit('尽快')).toBeNull();
    expect(parseTimeLimit('0小时')).toBeNull();
    expect(matchCategory('0102')).toBe('0102');
    expect(matchCategory('垃圾积存清运')).toBe('0102');
    expect(matchCategory('市容环境-垃圾积存清运')).toBe('0102');
    expect(matchCategory('市容环境/未知小类')).toBe('01');
    expect(matchCategory('外星人入侵')).toBeNull();
  });
});

describe.each(['work-orders.xlsx', 'work-orders-gbk.csv'])('importing %s', (file) => {
  it('reports every bad row with its reason and keeps the good ones', async () => {
    await seed();
    const table = await readTable(fixture(file));
    if (file.endsWith('.csv')) expect(table.encoding).toBe('gb18030');
    const plan = await planWorkOrderImport(
      db,
      table,
      guessWorkOrderMapping(table.headers),
      STREET,
      NOW,
    );
    // The xlsx has a title row above the header, so its rows are one further down.
    const shift = file.endsWith('.xlsx') ? 1 : 0;
    const expected = Object.fromEntries(
      Object.entries(EXPECTED_WORK_ORDER_ISSUES).map(([row, codes]) => [
        Number(row) + shift,
        codes,
      ]),
    );
    expect(issuesByRow(plan.report)).toEqual(expected);
    expect(plan.report.rows.flatMap((r) => (r.ok ? [r.data.workOrderNo] : []))).toEqual(
      VALID_WORK_ORDERS,
    );
    const unknown = plan.report.rows.find((r) => !r.ok && r.issues[0]?.code === 'unknown-category');
    expect(unknown?.ok === false && unknown.issues[0]?.value).toBe('外星人入侵');
    const dup = plan.report.rows.find((r) => !r.ok && r.issues[0]?.code === 'dup-in-file');
    expect(dup?.ok === false && dup.issues[0]?.row).toBe(2 + shift);
  });

  it('imports the valid rows as cases with their received events, in one batch', async () => {
    await seed();
    const table = await readTable(fixture(file));
    const plan = await planWorkOrderImport(
      db,
      table,
      guessWorkOrderMapping(table.headers),
      STREET,
      NOW,
    );
    const outboxBefore = await db.outbox.count();
    const progress: number[] = [];
    expect(await importWorkOrders(db, plan, actor, (done) => progress.push(done))).toEqual({
      cases: 3,
    });
    expect(progress.length).toBeGreaterThan(0);

    const cases = (await db.cases.toArray()).filter((c) =>
      VALID_WORK_ORDERS.includes(c.workOrderNo ?? ''),
    );
    const byNo = new Map(cases.map((c) => [c.workOrderNo, c]));
    // Row 2: the household's address → its grid, household and location; default limits.
    expect(byNo.get('GD2026112900001')).toMatchObject({
      scope: GRID,
      gridCode: GRID,
      communityCode: COMMUNITY,
      streetCode: STREET,
      householdId: '01900000-0000-7000-8000-0000000000b1',
      location: [116.418, 39.955],
      category: '0102',
      status: 'received',
      receivedAt: '2026-11-29T01:15:00.000Z',
      reporterName: '李女士',
      reporterPhone: '13812345678',
      responseDeadline: '2026-11-30T01:15:00.000Z', // 24 h
      handleDeadline: '2026-12-01T16:00:00.000Z', // Sun 29 → Mon 30, Tue 1 → midnight
    });
    expect(byNo.get('GD2026112900001')?.caseNo).toMatch(/^RX20261129-[0-9A-F]{6}$/);
    // Row 3: the building's address; 3 working days from the file.
    expect(byNo.get('GD2026112900002')).toMatchObject({
      gridCode: GRID,
      householdId: null,
      location: [116.417, 39.954],
      category: '0501',
      reporterPhone: '010-64211234',
      handleDeadline: '2026-12-02T16:00:00.000Z',
    });
    // Row 4: nowhere known → the street's case, no grid; the deadline as given.
    expect(byNo.get('GD2026112900003')).toMatchObject({
      scope: STREET,
      gridCode: null,
      communityCode: null,
      location: null,
      category: '0303',
      handleDeadline: '2026-12-05T10:00:00.000Z',
    });

    const events = await db.caseEvents.toArray();
    expect(events).toHaveLength(3);
    for (const c of cases)
      expect(events.find((e) => e.caseId === c.id)).toMatchObject({
        type: 'received',
        at: c.receivedAt,
        actorId: actor.id,
        actorName: '街道受理员',
        scope: c.scope,
        data: { workOrderNo: c.workOrderNo },
      });
    const outbox = (await db.outbox.toArray()).slice(outboxBefore);
    expect(outbox).toHaveLength(6);
    // What the server accepts as intake (a case as received, its received event).
    for (const e of outbox) expect(plainCaseCreateRefusal(e.table, e.fields)).toBeNull();
  });
});

describe('all or nothing', () => {
  it('imports nothing when the write fails part-way', async () => {
    await seed();
    const table = await readTable(fixture('work-orders.xlsx'));
    const plan = await planWorkOrderImport(
      db,
      table,
      guessWorkOrderMapping(table.headers),
      STREET,
      NOW,
    );
    const before = { cases: await db.cases.count(), outbox: await db.outbox.count() };
    // Corrupt the last valid row so that validation inside commitChanges refuses it.
    const last = plan.report.rows.filter((r) => r.ok).at(-1);
    if (!last?.ok) throw new Error('fixture has valid rows');
    last.data.category = 'not-a-code';
    await expect(importWorkOrders(db, plan, actor)).rejects.toThrow();
    expect({ cases: await db.cases.count(), outbox: await db.outbox.count() }).toEqual(before);
    expect(await db.caseEvents.count()).toBe(0);
  });

  it('leaves nothing behind when the outbox write fails after the records were put', async () => {
    await seed();
    const table = await readTable(fixture('work-orders-gbk.csv'));
    const plan = await planWorkOrderImport(
      db,
      table,
      guessWorkOrderMapping(table.headers),
      STREET,
      NOW,
    );
    const before = { cases: await db.cases.count(), outbox: await db.outbox.count() };
    vi.spyOn(db.outbox, 'bulkAdd').mockRejectedValueOnce(new Error('disk full'));
    await expect(importWorkOrders(db, plan, actor)).rejects.toThrow('disk full');
    expect({ cases: await db.cases.count(), outbox: await db.outbox.count() }).toEqual(before);
    expect(await db.caseEvents.count()).toBe(0);
  });

  it('refuses the whole import when a number arrived after the preview', async () => {
    await seed();
    const table = await readTable(fixture('work-orders-gbk.csv'));
    const plan = await planWorkOrderImport(
      db,
      table,
      guessWorkOrderMapping(table.headers),
      STREET,
      NOW,
    );
    await commitChange(
      db,
      {
        op: 'create',
        table: 'cases',
        scope: GRID,
        data: caseData({ workOrderNo: 'GD2026112900002' }),
      },
      actor,
    );
    const before = await db.cases.count();
    await expect(importWorkOrders(db, plan, actor)).rejects.toBeInstanceOf(WorkOrderImportStale);
    expect(await db.cases.count()).toBe(before);
  });

  it('writes nothing for a file without valid rows', async () => {
    await seed();
    const report = validateWorkOrders(
      { rows: [{ rowNumber: 2, cells: ['', '', '', '', '', '', '', ''] }] },
      guessWorkOrderMapping([...WORK_ORDER_HEADERS]),
      { existingWorkOrderNos: new Set(), now: NOW },
    );
    expect(report).toMatchObject({ valid: 0, invalid: 1 });
    const before = await db.outbox.count();
    expect(
      await importWorkOrders(db, { report, located: new Map(), streetCode: STREET }, actor),
    ).toEqual({ cases: 0 });
    expect(await db.outbox.count()).toBe(before);
  });
});

describe('deadlines', () => {
  it('counts the category limit across the Spring Festival and warns past the calendar', () => {
    const mapping = guessWorkOrderMapping([...WORK_ORDER_HEADERS]);
    const row = (no: string, at: string, limit: string) => ({
      rowNumber: 2,
      cells: [no, at, '', '', '', '小区垃圾未清运', '0102', limit, ''],
    });
    const report = validateWorkOrders(
      {
        rows: [
          { ...row('A1', '2026-02-13 15:00', ''), rowNumber: 2 },
          { ...row('A2', '2026-12-30 10:00', '5个工作日'), rowNumber: 3 },
        ],
      },
      mapping,
      { existingWorkOrderNos: new Set(), now: new Date('2027-01-01T00:00:00.000Z') },
    );
    const [festival, yearEnd] = report.rows;
    // 0102: 2 working days; 14 Feb is a make-up workday, 15–23 Feb the festival.
    expect(festival).toMatchObject({
      ok: true,
      data: { handleDeadline: '2026-02-24T16:00:00.000Z', beyondCalendar: false },
    });
    expect(yearEnd).toMatchObject({ ok: true, data: { beyondCalendar: true } });
  });

  it('names hotline cases by their Beijing day of receipt', () => {
    expect(hotlineCaseNo('2026-11-29T17:00:00.000Z', '01900000-0000-7000-8000-00000000abcd')).toBe(
      'RX20261130-00ABCD',
    );
  });
});
