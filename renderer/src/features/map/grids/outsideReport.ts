import type { AreaGeometry } from '@shared/domain/common';
import { placementReport } from '@shared/geo/outsideGrids';
import type { GridworkDb } from '../../../db/db';

/** One household of the report, with what a person needs to find and fix it. */
export interface MisplacedHousehold {
  id: string;
  address: string;
  location: [number, number];
  /** The grid it is filed under (code and name). */
  gridCode: string;
  gridName: string;
  /** The grid whose boundary holds it, for the "in another grid" list. */
  foundIn?: { code: string; name: string };
}

export interface HouseholdPlacement {
  /** Grids with a boundary on this device: without any, the report means nothing. */
  grids: number;
  outside: MisplacedHousehold[];
  elsewhere: MisplacedHousehold[];
}

/**
 * Households on this device that lie in no grid, or in another grid than their own, by the grid
 * boundaries on this device (shared/geo/outsideGrids).
 */
export async function householdPlacement(db: GridworkDb): Promise<HouseholdPlacement> {
  const [gridRows, households] = await Promise.all([
    db.orgUnits.where('level').equals('grid').toArray(),
    db.households.filter((h) => !h.deleted).toArray(),
  ]);
  const names = new Map(gridRows.map((g) => [g.code, g.name]));
  const grids = gridRows.flatMap((g) =>
    !g.deleted && g.boundary ? [{ code: g.code, boundary: g.boundary as AreaGeometry }] : [],
  );
  if (grids.length === 0) return { grids: 0, outside: [], elsewhere: [] };
  const report = placementReport(households, grids);
  const row = (h: (typeof households)[number]): MisplacedHousehold => ({
    id: h.id,
    address: h.address,
    location: [h.location[0], h.location[1]],
    gridCode: h.gridCode,
    gridName: names.get(h.gridCode) ?? h.gridCode,
  });
  return {
    grids: grids.length,
    outside: report.outside.map(row),
    elsewhere: report.elsewhere.map(({ record, foundIn }) => ({
      ...row(record),
      foundIn: { code: foundIn, name: names.get(foundIn) ?? foundIn },
    })),
  };
}
