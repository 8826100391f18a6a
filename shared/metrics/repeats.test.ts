import { describe, expect, it } from 'vitest';
import type { CaseSource } from '../domain/case';
import { near } from './fixtures.test-helpers';
import { distanceM, findRepeats, type RepeatInput } from './repeats';

const DAY = 86_400_000;
const T = Date.parse('2026-03-01T00:00:00.000Z');
let n = 0;
const c = (
  dayOffset: number,
  location: [number, number] | null,
  category = '0102',
  source: CaseSource = 'hotline',
): RepeatInput => ({ id: `c${++n}`, source, category, location, receivedMs: T + dayOffset * DAY });

describe('distanceM', () => {
  it('measures metres on the ground', () => {
    expect(distanceM(near(0), near(50))).toBeCloseTo(50, 0);
    expect(distanceM(near(0), near(30, 40))).toBeCloseTo(50, 0);
    expect(distanceM(near(0), near(0))).toBe(0);
  });
});

describe('findRepeats', () => {
  it('flags a complaint with an earlier same-category case within 50 m and 30 days', () => {
    const first = c(0, near(0));
    const again = c(29.9, near(49));
    expect([...findRepeats([again, first])]).toEqual([again.id]);
  });

  it('does not flag past 50 m, past 30 days, another category, or the same instant', () => {
    const first = c(0, near(0));
    const far = c(1, near(51));
    const late = c(30.01, near(0, 10));
    const other = c(2, near(0), '0201');
    const same = c(0, near(0, -1));
    expect(findRepeats([first, far, late, other, same]).size).toBe(0);
  });

  it('finds neighbours across cell edges in every direction', () => {
    for (const [e, north] of [
      [40, 0],
      [-40, 0],
      [0, 40],
      [0, -40],
      [28, 28],
      [-28, -28],
    ] as const) {
      const first = c(0, near(500 + e, 500 + north));
      const again = c(1, near(500, 500));
      expect(findRepeats([first, again]).has(again.id)).toBe(true);
    }
  });

  it('counts any earlier source as the first report, but only complaints as repeats', () => {
    const patrol = c(0, near(0), '0102', 'patrol');
    const call = c(1, near(0));
    const proactive = c(2, near(0), '0102', 'proactive');
    const walkIn = c(3, near(0), '0102', 'walk-in');
    const repeats = findRepeats([patrol, call, proactive, walkIn]);
    expect([...repeats].sort()).toEqual([call.id, walkIn.id].sort());
  });

  it('skips cases without a location', () => {
    expect(findRepeats([c(0, null), c(1, null)]).size).toBe(0);
  });

  it('honours other radius and window options', () => {
    const first = c(0, near(0));
    const again = c(5, near(90));
    expect(findRepeats([first, again]).size).toBe(0);
    expect(findRepeats([first, again], { radiusM: 100, windowDays: 7 }).has(again.id)).toBe(true);
    expect(findRepeats([first, again], { radiusM: 100, windowDays: 4 }).size).toBe(0);
  });
});
