import { distance } from '@turf/turf';
import type { Case } from '@shared/domain/case';
import type { GridworkDb } from '../../../db/db';
import { stripLocalKeys } from '../../../db/derive';

/** Within how far and how long two cases of one category are probably the same matter. */
export const DUPLICATE_RADIUS_M = 50;
export const DUPLICATE_WINDOW_MS = 30 * 86_400_000;

export interface DuplicateSuggestion {
  case: Case;
  /** Metres between the two locations. */
  distanceM: number;
}

/**
 * Cases that may report the same matter as `c` (for merge or link at intake): the same
 * category, within 50 m, received within 30 days of it, newest first. A case without a
 * location has no neighbours to suggest. Uses the category index, so the scan is one
 * category's cases, not all 150k.
 */
export async function suggestDuplicates(
  db: GridworkDb,
  c: Pick<Case, 'id' | 'category' | 'location' | 'receivedAt'>,
  limit = 20,
): Promise<DuplicateSuggestion[]> {
  const here = c.location;
  if (!here) return [];
  const at = Date.parse(c.receivedAt);
  const hits: DuplicateSuggestion[] = [];
  await db.cases
    .where('category')
    .equals(c.category)
    .each((other) => {
      if (other.id === c.id || other.deleted || !other.location) return;
      if (Math.abs(Date.parse(other.receivedAt) - at) > DUPLICATE_WINDOW_MS) return;
      const distanceM = distance(here, other.location, { units: 'meters' });
      if (distanceM <= DUPLICATE_RADIUS_M) hits.push({ case: stripLocalKeys(other), distanceM });
    });
  hits.sort((a, b) => b.case.receivedAt.localeCompare(a.case.receivedAt));
  return hits.slice(0, limit);
}
