import type { AreaGeometry } from '@shared/domain/common';
import type { OrgUnit } from '@shared/domain/org';
import { communitiesOfStreet, streetEntry, streetFeature, streets } from '@shared/data/beijing';
import type { ExistingGrid, StreetContext } from '@shared/geo/gridCheck';
import type { GridworkDb } from '../../../db/db';

/** A street the user can import grids into. */
export interface StreetChoice {
  code: string;
  name: string;
  /** True when the street's own record is on this device (else it comes from the code list). */
  onDevice: boolean;
}

/** What the checks and the write need to know about a street on this device. */
export interface StreetOnDevice extends StreetContext {
  name: string;
  /** The street's record, when the device has it. */
  unit?: OrgUnit;
  /** Community records of the street on this device, by code. */
  communityUnits: Map<string, OrgUnit>;
  /** Grid records of the street on this device (deleted ones too), by code. */
  gridUnits: Map<string, OrgUnit>;
  /** Names of the street's communities from the national code list, by code. */
  listedCommunities: Map<string, string>;
}

const live = <T extends { deleted?: boolean }>(rows: T[]) => rows.filter((r) => !r.deleted);

/**
 * The streets on this device; on a device without any street record (before the first sync or
 * the demo), every Beijing street of the code list, so a street office can start from its file.
 */
export async function streetChoices(db: GridworkDb): Promise<StreetChoice[]> {
  const units = live(await db.orgUnits.where('level').equals('street').toArray());
  if (units.length > 0) {
    return units
      .map((u) => ({ code: u.code, name: u.name, onDevice: true }))
      .sort((a, b) => a.code.localeCompare(b.code));
  }
  return streets().map((s) => ({ code: s.code, name: s.name, onDevice: false }));
}

/**
 * Loads a street's context: its outline (its record's, else the shipped 东城区 polygon), its
 * communities (records on the device and the code list) and its grids.
 */
export async function loadStreet(db: GridworkDb, streetCode: string): Promise<StreetOnDevice> {
  const prefix = streetCode.slice(0, 9);
  const [unit, communityRows, gridRows] = await Promise.all([
    db.orgUnits.where('code').equals(streetCode).first(),
    db.orgUnits.where('parentCode').equals(streetCode).toArray(),
    db.orgUnits
      .where('level')
      .equals('grid')
      .filter((g) => g.code.startsWith(prefix))
      .toArray(),
  ]);
  const listed = new Map(communitiesOfStreet(streetCode).map((c) => [c.code, c.name]));
  const communityUnits = new Map(
    live(communityRows)
      .filter((c) => c.level === 'community')
      .map((c) => [c.code, c]),
  );
  const boundary: AreaGeometry | null =
    (unit && !unit.deleted ? unit.boundary : undefined) ??
    streetFeature(streetCode)?.geometry ??
    null;
  return {
    code: streetCode,
    name: (unit && !unit.deleted ? unit.name : undefined) ?? streetEntry(streetCode)?.name ?? '',
    boundary,
    communities: new Set([...listed.keys(), ...communityUnits.keys()]),
    ...(unit && !unit.deleted ? { unit } : {}),
    communityUnits,
    gridUnits: new Map(gridRows.map((g) => [g.code, g])),
    listedCommunities: listed,
  };
}

/** The street's live grids that are not in `except`: they stay, so nothing may overlap them. */
export function remainingGrids(
  street: StreetOnDevice,
  except: ReadonlySet<string>,
): ExistingGrid[] {
  return [...street.gridUnits.values()]
    .filter((g) => !g.deleted && !except.has(g.code))
    .map((g) => ({ code: g.code, name: g.name, boundary: g.boundary ?? null }));
}
