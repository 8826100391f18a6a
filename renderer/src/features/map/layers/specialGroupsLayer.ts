import { LAYER_IDS, SOURCE_IDS } from '../mapIds';
import { MAP_COLORS } from '../palette';
import { type MapLayerModule, removeIds, setSourceData } from './types';

/**
 * 特殊群体 households (only for roles allowed to see them: the screen offers this layer only when
 * `canSeeSpecialGroups(role)`, and `mapData` keeps only visible tags). Due for a visit: amber ring.
 */
export const specialGroupsLayer: MapLayerModule = {
  key: 'specialGroups',
  sourceIds: [SOURCE_IDS.specialGroups],
  layerIds: [LAYER_IDS.specialGroupPoint],
  interactiveLayerIds: [LAYER_IDS.specialGroupPoint],
  inputs: (data) => [data.features.specialGroups],
  add(map, { data, beforeId }) {
    map.addSource(SOURCE_IDS.specialGroups, {
      type: 'geojson',
      data: data.features.specialGroups,
    });
    map.addLayer(
      {
        id: LAYER_IDS.specialGroupPoint,
        type: 'circle',
        source: SOURCE_IDS.specialGroups,
        paint: {
          'circle-color': MAP_COLORS.specialGroup,
          'circle-radius': 5,
          'circle-stroke-color': [
            'case',
            ['==', ['get', 'due'], 1],
            MAP_COLORS.specialGroupDue,
            MAP_COLORS.pointStroke,
          ],
          'circle-stroke-width': ['case', ['==', ['get', 'due'], 1], 3, 1],
          'circle-translate': [-6, -6],
        },
      },
      beforeId,
    );
  },
  remove(map) {
    removeIds(map, this.layerIds, this.sourceIds);
  },
  setData(map, data) {
    setSourceData(map, SOURCE_IDS.specialGroups, data.features.specialGroups);
  },
  setOptions() {
    // Not filtered by the controls.
  },
};
