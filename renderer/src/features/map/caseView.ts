import type { Feature, FeatureCollection, Point } from 'geojson';
import { type CaseProps, collection, point } from './mapData';

/**
 * The case layers' data under the screen's filters: which cases are on the map, the heat map's
 * cells, and whether there are so many that they are grouped at street zoom.
 */

/** Filters of the case layers (points and heat map), applied here rather than in the style. */
export interface CaseFilter {
  /** Only cases received in the last N days; null = all. */
  windowDays: number | null;
  /** Top-level matter category (2 digits); null = all. */
  category: string | null;
}

/** A heat-map cell: how many (filtered) cases fall into it (`heatRaster` draws them). */
export interface HeatProps {
  n: number;
}

/** The case layers' data under the current filters. */
export interface CaseView {
  points: FeatureCollection<Point, CaseProps>;
  heat: FeatureCollection<Point, HeatProps>;
  /** Whether the points are many enough to be grouped at street zoom (`CASE_CLUSTER_THRESHOLD`). */
  clustered: boolean;
}

/**
 * Above this many cases on the map, they are grouped at street-overview zooms: a street's 90 days
 * (~37k cases) drawn one circle each are an unreadable blot that costs seconds per frame; a grid
 * worker's or a small street's few thousand stay readable, each in its status colour.
 */
export const CASE_CLUSTER_THRESHOLD = 5000;

/** Heat-map cell size in degrees (~25 m in Beijing): finer than the heat kernel (σ = 32 m). */
const HEAT_CELL_LNG = 0.0003;
const HEAT_CELL_LAT = 0.00022;

/**
 * The case layers' data for a filter. Filtering here (one pass over the features) instead of
 * with a style filter keeps the map's workers from indexing cases nobody sees, and the heat map
 * gets one weighted point per ~25 m cell instead of one per case: `heatRaster` splats ~1,600
 * kernels for a street's 90 days instead of ~37k, for the same picture.
 */
export function caseView(
  cases: FeatureCollection<Point, CaseProps>,
  filter: CaseFilter,
  today: number,
): CaseView {
  const from = filter.windowDays === null ? -Infinity : today - filter.windowDays;
  const points: Feature<Point, CaseProps>[] = [];
  const cells = new Map<number, { n: number; lng: number; lat: number }>();
  for (const f of cases.features) {
    const p = f.properties;
    if (p.d <= from || (filter.category !== null && p.c !== filter.category)) continue;
    points.push(f);
    const [lng = 0, lat = 0] = f.geometry.coordinates;
    const x = Math.floor(lng / HEAT_CELL_LNG);
    const y = Math.floor(lat / HEAT_CELL_LAT);
    const key = x * 4_000_000 + y;
    const cell = cells.get(key);
    if (cell) {
      cell.n += 1;
      cell.lng += lng;
      cell.lat += lat;
    } else cells.set(key, { n: 1, lng, lat });
  }
  const heat: Feature<Point, HeatProps>[] = [];
  // Each cell's point is the mean of its cases, so a lone case stays where it is.
  for (const cell of cells.values())
    heat.push(point([cell.lng / cell.n, cell.lat / cell.n], { n: cell.n }));
  return {
    points: collection(points),
    heat: collection(heat),
    clustered: points.length > CASE_CLUSTER_THRESHOLD,
  };
}
