import { describe, expect, it } from 'vitest';
import { BACKGROUND_LAYER_ID, LAYER_IDS, SOURCE_IDS } from '../mapIds';
import { LAYER_MODULES, LayerManager } from './registry';
import { FakeMap, emptyFeatures } from './fakeMap.test-helpers';
import { LAYER_KEYS, type LayerData, type LayerOptions } from './types';

const empty = { type: 'FeatureCollection' as const, features: [] };
const features = emptyFeatures();
const data: LayerData = {
  features,
  boundaries: { districts: empty, streets: empty, attribution: '' },
  cases: { points: empty, heat: empty, clustered: false },
};
const options: LayerOptions = {
  choropleth: { metric: 'openCases', breaks: [0, 3, 9] },
  selectedGrid: null,
};

describe('layer registry', () => {
  it('has one module per switchable layer, in stacking order', () => {
    expect(LAYER_MODULES.map((m) => m.key)).toEqual([...LAYER_KEYS]);
  });

  it('uses every id once, and only ids from mapIds', () => {
    const layerIds = LAYER_MODULES.flatMap((m) => m.layerIds);
    const sourceIds = LAYER_MODULES.flatMap((m) => m.sourceIds);
    expect(new Set(layerIds).size).toBe(layerIds.length);
    expect(new Set(sourceIds).size).toBe(sourceIds.length);
    expect(new Set(layerIds)).toEqual(new Set(Object.values(LAYER_IDS)));
    expect(new Set(sourceIds)).toEqual(new Set(Object.values(SOURCE_IDS)));
    expect(layerIds).not.toContain(BACKGROUND_LAYER_ID);
    for (const m of LAYER_MODULES)
      for (const id of m.interactiveLayerIds) expect(m.layerIds).toContain(id);
  });

  it.each(LAYER_MODULES.map((m) => [m.key, m] as const))(
    '%s adds exactly its own ids and removes all of them',
    (_key, module) => {
      const map = new FakeMap();
      map.addSource('basemap-x', { type: 'geojson', data: empty });
      map.addLayer({ id: 'basemap-layer', type: 'line', source: 'basemap-x' });
      module.add(map, { data, options });
      expect([...map.sources.keys()].filter((id) => id !== 'basemap-x').sort()).toEqual(
        [...module.sourceIds].sort(),
      );
      expect(
        map.layers
          .map((l) => l.id)
          .filter((id) => id !== 'basemap-layer')
          .sort(),
      ).toEqual([...module.layerIds].sort());
      // Data and controls reach only its own sources and layers (the fake throws otherwise).
      module.setData(map, data);
      module.setOptions(map, options);
      module.remove(map);
      expect([...map.sources.keys()]).toEqual(['basemap-x']);
      expect(map.layers.map((l) => l.id)).toEqual(['basemap-layer']);
      // Nothing of it is left listening to the map.
      expect(map.listenerCount()).toBe(0);
    },
  );

  it('keeps the stacking order whatever order layers are switched on in', () => {
    const map = new FakeMap();
    const manager = new LayerManager(map, data, options);
    manager.show(['cases']);
    manager.show(['cases', 'grids']);
    manager.show(['cases', 'grids', 'heat', 'boundaries']);
    const order = map.layers.map((l) => l.id);
    const expected = LAYER_MODULES.filter((m) =>
      ['boundaries', 'grids', 'heat', 'cases'].includes(m.key),
    ).flatMap((m) => m.layerIds);
    expect(order).toEqual(expected);
    expect(manager.interactiveLayerIds()).toEqual([
      LAYER_IDS.casePoint,
      LAYER_IDS.caseCluster,
      LAYER_IDS.gridFill,
    ]);

    manager.show(['grids']);
    expect(map.layers.map((l) => l.id)).toEqual(
      LAYER_MODULES.find((m) => m.key === 'grids')?.layerIds,
    );
    expect([...map.sources.keys()]).toEqual([SOURCE_IDS.grids]);
  });

  it('hands new data only to layers that are on and whose inputs changed', () => {
    const map = new FakeMap();
    const manager = new LayerManager(map, data, options);
    manager.show(['grids', 'cases', 'heat']);
    // The heat map shows its image once the other sources have loaded (they have: a frame
    // later); adding a layer may hand its source data already: start counting here.
    map.emit('render');
    map.data.clear();
    manager.setData({ ...data });
    expect(map.data.size).toBe(0);
    const cases = { points: { ...empty }, heat: { ...empty }, clustered: false };
    manager.setData({ ...data, cases: { ...cases, heat: data.cases.heat } });
    expect([...map.data.keys()]).toEqual([SOURCE_IDS.cases]);
    manager.setData({ ...data, cases });
    expect([...map.data.keys()].sort()).toEqual([SOURCE_IDS.cases, SOURCE_IDS.heat].sort());
    manager.setOptions({ ...options, selectedGrid: '110101010001001' });
    expect(map.filters.get(LAYER_IDS.gridSelected)).toEqual([
      'all',
      ['!=', ['geometry-type'], 'Point'],
      ['==', ['get', 'code'], '110101010001001'],
    ]);
    expect(manager.clusterSource(LAYER_IDS.caseCluster)).toBe(SOURCE_IDS.cases);
    expect(manager.clusterSource(LAYER_IDS.buildingCluster)).toBe(SOURCE_IDS.buildings);
    expect(manager.clusterSource(LAYER_IDS.casePoint)).toBeUndefined();
    manager.clear();
    expect(map.layers).toEqual([]);
    expect(map.sources.size).toBe(0);
    expect(map.listenerCount()).toBe(0);
  });
});
