import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { Role } from '@shared/domain/account';
import { type Case, type CaseStatus, CaseStatusSchema } from '@shared/domain/case';
import type { AreaGeometry } from '@shared/domain/common';
import type { Need } from '@shared/domain/need';
import type { OrgUnit } from '@shared/domain/org';
import type { Resident } from '@shared/domain/people';
import type { Building, Household } from '@shared/domain/place';
import { type IntervalOverrides, dueStatus, tagsSinceOf } from '@shared/visits/dueForVisit';
import { specialGroupAccess, visibleSpecialGroups } from '@shared/visits/privacy';
import type { LngLat } from './display';

/**
 * Dexie records → the GeoJSON the map's layers draw. Pure and synchronous, so it is unit-tested
 * without a map and timed by `bench:map`. Built for a street desktop (50k households, 150k
 * cases): every collection is made in one pass over its records with lookups through maps built
 * once, and features carry only small numeric properties — `i` is the record's index in the
 * input array, so a click finds the full record without a database call or a 36-character id
 * copied 150k times into the map's workers.
 */

/** Everything the map draws, as read from the local database (`loadMapData.ts`). */
export interface MapRecords {
  orgUnits: readonly OrgUnit[];
  buildings: readonly Building[];
  households: readonly Household[];
  cases: readonly Case[];
  needs: readonly Need[];
  /** Residents that carry at least one special-group tag (nobody else matters here). */
  taggedResidents: readonly Resident[];
  /** Household id → ISO instant of its latest visit. */
  lastVisits: ReadonlyMap<string, string>;
}

export interface MapBuildOptions {
  now: Date;
  /** Role for the special-group privacy rule (`shared/visits/privacy`); null = signed-out device. */
  role: Role | null;
  /** WGS-84 → the basemap's system, applied to every position (identity without a basemap). */
  toDisplay?: (point: LngLat) => LngLat;
  overrides?: IntervalOverrides;
}

/** The per-grid numbers a choropleth can colour by. */
export interface GridMetrics {
  households: number;
  openCases: number;
  overdueCases: number;
  /** Special-group households past their visit interval (待走访), counting visible tags only. */
  dueSpecial: number;
}
export type GridMetric = keyof GridMetrics;
export const GRID_METRICS: readonly GridMetric[] = [
  'households',
  'openCases',
  'overdueCases',
  'dueSpecial',
];

export type GridProps = GridMetrics & { code: string; name: string };
/** `k`: status index in `CASE_STATUSES`, or `OVERDUE_CLASS`; `d`: day number of receipt; `c`: top category. */
export interface CaseProps {
  i: number;
  k: number;
  d: number;
  c: string;
}
export interface NeedProps {
  i: number;
  /** Urgency index: 0 low … 3 urgent. */
  u: number;
}
export interface SpecialGroupProps {
  /** Index into `households`. */
  i: number;
  /** 1 when due for a visit. */
  due: number;
}

/** The households of one building (楼栋), drawn as one point. */
export interface BuildingGroup {
  buildingId: string;
  /** The building record, when this device has it. */
  building: Building | undefined;
  /** Indices into `MapRecords.households`. */
  households: number[];
}

export interface MapFeatures {
  /** Grid polygons, plus one Point per grid at its label point (layers filter by geometry type). */
  grids: FeatureCollection<Polygon | MultiPolygon | Point, GridProps>;
  /**
   * One point per building with its household count `n` (`i` indexes `buildingGroups`): a street's
   * 50k households are ~1,200 buildings, and their flats sit metres apart, too close to click
   * one by one anyway — a building's panel lists them.
   */
  buildings: FeatureCollection<Point, { i: number; n: number }>;
  buildingGroups: BuildingGroup[];
  cases: FeatureCollection<Point, CaseProps>;
  needs: FeatureCollection<Point, NeedProps>;
  specialGroups: FeatureCollection<Point, SpecialGroupProps>;
  metrics: Map<string, GridMetrics>;
  /** `[west, south, east, north]` of the user's scope (grids, else households), display system. */
  bounds: [number, number, number, number] | null;
}

export const CASE_STATUSES: readonly CaseStatus[] = CaseStatusSchema.options;
/** The class of an open case past its handling deadline (drawn in the overdue colour). */
export const OVERDUE_CLASS = CASE_STATUSES.length;
/** 办结 and after: the case loop no longer waits on anyone to handle it. */
const CLOSED: ReadonlySet<CaseStatus> = new Set(['resolved', 'followed-up', 'archived']);
const URGENCIES: readonly Need['urgency'][] = ['low', 'normal', 'high', 'urgent'];
const DAY_MS = 86_400_000;

export function isOpenCase(c: Pick<Case, 'status'>): boolean {
  return !CLOSED.has(c.status);
}

