import { describe, expect, it } from 'vitest';
import type { Case, CaseEvent } from '../domain/case';
import { caseFacts } from './caseFacts';
import { computeKpis, previousMonth, type KpiRow } from './kpis';
import { C1, C2, D1, D2, G1, G2, G3, makeCase, makeEvent, near } from './fixtures.test-helpers';

// All March 2026 (Beijing). Receipt 2 March 09:00 Beijing unless noted; the response limit runs
// to 3 March 01:00Z and the handling limit to 9 March 01:00Z.
const T0 = '2026-03-02T01:00:00.000Z';
const RESPOND_BY = '2026-03-03T01:00:00.000Z';
const HANDLE_BY = '2026-03-09T01:00:00.000Z';
const ASOF = '2026-03-31T16:00:00.000Z'; // end of March, Beijing
const deadlines = { responseDeadline: RESPOND_BY, handleDeadline: HANDLE_BY };
const follow = (
  resolved: boolean | null,
  satisfaction: Case['followUp'] extends infer F
    ? F extends { satisfaction: infer S }
      ? S
      : never
    : never,
  contacted = true,
) => ({ contacted, resolved, satisfaction, at: '2026-03-20T02:00:00.000Z', note: '' });

/**
 * The hand-built set. Expected values (see each metric's test for the arithmetic):
 *            response  resolved  satisfied  on time  hours  proactive  repeat
 * c1 G1 D1   on time   yes       满意        yes      72     –          first report
 * c2 G1 D1   late      no        不满意      late     191    –          repeat of c1 (20 m, 1 h)
 * c3 G2 D2   on time   yes       基本满意    yes      48     –          other category
 * c4 G2 D2   not due   –         –          not due  –      –          repeat of c1 (29 days)
 * c5 G1 –    not sent  –         –          yes      3      patrol     –
 * c6 G1 D1   on time   (not reached)        yes      60     –          80 m away: no
 * c7 G2 D2   on time   –         –          overdue  –      proactive  –
 * c8 G1 D1   on time   yes       满意 (2nd)  yes      144    –          other category
 */
type Ids = Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6' | 'c7' | 'c8', string>;

function fixture(): { cases: Case[]; events: CaseEvent[]; ids: Ids } {
  const c1 = makeCase({
    ...deadlines,
    leadDepartmentId: D1,
    location: near(0),
    respondedAt: '2026-03-02T05:00:00.000Z',
    resolvedAt: '2026-03-05T01:00:00.000Z',
    followUp: follow(true, 'satisfied'),
  });
  const c2 = makeCase({
    ...deadlines,
    receivedAt: '2026-03-02T02:00:00.000Z',
    leadDepartmentId: D1,
    location: near(20),
    respondedAt: '2026-03-03T02:00:00.000Z',
    resolvedAt: '2026-03-10T01:00:00.000Z',
    followUp: follow(false, 'unsatisfied'),
  });
  const c3 = makeCase({
    ...deadlines,
    gridCode: G2,
    category: '0201',
    leadDepartmentId: D2,
    location: near(0),
    respondedAt: '2026-03-02T03:00:00.000Z',
    resolvedAt: '2026-03-04T01:00:00.000Z',
    followUp: follow(true, 'basically-satisfied'),
  });
  const c4 = makeCase({
    gridCode: G2,
    receivedAt: '2026-03-31T10:00:00.000Z',
    responseDeadline: '2026-04-01T10:00:00.000Z',
    handleDeadline: '2026-04-08T16:00:00.000Z',
    leadDepartmentId: D2,
    location: near(5, 5),
  });
  const c5 = makeCase({
    ...deadlines,
    source: 'patrol',
    status: 'resolved',
    location: near(0),
    respondedAt: T0,
    resolvedAt: '2026-03-02T04:00:00.000Z',
  });
  const c6 = makeCase({
    ...deadlines,
    leadDepartmentId: D1,
    location: near(80),
    respondedAt: '2026-03-02T10:00:00.000Z',
    resolvedAt: '2026-03-04T13:00:00.000Z',
    followUp: follow(null, null, false),
  });
  const c7 = makeCase({
    ...deadlines,
    gridCode: G2,
    source: 'proactive',
    status: 'signed',
    leadDepartmentId: D2,
    location: near(300),
    respondedAt: '2026-03-02T08:00:00.000Z',
  });
  const c8 = makeCase({
    ...deadlines,
    category: '0201',
    leadDepartmentId: D1,
    location: near(0),
    status: 'followed-up',
    respondedAt: '2026-03-02T02:00:00.000Z',
    resolvedAt: '2026-03-08T01:00:00.000Z',
    followUp: follow(true, 'satisfied'),
    reopenCount: 1,
  });
  const cases = [c1, c2, c3, c4, c5, c6, c7, c8];
  const events: CaseEvent[] = [];
  for (const c of cases) {
    events.push(makeEvent(c, 'received', c.receivedAt));
    if (c !== c5) events.push(makeEvent(c, 'dispatched', c.receivedAt));
  }
  events.push(
    makeEvent(c8, 'resolved', '2026-03-04T01:00:00.000Z'),
    makeEvent(c8, 'followed-up', '2026-03-05T01:00:00.000Z', { satisfaction: 'unsatisfied' }),
    makeEvent(c8, 'reopened', '2026-03-05T02:00:00.000Z'),
  );
  const ids = { c1: c1.id, c2: c2.id, c3: c3.id, c4: c4.id, c5: c5.id, c6: c6.id, c7: c7.id };
  return { cases, events, ids: { ...ids, c8: c8.id } };
}

