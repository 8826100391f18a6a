import { distance } from '@turf/turf';
import type { Case } from '@shared/domain/case';
import type { GridworkDb } from '../../../db/db';
import { stripLocalKeys } from '../../../db/derive';

/** Within how far and how long two cases of one category are probably the same matter. */
export const DUPLICATE_RADIUS_M = 50;
export const DUPLICATE_WINDOW_MS = 30 * 86_400_000;

export interface DuplicateSuggestion {
  case: Case;
  /** Metres between the two locations (to the nearby duplicate, when `via` is set). */
  distanceM: number;
  /** The nearby case, merged into `case`, that led to it (合并办理); null when `case` is near. */
  via: Case | null;
}

/** How many merges are followed from a nearby duplicate to the case that handles it. */
const MAX_MERGE_HOPS = 5;

/**
 * Cases that may report the same matter as `c` (for merge or link at intake and on a case): the
 * same category, within 50 m, received within 30 days of it, in its street when `streetCode` is
 * given, newest first. A nearby case merged into another stands for that main case, where the
 * matter is handled (once per main case, and never `c` itself). A case without a location has
 * no neighbours to suggest. Uses the category index, so the scan is one category's cases, not
 * all 150k.
 */
export async function suggestDuplicates(
  db: GridworkDb,
  c: Pick<Case, 'id' | 'category' | 'location' | 'receivedAt'> & Partial<Pick<Case, 'streetCode'>>,
  limit = 20,
): Promise<DuplicateSuggestion[]> {
  const here = c.location;
  if (!here) return [];
  const at = Date.parse(c.receivedAt);
  const near: { case: Case; distanceM: number }[] = [];
  await db.cases
    .where('category')
    .equals(c.category)
    .each((other) => {
      if (other.id === c.id || other.deleted || !other.location) return;
      if (c.streetCode !== undefined && other.streetCode !== c.streetCode) return;
      if (Math.abs(Date.parse(other.receivedAt) - at) > DUPLICATE_WINDOW_MS) return;
      const distanceM = distance(here, other.location, { units: 'meters' });
      if (distanceM <= DUPLICATE_RADIUS_M) near.push({ case: stripLocalKeys(other), distanceM });
    });
  const byCase = new Map<string, DuplicateSuggestion>();
  for (const hit of near) {
    const main = await mainCaseOf(db, hit.case);
    if (main.id === c.id) continue;
    const via = main.id === hit.case.id ? null : hit.case;
    const seen = byCase.get(main.id);
    // The case itself nearby beats a duplicate of it; otherwise the nearest duplicate.
    if (!seen || (seen.via !== null && (via === null || hit.distanceM < seen.distanceM)))
      byCase.set(main.id, { case: main, distanceM: hit.distanceM, via });
  }
  const hits = [...byCase.values()];
  hits.sort((a, b) => b.case.receivedAt.localeCompare(a.case.receivedAt));
  return hits.slice(0, limit);
}

/** The case a merged case was merged into, followed to the end (or as far as this device knows). */
async function mainCaseOf(db: GridworkDb, c: Case): Promise<Case> {
  let current = c;
  for (let hop = 0; hop < MAX_MERGE_HOPS && current.mergedIntoId; hop += 1) {
    const main = await db.cases.get(current.mergedIntoId);
    if (!main || main.deleted) break;
    current = stripLocalKeys(main);
  }
  return current;
}
