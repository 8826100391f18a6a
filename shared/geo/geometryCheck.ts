import { booleanValid, cleanCoords, kinks } from '@turf/turf';
import type { Polygon } from 'geojson';
import type { AreaGeometry } from '../domain/common';
import type { GeometryIssue } from './gridIssues';

/**
 * Checks of one area geometry, in two passes: {@link geometryIssues} reads an untrusted value
 * (structure, closed rings, WGS-84 ranges), {@link topologyIssues} looks at a structurally sound
 * polygon (self-intersections, holes). Shared by the app's grid import and editor and the
 * server's org importer, so a boundary is judged the same everywhere.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ringIssues(ring: unknown, params: Record<string, number>): GeometryIssue[] {
  if (!Array.isArray(ring) || ring.length < 4) return [{ code: 'ring-too-short', params }];
  for (const [i, position] of ring.entries()) {
    const [lng, lat]: unknown[] = Array.isArray(position) ? position : [];
    const at = { ...params, position: i + 1 };
    if (
      typeof lng !== 'number' ||
      typeof lat !== 'number' ||
      !Number.isFinite(lng) ||
      !Number.isFinite(lat)
    ) {
      return [{ code: 'position-invalid', params: at }];
    }
    if (lng < -180 || lng > 180 || lat < -90 || lat > 90) {
      // One per ring: a projected file would otherwise list every position.
      return [{ code: 'out-of-range', params: { ...at, lng, lat } }];
    }
  }
  const first: unknown = ring[0];
  const last: unknown = ring[ring.length - 1];
  if (JSON.stringify(first) !== JSON.stringify(last)) return [{ code: 'ring-open', params }];
  return [];
}

/**
 * Structural problems of a value that should be a WGS-84 Polygon or MultiPolygon: its type,
 * rings of at least 4 positions, numeric `[lng, lat]` positions within ±180/±90, closed rings.
 * Empty when the value can be used as an {@link AreaGeometry}.
 */
export function geometryIssues(geometry: unknown): GeometryIssue[] {
  if (geometry === null || geometry === undefined)
    return [{ code: 'geometry-missing', params: {} }];
  if (!isRecord(geometry)) return [{ code: 'geometry-not-object', params: {} }];
  const type = geometry.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return [{ code: 'geometry-type', params: { type: JSON.stringify(type) ?? 'undefined' } }];
  }
  const coordinates = geometry.coordinates;
  const polygons: unknown[] =
    type === 'Polygon' ? [coordinates] : Array.isArray(coordinates) ? coordinates : [];
  if (!Array.isArray(coordinates) || polygons.length === 0) {
    return [{ code: 'no-coordinates', params: { type } }];
  }
  const issues: GeometryIssue[] = [];
  polygons.forEach((polygon, p) => {
    const base: Record<string, number> = type === 'MultiPolygon' ? { polygon: p + 1 } : {};
    if (!Array.isArray(polygon) || polygon.length === 0) {
      issues.push({ code: 'no-rings', params: base });
      return;
    }
    polygon.forEach((ring: unknown, r) =>
      issues.push(...ringIssues(ring, { ...base, ring: r + 1 })),
    );
  });
  return issues;
}

/** True when {@link geometryIssues} finds nothing: the value is a usable area geometry. */
export function isAreaGeometry(geometry: unknown): geometry is AreaGeometry {
  return geometryIssues(geometry).length === 0;
}

function polygonsOf(geometry: AreaGeometry): Polygon[] {
  return geometry.type === 'Polygon'
    ? [geometry]
    : geometry.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
}

const round7 = (n: number) => Math.round(n * 1e7) / 1e7;

/**
 * Topological problems of a structurally sound geometry: edges that cross (a figure-8, a ring
 * that doubles back) and other invalid polygons (a hole outside its outline). Repeated
 * consecutive positions are not problems: real boundaries have them (和平里街道 does), so they
 * are removed before the test.
 */
export function topologyIssues(geometry: AreaGeometry): GeometryIssue[] {
  const issues: GeometryIssue[] = [];
  polygonsOf(geometry).forEach((polygon, p) => {
    const base: Record<string, number> = geometry.type === 'MultiPolygon' ? { polygon: p + 1 } : {};
    let clean: Polygon;
    try {
      clean = cleanCoords(polygon) as Polygon;
    } catch {
      // cleanCoords refuses rings that collapse below 4 distinct positions.
      issues.push({ code: 'polygon-invalid', params: base });
      return;
    }
    const crossings = kinks(clean).features;
    const first = crossings[0]?.geometry.coordinates;
    if (first && first.length >= 2) {
      const at: [number, number] = [round7(first[0] ?? 0), round7(first[1] ?? 0)];
      issues.push({
        code: 'self-intersection',
        params: { ...base, lng: at[0], lat: at[1], count: crossings.length },
        at,
      });
    } else if (booleanValid(clean) !== true) {
      issues.push({ code: 'polygon-invalid', params: base });
    }
  });
  return issues;
}
