import type { DataDrivenPropertyValueSpecification, FilterSpecification } from 'maplibre-gl';
import { MAP_FONT } from '../fontFaces';
import { LAYER_IDS, SOURCE_IDS } from '../mapIds';
import { CHOROPLETH_COLORS, MAP_COLORS } from '../palette';
import { isArea, isPoint } from './filters';
import { type Choropleth, type MapLayerModule, removeIds, setSourceData } from './types';

/** Fill colour: one light tint, or the choropleth's classes by the chosen metric. */
export function gridFillColor(
  choropleth: Choropleth | null,
): DataDrivenPropertyValueSpecification<string> {
  if (!choropleth || choropleth.breaks.length <= 1)
    return choropleth ? CHOROPLETH_COLORS[0] : MAP_COLORS.gridFill;
  const stops: (number | string)[] = [];
  choropleth.breaks.slice(1).forEach((value, k) => {
    stops.push(value, CHOROPLETH_COLORS[Math.min(k + 1, CHOROPLETH_COLORS.length - 1)] ?? '#000');
  });
  return ['step', ['get', choropleth.metric], CHOROPLETH_COLORS[0], ...stops];
}

/**
 * Without a choropleth the fill is invisible (MapLibre then skips drawing it, a whole-screen
 * pass less per frame) but still there, so a click inside a grid picks it.
 */
function fillOpacity(choropleth: Choropleth | null): number {
  return choropleth ? 0.65 : 0;
}

function selectedFilter(code: string | null): FilterSpecification {
  return ['all', ['!=', ['geometry-type'], 'Point'], ['==', ['get', 'code'], code ?? '']];
}

/** Grid polygons (网格) with their names; optional choropleth; the selected grid outlined. */
export const gridsLayer: MapLayerModule = {
  key: 'grids',
  sourceIds: [SOURCE_IDS.grids],
  layerIds: [LAYER_IDS.gridFill, LAYER_IDS.gridLine, LAYER_IDS.gridSelected, LAYER_IDS.gridLabel],
  interactiveLayerIds: [LAYER_IDS.gridFill],
  inputs: (data) => [data.features.grids],
  add(map, { data, options, beforeId }) {
    map.addSource(SOURCE_IDS.grids, { type: 'geojson', data: data.features.grids });
    map.addLayer(
      {
        id: LAYER_IDS.gridFill,
        type: 'fill',
        source: SOURCE_IDS.grids,
        filter: isArea(),
        paint: {
          'fill-color': gridFillColor(options.choropleth),
          'fill-opacity': fillOpacity(options.choropleth),
        },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LAYER_IDS.gridLine,
        type: 'line',
        source: SOURCE_IDS.grids,
        filter: isArea(),
        paint: { 'line-color': MAP_COLORS.gridLine, 'line-width': 2 },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LAYER_IDS.gridSelected,
        type: 'line',
        source: SOURCE_IDS.grids,
        filter: selectedFilter(options.selectedGrid),
        paint: { 'line-color': MAP_COLORS.gridSelected, 'line-width': 4 },
      },
      beforeId,
    );
    map.addLayer(
      {
        id: LAYER_IDS.gridLabel,
        type: 'symbol',
        source: SOURCE_IDS.grids,
        filter: isPoint(),
        minzoom: 12.5,
        layout: {
          'text-field': ['get', 'name'],
          'text-font': [MAP_FONT],
          'text-size': ['interpolate', ['linear'], ['zoom'], 13, 11, 17, 15],
          'text-max-width': 8,
        },
        paint: {
          'text-color': MAP_COLORS.gridLabel,
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
    setSourceData(map, SOURCE_IDS.grids, data.features.grids);
  },
  setOptions(map, options) {
    if (!map.getLayer(LAYER_IDS.gridFill)) return;
    map.setPaintProperty(LAYER_IDS.gridFill, 'fill-color', gridFillColor(options.choropleth));
    map.setPaintProperty(LAYER_IDS.gridFill, 'fill-opacity', fillOpacity(options.choropleth));
    map.setFilter(LAYER_IDS.gridSelected, selectedFilter(options.selectedGrid));
  },
};
