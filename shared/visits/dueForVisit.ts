import { z } from 'zod';
import { SPECIAL_GROUPS } from '../catalogs/specialGroups';
import { parseHlc } from '../sync/hlc';

/**
 * 待走访: which special-group households are due for a visit, and how overdue.
 *
 * THE RULE
 * - Only residents who still live in the household count: `status` 'active' and not deleted.
 *   A deceased or moved-out resident's tags are ignored (the household may drop off the list).
 * - A tag counts when the special-group catalogue knows it or an override names it; its interval
 *   is the override if there is one, else the catalogue's `visitIntervalDays`.
 * - A household's interval is the SHORTEST among its counting members' tags: a household with a
 *   living-alone elder (7 days) and a left-behind child (30) is visited weekly.
 * - Visited households are due at `lastVisitAt + interval`. A visit exactly `interval` days ago
 *   is still within the interval (not due); one millisecond later it is due.
 * - Never-visited households are due since the tag applies (`taggedSince` of the member whose tag
 *   gives the interval, earliest if several): a newly registered 独居老人 is visited at once,
 *   not a week later.
 * - Days overdue are whole 24-hour days past the due instant, rounded up: due 1 hour ago counts
 *   as 1 day. Days are 24 h of UTC instants, not calendar days, so the result is the same in
 *   every time zone.
 * - Sorted most overdue first (earliest due instant), ties by household id, so the list is stable.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Per-tag interval overrides in days, as a community configures them (db.meta). */
export const IntervalOverridesSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/),
  z.int().min(1).max(366),
);
export type IntervalOverrides = z.infer<typeof IntervalOverridesSchema>;

/** A member of a household, as far as the rule needs. */
export interface DueResident {
  id: string;
  status: 'active' | 'moved-out' | 'deceased';
  deleted?: boolean;
  tags: readonly string[];
  /** When the resident's tags were last set (ISO instant); see `tagsSinceOf`. */
  taggedSince: string;
}

/** A household with its members and its latest visit. */
export interface DueHouseholdInput {
  householdId: string;
  residents: readonly DueResident[];
  /** ISO instant of the latest (non-deleted) visit, null if never visited. */
  lastVisitAt: string | null;
}

/** One household that is due, with why. */
export interface DueHousehold {
  householdId: string;
  /** The counting special-group tags of its members, distinct, in catalogue order. */
  tags: string[];
  /** The shortest interval among those tags, in days. */
  intervalDays: number;
  lastVisitAt: string | null;
  /** ISO instant from which the household has been due. */
  dueAt: string;
  /** Whole days (rounded up) since `dueAt`; 0 only for a never-visited household tagged now. */
  daysOverdue: number;
}

const CATALOG_ORDER = new Map(SPECIAL_GROUPS.map((g, i) => [g.code, i]));
const CATALOG_INTERVAL = new Map(SPECIAL_GROUPS.map((g) => [g.code, g.visitIntervalDays]));

/** The interval of one tag: override, else catalogue, else undefined (tag not a special group). */
export function intervalOf(tag: string, overrides: IntervalOverrides = {}): number | undefined {
  return overrides[tag] ?? CATALOG_INTERVAL.get(tag);
}

/**
 * When a resident's tags were set: the clock of the `tags` field if it was edited after
 * creation, else the record's creation clock (DESIGN §5.2 field clocks). Good enough for "due
 * since the tag applies": the register has no separate tag-history table.
 */
export function tagsSinceOf(resident: { hlc: string; clocks?: Record<string, string> }): string {
  const clock = resident.clocks?.tags ?? resident.hlc;
  return new Date(parseHlc(clock).ms).toISOString();
}

/** Applies the rule to one household; null when it has no counting tag or is not due. */
export function dueStatus(
  household: DueHouseholdInput,
  now: Date,
  overrides: IntervalOverrides = {},
): DueHousehold | null {
  let intervalDays = Infinity;
  let taggedSince = Infinity;
  const tags = new Set<string>();
  for (const resident of household.residents) {
    if (resident.deleted || resident.status !== 'active') continue;
    const since = Date.parse(resident.taggedSince);
    for (const tag of resident.tags) {
      const days = intervalOf(tag, overrides);
      if (days === undefined) continue;
      tags.add(tag);
      if (days < intervalDays) {
        intervalDays = days;
        taggedSince = since;
      } else if (days === intervalDays) {
        taggedSince = Math.min(taggedSince, since);
      }
    }
  }
  if (tags.size === 0) return null;
  const dueMs =
    household.lastVisitAt === null
      ? taggedSince
      : Date.parse(household.lastVisitAt) + intervalDays * DAY_MS;
  const overdueMs = now.getTime() - dueMs;
  if (household.lastVisitAt !== null && overdueMs <= 0) return null;
  return {
    householdId: household.householdId,
    tags: [...tags].sort(
      (a, b) =>
        (CATALOG_ORDER.get(a) ?? Infinity) - (CATALOG_ORDER.get(b) ?? Infinity) ||
        a.localeCompare(b),
    ),
    intervalDays,
    lastVisitAt: household.lastVisitAt,
    dueAt: new Date(dueMs).toISOString(),
    daysOverdue: Math.max(0, Math.ceil(overdueMs / DAY_MS)),
  };
}

/** The households due for a visit, most overdue first. See the rule above. */
export function dueForVisit(
  households: readonly DueHouseholdInput[],
  now: Date,
  overrides: IntervalOverrides = {},
): DueHousehold[] {
  const due: DueHousehold[] = [];
  for (const household of households) {
    const status = dueStatus(household, now, overrides);
    if (status) due.push(status);
  }
  return due.sort(
    (a, b) => a.dueAt.localeCompare(b.dueAt) || a.householdId.localeCompare(b.householdId),
  );
}
