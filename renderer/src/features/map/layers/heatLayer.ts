import { LAYER_IDS, SOURCE_IDS } from '../mapIds';
import { HEAT_COLORS } from '../palette';
import { type MapLayerModule, removeIds, setSourceData } from './types';

/**
 * 诉求热力图: where requests cluster, under the screen's time window and category filter. Drawn
 * from `caseView`'s heat cells (one weighted point per ~25 m cell) rather than one point per
 * case: the same picture for a fraction of the drawing work.
 */
export const heatLayer: MapLayerModule = {
  key: 'heat',
  sourceIds: [SOURCE_IDS.heat],
  layerIds: [LAYER_IDS.heat],
  interactiveLayerIds: [],
  inputs: (data) => [data.cases.heat],
  add(map, { data, beforeId }) {
    map.addSource(SOURCE_IDS.heat, { type: 'geojson', data: data.cases.heat });
    map.addLayer(
      {
        id: LAYER_IDS.heat,
        type: 'heatmap',
        source: SOURCE_IDS.heat,
        paint: {
          // Weight by the cell's count, with a small factor: a busy building must not saturate
          // the whole scale, so hotspots stay comparable.
          'heatmap-weight': ['*', 0.06, ['get', 'n']],
          'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 11, 0.5, 15, 1, 18, 2],
          'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 11, 10, 15, 30, 18, 60],
          'heatmap-opacity': 0.75,
          'heatmap-color': [
            'interpolate',
            ['linear'],
            ['heatmap-density'],
            0,
            'rgba(0,0,0,0)',
            0.15,
            HEAT_COLORS[0],
            0.4,
            HEAT_COLORS[1],
            0.7,
            HEAT_COLORS[2],
            1,
            HEAT_COLORS[3],
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
    setSourceData(map, SOURCE_IDS.heat, data.cases.heat);
  },
  setOptions() {
    // Filtering happens before the data gets here (`caseView`).
  },
};
