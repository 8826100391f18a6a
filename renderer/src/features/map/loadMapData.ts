import { SPECIAL_GROUPS } from '@shared/catalogs/specialGroups';
import type { GridworkDb } from '../../db/db';
import type { MapRecords } from './mapData';

/**
 * Reads what the map draws from the local database: whole tables for org units, buildings, households,
 * cases and needs (the map shows all of them; ~200k rows on a street desktop, read in parallel),
 * and, only for a role that may see special groups, the tagged residents (by the multi-entry
 * `tags` index) and their households' visits (by `householdId`). Deleted rows are dropped later,
 * by `buildMapFeatures`.
 */
export async function loadMapRecords(
  db: GridworkDb,
  seesSpecialGroups: boolean,
): Promise<MapRecords> {
  const codes = SPECIAL_GROUPS.map((g) => g.code);
  const [orgUnits, buildings, households, cases, needs, taggedResidents] = await Promise.all([
    db.orgUnits.toArray(),
    db.buildings.toArray(),
    db.households.toArray(),
    db.cases.toArray(),
    db.needs.toArray(),
    seesSpecialGroups
      ? db.residents.where('tags').anyOf(codes).distinct().toArray()
      : Promise.resolve([]),
  ]);
  const lastVisits = new Map<string, string>();
  const ids = [...new Set(taggedResidents.map((r) => r.householdId))];
  if (ids.length > 0)
    for (const v of await db.visits.where('householdId').anyOf(ids).toArray()) {
      if (v.deleted) continue;
      const seen = lastVisits.get(v.householdId);
      if (!seen || v.visitedAt > seen) lastVisits.set(v.householdId, v.visitedAt);
    }
  return { orgUnits, buildings, households, cases, needs, taggedResidents, lastVisits };
}