/**
 * Overdue: still open and past its handling deadline (办理时限). `nowIso` is `now.toISOString()`:
 * stored instants are ISO UTC strings, and comparing them as strings is comparing the instants
 * (exact for the canonical `…sss Z` form every record is written in; another fraction length
 * could only differ inside one second) — and costs nothing for 150k cases, unlike parsing them.
 */
export function isOverdueCase(c: Pick<Case, 'status' | 'handleDeadline'>, nowIso: string): boolean {
  return isOpenCase(c) && c.handleDeadline !== null && c.handleDeadline < nowIso;
}

/** Day number (days since 1970-01-01 UTC) of an instant, the unit of the time-window filter. */
export function dayNumber(instant: string | Date): number {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return Math.floor(ms / DAY_MS);
}

/** `dayNumber` for many ISO instants: a year of cases has only ~365 distinct dates to parse. */
function dayNumbers(): (iso: string) => number {
  const cache = new Map<string, number>();
  return (iso) => {
    const date = iso.slice(0, 10);
    let day = cache.get(date);
    if (day === undefined) {
      day = dayNumber(`${date}T00:00:00.000Z`);
      cache.set(date, day);
    }
    return day;
  };
}

const STATUS_INDEX = new Map(CASE_STATUSES.map((status, k) => [status, k]));

function emptyMetrics(): GridMetrics {
  return { households: 0, openCases: 0, overdueCases: 0, dueSpecial: 0 };
}

export function collection<G extends Polygon | MultiPolygon | Point, P>(
  features: Feature<G, P>[],
): FeatureCollection<G, P> {
  return { type: 'FeatureCollection', features };
}

export function point<P>(position: LngLat, properties: P): Feature<Point, P> {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: position }, properties };
}

/** An area geometry with every position passed through `toDisplay` (a copy either way). */
export function displayGeometry(
  geometry: AreaGeometry,
  toDisplay: (p: LngLat) => LngLat,
): Polygon | MultiPolygon {
  const ring = (positions: readonly Position[]) =>
    positions.map((p) => toDisplay([p[0] ?? 0, p[1] ?? 0]));
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map(ring) }
    : {
        type: 'MultiPolygon',
        coordinates: geometry.coordinates.map((polygon) => polygon.map(ring)),
      };
}

class Bounds {
  west = Infinity;
  south = Infinity;
  east = -Infinity;
  north = -Infinity;
  add([lng, lat]: Position): void {
    if (lng === undefined || lat === undefined) return;
    if (lng < this.west) this.west = lng;
    if (lng > this.east) this.east = lng;
    if (lat < this.south) this.south = lat;
    if (lat > this.north) this.north = lat;
  }
  addGeometry(geometry: Polygon | MultiPolygon): void {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const polygon of polygons) for (const p of polygon[0] ?? []) this.add(p);
  }
  value(): [number, number, number, number] | null {
    return this.west <= this.east ? [this.west, this.south, this.east, this.north] : null;
  }
}

/**
 * The special-group households this role may see, with whether each is due for a visit. The
 * due rule runs on the visible tags only: a street account that may not see 严重精神障碍患者
 * must not learn of one through a "due" marker either.
 */
export function specialGroupStatus(
  records: Pick<MapRecords, 'taggedResidents' | 'lastVisits'>,
  options: Pick<MapBuildOptions, 'now' | 'role' | 'overrides'>,
): Map<string, { due: boolean }> {
  const seesAll = specialGroupAccess(options.role) === 'all';
  const visible = (tags: readonly string[]) =>
    seesAll ? tags : visibleSpecialGroups(options.role, tags);
  const byHousehold = new Map<string, Resident[]>();
  for (const r of records.taggedResidents) {
    if (r.deleted || r.status !== 'active') continue;
    if (visible(r.tags).length === 0) continue;
    const list = byHousehold.get(r.householdId);
    if (list) list.push(r);
    else byHousehold.set(r.householdId, [r]);
  }
  const result = new Map<string, { due: boolean }>();
  for (const [householdId, residents] of byHousehold) {
    const status = dueStatus(
      {
        householdId,
        residents: residents.map((r) => ({
          id: r.id,
          status: r.status,
          tags: visible(r.tags),
          taggedSince: tagsSinceOf(r),
        })),
        lastVisitAt: records.lastVisits.get(householdId) ?? null,
      },
      options.now,
      options.overrides,
    );
    result.set(householdId, { due: status !== null });
  }
  return result;
}

