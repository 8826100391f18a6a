import { describe, expect, it } from 'vitest';
import { HOLIDAY_YEARS } from './holidays';
import {
  CALENDAR_LAST_YEAR,
  beijingDate,
  buildCalendar,
  deadlineAfter,
  isWorkday,
} from './workdays';

/** 09:30 Beijing on a day, as an instant. */
const beijing = (day: string, time = '09:30') => new Date(`${day}T${time}:00+08:00`);

describe('the holiday table', () => {
  it.each(HOLIDAY_YEARS)(
    '$year: ranges in order, inside the year, make-up days on weekends',
    (y) => {
      let previous = '';
      for (const h of y.holidays) {
        expect(h.from <= h.to, h.name).toBe(true);
        expect(h.from > previous, `${h.name} overlaps or is out of order`).toBe(true);
        expect(h.from.startsWith(String(y.year)) && h.to.startsWith(String(y.year))).toBe(true);
        previous = h.to;
      }
      for (const day of y.workdays) {
        expect([0, 6]).toContain(new Date(`${day}T00:00:00Z`).getUTCDay());
        expect(day.startsWith(String(y.year))).toBe(true);
      }
    },
  );

  it('holds 2025 and 2026', () => {
    expect(HOLIDAY_YEARS.map((y) => y.year)).toEqual([2025, 2026]);
    expect(CALENDAR_LAST_YEAR).toBe(2026);
  });
});

describe('isWorkday', () => {
  it('follows the State Council notices', () => {
    expect(isWorkday('2026-02-16')).toBe(false); // 春节, a Monday
    expect(isWorkday('2026-02-14')).toBe(true); // 调休上班, a Saturday
    expect(isWorkday('2026-02-28')).toBe(true);
    expect(isWorkday('2026-10-08')).toBe(true); // first workday after 国庆 (7 days in 2026)
    expect(isWorkday('2025-10-08')).toBe(false); // 8 days in 2025
    expect(isWorkday('2025-10-11')).toBe(true); // Saturday, 调休上班
    expect(isWorkday('2026-11-28')).toBe(false); // an ordinary Saturday
    expect(isWorkday('2026-11-30')).toBe(true); // an ordinary Monday
  });
});

describe('deadlineAfter', () => {
  it('counts hours on the clock, holidays included', () => {
    const d = deadlineAfter(beijing('2026-02-14', '10:00'), { value: 24, unit: 'hours' });
    expect(d).toEqual({ at: beijing('2026-02-15', '10:00').toISOString(), beyondCalendar: false });
  });

  it('ends at midnight after the Nth working day, not counting the day of receipt', () => {
    // Monday 30 Nov 2026 → Tue, Wed, Thu = 3 working days → midnight ending Thursday.
    const d = deadlineAfter(beijing('2026-11-30', '17:55'), { value: 3, unit: 'workdays' });
    expect(d.at).toBe(beijing('2026-12-04', '00:00').toISOString());
  });

  it('skips the Spring Festival and counts its make-up Saturday', () => {
    // Fri 13 Feb 2026: Sat 14 (调休, 1), 15–23 off, Tue 24 (2), Wed 25 (3).
    const d = deadlineAfter(beijing('2026-02-13'), { value: 3, unit: 'workdays' });
    expect(d.at).toBe(beijing('2026-02-26', '00:00').toISOString());
    expect(d.beyondCalendar).toBe(false);
  });

  it('uses the Beijing date even when the UTC date differs', () => {
    // 01:00 Beijing on Monday 30 Nov is still Sunday 29 Nov in UTC.
    const start = beijing('2026-11-30', '01:00');
    expect(beijingDate(start)).toBe('2026-11-30');
    expect(deadlineAfter(start, { value: 1, unit: 'workdays' }).at).toBe(
      beijing('2026-12-02', '00:00').toISOString(),
    );
  });

  it('flags deadlines counted past the last year of the calendar', () => {
    const d = deadlineAfter(beijing('2026-12-28'), { value: 5, unit: 'workdays' });
    expect(d.beyondCalendar).toBe(true);
    expect(
      deadlineAfter(beijing('2026-12-01'), { value: 5, unit: 'workdays' }).beyondCalendar,
    ).toBe(false);
  });

  it('reads a newly added year', () => {
    const calendar = buildCalendar([
      ...HOLIDAY_YEARS,
      {
        year: 2027,
        source: 'test',
        holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }],
        workdays: [],
      },
    ]);
    expect(isWorkday('2027-01-01', calendar)).toBe(false);
    expect(deadlineAfter(beijing('2026-12-28'), { value: 5, unit: 'workdays' }, calendar)).toEqual({
      at: beijing('2027-01-06', '00:00').toISOString(), // Tue 29, Wed 30, Thu 31, Mon 4, Tue 5
      beyondCalendar: false,
    });
  });
});
