import { centroid } from '@turf/turf';
import type { OrgUnit } from '@shared/domain/org';
import { BuildingSchema, type Building } from '@shared/domain/place';
import type { GridworkDb } from '../../db/db';
import { type Actor, type AnyChange, WriteError, commitChanges } from '../../db/write';
import { buildingCascade, liveGrid, liveRecord, placeTables, rescopeChanges } from './moves';

/** A number box's value: empty is `null` or `undefined` (Element Plus emits either). */
type NumberBox = number | null | undefined;

/** What the building form edits. */
export interface BuildingDraft {
  gridCode: string;
  compound: string;
  name: string;
  address: string;
  kind: Building['kind'];
  floors: NumberBox;
  units: NumberBox;
  location: [NumberBox, NumberBox];
}

export type BuildingField = keyof BuildingDraft;

/** i18n key of the message that says how to fix a field. */
export const buildingErrorKey = (field: BuildingField | 'exists') =>
  `registry.building.errors.${field}`;

const DraftSchema = BuildingSchema.pick({
  gridCode: true,
  compound: true,
  name: true,
  address: true,
  kind: true,
  floors: true,
  units: true,
  location: true,
});

/**
 * Checks a draft against the building schema. Each field has one message (its whole rule,
 * e.g. "1–120 floors"), so issues are one per field, named by an i18n key.
 */
export function checkBuilding(
  draft: BuildingDraft,
):
  | { ok: true; data: ReturnType<typeof DraftSchema.parse> }
  | { ok: false; issues: { path: string; message: string }[] } {
  const parsed = DraftSchema.safeParse(draft);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fields = new Set(parsed.error.issues.map((i) => String(i.path[0]) as BuildingField));
  return {
    ok: false,
    issues: [...fields].map((field) => ({ path: field, message: buildingErrorKey(field) })),
  };
}

function refused(issues: { path: string; message: string }[]): WriteError {
  return new WriteError(
    'validation',
    `invalid building: ${issues.map((i) => i.path).join(', ')}`,
    issues,
  );
}

/**
 * Creates a building (`id` null) or saves an edit. An edit that changes the grid, address or
 * location carries the building's households and residents along, in the same batch.
 * @throws WriteError `validation` with one issue per field to fix (messages are i18n keys),
 * or a MoveError when the building being edited is missing or deleted.
 */
export async function saveBuilding(
  db: GridworkDb,
  draft: BuildingDraft,
  actor: Actor,
  id: string | null = null,
): Promise<Building> {
  const checked = checkBuilding(draft);
  if (!checked.ok) throw refused(checked.issues);
  const data = checked.data;
  return db.transaction('rw', placeTables(db), async () => {
    const grid = await liveGrid(db, data.gridCode).catch(() => {
      throw refused([{ path: 'gridCode', message: buildingErrorKey('gridCode') }]);
    });
    const twin = await db.buildings
      .where('gridCode')
      .equals(data.gridCode)
      .filter((b) => !b.deleted && b.id !== id && b.address === data.address)
      .first();
    if (twin) throw refused([{ path: 'address', message: buildingErrorKey('exists') }]);

    const fields = { ...data, communityCode: grid.parentCode };
    let changes: AnyChange[];
    if (id === null) {
      changes = [{ op: 'create', table: 'buildings', scope: data.gridCode, data: fields }];
    } else {
      const before = await liveRecord(db, 'buildings', id);
      changes = [
        // Another grid: the building moves scope first, as in moveBuilding.
        ...rescopeChanges('buildings', [before], data.gridCode),
        { op: 'update', table: 'buildings', id, patch: fields },
        ...(await buildingCascade(db, before, data)),
      ];
    }
    const saved = await commitChanges(db, changes, actor);
    // The building's own create or update, a record validated by its schema.
    return saved[changes.findIndex((c) => c.op !== 'rescope')] as Building;
  });
}

/**
 * Where a new building starts on the map: the centre of its grid's boundary, else the grid's
 * label point, else nothing (the user types it).
 */
export function gridCentre(
  grid: Pick<OrgUnit, 'boundary' | 'labelPoint'> | undefined,
): [number, number] | null {
  if (grid?.boundary) {
    const [lng, lat] = centroid(grid.boundary).geometry.coordinates;
    if (lng !== undefined && lat !== undefined) return [lng, lat];
  }
  return grid?.labelPoint ?? null;
}
