import type { CaseSource } from '../domain/case';

/**
 * Repeat complaints (重复诉求), the second half of 治理深度: a complaint is a repeat when another
 * case of the same matter category was received within `radiusM` metres in the `windowDays`
 * before it. A street that fixes the cause sees fewer repeats; one that only answers calls does not.
 */

/** Sources in which a resident complains; patrol and 未诉先办 findings are not complaints. */
export const COMPLAINT_SOURCES: ReadonlySet<CaseSource> = new Set(['hotline', 'walk-in', 'online']);

export interface RepeatInput {
  id: string;
  source: CaseSource;
  category: string;
  location: readonly [number, number] | null;
  receivedMs: number;
}

export interface RepeatOptions {
  radiusM: number;
  windowDays: number;
}

export const DEFAULT_REPEAT_OPTIONS: RepeatOptions = { radiusM: 50, windowDays: 30 };

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres between two WGS-84 `[lng, lat]` points. */
export function distanceM(a: readonly [number, number], b: readonly [number, number]): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLng = (b[0] - a[0]) * RAD;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Ids of the complaints that are repeats. Earlier cases of any source count as the first report
 * (a resident calling about what a patrol already logged is still a repeat). Cases are bucketed
 * by category and a square cell of `radiusM`, so each case looks only at its 3×3 neighbour cells
 * within the window: linear in the number of cases for realistic densities.
 */
export function findRepeats(
  cases: readonly RepeatInput[],
  options: RepeatOptions = DEFAULT_REPEAT_OPTIONS,
): Set<string> {
  const windowMs = options.windowDays * 86_400_000;
  const located = cases
    .filter((c): c is RepeatInput & { location: readonly [number, number] } => c.location !== null)
    .sort((a, b) => a.receivedMs - b.receivedMs);
  // Cells at least `radiusM` wide everywhere: one width in degrees for all cases (a per-case
  // width would shift cell indexes), taken at the latitude farthest from the equator.
  const cellLat = options.radiusM / (EARTH_RADIUS_M * RAD);
  const maxLat = located.reduce((m, c) => Math.max(m, Math.abs(c.location[1])), 0);
  const cellLng = cellLat / Math.max(0.01, Math.cos(Math.min(89, maxLat) * RAD));
  // Numeric cell keys (category index, x, y packed below 2^53): string keys cost ~3× more.
  const categoryIndex = new Map<string, number>();
  const cellKey = (category: number, x: number, y: number) =>
    (category * 1_048_576 + (x & 0xfffff)) * 1_048_576 + (y & 0xfffff);
  const cells = new Map<number, { ms: number; at: readonly [number, number] }[]>();
  const repeats = new Set<string>();
  for (const c of located) {
    const [lng, lat] = c.location;
    const x = Math.floor(lng / cellLng);
    const y = Math.floor(lat / cellLat);
    let category = categoryIndex.get(c.category);
    if (category === undefined) {
      category = categoryIndex.size;
      categoryIndex.set(c.category, category);
    }
    if (COMPLAINT_SOURCES.has(c.source)) {
      let found = false;
      for (let dx = -1; dx <= 1 && !found; dx++) {
        for (let dy = -1; dy <= 1 && !found; dy++) {
          const list = cells.get(cellKey(category, x + dx, y + dy));
          if (!list) continue;
          // Lists grow in time order: walk back from the newest until the window closes.
          for (let i = list.length - 1; i >= 0; i--) {
            const prev = list[i];
            if (!prev || prev.ms < c.receivedMs - windowMs) break;
            if (prev.ms < c.receivedMs && distanceM(prev.at, c.location) <= options.radiusM) {
              found = true;
              break;
            }
          }
        }
      }
      if (found) repeats.add(c.id);
    }
    const key = cellKey(category, x, y);
    const list = cells.get(key);
    if (list) list.push({ ms: c.receivedMs, at: c.location });
    else cells.set(key, [{ ms: c.receivedMs, at: c.location }]);
  }
  return repeats;
}
