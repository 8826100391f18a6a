import type { TimeLimit } from '../domain/rules';
import { HOLIDAY_YEARS, type HolidayYear } from './holidays';

/**
 * Working days and case deadlines on Beijing time (UTC+8 all year, no daylight saving).
 *
 * A limit in hours runs on the clock. A limit of N working days ends at midnight (Beijing)
 * closing the Nth working day after the day of receipt: the day a request arrives does not
 * count, as a request taken in at 17:55 must not lose a day. Weekends are days off except the
 * make-up workdays; holidays are days off even on a weekday.
 */

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

interface Calendar {
  firstYear: number;
  lastYear: number;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Builds the lookup sets from a table of years (exported for tests of new tables). */
export function buildCalendar(years: readonly HolidayYear[]): Calendar {
  if (years.length === 0) throw new Error('the holiday calendar has no years');
  return {
    firstYear: Math.min(...years.map((y) => y.year)),
    lastYear: Math.max(...years.map((y) => y.year)),
    holidays: new Set(years.flatMap((y) => y.holidays.flatMap((h) => eachDay(h.from, h.to)))),
    workdays: new Set(years.flatMap((y) => y.workdays)),
  };
}

const CALENDAR = buildCalendar(HOLIDAY_YEARS);

/** The last year the shipped calendar knows; deadlines after it are estimates. */
export const CALENDAR_LAST_YEAR = CALENDAR.lastYear;

/** `YYYY-MM-DD` of an instant in Beijing. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether a Beijing calendar day is a working day. Outside the table: Monday to Friday. */
export function isWorkday(day: string, calendar: Calendar = CALENDAR): boolean {
  if (calendar.workdays.has(day)) return true;
  if (calendar.holidays.has(day)) return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** A deadline, and whether it was counted past the calendar's last year (so only estimated). */
export interface Deadline {
  at: string;
  beyondCalendar: boolean;
}

/** When a limit starting at `start` runs out. */
export function deadlineAfter(
  start: Date,
  limit: TimeLimit,
  calendar: Calendar = CALENDAR,
): Deadline {
  if (limit.unit === 'hours') {
    const at = new Date(start.getTime() + limit.value * 3_600_000);
    return {
      at: at.toISOString(),
      beyondCalendar: Number(beijingDate(at).slice(0, 4)) > calendar.lastYear,
    };
  }
  // Midnight Beijing at the start of the receipt day, as a UTC instant.
  let dayStart = Date.parse(`${beijingDate(start)}T00:00:00Z`) - BEIJING_OFFSET_MS;
  let left = Math.ceil(limit.value);
  let day = beijingDate(start);
  while (left > 0) {
    dayStart += DAY_MS;
    day = beijingDate(new Date(dayStart));
    if (isWorkday(day, calendar)) left -= 1;
  }
  return {
    at: new Date(dayStart + DAY_MS).toISOString(),
    beyondCalendar: Number(day.slice(0, 4)) > calendar.lastYear,
  };
}
