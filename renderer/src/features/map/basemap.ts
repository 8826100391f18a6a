import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { type Crs, convertGeoJson, convertPosition } from '@shared/geo/crs';
import type { GeoJSON } from 'geojson';

/**
 * The optional basemap (DESIGN §6, issue 5 item 4), set per device in 设置: none (the default:
 * the map then makes no request outside the app), a local PMTiles file, or an intranet raster
 * tile URL. Each has a coordinate system: our data is WGS-84, so over a GCJ-02 basemap every
 * layer is shifted into GCJ-02 for display ({@link displayTransform}) and positions picked on the
 * map are shifted back before they are stored.
 *
 * BD-09 is not offered for tiles: Baidu's tiles are cut on its own Mercator grid (BD09MC, its own
 * origin and zoom levels), which a web-mercator map cannot place; BD-09 *data* is converted on
 * import instead.
 *
 * This module is pure (settings, validation, style pieces, transforms); the PMTiles file itself
 * lives in `basemapFile.ts` and the reactive state in `useBasemapStore.ts`.
 */

/** Coordinate systems a tile basemap may be in. */
export const TILE_CRS = ['WGS84', 'GCJ02'] as const satisfies readonly Crs[];
export type TileCrs = (typeof TILE_CRS)[number];

/** Source and layer ids of the basemap; they sort under every data layer (add them first). */
export const BASEMAP_SOURCE_ID = 'basemap';
export const BASEMAP_LAYER_PREFIX = 'basemap-';

/** What a PMTiles archive holds, read from its header and metadata when the file is picked. */
export interface PmtilesInfo {
  kind: 'raster' | 'vector';
  format: 'mvt' | 'png' | 'jpg' | 'webp' | 'avif';
  minZoom: number;
  maxZoom: number;
  /** `[west, south, east, north]`. */
  bounds: [number, number, number, number];
  /** Vector archives: their layer ids (from the metadata's `vector_layers`). */
  vectorLayers: string[];
}

export type BasemapSetting =
  | { kind: 'none' }
  | {
      kind: 'raster-url';
      /** `https://tiles.intranet.example/{z}/{x}/{y}.png` */
      url: string;
      crs: TileCrs;
      tileSize: 256 | 512;
      maxZoom: number;
      attribution: string;
    }
  | {
      kind: 'pmtiles';
      crs: TileCrs;
      /**
       * The file as it was picked. A browser cannot keep a file between sessions (and the
       * desktop bridge has no file reader yet), so it is asked for again after a restart and
       * must match this name and size.
       */
      file: { name: string; size: number };
      tiles: PmtilesInfo;
    };

export const NO_BASEMAP: BasemapSetting = { kind: 'none' };

export type TileUrlProblem = 'empty' | 'scheme' | 'placeholders' | 'subdomains' | 'invalid';

/**
 * Checks a raster tile URL template: http(s) only, with `{z}`, `{x}` and `{y}` (MapLibre fills
 * no `{s}` subdomains). Returns the trimmed template or the problem.
 */