/** Builds every collection the layers draw, and the per-grid metrics. See the module comment. */
export function buildMapFeatures(records: MapRecords, options: MapBuildOptions): MapFeatures {
  const toDisplay = options.toDisplay ?? ((p: LngLat) => p);
  const nowIso = options.now.toISOString();
  const dayOf = dayNumbers();
  const metrics = new Map<string, GridMetrics>();
  const metricsOf = (gridCode: string | null): GridMetrics | undefined => {
    if (gridCode === null) return undefined;
    let m = metrics.get(gridCode);
    if (!m) metrics.set(gridCode, (m = emptyMetrics()));
    return m;
  };

  const buildingIndex = new Map<string, number>();
  records.buildings.forEach((b, i) => {
    if (!b.deleted) buildingIndex.set(b.id, i);
  });
  const groups = new Map<string, BuildingGroup>();
  const householdIndex = new Map<string, number>();
  const householdBounds = new Bounds();
  records.households.forEach((h, i) => {
    if (h.deleted) return;
    householdIndex.set(h.id, i);
    householdBounds.add(toDisplay(h.location));
    const group = groups.get(h.buildingId);
    if (group) group.households.push(i);
    else
      groups.set(h.buildingId, {
        buildingId: h.buildingId,
        building: records.buildings[buildingIndex.get(h.buildingId) ?? -1],
        households: [i],
      });
    const m = metricsOf(h.gridCode);
    if (m) m.households += 1;
  });
  const buildingGroups = [...groups.values()];
  const buildings = buildingGroups.map((group, i) => {
    const first = records.households[group.households[0] ?? -1];
    const at = group.building?.location ?? first?.location ?? [0, 0];
    return point(toDisplay(at), { i, n: group.households.length });
  });

  const cases: Feature<Point, CaseProps>[] = [];
  records.cases.forEach((c, i) => {
    if (c.deleted) return;
    const open = isOpenCase(c);
    const overdue = open && c.handleDeadline !== null && c.handleDeadline < nowIso;
    const m = metricsOf(c.gridCode);
    if (m && open) m.openCases += 1;
    if (m && overdue) m.overdueCases += 1;
    if (!c.location) return;
    cases.push(
      point(toDisplay(c.location), {
        i,
        k: overdue ? OVERDUE_CLASS : (STATUS_INDEX.get(c.status) ?? -1),
        d: dayOf(c.receivedAt),
        c: c.category.slice(0, 2),
      }),
    );
  });

  const needs: Feature<Point, NeedProps>[] = [];
  records.needs.forEach((n, i) => {
    if (n.deleted) return;
    const h = records.households[householdIndex.get(n.householdId) ?? -1];
    if (!h) return;
    needs.push(point(toDisplay(h.location), { i, u: URGENCIES.indexOf(n.urgency) }));
  });

  const specialGroups: Feature<Point, SpecialGroupProps>[] = [];
  for (const [householdId, { due }] of specialGroupStatus(records, options)) {
    const i = householdIndex.get(householdId);
    const h = i === undefined ? undefined : records.households[i];
    if (i === undefined || !h) continue;
    specialGroups.push(point(toDisplay(h.location), { i, due: due ? 1 : 0 }));
    const m = metricsOf(h.gridCode);
    if (m && due) m.dueSpecial += 1;
  }

  const grids: Feature<Polygon | MultiPolygon | Point, GridProps>[] = [];
  const labels: Feature<Point, GridProps>[] = [];
  const gridBounds = new Bounds();
  for (const unit of records.orgUnits) {
    if (unit.deleted || unit.level !== 'grid' || !unit.boundary) continue;
    const geometry = displayGeometry(unit.boundary, toDisplay);
    const own = new Bounds();
    own.addGeometry(geometry);
    gridBounds.addGeometry(geometry);
    const properties: GridProps = {
      code: unit.code,
      name: unit.name,
      ...(metrics.get(unit.code) ?? emptyMetrics()),
    };
    grids.push({ type: 'Feature', geometry, properties });
    const box = own.value();
    const label = unit.labelPoint
      ? toDisplay(unit.labelPoint)
      : box && ([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] satisfies LngLat);
    if (label) labels.push(point(label, properties));
  }

  return {
    grids: collection([...grids, ...labels]),
    buildings: collection(buildings),
    buildingGroups,
    cases: collection(cases),
    needs: collection(needs),
    specialGroups: collection(specialGroups),
    metrics,
    bounds: gridBounds.value() ?? householdBounds.value(),
  };
}

/**
 * Class breaks for a choropleth: up to five classes by quantiles of the grids' values (ascending,
 * distinct, each break the lower bound of its class). Quantiles, not equal steps, because one
 * grid with a market street would otherwise squash all the others into the first colour.
 */
export function choroplethBreaks(values: readonly number[], classes = 5): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [0];
  const breaks: number[] = [];
  for (let k = 0; k < classes; k += 1) {
    const value = sorted[Math.floor((k * sorted.length) / classes)] ?? 0;
    if (breaks.length === 0 || value > (breaks[breaks.length - 1] ?? -Infinity)) breaks.push(value);
  }
  return breaks;
}
