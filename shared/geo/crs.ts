import gcoord from 'gcoord';
import type { GeoJSON, Geometry, Position } from 'geojson';

/**
 * The three coordinate systems a Beijing street office meets (DESIGN §6). The app stores WGS-84;
 * files and basemaps from Chinese map providers come in GCJ-02 (国测局, 高德/腾讯) or BD-09
 * (百度). The formulas are gcoord's, a maintained library, not ours: GCJ-02 is an obfuscation
 * with no published inverse, and gcoord's inverse is iterative (better than 1e-6°, ~0.1 m).
 *
 * Like gcoord, positions outside China's rough bounding box are left unchanged by the GCJ-02
 * step (the obfuscation only applies inside China); BD-09 still applies its own small shift.
 */
export const CRS_IDS = ['WGS84', 'GCJ02', 'BD09'] as const;
export type Crs = (typeof CRS_IDS)[number];

const GCOORD: Record<Crs, Parameters<typeof gcoord.transform>[1]> = {
  WGS84: gcoord.WGS84,
  GCJ02: gcoord.GCJ02,
  BD09: gcoord.BD09,
};

/** True for one of {@link CRS_IDS}. */
export function isCrs(value: unknown): value is Crs {
  return typeof value === 'string' && (CRS_IDS as readonly string[]).includes(value);
}

/** `[lng, lat]` converted from `from` to `to`; extra ordinates (altitude) are dropped. */
export function convertPosition(position: readonly number[], from: Crs, to: Crs): [number, number] {
  const [lng, lat] = position;
  if (lng === undefined || lat === undefined || !Number.isFinite(lng) || !Number.isFinite(lat)) {
    throw new RangeError(`not a [lng, lat] position: ${JSON.stringify(position)}`);
  }
  if (from === to) return [lng, lat];
  const [x, y] = gcoord.transform([lng, lat], GCOORD[from], GCOORD[to]);
  return [x ?? lng, y ?? lat];
}

// Walks every position of any GeoJSON value, returning a converted copy (gcoord itself mutates
// its input in place; callers here keep their original, e.g. to show the file as read).
function mapPositions(value: unknown, convert: (p: Position) => Position): unknown {
  if (Array.isArray(value)) {
    if (value.length >= 2 && value.every((v) => typeof v === 'number')) return convert(value);
    return value.map((item) => mapPositions(item, convert));
  }
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // `bbox` would be wrong after a shift; `properties` are data, not geometry.
    if (key === 'bbox' || key === 'properties') {
      if (key === 'properties') out[key] = item;
      continue;
    }
    out[key] =
      key === 'coordinates' || key === 'geometry' || key === 'geometries' || key === 'features'
        ? mapPositions(item, convert)
        : item;
  }
  return out;
}

/**
 * A copy of a GeoJSON geometry, Feature or FeatureCollection with every position converted from
 * `from` to `to`. The input is not modified; `bbox` members are dropped (they would be stale).
 * @throws RangeError when a position is not a pair of finite numbers.
 */
export function convertGeoJson<T extends GeoJSON | Geometry>(value: T, from: Crs, to: Crs): T {
  const converted = mapPositions(value, (p) => convertPosition(p, from, to));
  return converted as T;
}
