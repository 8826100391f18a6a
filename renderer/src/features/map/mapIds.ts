/**
 * Every MapLibre source and layer id of the map screen, in one place (STYLE: "every layer/source
 * id in one place"). A layer module adds and removes exactly the ids listed under its key, and the
 * registry test checks that no id is used twice. Basemap ids (settings → 底图) are prefixed
 * `basemap-` by their own module and never collide with these.
 */
export const SOURCE_IDS = {
  districts: 'gw-districts',
  streets: 'gw-streets',
  grids: 'gw-grids',
  buildings: 'gw-buildings',
  cases: 'gw-cases',
  heat: 'gw-heat',
  needs: 'gw-needs',
  specialGroups: 'gw-special-groups',
} as const;

export const LAYER_IDS = {
  districtLine: 'gw-district-line',
  streetLine: 'gw-street-line',
  streetLabel: 'gw-street-label',
  gridFill: 'gw-grid-fill',
  gridLine: 'gw-grid-line',
  gridSelected: 'gw-grid-selected',
  gridLabel: 'gw-grid-label',
  buildingCluster: 'gw-building-cluster',
  buildingCount: 'gw-building-count',
  buildingPoint: 'gw-building-point',
  heat: 'gw-heat',
  caseCluster: 'gw-case-cluster',
  caseClusterCount: 'gw-case-cluster-count',
  casePoint: 'gw-case-point',
  needPoint: 'gw-need-point',
  specialGroupPoint: 'gw-special-group-point',
} as const;

export type SourceId = (typeof SOURCE_IDS)[keyof typeof SOURCE_IDS];
export type LayerId = (typeof LAYER_IDS)[keyof typeof LAYER_IDS];

/** The background layer of the offline style (always there, under everything). */
export const BACKGROUND_LAYER_ID = 'gw-background';
