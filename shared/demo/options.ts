import { DAY } from './envelope';

/** 和平里街道, 东城区: an old 1950s–90s residential street of 20 communities, ~4.9 km². */
export const DEFAULT_DEMO_STREET = '110101010000';

/** What to generate. The same options always give byte-identical output. */
export interface DemoOptions {
  /** Seed of every random stream. */
  seed: number;
  /** Households in the street (DESIGN §9 target: ~50k). */
  households: number;
  /** Average residents per household, vacant ones included (default 3). */
  residentsPerHousehold?: number;
  /** 12345 and patrol cases per household over `months` (default 3). */
  casesPerHousehold?: number;
  /** Months of history before `now` for cases, visits and needs (default 12). */
  months?: number;
  /** The reference "today" as an ISO instant; required so output never depends on the clock. */
  now: string;
  /** 12-digit code of the street to build on (default 和平里街道 `110101010000`). */
  streetCode?: string;
}

/** Options with defaults applied and the instants they imply. */
export interface ResolvedOptions {
  seed: number;
  households: number;
  residentsPerHousehold: number;
  casesPerHousehold: number;
  months: number;
  streetCode: string;
  nowMs: number;
  /** Start of the history window: `now − months`. */
  startMs: number;
}

/** Checks and completes options; throws RangeError with a readable message on bad input. */
export function resolveOptions(opts: DemoOptions): ResolvedOptions {
  const residentsPerHousehold = opts.residentsPerHousehold ?? 3;
  const casesPerHousehold = opts.casesPerHousehold ?? 3;
  const months = opts.months ?? 12;
  const streetCode = opts.streetCode ?? DEFAULT_DEMO_STREET;
  const nowMs = Date.parse(opts.now);
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError('seed must be an integer');
  if (!Number.isInteger(opts.households) || opts.households < 1 || opts.households > 500_000) {
    throw new RangeError('households must be an integer from 1 to 500000');
  }
  if (!(residentsPerHousehold >= 0 && residentsPerHousehold <= 8)) {
    throw new RangeError('residentsPerHousehold must be from 0 to 8');
  }
  if (!(casesPerHousehold >= 0 && casesPerHousehold <= 50)) {
    throw new RangeError('casesPerHousehold must be from 0 to 50');
  }
  if (!Number.isInteger(months) || months < 1 || months > 120) {
    throw new RangeError('months must be an integer from 1 to 120');
  }
  if (!/Z$/.test(opts.now) || Number.isNaN(nowMs) || nowMs < Date.UTC(2000, 0, 1)) {
    throw new RangeError(
      'now must be an ISO UTC instant after 2000, e.g. 2026-11-29T06:00:00.000Z',
    );
  }
  if (!/^\d{12}$/.test(streetCode)) throw new RangeError('streetCode must have 12 digits');
  return {
    seed: opts.seed,
    households: opts.households,
    residentsPerHousehold,
    casesPerHousehold,
    months,
    streetCode,
    nowMs,
    startMs: nowMs - Math.round(months * 30.4375 * DAY),
  };
}
