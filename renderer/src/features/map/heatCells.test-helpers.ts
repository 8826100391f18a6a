// Heat cells for the heat-map tests (not shipped code).
import type { FeatureCollection, Point } from 'geojson';
import type { HeatProps } from './caseView';

/** `caseView`'s heat cells: one point per `[lng, lat, n]`, `n` cases in the cell. */
export function cells(
  ...list: [lng: number, lat: number, n: number][]
): FeatureCollection<Point, HeatProps> {
  return {
    type: 'FeatureCollection',
    features: list.map(([lng, lat, n]) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lng, lat] },
      properties: { n },
    })),
  };
}
