import { v7 } from 'uuid';
import type { SyncedBase } from '../domain/common';
import { formatHlc } from '../sync/hlc';
import type { Rng } from './rng';

/** HLC node id of every demo record, so synced demo data is recognisable in any changelog. */
export const DEMO_NODE = 'demo';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Makes record ids and sync envelopes from one random stream. Ids are UUIDv7 whose time part is the
 * record's creation time, so ids sort like the records were really made over the demo's months.
 */
export class RecordFactory {
  private readonly random = new Uint8Array(16);

  constructor(private readonly rng: Rng) {}

  id(ms: number): string {
    return v7({ msecs: ms, random: this.rng.bytes16(this.random) });
  }

  /** Envelope of a record created at `createdMs` and last written at `updatedMs`. */
  envelope(
    scope: string,
    createdMs: number,
    updatedMs = createdMs,
    id = this.id(createdMs),
  ): SyncedBase & { deleted: false } {
    return {
      id,
      scope,
      createdAt: iso(createdMs),
      updatedAt: iso(updatedMs),
      deleted: false,
      hlc: formatHlc({ ms: updatedMs, counter: 0, node: DEMO_NODE }),
    };
  }
}

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
// Day number → `YYYY-MM-DDT`; a demo spans a few hundred days, so this stays small.
const dayPrefixes = new Map<number, string>();
const beijingDates = new Map<number, string>();

/**
 * ISO instant in UTC (`…Z`), what InstantSchema accepts. Same output as `toISOString()` for the
 * years the demo uses, several times faster: a million timestamps are formatted per generated
 * street, and the date part comes from a small per-day cache.
 */
export function iso(msFloat: number): string {
  const ms = Math.floor(msFloat);
  const day = Math.floor(ms / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY;
  const h = Math.floor(rest / HOUR);
  rest -= h * HOUR;
  const m = Math.floor(rest / MINUTE);
  rest -= m * MINUTE;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  const milliText = milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : String(milli);
  return `${prefix}${TWO[h] ?? '00'}:${TWO[m] ?? '00'}:${TWO[s] ?? '00'}.${milliText}Z`;
}

/** `YYYY-MM-DD` of an instant in Beijing time (UTC+8, no daylight saving since 1991). */
export function beijingDate(ms: number): string {
  const day = Math.floor((ms + 8 * HOUR) / DAY);
  let date = beijingDates.get(day);
  if (date === undefined) {
    date = new Date(day * DAY).toISOString().slice(0, 10);
    beijingDates.set(day, date);
  }
  return date;
}

/** Hour of day (0–23) in Beijing time. */
export function beijingHour(ms: number): number {
  return new Date(ms + 8 * HOUR).getUTCHours();
}

/**
 * A record's own fields, without the envelope. Row literals are written
 * `Object.assign(factory.envelope(…), { … } satisfies Fields<Resident>)`: `satisfies` keeps enum
 * literals typed, and assigning onto the fresh envelope is ~20× faster in V8 than
 * `{ ...envelope, … }` for a million rows.
 */
export type Fields<T> = Omit<T, keyof SyncedBase>;
