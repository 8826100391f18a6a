import { bbox as turfBbox, booleanPointInPolygon } from '@turf/turf';
import type { AreaGeometry } from '../domain/common';

/** A record with a place on the map (a household, a building), `[lng, lat]` in WGS-84. */
export interface Placed {
  location: readonly [number, number];
  gridCode?: string;
}

export interface GridArea {
  code: string;
  boundary: AreaGeometry;
}

export interface PlacementReport<T> {
  /** Inside no grid at all: the boundaries leave a gap, or the location is wrong. */
  outside: T[];
  /** Inside a grid, but not the one the record is filed under (`gridCode`). */
  elsewhere: { record: T; foundIn: string }[];
}

type Box = [number, number, number, number];

/**
 * Which records lie outside every grid, and which lie in another grid than their own — the
 * report a street office reads after importing or redrawing boundaries. A bounding-box test
 * comes before each point-in-polygon, so 50k households against 150 grids stay fast. A point
 * on a boundary counts as inside.
 */
export function placementReport<T extends Placed>(
  records: readonly T[],
  grids: readonly GridArea[],
): PlacementReport<T> {
  const indexed = grids.map((grid) => ({ grid, box: turfBbox(grid.boundary) as Box }));
  const byCode = new Map(indexed.map((entry) => [entry.grid.code, entry]));
  const contains = (entry: { grid: GridArea; box: Box }, lng: number, lat: number) =>
    lng >= entry.box[0] &&
    lng <= entry.box[2] &&
    lat >= entry.box[1] &&
    lat <= entry.box[3] &&
    booleanPointInPolygon([lng, lat], entry.grid.boundary);

  const outside: T[] = [];
  const elsewhere: { record: T; foundIn: string }[] = [];
  for (const record of records) {
    const [lng, lat] = record.location;
    // Most records are in their own grid: test it first.
    const own = record.gridCode === undefined ? undefined : byCode.get(record.gridCode);
    if (own && contains(own, lng, lat)) continue;
    const found = indexed.find((entry) => entry !== own && contains(entry, lng, lat));
    if (!found) outside.push(record);
    else if (record.gridCode !== undefined && found.grid.code !== record.gridCode) {
      elsewhere.push({ record, foundIn: found.grid.code });
    }
  }
  return { outside, elsewhere };
}
