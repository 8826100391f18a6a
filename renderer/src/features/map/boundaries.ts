import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { type BoundaryFeature, districtOutlines, streetFeatures } from '@shared/data/beijing';
import type { OrgUnit } from '@shared/domain/org';
import type { LngLat } from './display';
import type { BoundaryData } from './layers/types';
import { displayGeometry } from './mapData';

interface Outline {
  code: string;
  name: string;
  geometry: BoundaryFeature['geometry'];
  labelPoint: readonly [number, number] | undefined;
}

/** Polygons plus one label point each (the layers split them by geometry type). */
export function outlineCollection(
  outlines: readonly Outline[],
  toDisplay: (p: LngLat) => LngLat,
): FeatureCollection {
  const features: Feature<Geometry, { code: string; name: string }>[] = [];
  for (const o of outlines) {
    const properties = { code: o.code, name: o.name };
    features.push({
      type: 'Feature',
      geometry: displayGeometry(o.geometry, toDisplay),
      properties,
    });
    if (o.labelPoint)
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: toDisplay([o.labelPoint[0], o.labelPoint[1]]) },
        properties,
      });
  }
  return { type: 'FeatureCollection', features };
}

/** Credit for shared/data/beijing's outlines (MIT); the screen passes a translated one. */
export const BOUNDARY_ATTRIBUTION = 'bj-subdistricts (MIT) · 示意';

let districtsOnce: ReturnType<typeof districtOutlines> | null = null;

/**
 * Starts reading (and validating) the shipped district outlines, once per session: 0.9 MB that
 * take a while to check, so the map screen starts this before it reads the database.
 */
export function preloadBoundaries(): ReturnType<typeof districtOutlines> {
  districtsOnce ??= districtOutlines();
  return districtsOnce;
}

/** The 12-digit district code of any org unit code (district 6 digits, then zeros). */
const districtOf = (code: string) => `${code.slice(0, 6)}000000`;

/**
 * The reference outlines from shared/data/beijing: the outline of each district the device's
 * org units belong to (all 16 when there are none yet), and the shipped street polygons (东城区)
 * plus the boundary of any street on this device that the shipped file does not have (a street
 * office elsewhere brings its own through sync). Only the user's districts: the 16 outlines are
 * 0.9 MB of vertices that the map would otherwise cut into tiles on every zoom.
 */
export async function loadBoundaries(
  orgUnits: readonly OrgUnit[],
  toDisplay: (p: LngLat) => LngLat,
  attribution = BOUNDARY_ATTRIBUTION,
): Promise<BoundaryData> {
  const mine = new Set(orgUnits.filter((u) => !u.deleted).map((u) => districtOf(u.code)));
  const all = await preloadBoundaries();
  const districts = mine.size > 0 ? all.filter((d) => mine.has(d.code)) : all;
  const streets: Outline[] = [...streetFeatures()];
  const shipped = new Set(streets.map((s) => s.code));
  for (const unit of orgUnits)
    if (unit.level === 'street' && unit.boundary && !unit.deleted && !shipped.has(unit.code))
      streets.push({ ...unit, geometry: unit.boundary, labelPoint: unit.labelPoint });
  return {
    districts: outlineCollection(districts, toDisplay),
    streets: outlineCollection(streets, toDisplay),
    attribution,
  };
}
