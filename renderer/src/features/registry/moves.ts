import type { EntityOf } from '@shared/domain/entities';
import type { Relation, Resident } from '@shared/domain/people';
import type { Building, Household } from '@shared/domain/place';
import type { GridworkDb } from '../../db/db';
import { stripLocalKeys } from '../../db/derive';
import {
  type Actor,
  type AnyChange,
  WriteError,
  type WriteErrorCode,
  commitChanges,
  writeStores,
} from '../../db/write';

/**
 * Moving places and people inside the registry: a building to another grid, a household to
 * another building, a resident to another household. Each move is ONE `commitChanges` batch
 * (the record, everything that follows it, and their outbox entries), so a move is either
 * wholly stored or not at all.
 *
 * A move changes `gridCode`, the field every list and report groups by. A move to another grid
 * also moves each record's sync `scope` (the access boundary: who receives it) with a
 * `rescope` change placed BEFORE the record's field changes in the batch, so those changes and
 * their history travel in the new grid's scope, and a move the server refuses (no write access
 * to the new grid) refuses them all.
 */

/** Why a move was refused; `key` names the message under `registry.moves.errors`. */
export type MoveErrorKey =
  'missing' | 'deleted' | 'same' | 'roomRequired' | 'roomTaken' | 'headTaken';

/** The kinds of record a move reads, for messages that say which one is wrong. */
export type MoveErrorSubject = 'orgUnits' | 'buildings' | 'households' | 'residents';

/** A move that was refused; nothing was written. The UI shows `key` translated with `params`. */
export class MoveError extends WriteError {
  constructor(
    code: WriteErrorCode,
    readonly key: MoveErrorKey,
    readonly subject: MoveErrorSubject,
    readonly params: Record<string, string> = {},
  ) {
    super(code, `move refused: ${key} (${subject}) ${JSON.stringify(params)}`);
    this.name = 'MoveError';
  }
}

/** Every store a move reads or writes, so its reads and its batch share one transaction. */
export function placeTables(db: GridworkDb) {
  return [...writeStores(db, ['buildings', 'households', 'residents']), db.orgUnits];
}

type PlaceTable = 'buildings' | 'households' | 'residents';

/** The live record, or a MoveError saying it is missing or deleted. */
export async function liveRecord<T extends PlaceTable>(
  db: GridworkDb,
  table: T,
  id: string,
): Promise<EntityOf<T>> {
  const stored = await db.table(table).get(id);
  if (!stored) throw new MoveError('not-found', 'missing', table);
  const record = stripLocalKeys<T>(stored as EntityOf<T>);
  if (record.deleted) throw new MoveError('deleted', 'deleted', table);
  return record;
}

/** The grid's org unit (its `parentCode` is the community), or a MoveError. */
export async function liveGrid(db: GridworkDb, gridCode: string) {
  const grid = await db.orgUnits.where('code').equals(gridCode).first();
  if (!grid || grid.level !== 'grid' || !grid.parentCode)
    throw new MoveError('not-found', 'missing', 'orgUnits');
  if (grid.deleted) throw new MoveError('deleted', 'deleted', 'orgUnits');
  return { ...grid, parentCode: grid.parentCode };
}

/** `和平里七区3号楼2单元501`: the building's address, then unit and room as people write them. */
export function householdAddress(buildingAddress: string, unit: string, room: string): string {
  return `${buildingAddress}${unit ? `${unit}单元` : ''}${room}`;
}

async function liveHouseholdsOf(db: GridworkDb, buildingId: string): Promise<Household[]> {
  return db.households
    .where('buildingId')
    .equals(buildingId)
    .filter((h) => !h.deleted)
    .toArray();
}

async function liveResidentsOf(db: GridworkDb, householdIds: string[]): Promise<Resident[]> {
  if (householdIds.length === 0) return [];
  return db.residents
    .where('householdId')
    .anyOf(householdIds)
    .filter((r) => !r.deleted)
    .toArray();
}

/** Scope moves of the records that are not yet in `gridCode`'s scope (a grid's records live in it). */
export function rescopeChanges(
  table: PlaceTable,
  records: readonly { id: string; scope: string }[],
  gridCode: string,
): AnyChange[] {
  return records
    .filter((r) => r.scope !== gridCode)
    .map((r) => ({ op: 'rescope', table, id: r.id, scope: gridCode }));
}

function residentGridChanges(residents: Resident[], gridCode: string): AnyChange[] {
  return residents
    .filter((r) => r.gridCode !== gridCode)
    .map((r) => ({ op: 'update', table: 'residents', id: r.id, patch: { gridCode } }));
}

// About a centimetre: keeps float noise out of coordinates that were shifted.
const round7 = (value: number) => Math.round(value * 1e7) / 1e7;

/**
 * What a building's households and residents must change when the building does: its grid
 * (both follow), its address (household addresses built from it are rebuilt) and its location
 * (households shift with it, keeping their small offsets). Read inside the caller's transaction.
 */
export async function buildingCascade(
  db: GridworkDb,
  before: Building,
  after: Pick<Building, 'gridCode' | 'address' | 'location'>,
): Promise<AnyChange[]> {
  const gridChanged = before.gridCode !== after.gridCode;
  const addressChanged = before.address !== after.address;
  const dx = after.location[0] - before.location[0];
  const dy = after.location[1] - before.location[1];
  const shifted = dx !== 0 || dy !== 0;
  if (!gridChanged && !addressChanged && !shifted) return [];

  const households = await liveHouseholdsOf(db, before.id);
  const residents = gridChanged
    ? await liveResidentsOf(
        db,
        households.map((h) => h.id),
      )
    : [];
  // Scope moves first: each record's field changes then go in its new scope.
  const rescopes = gridChanged
    ? [
        ...rescopeChanges('households', households, after.gridCode),
        ...rescopeChanges('residents', residents, after.gridCode),
      ]
    : [];
  const changes: AnyChange[] = households.map((h) => ({
    op: 'update',
    table: 'households',
    id: h.id,
    patch: {
      ...(gridChanged && { gridCode: after.gridCode }),
      ...(addressChanged &&
        h.address.startsWith(before.address) && {
          address: `${after.address}${h.address.slice(before.address.length)}`,
        }),
      ...(shifted && { location: [round7(h.location[0] + dx), round7(h.location[1] + dy)] }),
    },
  }));
  if (gridChanged) changes.push(...residentGridChanges(residents, after.gridCode));
  return [...rescopes, ...changes];
}

