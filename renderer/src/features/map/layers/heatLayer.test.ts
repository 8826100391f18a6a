import type { FeatureCollection, Point } from 'geojson';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HeatProps } from '../caseView';
import { heatRaster } from '../heatRaster';
import { LAYER_IDS, SOURCE_IDS } from '../mapIds';
import { HEAT_OPACITY } from '../palette';
import { FakeMap, emptyFeatures } from './fakeMap.test-helpers';
import { cells } from '../heatCells.test-helpers';
import { LayerManager } from './registry';
import type { LayerData, LayerOptions } from './types';

/**
 * The heat map's image waits, hidden, until the map's other data sources have loaded (so the
 * first idle map is not slowed by drawing it in every loading frame), then shows the latest
 * data; a layer removed while waiting leaves nothing behind.
 */

const empty = { type: 'FeatureCollection' as const, features: [] };
const features = emptyFeatures();
const options: LayerOptions = { choropleth: null, selectedGrid: null };

function dataWith(heat: FeatureCollection<Point, HeatProps>): LayerData {
  return {
    features,
    boundaries: { districts: empty, streets: empty, attribution: '' },
    cases: { points: empty, heat, clustered: false },
  };
}

const ninetyDays = cells([116.4, 39.91, 5], [116.402, 39.912, 2], [116.41, 39.905, 1]);
const allTime = cells([116.4, 39.91, 9], [116.42, 39.93, 4]);

/** What the heat source was last given: the image's size and where it goes. */
function heatImage(map: FakeMap) {
  const given = map.data.get(SOURCE_IDS.heat) as
    { image: { width: number; height: number }; coordinates: unknown } | undefined;
  return given && { width: given.image.width, height: given.image.height, at: given.coordinates };
}

/** The image `heatRaster` makes of the cells, in the same terms. */
function expectedImage(heat: FeatureCollection<Point, HeatProps>) {
  const raster = heatRaster(heat);
  if (!raster) throw new Error('no raster');
  return { width: raster.width, height: raster.height, at: raster.coordinates };
}

const opacity = (map: FakeMap) => map.paint.get(`${LAYER_IDS.heat} raster-opacity`);

describe('heat layer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stays hidden while the other sources load and shows its image once the last has', () => {
    const map = new FakeMap();
    map.loading = new Set([SOURCE_IDS.grids, SOURCE_IDS.cases]);
    new LayerManager(map, dataWith(ninetyDays), options).show(['grids', 'heat', 'cases']);
    // On the map (so layers above can stack on it), but not drawn.
    expect(map.getLayer(LAYER_IDS.heat)).toBeDefined();
    expect(opacity(map)).toBe(0);

    map.emit('render');
    map.emit('sourcedata');
    expect(opacity(map)).toBe(0);
    // The image is computed ahead, in a task of its own, and held by the hidden source.
    vi.runAllTimers();
    expect(heatImage(map)).toEqual(expectedImage(ninetyDays));
    expect(opacity(map)).toBe(0);

    map.loading.delete(SOURCE_IDS.grids);
    map.emit('sourcedata');
    expect(opacity(map)).toBe(0);
    map.loading.delete(SOURCE_IDS.cases);
    map.emit('sourcedata');
    expect(opacity(map)).toBe(HEAT_OPACITY);
    expect(heatImage(map)).toEqual(expectedImage(ninetyDays));
    // Done waiting: no listener is left on the map.
    expect(map.listenerCount()).toBe(0);
  });

  it('waits for sources added after it, and shows after a frame when none is loading', () => {
    const map = new FakeMap();
    const manager = new LayerManager(map, dataWith(ninetyDays), options);
    manager.show(['heat']);
    map.loading.add(SOURCE_IDS.cases);
    manager.show(['heat', 'cases']);
    map.emit('render');
    expect(opacity(map)).toBe(0);
    map.loading.clear();
    // A source that finishes with no event of its own is seen after the next frame.
    map.emit('render');
    expect(opacity(map)).toBe(HEAT_OPACITY);
  });

  it('shows the data of the latest filters, and draws each change after that at once', () => {
    const map = new FakeMap();
    map.loading.add(SOURCE_IDS.cases);
    const manager = new LayerManager(map, dataWith(ninetyDays), options);
    manager.show(['heat', 'cases']);
    vi.runAllTimers();
    expect(heatImage(map)).toEqual(expectedImage(ninetyDays));
    // The window changes while the cases still load: the new cells are what shows.
    manager.setData(dataWith(allTime));
    map.loading.clear();
    map.emit('sourcedata');
    expect(opacity(map)).toBe(HEAT_OPACITY);
    expect(heatImage(map)).toEqual(expectedImage(allTime));

    manager.setData(dataWith(ninetyDays));
    expect(heatImage(map)).toEqual(expectedImage(ninetyDays));
    // No case under the filters: a blank image (and still a loaded source).
    manager.setData(dataWith(cells()));
    expect(heatImage(map)).toMatchObject({ width: 1, height: 1 });
  });

  it('removed while it waits, it never shows later, and on again it waits anew', () => {
    const map = new FakeMap();
    map.loading.add(SOURCE_IDS.cases);
    const manager = new LayerManager(map, dataWith(ninetyDays), options);
    manager.show(['cases', 'heat']);
    manager.show(['cases']);
    expect(map.listenerCount()).toBe(0);
    map.loading.clear();
    // Neither the timer nor the events touch the map again (the fake throws on a missing
    // layer, and would record data for a source).
    vi.runAllTimers();
    map.emit('sourcedata');
    map.emit('render');
    expect(map.getSource(SOURCE_IDS.heat)).toBeUndefined();
    expect(map.data.has(SOURCE_IDS.heat)).toBe(false);
    expect(map.calls.filter((c) => c.endsWith(LAYER_IDS.heat))).toEqual([
      `addSource ${SOURCE_IDS.heat}`,
      `addLayer ${LAYER_IDS.heat}`,
      `removeLayer ${LAYER_IDS.heat}`,
      `removeSource ${SOURCE_IDS.heat}`,
    ]);

    map.loading.add(SOURCE_IDS.cases);
    manager.show(['cases', 'heat']);
    map.emit('render');
    expect(opacity(map)).toBe(0);
    map.loading.clear();
    map.emit('sourcedata');
    expect(opacity(map)).toBe(HEAT_OPACITY);
    expect(heatImage(map)).toEqual(expectedImage(ninetyDays));
  });

  it('waits on each map by itself', () => {
    const first = new FakeMap();
    const second = new FakeMap();
    first.loading.add(SOURCE_IDS.cases);
    second.loading.add(SOURCE_IDS.cases);
    new LayerManager(first, dataWith(ninetyDays), options).show(['heat', 'cases']);
    new LayerManager(second, dataWith(allTime), options).show(['heat', 'cases']);
    second.loading.clear();
    second.emit('sourcedata');
    expect(opacity(second)).toBe(HEAT_OPACITY);
    expect(heatImage(second)).toEqual(expectedImage(allTime));
    expect(opacity(first)).toBe(0);
    expect(first.listenerCount()).toBe(2);
  });
});
