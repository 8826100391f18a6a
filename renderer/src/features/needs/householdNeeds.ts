import type { Need, NeedEvent } from '@shared/domain/need';
import { isFinalNeedStatus } from '@shared/needs/transitions';
import type { GridworkDb } from '../../db/db';
import { stripLocalKeys } from '../../db/derive';
import { eventsOfNeeds } from '../visits/visits';

/** A need with its status history (oldest first), as the household's need panel shows it. */
export interface NeedWithEvents {
  need: Need;
  events: NeedEvent[];
}

const URGENCY_RANK: Readonly<Record<Need['urgency'], number>> = {
  urgent: 0,
  high: 1,
  normal: 2,
  low: 3,
};

/**
 * The order of the panel: needs still moving before finished ones (已回访), then the most urgent,
 * then the newest. A worker opens a household to act on what is open.
 */
export function compareNeeds(a: Need, b: Need): number {
  return (
    Number(isFinalNeedStatus(a.status)) - Number(isFinalNeedStatus(b.status)) ||
    URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] ||
    b.createdAt.localeCompare(a.createdAt)
  );
}

/** A household's live needs, each with its events, in {@link compareNeeds} order. */
export async function needsOfHousehold(
  db: GridworkDb,
  householdId: string,
): Promise<NeedWithEvents[]> {
  const needs = (await db.needs.where('householdId').equals(householdId).toArray())
    .filter((n) => !n.deleted)
    .map((n) => stripLocalKeys<'needs'>(n))
    .sort(compareNeeds);
  const events = await eventsOfNeeds(
    db,
    needs.map((n) => n.id),
  );
  const byNeed = new Map<string, NeedEvent[]>();
  for (const event of events) {
    const list = byNeed.get(event.needId) ?? [];
    list.push(event);
    byNeed.set(event.needId, list);
  }
  return needs.map((need) => ({ need, events: byNeed.get(need.id) ?? [] }));
}
