import type { FilterSpecification } from 'maplibre-gl';

/** Expressions several layer modules share (fresh arrays each call: MapLibre may keep them). */

export function isPoint(): FilterSpecification {
  return ['==', ['geometry-type'], 'Point'];
}

export function isArea(): FilterSpecification {
  return ['!=', ['geometry-type'], 'Point'];
}

export function isCluster(): FilterSpecification {
  return ['has', 'point_count'];
}

export function notCluster(): FilterSpecification {
  return ['!', ['has', 'point_count']];
}
