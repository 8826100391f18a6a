import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { convertPosition } from '@shared/geo/crs';
import {
  BASEMAP_SOURCE_ID,
  type BasemapSetting,
  NO_BASEMAP,
  PMTILES_URL,
  basemapStyle,
  checkTileUrl,
  displayTransform,
  fileSizeLabel,
  isTileBlocked,
  loadBasemapSetting,
  parseBasemapSetting,
  saveBasemapSetting,
  tileOrigin,
  tileUrlAt,
} from './basemap';

const raster: BasemapSetting = {
  kind: 'raster-url',
  url: 'http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png',
  crs: 'GCJ02',
  tileSize: 256,
  maxZoom: 18,
  attribution: '区政务网',
};
const pmtiles: BasemapSetting = {
  kind: 'pmtiles',
  crs: 'WGS84',
  file: { name: '东城区底图.pmtiles', size: 123_456 },
  tiles: {
    kind: 'vector',
    format: 'mvt',
    minZoom: 0,
    maxZoom: 15,
    bounds: [116.3, 39.8, 116.5, 40.0],
    vectorLayers: ['roads', 'water'],
  },
};

class MemoryStorage {
  items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

describe('checkTileUrl', () => {
  it('accepts http(s) templates with {z}, {x} and {y}', () => {
    expect(checkTileUrl(' https://gis.dongcheng.gov.cn/wmts/{z}/{x}/{y}.png ')).toEqual({
      ok: true,
      url: 'https://gis.dongcheng.gov.cn/wmts/{z}/{x}/{y}.png',
    });
    expect(checkTileUrl('http://10.1.2.3:8080/t?l={z}&c={x}&r={y}').ok).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['ftp://tiles/{z}/{x}/{y}.png', 'scheme'],
    ['file:///C:/tiles/{z}/{x}/{y}.png', 'scheme'],
    ['javascript:alert(1)//{z}{x}{y}', 'scheme'],
    ['//tiles/{z}/{x}/{y}.png', 'scheme'],
    ['https://tiles/{z}/{x}.png', 'placeholders'],
    ['https://tiles/{x}/{y}.png', 'placeholders'],
    ['https://{s}.tiles/{z}/{x}/{y}.png', 'subdomains'],
    ['https://user:pw@tiles/{z}/{x}/{y}.png', 'invalid'],
    ['http:// bad host/{z}/{x}/{y}', 'invalid'],
  ])('refuses %j (%s)', (url, problem) => {
    expect(checkTileUrl(url)).toEqual({ ok: false, problem });
  });

  it('finds the tile of a place to try the template out', () => {
    // 天安门 at zoom 12 is tile 3372/1552 (standard XYZ / web-mercator numbering)
    expect(tileUrlAt('https://t/{z}/{x}/{y}.png', 12, 116.3975, 39.9087)).toBe(
      'https://t/12/3372/1552.png',
    );
  });
});

describe('a try-out tile refused by the page’s security policy', () => {
  const tile = 'http://10.1.2.3:8080/tiles/12/3372/1552.png';

  it('knows the tile server’s origin', () => {
    expect(tileOrigin('http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png')).toBe('http://10.1.2.3:8080');
    expect(tileOrigin('https://gis.example.gov.cn/t?l={z}&c={x}&r={y}')).toBe(
      'https://gis.example.gov.cn',
    );
    expect(tileOrigin('not a url {z}')).toBeNull();
  });

  it('is told apart from a server that does not answer', () => {
    // Chromium reports the full URL; after a cross-origin redirect only the origin.
    for (const blockedURI of [tile, 'http://10.1.2.3:8080']) {
      expect(isTileBlocked({ blockedURI, effectiveDirective: 'img-src' }, tile)).toBe(true);
    }
    expect(isTileBlocked({ blockedURI: tile, effectiveDirective: 'connect-src' }, tile)).toBe(true);
    // Another origin, another directive, or an inline violation are not about this tile.
    expect(
      isTileBlocked(
        { blockedURI: 'http://10.1.2.3:9090/x.png', effectiveDirective: 'img-src' },
        tile,
      ),
    ).toBe(false);
    expect(isTileBlocked({ blockedURI: tile, effectiveDirective: 'script-src-elem' }, tile)).toBe(
      false,
    );
    expect(isTileBlocked({ blockedURI: 'inline', effectiveDirective: 'img-src' }, tile)).toBe(
      false,
    );
  });
});

describe('fileSizeLabel', () => {
  it('reads small archives in KB and big ones in GB, never “0.0 MB”', () => {
    expect(fileSizeLabel(12_476)).toBe('12 KB');
    expect(fileSizeLabel(100)).toBe('1 KB');
    expect(fileSizeLabel(123_456_789)).toBe('117.7 MB');
    expect(fileSizeLabel(5 * 1024 ** 3)).toBe('5.00 GB');
  });
});

describe('stored setting', () => {
  it('round-trips through this device’s storage, and none removes it', () => {
    const storage = new MemoryStorage();
    expect(loadBasemapSetting(storage)).toEqual(NO_BASEMAP);
    for (const setting of [raster, pmtiles]) {
      saveBasemapSetting(setting, storage);
      expect(loadBasemapSetting(storage)).toEqual(setting);
    }
    saveBasemapSetting(NO_BASEMAP, storage);
    expect(storage.items.size).toBe(0);
  });

  it('reads anything broken or unsafe as no basemap', () => {
    const storage = new MemoryStorage();
    storage.setItem('gridwork:basemap', '{not json');
    expect(loadBasemapSetting(storage)).toEqual(NO_BASEMAP);
    for (const value of [
      null,
      'raster',
      { kind: 'raster-url', url: 'javascript:alert(1)', crs: 'WGS84' },
      { ...raster, crs: 'BD09' },
      { ...pmtiles, file: 'x' },
      { ...pmtiles, tiles: { ...pmtiles.tiles, kind: 'terrain' } },
      { kind: 'wms' },
    ]) {
      expect(parseBasemapSetting(value)).toEqual(NO_BASEMAP);
    }
    expect(parseBasemapSetting({ ...raster, tileSize: 300, maxZoom: 99 })).toMatchObject({
      tileSize: 256,
      maxZoom: 18,
    });
  });
});

describe('basemapStyle', () => {
  it('is empty without a basemap: the map then requests nothing outside the app', () => {
    expect(basemapStyle(NO_BASEMAP, { pmtilesReady: true })).toEqual({ sources: {}, layers: [] });
  });

  it('gives a raster source and layer for a tile URL', () => {
    const style = basemapStyle(raster, { pmtilesReady: false });
    expect(style.sources[BASEMAP_SOURCE_ID]).toEqual({
      type: 'raster',
      tiles: ['http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png'],
      tileSize: 256,
      maxzoom: 18,
      attribution: '区政务网',
    });
    expect(style.layers.map((l) => [l.id, l.type])).toEqual([['basemap-raster', 'raster']]);
  });

  it('gives a PMTiles source only while the file is open in this session', () => {
    expect(basemapStyle(pmtiles, { pmtilesReady: false })).toEqual({ sources: {}, layers: [] });
    const style = basemapStyle(pmtiles, { pmtilesReady: true });
    expect(style.sources[BASEMAP_SOURCE_ID]).toEqual({ type: 'vector', url: PMTILES_URL });
    expect(style.layers.map((l) => l.id)).toEqual([
      'basemap-roads-fill',
      'basemap-roads-line',
      'basemap-water-fill',
      'basemap-water-line',
    ]);
    const rasterArchive = {
      ...pmtiles,
      tiles: { ...pmtiles.tiles, kind: 'raster', format: 'png' },
    };
    expect(
      basemapStyle(rasterArchive as BasemapSetting, { pmtilesReady: true }).layers.map(
        (l) => l.type,
      ),
    ).toEqual(['raster']);
  });
});

describe('displayTransform', () => {
  const tiananmen = [116.391187, 39.907829];

  it('is the identity without a basemap, over WGS-84, and while a PMTiles file is not open', () => {
    for (const [setting, ready] of [
      [NO_BASEMAP, true],
      [pmtiles, true],
      [{ ...pmtiles, crs: 'GCJ02' }, false],
    ] as const) {
      const t = displayTransform(setting, { pmtilesReady: ready });
      expect(t.shifted).toBe(false);
      expect(t.toDisplay(tiananmen)).toEqual(tiananmen);
      expect(t.fromDisplay(tiananmen)).toEqual(tiananmen);
    }
  });

  it('shifts WGS-84 data into GCJ-02 over a GCJ-02 basemap, and picked positions back', () => {
    const t = displayTransform(raster, { pmtilesReady: false });
    expect(t.shifted).toBe(true);
    const shown = t.toDisplay(tiananmen);
    expect(shown).toEqual(convertPosition(tiananmen, 'WGS84', 'GCJ02'));
    // 高德's 天安门
    expect(shown[0]).toBeCloseTo(116.397428, 4);
    expect(shown[1]).toBeCloseTo(39.90923, 4);
    const back = t.fromDisplay(shown);
    expect(back[0]).toBeCloseTo(tiananmen[0] ?? 0, 6);
    expect(back[1]).toBeCloseTo(tiananmen[1] ?? 0, 6);
    const data: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: tiananmen } },
      ],
    };
    expect(t.geoJsonToDisplay(data).features[0]?.geometry).toEqual({
      type: 'Point',
      coordinates: shown,
    });
  });
});
