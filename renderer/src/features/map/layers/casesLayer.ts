import type { ExpressionSpecification } from 'maplibre-gl';
import { MAP_FONT } from '../fontFaces';
import { CASE_STATUSES, OVERDUE_CLASS } from '../mapData';
import { LAYER_IDS, SOURCE_IDS } from '../mapIds';
import {
  CASE_CLUSTER_COLOR,
  CASE_CLUSTER_TEXT,
  CASE_OVERDUE_COLOR,
  CASE_STATUS_COLORS,
  MAP_COLORS,
} from '../palette';
import { isCluster, notCluster } from './filters';
import { type MapLayerModule, removeIds, setSourceClustered, setSourceData } from './types';

/**
 * When there are many cases (`CaseView.clustered`), they are grouped at street-overview zooms
 * (a whole street fits at ~13.9); from zoom 14 each case is a point coloured by status.
 */
export const CASE_CLUSTER_MAX_ZOOM = 13;

/** `k` (status index, or the overdue class) → colour. */
export function caseColor(): ExpressionSpecification {
  const pairs = CASE_STATUSES.flatMap((status, k) => [k, CASE_STATUS_COLORS[status]]);
  return ['match', ['get', 'k'], OVERDUE_CLASS, CASE_OVERDUE_COLOR, ...pairs, '#000000'];
}

/**
 * 案件 (接诉即办 cases) as points coloured by status; open cases past their handling deadline in
 * the overdue red. Many cases are grouped at street zoom (see `CASE_CLUSTER_THRESHOLD`), each
 * group ringed red when it holds an overdue case; a click on a group zooms into it. Only cases
 * that pass the screen's time window and category filter are here (`caseView`).
 */
export const casesLayer: MapLayerModule = {
  key: 'cases',
  sourceIds: [SOURCE_IDS.cases],
  layerIds: [LAYER_IDS.caseCluster, LAYER_IDS.caseClusterCount, LAYER_IDS.casePoint],
  interactiveLayerIds: [LAYER_IDS.casePoint, LAYER_IDS.caseCluster],
  clusterLayers: { [LAYER_IDS.caseCluster]: SOURCE_IDS.cases },
  inputs: (data) => [data.cases.points],
  add(map, { data, beforeId }) {
    map.addSource(SOURCE_IDS.cases, {
      type: 'geojson',
      data: data.cases.points,
      cluster: data.cases.clustered,
      clusterRadius: 30,
      clusterMaxZoom: CASE_CLUSTER_MAX_ZOOM,
      clusterProperties: {
        overdue: ['+', ['case', ['==', ['get', 'k'], OVERDUE_CLASS], 1, 0]],
      },
    });
    map.addLayer(
      {
        id: LAYER_IDS.caseCluster,
        type: 'circle',
        source: SOURCE_IDS.cases,
        filter: isCluster(),
        paint: {
          'circle-color': CASE_CLUSTER_COLOR,
          'circle-opacity': 0.85,
          'circle-radius': ['step', ['get', 'point_count'], 9, 20, 12, 100, 15, 500, 19],
          'circle-stroke-color': [
            'case',
            ['>', ['get', 'overdue'], 0],
            CASE_OVERDUE_COLOR,
            MAP_COLORS.pointStroke,
          ],
          'circle-stroke-width': ['case', ['>', ['get', 'overdue'], 0], 2.5, 1],
        },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LAYER_IDS.caseClusterCount,
        type: 'symbol',
        source: SOURCE_IDS.cases,
        filter: isCluster(),
        layout: {
          'text-field': ['get', 'point_count_abbreviated'],
          'text-font': [MAP_FONT],
          'text-size': 10,
          'text-allow-overlap': true,
        },
        paint: { 'text-color': CASE_CLUSTER_TEXT },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LAYER_IDS.casePoint,
        type: 'circle',
        source: SOURCE_IDS.cases,
        filter: notCluster(),
        paint: {
          'circle-color': caseColor(),
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 14, 4, 18, 7],
          'circle-stroke-color': MAP_COLORS.pointStroke,
          'circle-stroke-width': 1,
        },
      },
      beforeId,
    );
  },
  remove(map) {
    removeIds(map, this.layerIds, this.sourceIds);
  },
  setData(map, data) {
    setSourceData(map, SOURCE_IDS.cases, data.cases.points);
    setSourceClustered(map, SOURCE_IDS.cases, data.cases.clustered);
  },
  setOptions() {
    // Filtering happens before the data gets here (`caseView`).
  },
};