const only = (rows: KpiRow[]): KpiRow => {
  expect(rows).toHaveLength(1);
  const [row] = rows;
  if (!row) throw new Error('no row');
  return row;
};

describe('computeKpis on the hand-built set', () => {
  const { cases, events, ids } = fixture();
  const all = only(computeKpis(cases, events, { asOf: ASOF }));
  const sorted = (list: string[]) => [...list].sort();

  it('counts every case', () => {
    expect(all).toMatchObject({ groupBy: 'all', unit: 'all', month: null, caseCount: 8 });
  });

  it('响应率 = 5/6: dispatched and due or answered; c4 not yet due, c5 never dispatched', () => {
    expect(all.response).toMatchObject({ numerator: 5, denominator: 6, value: 5 / 6 });
    expect(sorted(all.response.caseIds)).toEqual(
      sorted([ids.c1, ids.c2, ids.c3, ids.c6, ids.c7, ids.c8]),
    );
    expect(all.response.numeratorIds).not.toContain(ids.c2);
  });

  it('解决率 = 3/4 over requesters reached; the reopened c8 counts once, by its latest answer', () => {
    expect(all.resolution).toMatchObject({ numerator: 3, denominator: 4, value: 0.75 });
    expect(sorted(all.resolution.caseIds)).toEqual(sorted([ids.c1, ids.c2, ids.c3, ids.c8]));
  });

  it('满意率 = (2 满意 + 1 基本满意)/4 by default, and 2.6/4 with weight 0.6', () => {
    expect(all.satisfaction).toMatchObject({ numerator: 3, denominator: 4, value: 0.75 });
    expect(sorted(all.satisfaction.numeratorIds)).toEqual(sorted([ids.c1, ids.c3, ids.c8]));
    const weighted = only(
      computeKpis(cases, events, { asOf: ASOF, basicallySatisfiedWeight: 0.6 }),
    );
    expect(weighted.satisfaction.numerator).toBeCloseTo(2.6, 12);
    expect(weighted.satisfaction.value).toBeCloseTo(0.65, 12);
  });

  it('按时办结率 = 5/7: c2 late, c7 overdue and open, c4 not due', () => {
    expect(all.onTime).toMatchObject({ numerator: 5, denominator: 7 });
    expect(all.onTime.caseIds).not.toContain(ids.c4);
    expect(all.onTime.numeratorIds).not.toContain(ids.c7);
  });

  it('median handling time = (60 + 72)/2 hours over the six resolved cases', () => {
    expect(all.handlingHours).toMatchObject({ value: 66, count: 6 });
  });

  it('proactive share = 2/8 (patrol c5, 未诉先办 c7)', () => {
    expect(all.proactive).toMatchObject({ numerator: 2, denominator: 8, value: 0.25 });
    expect(sorted(all.proactive.numeratorIds)).toEqual(sorted([ids.c5, ids.c7]));
  });

  it('repeat share = 2/6 complaints (c2, c4); patrol and proactive cases are not complaints', () => {
    expect(all.repeat).toMatchObject({ numerator: 2, denominator: 6 });
    expect(sorted(all.repeat.numeratorIds)).toEqual(sorted([ids.c2, ids.c4]));
    expect(all.repeatReduction).toBeNull();
  });

  it('splits by grid: G1 = c1 c2 c5 c6 c8, G2 = c3 c4 c7', () => {
    const rows = computeKpis(cases, events, { asOf: ASOF, groupBy: 'grid' });
    expect(rows.map((r) => [r.unit, r.caseCount])).toEqual([
      [G1, 5],
      [G2, 3],
    ]);
    const [g1, g2] = rows;
    expect(g1?.response).toMatchObject({ numerator: 3, denominator: 4 });
    expect(g2?.response).toMatchObject({ numerator: 2, denominator: 2, value: 1 });
    expect(g1?.handlingHours.value).toBe(72); // 3, 60, 72, 144, 191
    expect(g2?.resolution).toMatchObject({ numerator: 1, denominator: 1 });
    expect(g2?.satisfaction).toMatchObject({ numerator: 1, denominator: 1 });
  });

  it('splits by lead department, leaving out cases without one (c5)', () => {
    const rows = computeKpis(cases, events, { asOf: ASOF, groupBy: 'department' });
    expect(rows.map((r) => [r.unit, r.caseCount])).toEqual([
      [D1, 4],
      [D2, 3],
    ]);
    expect(rows[0]?.onTime).toMatchObject({ numerator: 3, denominator: 4 });
  });

  it('splits by community and street, and the parts add up to the whole', () => {
    const moved = makeCase({ gridCode: G3, communityCode: C2, leadDepartmentId: D1 });
    const byCommunity = computeKpis([...cases, moved], events, {
      asOf: ASOF,
      groupBy: 'community',
    });
    expect(byCommunity.map((r) => [r.unit, r.caseCount])).toEqual([
      [C1, 8],
      [C2, 1],
    ]);
    const street = only(computeKpis(cases, events, { asOf: ASOF, groupBy: 'street' }));
    expect(street.response).toEqual(all.response);
  });

  it('judges open clocks at asOf: earlier, c7 is not yet overdue and later answers unseen', () => {
    const early = only(computeKpis(cases, events, { asOf: '2026-03-02T06:00:00.000Z' }));
    // Received by then: all but c4. Responded by 06:00Z: c1, c3, c8 (and c5, not dispatched);
    // c2, c6 and c7 are still inside their limit → excluded, not counted late.
    expect(early.response).toMatchObject({ numerator: 3, denominator: 3 });
    // Only c5 is resolved by then; every other handling clock still runs.
    expect(early.onTime).toMatchObject({ numerator: 1, denominator: 1 });
    expect(early.caseCount).toBe(7);
  });
});