/** What a move changed, for the message shown after it. */
export interface MoveResult {
  households: number;
  residents: number;
}

function countOf(changes: AnyChange[]): MoveResult {
  const updates = changes.filter((c) => c.op === 'update');
  return {
    households: updates.filter((c) => c.table === 'households').length,
    residents: updates.filter((c) => c.table === 'residents').length,
  };
}

/**
 * Moves a building to another grid (and so, maybe, another community): its households and
 * their residents follow, in one batch.
 * @throws MoveError when the building or grid is missing or deleted, or the grid is the same.
 */
export function moveBuilding(
  db: GridworkDb,
  buildingId: string,
  toGridCode: string,
  actor: Actor,
): Promise<MoveResult> {
  return db.transaction('rw', placeTables(db), async () => {
    const building = await liveRecord(db, 'buildings', buildingId);
    const grid = await liveGrid(db, toGridCode);
    if (building.gridCode === toGridCode) throw new MoveError('validation', 'same', 'buildings');
    const cascade = await buildingCascade(db, building, { ...building, gridCode: toGridCode });
    await commitChanges(
      db,
      [
        ...rescopeChanges('buildings', [building], toGridCode),
        {
          op: 'update',
          table: 'buildings',
          id: buildingId,
          patch: { gridCode: toGridCode, communityCode: grid.parentCode },
        },
        ...cascade,
      ],
      actor,
    );
    return countOf(cascade);
  });
}

/**
 * Moves a household to a unit and room of another building (or renumbers it in the same
 * one): building, grid, address and location follow the target building; its residents'
 * grid follows, in one batch.
 * @throws MoveError when either record is missing or deleted, the place is the same, the room
 * is empty, or another household already lives there.
 */
export function moveHousehold(
  db: GridworkDb,
  householdId: string,
  toBuildingId: string,
  place: { unit: string; room: string },
  actor: Actor,
): Promise<MoveResult> {
  const unit = place.unit.trim();
  const room = place.room.trim();
  return db.transaction('rw', placeTables(db), async () => {
    const household = await liveRecord(db, 'households', householdId);
    const building = await liveRecord(db, 'buildings', toBuildingId);
    if (!room) throw new MoveError('validation', 'roomRequired', 'households');
    if (household.buildingId === toBuildingId && household.unit === unit && household.room === room)
      throw new MoveError('validation', 'same', 'households');
    const address = householdAddress(building.address, unit, room);
    const taken = (await liveHouseholdsOf(db, toBuildingId)).some(
      (h) => h.id !== householdId && h.unit === unit && h.room === room,
    );
    if (taken) throw new MoveError('validation', 'roomTaken', 'households', { address });
    const members = await liveResidentsOf(db, [householdId]);
    const residents = residentGridChanges(members, building.gridCode);
    await commitChanges(
      db,
      [
        ...rescopeChanges('households', [household], building.gridCode),
        ...rescopeChanges('residents', members, building.gridCode),
        {
          op: 'update',
          table: 'households',
          id: householdId,
          patch: {
            buildingId: toBuildingId,
            gridCode: building.gridCode,
            unit,
            room,
            address,
            location: building.location,
          },
        },
        ...residents,
      ],
      actor,
    );
    return { households: 1, residents: residents.length };
  });
}

/**
 * Moves a resident to another household with a new relation to its head, in one batch: a
 * head who leaves is no longer the old household's head; one who arrives as `head` becomes
 * the new household's head.
 * @throws MoveError when a record is missing or deleted, the household is the same, or the
 * resident would arrive as head where another living resident already is.
 */
export function moveResident(
  db: GridworkDb,
  residentId: string,
  toHouseholdId: string,
  relation: Relation,
  actor: Actor,
): Promise<void> {
  return db.transaction('rw', placeTables(db), async () => {
    const resident = await liveRecord(db, 'residents', residentId);
    const target = await liveRecord(db, 'households', toHouseholdId);
    if (resident.householdId === toHouseholdId)
      throw new MoveError('validation', 'same', 'residents');

    const changes: AnyChange[] = [
      ...rescopeChanges('residents', [resident], target.gridCode),
      {
        op: 'update',
        table: 'residents',
        id: residentId,
        patch: { householdId: toHouseholdId, gridCode: target.gridCode, relation },
      },
    ];
    const old = await db.households.get(resident.householdId);
    if (old && !old.deleted && old.headResidentId === residentId)
      changes.push({
        op: 'update',
        table: 'households',
        id: old.id,
        patch: { headResidentId: null },
      });
    if (relation === 'head') {
      const head = target.headResidentId ? await db.residents.get(target.headResidentId) : null;
      if (head && !head.deleted && head.householdId === toHouseholdId)
        throw new MoveError('validation', 'headTaken', 'households', { name: head.name });
      changes.push({
        op: 'update',
        table: 'households',
        id: toHouseholdId,
        patch: { headResidentId: residentId },
      });
    }
    await commitChanges(db, changes, actor);
  });
}
