import { MAP_FONT } from '../fontFaces';
import { LAYER_IDS, SOURCE_IDS } from '../mapIds';
import { MAP_COLORS } from '../palette';
import { isCluster, notCluster } from './filters';
import { type MapLayerModule, removeIds, setSourceData } from './types';

/** Buildings stay grouped up to this zoom; above it every building is its own point. */
export const BUILDING_CLUSTER_MAX_ZOOM = 15;

/**
 * 人房户: buildings (楼栋) with their household counts, grouped at street zoom (MapLibre GeoJSON
 * clustering, in a worker); the numbers are households, summed over a group. A click on a group
 * zooms into it; a click on a building opens its households.
 */
export const householdsLayer: MapLayerModule = {
  key: 'households',
  sourceIds: [SOURCE_IDS.buildings],
  layerIds: [LAYER_IDS.buildingCluster, LAYER_IDS.buildingPoint, LAYER_IDS.buildingCount],
  interactiveLayerIds: [LAYER_IDS.buildingPoint, LAYER_IDS.buildingCluster],
  clusterLayers: { [LAYER_IDS.buildingCluster]: SOURCE_IDS.buildings },
  inputs: (data) => [data.features.buildings],
  add(map, { data, beforeId }) {
    map.addSource(SOURCE_IDS.buildings, {
      type: 'geojson',
      data: data.features.buildings,
      cluster: true,
      clusterRadius: 40,
      clusterMaxZoom: BUILDING_CLUSTER_MAX_ZOOM,
      clusterProperties: { n: ['+', ['get', 'n']] },
    });
    map.addLayer(
      {
        id: LAYER_IDS.buildingCluster,
        type: 'circle',
        source: SOURCE_IDS.buildings,
        filter: isCluster(),
        paint: {
          'circle-color': MAP_COLORS.householdCluster,
          'circle-opacity': 0.75,
          'circle-radius': ['step', ['get', 'n'], 10, 200, 14, 1000, 18, 5000, 24],
          'circle-stroke-color': MAP_COLORS.household,
          'circle-stroke-width': 1,
        },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LAYER_IDS.buildingPoint,
        type: 'circle',
        source: SOURCE_IDS.buildings,
        filter: notCluster(),
        paint: {
          'circle-color': MAP_COLORS.household,
          'circle-radius': ['step', ['get', 'n'], 6, 20, 8, 60, 10],
          'circle-stroke-color': MAP_COLORS.pointStroke,
          'circle-stroke-width': 1,
        },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LAYER_IDS.buildingCount,
        type: 'symbol',
        source: SOURCE_IDS.buildings,
        layout: {
          'text-field': ['to-string', ['get', 'n']],
          'text-font': [MAP_FONT],
          'text-size': 10,
          'text-allow-overlap': true,
        },
        paint: {
          'text-color': [
            'case',
            ['has', 'point_count'],
            MAP_COLORS.householdClusterText,
            MAP_COLORS.labelHalo,
          ],
        },
      },
      beforeId,
    );
  },
  remove(map) {
    removeIds(map, this.layerIds, this.sourceIds);
  },
  setData(map, data) {
    setSourceData(map, SOURCE_IDS.buildings, data.features.buildings);
  },
  setOptions() {
    // Buildings are not filtered by the controls.
  },
};
