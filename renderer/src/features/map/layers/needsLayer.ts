import { LAYER_IDS, SOURCE_IDS } from '../mapIds';
import { MAP_COLORS } from '../palette';
import { type MapLayerModule, removeIds, setSourceData } from './types';

/** 需求 (needs found on visits) at their household, bigger when more urgent. */
export const needsLayer: MapLayerModule = {
  key: 'needs',
  sourceIds: [SOURCE_IDS.needs],
  layerIds: [LAYER_IDS.needPoint],
  interactiveLayerIds: [LAYER_IDS.needPoint],
  inputs: (data) => [data.features.needs],
  add(map, { data, beforeId }) {
    map.addSource(SOURCE_IDS.needs, { type: 'geojson', data: data.features.needs });
    map.addLayer(
      {
        id: LAYER_IDS.needPoint,
        type: 'circle',
        source: SOURCE_IDS.needs,
        paint: {
          'circle-color': MAP_COLORS.need,
          'circle-radius': ['+', 4, ['get', 'u']],
          'circle-stroke-color': MAP_COLORS.pointStroke,
          'circle-stroke-width': 1.5,
          // Drawn beside (not on) the household's own point, which sits at the same position.
          'circle-translate': [6, -6],
        },
      },
      beforeId,
    );
  },
  remove(map) {
    removeIds(map, this.layerIds, this.sourceIds);
  },
  setData(map, data) {
    setSourceData(map, SOURCE_IDS.needs, data.features.needs);
  },
  setOptions() {
    // Needs are not filtered by the controls.
  },
};
