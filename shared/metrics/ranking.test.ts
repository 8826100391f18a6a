import { describe, expect, it } from 'vitest';
import type { KpiRow, Rate } from './kpis';
import { rankUnits } from './ranking';

const rate = (num: number, den: number): Rate => ({
  numerator: num,
  denominator: den,
  value: den === 0 ? null : num / den,
  caseIds: [],
  numeratorIds: [],
});
const empty = rate(0, 0);
function row(unit: string, response: Rate, hours: number | null = null, count = 0): KpiRow {
  return {
    groupBy: 'community',
    unit,
    month: '2026-03',
    caseCount: response.denominator,
    caseIds: [],
    response,
    resolution: empty,
    satisfaction: empty,
    onTime: empty,
    handlingHours: { value: hours, count, caseIds: [] },
    proactive: empty,
    repeat: response,
    repeatReduction: null,
  };
}

describe('rankUnits', () => {
  const rows = [
    row('A', rate(18, 20), 30, 20), // 0.9
    row('B', rate(19, 20), 50, 20), // 0.95
    row('C', rate(36, 40), 30, 40), // 0.9, tie with A
    row('D', rate(3, 3), 1, 3), // too few
    row('E', rate(10, 20), 80, 20), // 0.5
    row('F', empty), // nothing to rate
  ];

  it('ranks best first, shares ranks on ties, and lists unrated units last', () => {
    const ranked = rankUnits(rows, 'response');
    expect(ranked.map((u) => [u.row.unit, u.rank, u.tied, u.tooFewCases])).toEqual([
      ['B', 1, false, false],
      ['A', 2, true, false],
      ['C', 2, true, false],
      ['E', 4, false, false],
      ['D', null, false, true],
      ['F', null, false, true],
    ]);
    expect(ranked[0]?.value).toBe(0.95);
    expect(ranked[4]?.sample).toBe(3);
  });

  it('puts lower first for handling hours and repeat share', () => {
    expect(rankUnits(rows, 'handlingHours').map((u) => [u.row.unit, u.rank])).toEqual([
      ['A', 1],
      ['C', 1],
      ['B', 3],
      ['E', 4],
      ['D', null],
      ['F', null],
    ]);
    expect(rankUnits(rows, 'repeat')[0]?.row.unit).toBe('E');
  });

  it('takes the minimum sample as an option', () => {
    const ranked = rankUnits(rows, 'response', { minCases: 1 });
    expect(ranked[0]).toMatchObject({ rank: 1, tooFewCases: false });
    expect(ranked[0]?.row.unit).toBe('D');
    expect(rankUnits([], 'response')).toEqual([]);
  });
});