describe('edge cases', () => {
  it('gives no rows for no cases, and null (not 0 or NaN) for empty rates', () => {
    expect(computeKpis([], [], { asOf: ASOF })).toEqual([]);
    const c = makeCase({ source: 'patrol', status: 'received', location: null });
    const row = only(computeKpis([c], [makeEvent(c, 'received', c.receivedAt)], { asOf: ASOF }));
    for (const rate of [row.response, row.resolution, row.satisfaction, row.repeat]) {
      expect(rate).toMatchObject({ value: null, numerator: 0, denominator: 0 });
    }
    expect(row.handlingHours).toMatchObject({ value: null, count: 0 });
    expect(row.proactive.value).toBe(1);
  });

  it('ignores deleted cases and deleted events', () => {
    const c = makeCase({ leadDepartmentId: D1, responseDeadline: RESPOND_BY });
    const gone = makeCase({ deleted: true });
    const dispatched = { ...makeEvent(c, 'dispatched', T0), deleted: true };
    const received = makeEvent(c, 'received', T0);
    const row = only(computeKpis([c, gone], [received, dispatched], { asOf: ASOF }));
    expect(row.caseCount).toBe(1);
    // The only dispatch event is deleted, so the case counts as never dispatched.
    expect(row.response.denominator).toBe(0);
  });

  it('falls back to the row when a case has no events: a lead unit past 受理 means dispatched', () => {
    const c = makeCase({ leadDepartmentId: D1, status: 'signed', ...deadlines, respondedAt: T0 });
    const waiting = makeCase({ leadDepartmentId: D1, status: 'received', ...deadlines });
    expect(only(computeKpis([c, waiting], [], { asOf: ASOF })).response).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
  });

  it('takes the first 签收 event when the row has no respondedAt', () => {
    const c = makeCase({ leadDepartmentId: D1, ...deadlines });
    const ev = [
      makeEvent(c, 'dispatched', T0),
      makeEvent(c, 'signed', '2026-03-02T09:00:00.000Z'),
      makeEvent(c, 'signed', '2026-03-04T09:00:00.000Z'),
    ];
    expect(only(computeKpis([c], ev, { asOf: ASOF })).response.numerator).toBe(1);
    const late = [
      makeEvent(c, 'dispatched', T0),
      makeEvent(c, 'signed', '2026-03-04T09:00:00.000Z'),
    ];
    expect(only(computeKpis([c], late, { asOf: ASOF })).response).toMatchObject({
      numerator: 0,
      denominator: 1,
    });
  });

  it('computes missing deadlines from the catalogue (0102: 24 h, 2 working days)', () => {
    const c = makeCase({ leadDepartmentId: D1, respondedAt: '2026-03-03T00:59:00.000Z' });
    const [f] = caseFacts([c], [makeEvent(c, 'dispatched', T0)]);
    expect(f?.responseDeadlineMs).toBe(Date.parse(RESPOND_BY));
    // Mon 2 March + 2 working days → end of Wed 4 March Beijing.
    expect(f?.handleDeadlineMs).toBe(Date.parse('2026-03-04T16:00:00.000Z'));
  });

  it('counts a reopened case that is not yet re-resolved as open: overdue once the limit passes', () => {
    const c = makeCase({
      leadDepartmentId: D1,
      ...deadlines,
      resolvedAt: null,
      reopenCount: 1,
      followUp: follow(false, 'unsatisfied'),
    });
    const ev = [
      makeEvent(c, 'dispatched', T0),
      makeEvent(c, 'reopened', '2026-03-06T01:00:00.000Z'),
    ];
    const row = only(computeKpis([c], ev, { asOf: ASOF }));
    expect(row.onTime).toMatchObject({ numerator: 0, denominator: 1 });
    expect(row.resolution).toMatchObject({ numerator: 0, denominator: 1 });
    expect(caseFacts([c], ev)[0]?.reopened).toBe(true);
  });

  it('keeps the answer of a follow-up that 重办 cleared from the row, until a new one', () => {
    const c = makeCase({
      leadDepartmentId: D1,
      ...deadlines,
      status: 'handling',
      resolvedAt: null,
      reopenCount: 1,
      followUp: null,
    });
    const answered = makeEvent(c, 'followed-up', '2026-03-05T01:00:00.000Z', {
      contacted: true,
      resolved: false,
      satisfaction: 'unsatisfied',
    });
    const ev = [makeEvent(c, 'dispatched', T0), answered];
    const row = only(computeKpis([c], ev, { asOf: ASOF }));
    expect(row.resolution).toMatchObject({ numerator: 0, denominator: 1 });
    expect(row.satisfaction).toMatchObject({ numerator: 0, denominator: 1 });
    // A later answer replaces it; a later call that reaches nobody does not.
    const again = makeEvent(c, 'followed-up', '2026-03-12T01:00:00.000Z', {
      contacted: true,
      resolved: true,
      satisfaction: 'basically-satisfied',
    });
    const later = only(computeKpis([c], [...ev, again], { asOf: ASOF }));
    expect(later.resolution).toMatchObject({ numerator: 1, denominator: 1 });
    expect(later.satisfaction).toMatchObject({ numerator: 1, denominator: 1 });
    const missed = makeEvent(c, 'followed-up', '2026-03-13T01:00:00.000Z', { contacted: false });
    const unreached = only(computeKpis([c], [...ev, again, missed], { asOf: ASOF }));
    expect(unreached.resolution).toMatchObject({ numerator: 1, denominator: 1 });
    const neverReached = only(computeKpis([c], [ev[0] ?? answered, missed], { asOf: ASOF }));
    expect(neverReached.resolution.denominator).toBe(0);
  });

  it('attributes a case that moved grid to its current grid and community only', () => {
    const c = makeCase({ gridCode: G3, communityCode: C2, scope: G3 });
    const ev = [makeEvent(c, 'note', T0, { movedFrom: G1 })];
    const rows = computeKpis([c], ev, { asOf: ASOF, groupBy: 'grid' });
    expect(rows.map((r) => r.unit)).toEqual([G3]);
  });

  it('derives the community from the grid code when the row has none', () => {
    const c = makeCase({ gridCode: G3, communityCode: null });
    expect(computeKpis([c], [], { asOf: ASOF, groupBy: 'community' })[0]?.unit).toBe(C2);
  });

  it('rejects a bad asOf and a weight outside 0..1', () => {
    expect(() => computeKpis([], [], { asOf: 'soon' })).toThrow(RangeError);
    expect(() => computeKpis([], [], { asOf: ASOF, basicallySatisfiedWeight: 2 })).toThrow(
      RangeError,
    );
  });
});

