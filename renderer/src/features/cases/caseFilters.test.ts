import { describe, expect, it } from 'vitest';
import { D1, D2, G2, makeCase } from '@shared/metrics/fixtures.test-helpers';
import {
  EMPTY_CASE_FILTER,
  categoryLabel,
  filterCases,
  involvesDepartment,
  owedReportIn,
  sortByDeadline,
  splitDuration,
} from './caseFilters';

const NOW = new Date('2026-03-10T00:00:00.000Z');

const overdue = makeCase({
  caseNo: 'GW-OVERDUE',
  status: 'handling',
  respondedAt: '2026-03-02T02:00:00.000Z',
  handleDeadline: '2026-03-09T00:00:00.000Z',
  address: '和平里七区3号楼',
});
const dueSoon = makeCase({
  caseNo: 'GW-SOON',
  status: 'received',
  source: 'patrol',
  category: '0301',
  responseDeadline: '2026-03-10T01:00:00.000Z',
  handleDeadline: '2026-03-20T00:00:00.000Z',
  description: '井盖缺失',
});
const later = makeCase({
  caseNo: 'GW-LATER',
  status: 'signed',
  respondedAt: '2026-03-02T02:00:00.000Z',
  handleDeadline: '2026-03-15T00:00:00.000Z',
});
const closed = makeCase({
  caseNo: 'GW-CLOSED',
  status: 'archived',
  receivedAt: '2026-03-05T00:00:00.000Z',
  handleDeadline: '2026-03-01T00:00:00.000Z',
});
const older = makeCase({ caseNo: 'GW-OLD', status: 'archived' });
const gone = makeCase({ caseNo: 'GW-GONE', deleted: true });
const all = [closed, later, gone, dueSoon, older, overdue];

describe('filterCases', () => {
  it('keeps every live case with no filter set, never a deleted one', () => {
    expect(filterCases(all, EMPTY_CASE_FILTER, NOW)).toHaveLength(5);
  });
  it('filters by status, source and category (top level covers its sub-categories)', () => {
    const f = EMPTY_CASE_FILTER;
    expect(filterCases(all, { ...f, status: 'signed' }, NOW)).toEqual([later]);
    expect(filterCases(all, { ...f, source: 'patrol' }, NOW)).toEqual([dueSoon]);
    expect(filterCases(all, { ...f, category: '03' }, NOW)).toEqual([dueSoon]);
    expect(filterCases(all, { ...f, category: '0301' }, NOW)).toEqual([dueSoon]);
  });
  it('shows only overdue cases when asked; a stopped clock is never overdue', () => {
    expect(filterCases(all, { ...EMPTY_CASE_FILTER, overdueOnly: true }, NOW)).toEqual([overdue]);
  });
  it('searches case no., address and description, ignoring case', () => {
    const f = EMPTY_CASE_FILTER;
    expect(filterCases(all, { ...f, text: 'gw-later' }, NOW)).toEqual([later]);
    expect(filterCases(all, { ...f, text: '七区' }, NOW)).toEqual([overdue]);
    expect(filterCases(all, { ...f, text: ' 井盖 ' }, NOW)).toEqual([dueSoon]);
  });
});

describe('the grid and department filters', () => {
  const D3 = '0190a000-0000-7000-8000-00000000d003';
  const whistle = (departmentIds: string[], reported: string[] = []) => ({
    at: '2026-03-09T00:00:00.000Z',
    departmentIds,
    reportBy: '2026-03-11T00:00:00.000Z',
    reported: reported.map((departmentId) => ({ departmentId, at: '2026-03-09T02:00:00.000Z' })),
  });
  const led = makeCase({ caseNo: 'GW-LED', leadDepartmentId: D1 });
  const helped = makeCase({ caseNo: 'GW-COOP', leadDepartmentId: D2, coDepartmentIds: [D1] });
  const summoned = makeCase({
    caseNo: 'GW-WHISTLE',
    gridCode: G2,
    leadDepartmentId: D2,
    summons: [whistle([D3]), whistle([D1, D3], [D3])],
  });
  const other = makeCase({ caseNo: 'GW-OTHER', gridCode: G2, leadDepartmentId: D2 });
  const local = makeCase({ caseNo: 'GW-LOCAL', status: 'received' });
  const cases = [led, helped, summoned, other, local];

  it('keeps the cases a department leads, co-handles or was summoned to', () => {
    expect(cases.filter((c) => involvesDepartment(c, D1)).map((c) => c.caseNo)).toEqual([
      'GW-LED',
      'GW-COOP',
      'GW-WHISTLE',
    ]);
    expect(involvesDepartment(summoned, D3)).toBe(true);
    expect(involvesDepartment(local, D1)).toBe(false);
    const f = { ...EMPTY_CASE_FILTER, departmentId: D1 };
    expect(filterCases(cases, f, NOW)).toEqual([led, helped, summoned]);
  });
  it("keeps one grid's cases, and combines with the other filters", () => {
    expect(filterCases(cases, { ...EMPTY_CASE_FILTER, gridCode: G2 }, NOW)).toEqual([
      summoned,
      other,
    ]);
    const both = { ...EMPTY_CASE_FILTER, gridCode: G2, departmentId: D1 };
    expect(filterCases(cases, both, NOW)).toEqual([summoned]);
    expect(filterCases(cases, { ...both, status: 'received' }, NOW)).toEqual([]);
  });
  it('tells the 报到 a department still owes, late once its time has passed', () => {
    expect(owedReportIn(summoned, D1, NOW)).toEqual({
      reportBy: '2026-03-11T00:00:00.000Z',
      late: false,
    });
    expect(owedReportIn(summoned, D1, new Date('2026-03-12T00:00:00.000Z'))?.late).toBe(true);
    // D3 answered the second whistle but not the first: still owes that one.
    expect(owedReportIn(summoned, D3, NOW)).not.toBeNull();
    const answered = { ...summoned, summons: [whistle([D1], [D1])] };
    expect(owedReportIn(answered, D1, NOW)).toBeNull();
    expect(owedReportIn(led, D1, NOW)).toBeNull();
    // A resolved case takes no 报到 any more.
    expect(owedReportIn({ ...summoned, status: 'resolved' }, D1, NOW)).toBeNull();
  });
});

describe('sortByDeadline', () => {
  it('puts the most overdue first, then the soonest, then stopped clocks newest first', () => {
    const sorted = sortByDeadline(
      all.filter((c) => !c.deleted),
      NOW,
    ).map((c) => c.caseNo);
    expect(sorted).toEqual(['GW-OVERDUE', 'GW-SOON', 'GW-LATER', 'GW-CLOSED', 'GW-OLD']);
  });
});

describe('splitDuration and categoryLabel', () => {
  it('splits a duration into days, hours and minutes, ignoring the sign', () => {
    expect(splitDuration(-(26 * 3_600_000 + 5 * 60_000))).toEqual({
      days: 1,
      hours: 2,
      minutes: 5,
    });
  });
  it('names a sub-category with its parent, and falls back to the code', () => {
    expect(categoryLabel('0102', false)).toMatch(/ \/ /);
    expect(categoryLabel('9999', true)).toBe('9999');
  });
});
