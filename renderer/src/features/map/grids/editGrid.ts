import type { AreaGeometry } from '@shared/domain/common';
import { checkGrids } from '@shared/geo/gridCheck';
import type { GridIssue } from '@shared/geo/gridIssues';
import type { GridworkDb } from '../../../db/db';
import { type Actor, commitChanges } from '../../../db/write';
import { type StreetOnDevice, loadStreet, remainingGrids } from './gridContext';
import { gridChanges } from './importGrids';

/** A grid as the editor hands it over: WGS-84 outline (null: nothing drawn yet). */
export interface EditedGrid {
  streetCode: string;
  code: string;
  name: string;
  geometry: AreaGeometry | null;
  /** True for a new grid: its code must not be taken; false to replace a grid's outline. */
  isNew: boolean;
}

export type SaveGridResult = { ok: true; code: string } | { ok: false; issues: GridIssue[] };

/**
 * Checks a drawn or edited grid exactly as an imported one (shared/geo/gridCheck) against the
 * street and the street's other grids, then writes it through `commitChanges`; on any error
 * nothing is written and every error is returned.
 */
export async function saveGridBoundary(
  db: GridworkDb,
  edited: EditedGrid,
  actor: Actor,
): Promise<SaveGridResult> {
  const street = await loadStreet(db, edited.streetCode);
  const others = remainingGrids(street, new Set(edited.isNew ? [] : [edited.code]));
  const code = edited.code.trim();
  const name = edited.name.trim();
  const result = checkGrids(
    [
      {
        code: code === '' ? null : code,
        name: name === '' ? null : name,
        geometry: edited.geometry,
      },
    ],
    { ...street, otherGrids: others },
  );
  if (!result.ok) return { ok: false, issues: result.issues };
  const { changes } = gridChanges(street, result.grids);
  await commitChanges(db, changes, actor);
  return { ok: true, code };
}

/**
 * The next free grid code of a community on this device (`…001` when it has none), to
 * suggest for a new grid.
 */
export function nextGridCode(street: StreetOnDevice, community: string): string {
  let highest = 0;
  for (const code of street.gridUnits.keys()) {
    if (code.startsWith(community)) highest = Math.max(highest, Number(code.slice(12)));
  }
  return `${community}${String(Math.min(999, highest + 1)).padStart(3, '0')}`;
}