describe('months (Beijing time) and repeat reduction', () => {
  const P = near(1000);
  const at = (iso: string, category: string, location: [number, number]) =>
    makeCase({ receivedAt: iso, category, location, source: 'hotline' });
  // Feb: m1 first report, m2 repeat → 1/2. Mar: m3 (1 March 01:00 Beijing) repeats m2; m4, m6
  // are new → 1/3. Apr: m5 is 45 days after m3 → 0/1.
  const m1 = at('2026-02-05T02:00:00.000Z', '0303', P);
  const m2 = at('2026-02-10T02:00:00.000Z', '0303', P);
  const m3 = at('2026-02-28T17:00:00.000Z', '0303', near(1010));
  const m4 = at('2026-03-20T02:00:00.000Z', '0404', P);
  const m6 = at('2026-03-25T02:00:00.000Z', '0505', P);
  const m5 = at('2026-04-15T02:00:00.000Z', '0303', P);
  const rows = computeKpis([m1, m2, m3, m4, m5, m6], [], {
    asOf: '2026-05-01T00:00:00.000Z',
    byMonth: true,
  });

  it('puts a case in the Beijing month of receipt', () => {
    expect(rows.map((r) => [r.month, r.caseCount])).toEqual([
      ['2026-02', 2],
      ['2026-03', 3],
      ['2026-04', 1],
    ]);
    expect(rows[1]?.caseIds).toContain(m3.id);
  });

  it('reports the repeat rate per month and its fall against the month before', () => {
    expect(rows.map((r) => r.repeat.value)).toEqual([0.5, 1 / 3, 0]);
    expect(rows[0]?.repeatReduction).toBeNull();
    expect(rows[1]?.repeatReduction).toBeCloseTo(0.5 - 1 / 3, 12);
    expect(rows[2]?.repeatReduction).toBeCloseTo(1 / 3, 12);
  });

  it('steps months back across a year', () => {
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-10')).toBe('2026-09');
  });
});
