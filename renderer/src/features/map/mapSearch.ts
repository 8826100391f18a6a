import type { OrgUnit } from '@shared/domain/org';
import type { Household } from '@shared/domain/place';
import type { GridworkDb } from '../../db/db';
import type { LngLat } from './display';

/** One search result: where to fly (WGS-84) and what it is. */
export interface MapSearchHit {
  kind: 'household' | 'grid' | 'community' | 'street';
  key: string;
  label: string;
  /** A point to fly to (households), or the area to fit (org units). */
  position?: LngLat;
  bounds?: [number, number, number, number];
  household?: Household;
}

type Bbox = [number, number, number, number];

function extend(box: Bbox | undefined, [lng, lat]: readonly number[]): Bbox {
  const x = lng ?? 0;
  const y = lat ?? 0;
  if (!box) return [x, y, x, y];
  return [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
}

function boundaryBox(unit: OrgUnit): Bbox | undefined {
  if (!unit.boundary) return undefined;
  const polygons =
    unit.boundary.type === 'Polygon' ? [unit.boundary.coordinates] : unit.boundary.coordinates;
  let box: Bbox | undefined;
  for (const polygon of polygons) for (const p of polygon[0] ?? []) box = extend(box, p);
  return box;
}

/**
 * Streets, communities and grids whose name contains the query, in that order. A community has no
 * polygon of its own: its area is the union of its grids' boxes (or its label point).
 */
export function searchOrgUnits(
  orgUnits: readonly OrgUnit[],
  query: string,
  limit = 20,
): MapSearchHit[] {
  const q = query.trim();
  if (!q) return [];
  const gridBoxes = new Map<string, Bbox>();
  for (const unit of orgUnits) {
    if (unit.deleted || unit.level !== 'grid' || !unit.parentCode) continue;
    const box = boundaryBox(unit);
    if (!box) continue;
    const seen = gridBoxes.get(unit.parentCode);
    gridBoxes.set(
      unit.parentCode,
      seen ? extend(extend(seen, [box[0], box[1]]), [box[2], box[3]]) : box,
    );
  }
  const rank = { street: 0, community: 1, grid: 2 } as const;
  const hits: MapSearchHit[] = [];
  for (const unit of orgUnits) {
    if (unit.deleted || unit.level === 'district' || !unit.name.includes(q)) continue;
    const bounds = boundaryBox(unit) ?? gridBoxes.get(unit.code);
    hits.push({
      kind: unit.level,
      key: unit.code,
      label: unit.name,
      ...(bounds ? { bounds } : unit.labelPoint ? { position: unit.labelPoint } : {}),
    });
  }
  return hits
    .filter((h) => h.bounds || h.position)
    .sort(
      (a, b) =>
        rank[a.kind as keyof typeof rank] - rank[b.kind as keyof typeof rank] ||
        a.label.localeCompare(b.label, 'zh-CN'),
    )
    .slice(0, limit);
}

/** Households whose address (or its building / unit / room part) starts with the query, by index. */
export async function searchHouseholds(
  db: GridworkDb,
  query: string,
  limit = 20,
): Promise<MapSearchHit[]> {
  const q = query.trim();
  if (!q) return [];
  const rows = await db.households
    .where('_addrKeys')
    .startsWith(q)
    .distinct()
    .filter((h) => !h.deleted)
    .limit(limit)
    .toArray();
  return rows.map((h) => ({
    kind: 'household',
    key: h.id,
    label: h.address,
    position: h.location,
    household: h,
  }));
}

/** Places first (few, and what a street worker types most), then households by address. */
export async function searchMap(
  db: GridworkDb,
  orgUnits: readonly OrgUnit[],
  query: string,
  limit = 20,
): Promise<MapSearchHit[]> {
  const places = searchOrgUnits(orgUnits, query, limit);
  const households = await searchHouseholds(db, query, Math.max(0, limit - places.length));
  return [...places, ...households];
}
