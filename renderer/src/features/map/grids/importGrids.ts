import { districts, streetEntry, streetFeature } from '@shared/data/beijing';
import { shortCommunityName } from '@shared/demo/grids';
import type { Crs } from '@shared/geo/crs';
import {
  type CheckedGrid,
  type GridCheckResult,
  checkGridFile,
  readGridFile,
} from '@shared/geo/gridCheck';
import type { GridworkDb } from '../../../db/db';
import { type Actor, type AnyChange, type WriteProgress, commitChanges } from '../../../db/write';
import { type StreetOnDevice, loadStreet, remainingGrids } from './gridContext';

/**
 * 导入网格边界: a street office's GeoJSON → checks (shared/geo/gridCheck) → org unit records,
 * all in one `commitChanges` transaction. On any error nothing is written and every error is
 * returned; a grid already on the device (same code) gets the file's name and outline.
 */

export interface GridImportOptions {
  /** 12-digit code of the street the grids belong to. */
  streetCode: string;
  /** The file's coordinate system, as the user says; converted to WGS-84 on import. */
  crs: Crs;
}

/** A checked file and the changes that would import it. */
export interface GridImportPlan {
  check: GridCheckResult;
  street: StreetOnDevice;
  /** Empty unless `check.ok`. */
  changes: AnyChange[];
  created: number;
  updated: number;
  /** Codes of community (and street) records created because the device had none. */
  addedParents: string[];
}

export type GridImportResult =
  | { ok: true; created: number; updated: number; addedParents: string[] }
  | { ok: false; check: GridCheckResult };

/** The changes that write checked grids: creates, updates, and any missing street or community record. */
export function gridChanges(street: StreetOnDevice, grids: readonly CheckedGrid[]) {
  const changes: AnyChange[] = [];
  const addedParents: string[] = [];
  let created = 0;
  let updated = 0;

  // A device that has never synced may lack the street's record: make it from the shipped data.
  if (!street.unit) {
    const entry = streetEntry(street.code);
    const district = districts().find((d) => d.code === entry?.parentCode);
    if (entry) {
      const outline = streetFeature(street.code);
      changes.push({
        op: 'create',
        table: 'orgUnits',
        scope: street.code,
        data: {
          code: street.code,
          level: 'street',
          name: entry.name,
          parentCode: district?.code ?? entry.parentCode,
          ...(outline ? { boundary: outline.geometry, labelPoint: [...outline.labelPoint] } : {}),
        },
      });
      addedParents.push(street.code);
    }
  }
  const newCommunities = new Set<string>();
  for (const grid of grids) {
    const community = grid.code.slice(0, 12);
    if (street.communityUnits.has(community) || newCommunities.has(community)) continue;
    newCommunities.add(community);
    const listed = street.listedCommunities.get(community);
    changes.push({
      op: 'create',
      table: 'orgUnits',
      scope: community,
      data: {
        code: community,
        level: 'community',
        // gridCheck only lets through communities of the list or on the device
        name: shortCommunityName(listed ?? community),
        parentCode: street.code,
      },
    });
    addedParents.push(community);
  }

  for (const grid of grids) {
    const fields = { name: grid.name, boundary: grid.boundary, labelPoint: grid.labelPoint };
    const existing = street.gridUnits.get(grid.code);
    if (existing) {
      if (existing.deleted) changes.push({ op: 'restore', table: 'orgUnits', id: existing.id });
      changes.push({ op: 'update', table: 'orgUnits', id: existing.id, patch: fields });
      updated += 1;
    } else {
      changes.push({
        op: 'create',
        table: 'orgUnits',
        scope: grid.code,
        data: { code: grid.code, level: 'grid', parentCode: grid.code.slice(0, 12), ...fields },
      });
      created += 1;
    }
  }
  return { changes, created, updated, addedParents };
}

/** Reads and checks a file against the street as stored on this device; writes nothing. */
export async function planGridImport(
  db: GridworkDb,
  text: string,
  options: GridImportOptions,
): Promise<GridImportPlan> {
  const street = await loadStreet(db, options.streetCode);
  // Grids of the file replace the stored grids with their codes; the others stay and must not
  // be overlapped. (The file is parsed twice: once for its codes, once by the full check.)
  const inFile = new Set(readGridFile(text).inputs.flatMap((input) => input.code ?? []));
  const check = checkGridFile(
    text,
    { ...street, otherGrids: remainingGrids(street, inFile) },
    { crs: options.crs },
  );
  const empty = { changes: [], created: 0, updated: 0, addedParents: [] };
  return { check, street, ...(check.ok ? gridChanges(street, check.grids) : empty) };
}

/**
 * Writes a plan in one transaction. Refuses a plan with errors: nothing is written.
 * @throws WriteError or the storage error; the transaction is then rolled back whole.
 */
export async function commitGridImport(
  db: GridworkDb,
  plan: GridImportPlan,
  actor: Actor,
  onProgress?: WriteProgress,
): Promise<GridImportResult> {
  if (!plan.check.ok || plan.changes.length === 0) return { ok: false, check: plan.check };
  await commitChanges(db, plan.changes, actor, onProgress ? { onProgress } : {});
  return {
    ok: true,
    created: plan.created,
    updated: plan.updated,
    addedParents: plan.addedParents,
  };
}

/** {@link planGridImport} then {@link commitGridImport}: all grids of the file or none. */
export async function importGridFile(
  db: GridworkDb,
  text: string,
  options: GridImportOptions,
  actor: Actor,
  onProgress?: WriteProgress,
): Promise<GridImportResult> {
  return commitGridImport(db, await planGridImport(db, text, options), actor, onProgress);
}