export function checkTileUrl(
  template: string,
): { ok: true; url: string } | { ok: false; problem: TileUrlProblem } {
  const url = template.trim();
  if (url === '') return { ok: false, problem: 'empty' };
  if (!/^https?:\/\//i.test(url)) return { ok: false, problem: 'scheme' };
  if (!['{z}', '{x}', '{y}'].every((p) => url.includes(p))) {
    return { ok: false, problem: 'placeholders' };
  }
  if (url.includes('{s}')) return { ok: false, problem: 'subdomains' };
  try {
    const parsed = new URL(url.replace(/\{z\}|\{x\}|\{y\}/g, '0'));
    if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') {
      return { ok: false, problem: 'invalid' };
    }
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  return { ok: true, url };
}

/** The URL of the tile holding `[lng, lat]` at zoom `z` (to try a template out). */
export function tileUrlAt(template: string, z: number, lng: number, lat: number): string {
  const n = 2 ** z;
  const x = Math.floor(((lng + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return template
    .replace('{z}', String(z))
    .replace('{x}', String(Math.min(n - 1, Math.max(0, x))))
    .replace('{y}', String(Math.min(n - 1, Math.max(0, y))));
}

/** The origin a tile URL template's tiles come from (`http://10.1.2.3:8080`); null if unreadable. */
export function tileOrigin(template: string): string | null {
  try {
    return new URL(template.replace(/\{[zxy]\}/g, '0')).origin;
  } catch {
    return null;
  }
}

/**
 * Whether a Content-Security-Policy violation reported by the page is the tile `tileUrl` being
 * refused. The page's policy allows a tile server only once it is configured (desktop: from the
 * page load after saving it; web: when the server lists it in `GRIDWORK_TILE_ORIGINS`), and a
 * refused tile would otherwise look like a server that does not answer.
 */
export function isTileBlocked(
  violation: Pick<SecurityPolicyViolationEvent, 'blockedURI' | 'effectiveDirective'>,
  tileUrl: string,
): boolean {
  if (violation.effectiveDirective !== 'img-src' && violation.effectiveDirective !== 'connect-src')
    return false;
  // Browsers report the full URL, or only the origin after a cross-origin redirect.
  const blocked = tileOrigin(violation.blockedURI);
  return blocked !== null && blocked === tileOrigin(tileUrl);
}

/** A file size as people read it: KB under a megabyte, GB from a gigabyte (archives get big). */
export function fileSizeLabel(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  if (mb < 1) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (mb < 1024) return `${mb.toFixed(1)} MB`;
  return `${(mb / 1024).toFixed(2)} GB`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isTileCrs = (value: unknown): value is TileCrs =>
  typeof value === 'string' && (TILE_CRS as readonly string[]).includes(value);

const zoom = (value: unknown, fallback: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 24
    ? value
    : fallback;

function readPmtilesInfo(value: unknown): PmtilesInfo | null {
  if (!isRecord(value)) return null;
  const { kind, format, bounds, vectorLayers } = value;
  if (kind !== 'raster' && kind !== 'vector') return null;
  if (!['mvt', 'png', 'jpg', 'webp', 'avif'].includes(String(format))) return null;
  const box =
    Array.isArray(bounds) && bounds.length === 4 && bounds.every((b) => typeof b === 'number')
      ? (bounds as [number, number, number, number])
      : null;
  if (!box) return null;
  return {
    kind,
    format: format as PmtilesInfo['format'],
    minZoom: zoom(value.minZoom, 0),
    maxZoom: zoom(value.maxZoom, 14),
    bounds: box,
    vectorLayers: Array.isArray(vectorLayers)
      ? vectorLayers.filter((l): l is string => typeof l === 'string')
      : [],
  };
}

/**
 * A stored setting read back defensively: anything unreadable (an older format, a hand edit)
 * means no basemap rather than a broken map.
 */
export function parseBasemapSetting(value: unknown): BasemapSetting {
  if (!isRecord(value)) return NO_BASEMAP;
  if (value.kind === 'raster-url') {
    const checked = checkTileUrl(typeof value.url === 'string' ? value.url : '');
    if (!checked.ok || !isTileCrs(value.crs)) return NO_BASEMAP;
    return {
      kind: 'raster-url',
      url: checked.url,
      crs: value.crs,
      tileSize: value.tileSize === 512 ? 512 : 256,
      maxZoom: zoom(value.maxZoom, 18),
      attribution: typeof value.attribution === 'string' ? value.attribution.slice(0, 200) : '',
    };
  }
  if (value.kind === 'pmtiles') {
    const file = value.file;
    const tiles = readPmtilesInfo(value.tiles);
    if (!isTileCrs(value.crs) || !tiles || !isRecord(file)) return NO_BASEMAP;
    if (typeof file.name !== 'string' || typeof file.size !== 'number') return NO_BASEMAP;
    return { kind: 'pmtiles', crs: value.crs, file: { name: file.name, size: file.size }, tiles };
  }
  return NO_BASEMAP;
}

const STORAGE_KEY = 'gridwork:basemap';

/** This device's basemap setting (localStorage: a per-device choice, like the idle lock). */
export function loadBasemapSetting(
  storage: Pick<Storage, 'getItem'> = localStorage,
): BasemapSetting {
  try {
    return parseBasemapSetting(JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null'));
  } catch {
    return NO_BASEMAP;
  }
}

export function saveBasemapSetting(
  setting: BasemapSetting,
  storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage,
): void {
  if (setting.kind === 'none') storage.removeItem(STORAGE_KEY);
  else storage.setItem(STORAGE_KEY, JSON.stringify(setting));
}

/** URL of the session's PMTiles archive under the `pmtiles://` protocol (see basemapFile.ts). */
export const PMTILES_URL = 'pmtiles://gridwork-basemap';

export interface BasemapStyle {
  sources: Record<string, SourceSpecification>;
  /** To be added before (under) every data layer, in this order. */
  layers: LayerSpecification[];
}

const EMPTY_STYLE: BasemapStyle = { sources: {}, layers: [] };

// A quiet grey for any vector archive: we cannot know its schema, only its layer names, so
// areas, lines and nothing else (labels would need glyphs the archive does not bring).
function vectorLayers(ids: readonly string[]): LayerSpecification[] {
  return ids.flatMap((id): LayerSpecification[] => [
    {
      id: `${BASEMAP_LAYER_PREFIX}${id}-fill`,
      type: 'fill',
      source: BASEMAP_SOURCE_ID,
      'source-layer': id,
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': '#e4e7ec', 'fill-opacity': 0.7 },
    },
    {
      id: `${BASEMAP_LAYER_PREFIX}${id}-line`,
      type: 'line',
      source: BASEMAP_SOURCE_ID,
      'source-layer': id,
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': '#c3c8d0', 'line-width': 1 },
    },
  ]);
}

/**
 * The basemap's sources and layers for the map style; empty for no basemap, and for a PMTiles
 * basemap whose file has not been picked again in this session (`pmtilesReady` false).
 */
export function basemapStyle(
  setting: BasemapSetting,
  options: { pmtilesReady: boolean },
): BasemapStyle {
  if (setting.kind === 'raster-url') {
    return {
      sources: {
        [BASEMAP_SOURCE_ID]: {
          type: 'raster',
          tiles: [setting.url],
          tileSize: setting.tileSize,
          maxzoom: setting.maxZoom,
          ...(setting.attribution ? { attribution: setting.attribution } : {}),
        },
      },
      layers: [{ id: `${BASEMAP_LAYER_PREFIX}raster`, type: 'raster', source: BASEMAP_SOURCE_ID }],
    };
  }
  if (setting.kind === 'pmtiles' && options.pmtilesReady) {
    const { tiles } = setting;
    if (tiles.kind === 'raster') {
      return {
        sources: {
          [BASEMAP_SOURCE_ID]: {
            type: 'raster',
            url: PMTILES_URL,
            tileSize: 256,
          },
        },
        layers: [
          { id: `${BASEMAP_LAYER_PREFIX}raster`, type: 'raster', source: BASEMAP_SOURCE_ID },
        ],
      };
    }
    return {
      sources: { [BASEMAP_SOURCE_ID]: { type: 'vector', url: PMTILES_URL } },
      layers: vectorLayers(tiles.vectorLayers),
    };
  }
  return EMPTY_STYLE;
}

/**
 * How data (WGS-84) is placed over the basemap. `toDisplay` before anything is drawn,
 * `fromDisplay` for a position picked on the map; identity without a basemap or over WGS-84.
 */
export interface DisplayTransform {
  /** The basemap's system; data drawn over it is shifted when it is not WGS-84. */
  crs: TileCrs;
  shifted: boolean;
  toDisplay(lngLat: readonly number[]): [number, number];
  fromDisplay(lngLat: readonly number[]): [number, number];
  /** A shifted copy of a GeoJSON value (the same value when nothing is shifted). */
  geoJsonToDisplay<T extends GeoJSON>(value: T): T;
  geoJsonFromDisplay<T extends GeoJSON>(value: T): T;
}

const pair = ([lng = 0, lat = 0]: readonly number[]): [number, number] => [lng, lat];

const IDENTITY: DisplayTransform = {
  crs: 'WGS84',
  shifted: false,
  toDisplay: pair,
  fromDisplay: pair,
  geoJsonToDisplay: (value) => value,
  geoJsonFromDisplay: (value) => value,
};

/**
 * The transform for a basemap setting (over GCJ-02 tiles: WGS-84 → GCJ-02 for display). A PMTiles
 * basemap whose file is not open in this session shows nothing, so nothing is shifted either.
 */
export function displayTransform(
  setting: BasemapSetting,
  options: { pmtilesReady: boolean },
): DisplayTransform {
  if (setting.kind === 'none' || setting.crs === 'WGS84') return IDENTITY;
  if (setting.kind === 'pmtiles' && !options.pmtilesReady) return IDENTITY;
  const crs = setting.crs;
  return {
    crs,
    shifted: true,
    toDisplay: (p) => convertPosition(p, 'WGS84', crs),
    fromDisplay: (p) => convertPosition(p, crs, 'WGS84'),
    geoJsonToDisplay: (value) => convertGeoJson(value, 'WGS84', crs),
    geoJsonFromDisplay: (value) => convertGeoJson(value, crs, 'WGS84'),
  };
}
