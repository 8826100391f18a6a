import { describe, expect, it } from 'vitest';
import { collectDemoStreet, rowsOf } from '../demo/collectDemoStreet';
import { caseFacts } from './caseFacts';
import { computeKpis, kpisOfFacts, type KpiRow, type Rate } from './kpis';
import { findRepeats } from './repeats';
import { rankUnits } from './ranking';

// A generated street (≈4.5k cases, 25k events): the KPIs must agree with a naive recount and
// partition exactly across grids, communities and months. Timing is measured outside the tests.
const NOW = '2026-11-29T06:00:00.000Z';
const street = collectDemoStreet({ seed: 11, households: 1500, now: NOW });
const cases = rowsOf(street, 'cases');
const events = rowsOf(street, 'caseEvents');
const facts = caseFacts(cases, events);
const repeats = findRepeats(facts);
const kpis = (groupBy: KpiRow['groupBy'], byMonth = false) =>
  kpisOfFacts(facts, repeats, { asOf: NOW, groupBy, byMonth });
const [all] = kpis('all');

const RATES = ['response', 'resolution', 'satisfaction', 'onTime', 'proactive', 'repeat'] as const;
const sum = (rows: KpiRow[], pick: (r: KpiRow) => Rate) =>
  rows.reduce((s, r) => ({ n: s.n + pick(r).numerator, d: s.d + pick(r).denominator }), {
    n: 0,
    d: 0,
  });

describe('KPIs on a generated street', () => {
  it('has the whole street in one row', () => {
    expect(cases.length).toBeGreaterThan(4000);
    expect(all?.caseCount).toBe(cases.length);
    expect(computeKpis(cases, events, { asOf: NOW })).toEqual(kpis('all'));
  });

  it('agrees with a naive recount of 响应率, 解决率 and 满意率', () => {
    const asOf = Date.parse(NOW);
    const dispatched = new Set(events.filter((e) => e.type === 'dispatched').map((e) => e.caseId));
    // The latest follow-up call that reached the requester, per case (events are in time order).
    const reached = new Map<string, Record<string, unknown>>();
    for (const e of events)
      if (e.type === 'followed-up' && e.data.contacted) reached.set(e.caseId, e.data);
    let rn = 0;
    let rd = 0;
    let sn = 0;
    let sd = 0;
    let vn = 0;
    let vd = 0;
    for (const c of cases) {
      const deadline = Date.parse(c.responseDeadline ?? '');
      const responded = c.respondedAt === null ? null : Date.parse(c.respondedAt);
      if (dispatched.has(c.id) && (responded !== null || deadline <= asOf)) {
        rd++;
        if (responded !== null && responded <= deadline) rn++;
      }
      const f = reached.get(c.id);
      if (typeof f?.resolved === 'boolean') {
        sd++;
        if (f.resolved) sn++;
      }
      if (typeof f?.satisfaction === 'string') {
        vd++;
        if (f.satisfaction !== 'unsatisfied') vn++;
      }
    }
    expect(all?.response).toMatchObject({ numerator: rn, denominator: rd });
    expect(all?.resolution).toMatchObject({ numerator: sn, denominator: sd });
    expect(all?.satisfaction).toMatchObject({ numerator: vn, denominator: vd });
  });

  it('gives rates in the ranges the generator aims for', () => {
    expect(all?.response.value).toBeGreaterThan(0.85);
    expect(all?.resolution.value).toBeGreaterThan(0.8);
    expect(all?.satisfaction.value).toBeGreaterThan(0.8);
    expect(all?.satisfaction.value).toBeLessThan(1);
    expect(all?.onTime.value).toBeGreaterThan(0.7);
    expect(all?.proactive.value).toBeGreaterThan(0.1);
    expect(all?.proactive.value).toBeLessThan(0.35);
    expect(all?.repeat.numerator).toBeGreaterThan(0);
    expect(all?.handlingHours.value).toBeGreaterThan(0);
  });

  it('partitions exactly across grids, communities, streets and months', () => {
    for (const rows of [kpis('grid'), kpis('community'), kpis('street'), kpis('all', true)]) {
      expect(rows.reduce((s, r) => s + r.caseCount, 0)).toBe(cases.length);
      for (const key of RATES) {
        const total = sum(rows, (r) => r[key]);
        expect(total.n).toBeCloseTo(all?.[key].numerator ?? NaN, 9);
        expect(total.d).toBe(all?.[key].denominator);
      }
    }
    const byGridMonth = kpis('grid', true);
    expect(new Set(byGridMonth.map((r) => r.month)).size).toBeGreaterThanOrEqual(12);
    const ids = new Set(byGridMonth.flatMap((r) => r.caseIds));
    expect(ids.size).toBe(cases.length);
  });

  it('groups by lead department exactly the cases that have one', () => {
    const rows = kpis('department');
    const led = cases.filter((c) => c.leadDepartmentId !== null).length;
    expect(rows.reduce((s, r) => s + r.caseCount, 0)).toBe(led);
  });

  it('ranks the communities by 满意率 with every unit listed once', () => {
    const rows = kpis('community');
    const ranked = rankUnits(rows, 'satisfaction');
    expect(ranked).toHaveLength(rows.length);
    const values = ranked.filter((u) => u.rank !== null).map((u) => u.value ?? 0);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });
});
