import type { Household } from '@shared/domain/place';
import type { Resident } from '@shared/domain/people';
import type { GridworkDb } from '../db';

const RELATION_ORDER = [
  'head',
  'spouse',
  'parent',
  'grandparent',
  'child',
  'child-in-law',
  'grandchild',
  'sibling',
  'tenant',
  'other',
];

/** Members of a household, head first. */
export async function residentsOfHousehold(
  db: GridworkDb,
  householdId: string,
): Promise<Resident[]> {
  const rows = await db.residents
    .where('householdId')
    .equals(householdId)
    .filter((r) => !r.deleted)
    .toArray();
  return rows.sort(
    (a, b) =>
      RELATION_ORDER.indexOf(a.relation) - RELATION_ORDER.indexOf(b.relation) ||
      a.birthDate.localeCompare(b.birthDate),
  );
}

export interface ResidentHit {
  resident: Resident;
  household: Household | undefined;
  /** Which key matched, so the list can say why a row is there. */
  matchedBy: 'name' | 'id-tail' | 'phone-tail' | 'address';
}

export type SearchKind = 'tail' | 'text' | 'none';

/** What kind of query the user typed: 4+ trailing digits (ID or phone tail) or text. */
export function classifyQuery(query: string): SearchKind {
  const q = query.trim();
  if (q.length === 0) return 'none';
  return /^\d{3,17}[\dXx]?$/.test(q) && q.length >= 4 ? 'tail' : 'text';
}

/**
 * Finds residents by name prefix, ID-number tail, phone tail or address, using only indexes:
 * every branch is an index range bounded by `limit`, so a keystroke costs the same with 1k or
 * 150k residents. Tails are matched on their last four characters through the index, then
 * narrowed to the full typed tail.
 */
export async function searchResidents(
  db: GridworkDb,
  query: string,
  limit = 200,
): Promise<ResidentHit[]> {
  const q = query.trim();
  const kind = classifyQuery(q);
  if (kind === 'none') return [];
  const hits = new Map<string, Omit<ResidentHit, 'household'>>();
  const add = (rows: Resident[], matchedBy: ResidentHit['matchedBy']) => {
    for (const resident of rows)
      if (!resident.deleted && !hits.has(resident.id))
        hits.set(resident.id, { resident, matchedBy });
  };

  if (kind === 'tail') {
    const tail4 = q.slice(-4).toUpperCase();
    const [byId, byPhone] = await Promise.all([
      db.residents
        .where('_idTail')
        .equals(tail4)
        .filter((r) => (r.idNumber ?? '').toUpperCase().endsWith(q.toUpperCase()))
        .limit(limit)
        .toArray(),
      db.residents
        .where('_phoneTail')
        .equals(tail4)
        .filter((r) => (r.phone ?? '').replace(/\D/g, '').endsWith(q))
        .limit(limit)
        .toArray(),
    ]);
    add(byId, 'id-tail');
    add(byPhone, 'phone-tail');
  } else {
    const [byName, households] = await Promise.all([
      db.residents.where('name').startsWith(q).limit(limit).toArray(),
      db.households.where('_addrKeys').startsWith(q).distinct().limit(limit).toArray(),
    ]);
    add(byName, 'name');
    if (hits.size < limit && households.length > 0) {
      const members = await db.residents
        .where('householdId')
        .anyOf(households.map((h) => h.id))
        .limit(limit - hits.size)
        .toArray();
      add(members, 'address');
    }
  }

  const list = [...hits.values()].slice(0, limit);
  const households = await db.households.bulkGet([
    ...new Set(list.map((h) => h.resident.householdId)),
  ]);
  const byId = new Map(households.filter((h) => h !== undefined).map((h) => [h.id, h]));
  return list.map((hit) => ({ ...hit, household: byId.get(hit.resident.householdId) }));
}
