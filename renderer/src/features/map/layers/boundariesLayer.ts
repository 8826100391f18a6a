import { MAP_FONT } from '../fontFaces';
import { isArea, isPoint } from './filters';
import { LAYER_IDS, SOURCE_IDS } from '../mapIds';
import { MAP_COLORS } from '../palette';
import { type MapLayerModule, removeIds, setSourceData } from './types';

/**
 * District and street outlines from shared/data/beijing (real, public data whose accuracy upstream
 * does not guarantee: the legend and attribution mark it 示意). Street names at their label points.
 */
export const boundariesLayer: MapLayerModule = {
  key: 'boundaries',
  sourceIds: [SOURCE_IDS.districts, SOURCE_IDS.streets],
  layerIds: [LAYER_IDS.districtLine, LAYER_IDS.streetLine, LAYER_IDS.streetLabel],
  interactiveLayerIds: [],
  inputs: (data) => [data.boundaries.districts, data.boundaries.streets],
  add(map, { data, beforeId }) {
    map.addSource(SOURCE_IDS.districts, {
      type: 'geojson',
      data: data.boundaries.districts,
      attribution: data.boundaries.attribution,
    });
    map.addSource(SOURCE_IDS.streets, { type: 'geojson', data: data.boundaries.streets });
    map.addLayer(
      {
        id: LAYER_IDS.districtLine,
        type: 'line',
        source: SOURCE_IDS.districts,
        filter: isArea(),
        paint: { 'line-color': MAP_COLORS.districtLine, 'line-width': 2.5, 'line-opacity': 0.8 },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LAYER_IDS.streetLine,
        type: 'line',
        source: SOURCE_IDS.streets,
        filter: isArea(),
        paint: {
          'line-color': MAP_COLORS.streetLine,
          'line-width': 1.5,
          'line-dasharray': [4, 2],
        },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LAYER_IDS.streetLabel,
        type: 'symbol',
        source: SOURCE_IDS.streets,
        filter: isPoint(),
        maxzoom: 15,
        layout: {
          'text-field': ['get', 'name'],
          'text-font': [MAP_FONT],
          'text-size': 14,
        },
        paint: {
          'text-color': MAP_COLORS.streetLabel,
          'text-halo-color': MAP_COLORS.labelHalo,
          'text-halo-width': 1.5,
        },
      },
      beforeId,
    );
  },
  remove(map) {
    removeIds(map, this.layerIds, this.sourceIds);
  },
  setData(map, data) {
    setSourceData(map, SOURCE_IDS.districts, data.boundaries.districts);
    setSourceData(map, SOURCE_IDS.streets, data.boundaries.streets);
  },
  setOptions() {
    // Nothing on this layer depends on the controls.
  },
};
