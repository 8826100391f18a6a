import { describe, expect, it } from 'vitest';
import { C1, C2, G1, G3, makeCase, makeEvent } from '@shared/metrics/fixtures.test-helpers';
import { drillIds, formatMetric, metricCell, monthRows, monthsOf, rankRows } from './reportRows';

const AS_OF = new Date('2026-04-30T00:00:00.000Z');

function followedUp(gridCode: string, satisfaction: 'satisfied' | 'unsatisfied') {
  const c = makeCase({
    gridCode,
    communityCode: gridCode.slice(0, 12),
    status: 'followed-up',
    resolvedAt: '2026-03-03T00:00:00.000Z',
    followUp: {
      contacted: true,
      resolved: satisfaction === 'satisfied',
      satisfaction,
      at: '2026-03-04T00:00:00.000Z',
      note: '',
    },
  });
  return { c, e: makeEvent(c, 'followed-up', '2026-03-04T00:00:00.000Z') };
}

describe('reportRows', () => {
  const rows = [
    followedUp(G1, 'satisfied'),
    followedUp(G1, 'satisfied'),
    followedUp(G3, 'unsatisfied'),
    followedUp(G3, 'satisfied'),
  ];
  const cases = rows.map((r) => r.c);
  const events = rows.map((r) => r.e);
  const april = makeCase({ receivedAt: '2026-04-02T01:00:00.000Z' });

  it('lists the months with cases, newest first', () => {
    expect(monthsOf([...cases, april])).toEqual(['2026-04', '2026-03']);
  });

  it('ranks communities by satisfaction for one month and drills into the cases', () => {
    const month = monthRows([...cases, april], events, 'community', '2026-03', AS_OF);
    expect(month.map((r) => r.unit).sort()).toEqual([C1, C2]);
    const ranked = rankRows(month, 'satisfaction', 1);
    expect(ranked.map((u) => [u.row.unit, u.rank])).toEqual([
      [C1, 1],
      [C2, 2],
    ]);
    const second = ranked[1];
    if (!second) throw new Error('no second unit');
    expect(metricCell(second.row, 'satisfaction')).toMatchObject({ numerator: 1, denominator: 2 });
    expect(drillIds(second.row, 'satisfaction', 'denominator')).toHaveLength(2);
    expect(drillIds(second.row, 'satisfaction', 'numerator')).toEqual([rows[3]?.c.id]);
    expect(formatMetric('satisfaction', second.value)).toBe('50.0%');
    expect(formatMetric('handlingHours', 12.345)).toBe('12.3');
    expect(formatMetric('response', null)).toBe('—');
  });
});
