import { v7 as uuidv7 } from 'uuid';
import { needCategory } from '@shared/catalogs/needCategories';
import { SPECIAL_GROUPS } from '@shared/catalogs/specialGroups';
import type { Need, NeedEvent } from '@shared/domain/need';
import type { Resident } from '@shared/domain/people';
import type { Household } from '@shared/domain/place';
import { type Attachment, type Visit, VisitSchema } from '@shared/domain/visit';
import { INITIAL_NEED_STATUS } from '@shared/needs/transitions';
import {
  type DueHousehold,
  type DueHouseholdInput,
  type IntervalOverrides,
  IntervalOverridesSchema,
  dueForVisit,
  tagsSinceOf,
} from '@shared/visits/dueForVisit';
import type { GridworkDb } from '../../db/db';
import { stripLocalKeys } from '../../db/derive';
import { type Actor, type AnyChange, WriteError, commitChanges } from '../../db/write';
import { storeBlob } from '../../sync/attachments';
import {
  type ChangeLine,
  type HouseholdChange,
  HouseholdChangeError,
  planHouseholdChanges,
} from './householdChanges';
import { inlinePhotoPreparer, type PhotoPreparer } from './photoPreparer';
import { type PreparedPhoto, preparedName } from './photos';

/** A photo as picked from disk, before `preparePhoto`. */
export interface PickedPhoto {
  name: string;
  mime: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** A need found on the visit; its layer follows from the category. */
export interface NewNeed {
  /** A leaf (4-digit) code of NEED_CATEGORIES. */
  category: string;
  urgency: Need['urgency'];
  description: string;
  residentId?: string | null;
}

export interface NewVisit {
  household: Household;
  visitorName: string;
  method: Visit['method'];
  findings: string;
  photos: PickedPhoto[];
  needs?: NewNeed[];
  /** Changes to the household seen on the visit, applied with it (see `householdChanges`). */
  changes?: HouseholdChange[];
  /** Where the visit took place (WGS-84), picked on the map; default: the household's location. */
  location?: [number, number] | null;
}

export interface RecordVisitOptions {
  /**
   * Called before the first and after each prepared photo (done of total), for a progress bar.
   * Awaited, so a UI can let the new progress be painted before the next photo starts.
   */
  onPhotoProgress?: (done: number, total: number) => void | Promise<void>;
  /**
   * Prepares each photo; the renderer passes `workerPhotoPreparer()` so the UI thread stays
   * free. Default: on this thread, JPEG only.
   */
  preparePhoto?: PhotoPreparer;
  wallClock?: () => number;
  /**
   * Words for the household changes, appended to the findings so the visit itself says what
   * changed (the Visit schema has no field for it). The renderer passes its i18n; without one a
   * terse code-like form is used.
   */
  summarizeChanges?: (lines: ChangeLine[]) => string;
}

/** Visit.findings' limit (shared/domain/visit.ts). */
const FINDINGS_MAX = 4000;

function plainSummary(lines: ChangeLine[]): string {
  return lines
    .map((line) => {
      const { kind, ...rest } = line;
      const values = Object.entries(rest)
        .filter(([key]) => key !== 'name' || !('masked' in rest))
        .map(([, value]) => String(value));
      return [kind, ...values].join(' ');
    })
    .join('; ');
}

/** The findings with the change summary after a blank line; the summary is cut to fit. */
function withSummary(findings: string, summary: string): string {
  if (summary === '') return findings;
  const separator = findings === '' ? '' : '\n\n';
  const room = FINDINGS_MAX - findings.length - separator.length;
  if (room <= 1) return findings;
  const fitted = summary.length <= room ? summary : `${summary.slice(0, room - 1)}…`;
  return `${findings}${separator}${fitted}`;
}

/**
 * Records a visit with its photos, the needs found and the household changes seen. Needs and
 * changes are checked and photos are resized and stripped of EXIF (GPS!) by `preparePhoto`
 * FIRST, so a wrong field or a broken photo refuses the whole visit before anything is written.
 * Every record then goes through ONE `commitChanges` batch (so each syncs, and all of it is
 * stored or none); photo bytes are kept on the device under their hash and uploaded by the next
 * sync round. Each need gets its first NeedEvent (none → identified).
 * @throws HouseholdChangeError when a household change cannot be applied.
 */
export async function recordVisit(
  db: GridworkDb,
  actor: Actor,
  visit: NewVisit,
  options: RecordVisitOptions = {},
): Promise<Visit> {
  const wallClock = options.wallClock ?? Date.now;
  const needs = visit.needs ?? [];
  // Check needs before writing too: a half-recorded visit is worse than a refused one.
  const layered = needs.map((need) => {
    const category = needCategory(need.category);
    if (!category || category.parent === null)
      throw new WriteError('validation', `need category ${need.category} is not a leaf category`, [
        { path: 'category', message: 'pick a sub-category' },
      ]);
    return { ...need, layer: category.layer };
  });
  const plan = await planHouseholdChanges(
    db,
    visit.household,
    visit.changes ?? [],
    new Date(wallClock()),
  );
  if (plan.issues.length > 0) throw new HouseholdChangeError(plan.issues);
  const summary =
    plan.lines.length === 0 ? '' : (options.summarizeChanges ?? plainSummary)(plan.lines);
  const prepare = options.preparePhoto ?? inlinePhotoPreparer();
  const prepared: (PreparedPhoto & { name: string })[] = [];
  await options.onPhotoProgress?.(0, visit.photos.length);
  for (const photo of visit.photos) {
    const result = await prepare(photo.bytes, photo.mime);
    prepared.push({ ...result, name: preparedName(photo.name) });
    await options.onPhotoProgress?.(prepared.length, visit.photos.length);
  }

  // Photo bytes first (content-addressed, harmless if the records below fail), then the visit,
  // its photo records, needs and need events in ONE transaction: all of the visit or none of it.
  const scope = visit.household.scope;
  const at = new Date(wallClock()).toISOString();
  const visitId = uuidv7();
  const changes: AnyChange[] = [
    {
      op: 'create',
      table: 'visits',
      scope,
      id: visitId,
      data: {
        householdId: visit.household.id,
        visitorId: actor.id,
        visitorName: visit.visitorName,
        visitedAt: at,
        method: visit.method,
        location: visit.location ?? visit.household.location,
        findings: withSummary(visit.findings, summary),
      },
    },
  ];
  for (const photo of prepared) {
    const sha256 = await storeBlob(db, photo.bytes, photo.mime);
    changes.push({
      op: 'create',
      table: 'attachments',
      scope,
      data: {
        ownerTable: 'visits',
        ownerId: visitId,
        sha256,
        mime: photo.mime,
        size: photo.bytes.byteLength,
        name: photo.name,
      },
    });
  }
  for (const need of layered) {
    const needId = uuidv7();
    changes.push(
      {
        op: 'create',
        table: 'needs',
        scope,
        id: needId,
        data: {
          householdId: visit.household.id,
          residentId: need.residentId ?? null,
          visitId,
          category: need.category,
          layer: need.layer,
          urgency: need.urgency,
          description: need.description,
          status: INITIAL_NEED_STATUS,
        },
      },
      {
        op: 'create',
        table: 'needEvents',
        scope,
        data: {
          needId,
          from: null,
          to: INITIAL_NEED_STATUS,
          actorId: actor.id,
          actorName: visit.visitorName,
          at,
          note: '',
        },
      },
    );
  }
  changes.push(...plan.records);
  const [created] = await commitChanges(db, changes, actor, { wallClock });
  return VisitSchema.parse(created);
}

export interface VisitWithPhotos {
  visit: Visit;
  photos: Attachment[];
  /** Needs found on this visit, in the order they were recorded. */
  needs: Need[];
}

/** A household's visits, newest first, each with its photo records and needs. */
export async function visitsOfHousehold(
  db: GridworkDb,
  householdId: string,
): Promise<VisitWithPhotos[]> {
  const visits = (await db.visits.where('householdId').equals(householdId).toArray())
    .filter((v) => !v.deleted)
    .map((v) => stripLocalKeys<'visits'>(v));
  visits.sort((a, b) => b.visitedAt.localeCompare(a.visitedAt));
  const needs = (await db.needs.where('householdId').equals(householdId).toArray())
    .filter((n) => !n.deleted)
    .map((n) => stripLocalKeys<'needs'>(n))
    .sort((a, b) => a.hlc.localeCompare(b.hlc));
  return Promise.all(
    visits.map(async (visit) => ({
      visit,
      photos: (
        await db.attachments.where('[ownerTable+ownerId]').equals(['visits', visit.id]).toArray()
      )
        .filter((a) => !a.deleted)
        .map((a) => stripLocalKeys<'attachments'>(a)),
      needs: needs.filter((n) => n.visitId === visit.id),
    })),
  );
}

/** The NeedEvents of some needs (their status history), oldest first. */
export async function eventsOfNeeds(db: GridworkDb, needIds: string[]): Promise<NeedEvent[]> {
  return (await db.needEvents.where('needId').anyOf(needIds).toArray())
    .filter((e) => !e.deleted)
    .map((e) => stripLocalKeys<'needEvents'>(e))
    .sort((a, b) => a.at.localeCompare(b.at));
}

const OVERRIDES_KEY = 'visitIntervalOverrides';

/** The community's per-tag visit intervals (days), from `db.meta`; {} when none or unreadable. */
export async function loadIntervalOverrides(db: GridworkDb): Promise<IntervalOverrides> {
  const parsed = IntervalOverridesSchema.safeParse((await db.meta.get(OVERRIDES_KEY))?.value);
  return parsed.success ? parsed.data : {};
}

/**
 * Saves the per-tag interval overrides. Device-local settings (`db.meta`), not a synced record:
 * each grid worker tunes their own reminder list.
 */
export async function saveIntervalOverrides(
  db: GridworkDb,
  overrides: IntervalOverrides,
): Promise<void> {
  await db.meta.put({ key: OVERRIDES_KEY, value: IntervalOverridesSchema.parse(overrides) });
}

/** One row of the 待走访 list: the rule's result plus what the screen shows. */
export interface DueRow extends DueHousehold {
  household: Household;
  headName: string | null;
}

/** The rows of households in `gridCode` (the map's 该网格的走访); all rows when it is null. */
export function dueInGrid(rows: DueRow[], gridCode: string | null): DueRow[] {
  return gridCode === null ? rows : rows.filter((r) => r.household.gridCode === gridCode);
}

/**
 * The due-for-a-visit list over all local data, by `shared/visits/dueForVisit`. Index queries
 * only: tagged residents by the multi-entry `tags` index (schema v3), their households' visits
 * by `householdId`, heads of household by id.
 */
export async function loadDueList(
  db: GridworkDb,
  now: Date,
  overrides: IntervalOverrides,
): Promise<DueRow[]> {
  const codes = [...new Set([...SPECIAL_GROUPS.map((g) => g.code), ...Object.keys(overrides)])];
  const tagged = (await db.residents.where('tags').anyOf(codes).distinct().toArray()).filter(
    (r) => !r.deleted,
  );
  const byHousehold = new Map<string, Resident[]>();
  for (const r of tagged) {
    const list = byHousehold.get(r.householdId) ?? [];
    list.push(r);
    byHousehold.set(r.householdId, list);
  }
  const ids = [...byHousehold.keys()];
  const lastVisit = new Map<string, string>();
  for (const v of await db.visits.where('householdId').anyOf(ids).toArray()) {
    if (v.deleted) continue;
    const seen = lastVisit.get(v.householdId);
    if (!seen || v.visitedAt > seen) lastVisit.set(v.householdId, v.visitedAt);
  }
  const inputs: DueHouseholdInput[] = ids.map((id) => ({
    householdId: id,
    residents: (byHousehold.get(id) ?? []).map((r) => ({
      id: r.id,
      status: r.status,
      deleted: r.deleted,
      tags: r.tags,
      taggedSince: tagsSinceOf(r),
    })),
    lastVisitAt: lastVisit.get(id) ?? null,
  }));
  const due = dueForVisit(inputs, now, overrides);

  const households = new Map<string, Household>();
  for (const h of await db.households.bulkGet(due.map((d) => d.householdId))) {
    if (h && !h.deleted) households.set(h.id, stripLocalKeys<'households'>(h));
  }
  const headIds = [...households.values()].flatMap((h) =>
    h.headResidentId ? [h.headResidentId] : [],
  );
  const heads = new Map<string, string>();
  for (const r of await db.residents.bulkGet(headIds)) if (r) heads.set(r.id, r.name);
  const rows: DueRow[] = [];
  for (const d of due) {
    const household = households.get(d.householdId);
    if (!household) continue;
    // Without a recorded head, a tagged member listed as head will do.
    const headName =
      (household.headResidentId ? heads.get(household.headResidentId) : undefined) ??
      byHousehold.get(d.householdId)?.find((r) => r.relation === 'head')?.name ??
      null;
    rows.push({ ...d, household, headName });
  }
  return rows;
}
