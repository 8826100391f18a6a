import { describe, expect, it } from 'vitest';
import { addDays, checkPeriod, datedStatus, periodsOverlap } from './datedRows';

const TODAY = '2026-03-10';

describe('dates', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });

  it('tells past, current and future periods apart, both ends inclusive', () => {
    expect(datedStatus({ effectiveFrom: '2026-01-01', effectiveTo: '2026-03-09' }, TODAY)).toBe(
      'past',
    );
    expect(datedStatus({ effectiveFrom: '2026-01-01', effectiveTo: TODAY }, TODAY)).toBe('current');
    expect(datedStatus({ effectiveFrom: TODAY, effectiveTo: null }, TODAY)).toBe('current');
    expect(datedStatus({ effectiveFrom: '2026-03-11', effectiveTo: null }, TODAY)).toBe('future');
  });

  it('finds overlapping periods, open ends included', () => {
    const a = { effectiveFrom: '2026-01-01', effectiveTo: '2026-01-31' };
    expect(periodsOverlap(a, { effectiveFrom: '2026-01-31', effectiveTo: null })).toBe(true);
    expect(periodsOverlap(a, { effectiveFrom: '2026-02-01', effectiveTo: null })).toBe(false);
    expect(periodsOverlap({ effectiveFrom: '2020-01-01', effectiveTo: null }, a)).toBe(true);
  });
});

describe('checkPeriod', () => {
  it('names the field of a bad date or an end before the start', () => {
    const ok = { effectiveFrom: TODAY, effectiveTo: TODAY };
    expect(checkPeriod(ok, 'from', 'to')).toEqual([]);
    expect(checkPeriod({ effectiveFrom: '2026-02-30', effectiveTo: null }, 'from', 'to')).toEqual([
      { field: 'from', key: 'date' },
    ]);
    expect(checkPeriod({ effectiveFrom: TODAY, effectiveTo: '2026-03-09' }, 'from', 'to')).toEqual([
      { field: 'to', key: 'toBeforeFrom' },
    ]);
  });
});
