import { FileSource, PMTiles, Protocol, TileType } from 'pmtiles';
import { PMTILES_URL, type PmtilesInfo } from './basemap';

/**
 * The PMTiles basemap file of this session. A picked `File` is read in place (ranges sliced on
 * demand, never copied whole: archives run to gigabytes) through one `pmtiles://` protocol that
 * the map registers. The file cannot outlive the page: neither a browser nor our desktop bridge
 * (no file reader there yet) can reopen it by path, so the settings screen asks for it again.
 */

const KEY = PMTILES_URL.slice('pmtiles://'.length);

export type BasemapFileProblem = 'not-pmtiles' | 'unsupported-tiles';

export class BasemapFileError extends Error {
  constructor(readonly problem: BasemapFileProblem) {
    super(`not a usable PMTiles basemap: ${problem}`);
    this.name = 'BasemapFileError';
  }
}

// A fixed key instead of the file name: the name may hold spaces or Chinese, which would have
// to survive MapLibre's URL handling inside `pmtiles://<key>/{z}/{x}/{y}`.
class PickedFile extends FileSource {
  override getKey(): string {
    return KEY;
  }
}

let protocol: Protocol | null = null;
let opened: { name: string; size: number } | null = null;

function sharedProtocol(): Protocol {
  protocol ??= new Protocol({ metadata: true });
  return protocol;
}

const FORMATS: Partial<Record<TileType, PmtilesInfo['format']>> = {
  [TileType.Mvt]: 'mvt',
  [TileType.Png]: 'png',
  [TileType.Jpeg]: 'jpg',
  [TileType.Webp]: 'webp',
  [TileType.Avif]: 'avif',
};

function vectorLayerIds(metadata: unknown): string[] {
  if (typeof metadata !== 'object' || metadata === null) return [];
  const layers = (metadata as { vector_layers?: unknown }).vector_layers;
  if (!Array.isArray(layers)) return [];
  return layers.flatMap((layer: unknown) => {
    const id = typeof layer === 'object' && layer !== null ? (layer as { id?: unknown }).id : null;
    return typeof id === 'string' ? [id] : [];
  });
}

/**
 * Reads a picked file's header and metadata and makes it this session's basemap archive.
 * @throws BasemapFileError when it is not a PMTiles v3 archive of raster or MVT tiles.
 */
export async function openBasemapFile(file: File): Promise<PmtilesInfo> {
  const archive = new PMTiles(new PickedFile(file));
  let header: Awaited<ReturnType<PMTiles['getHeader']>>;
  let metadata: unknown;
  try {
    header = await archive.getHeader();
    // The reader checks only "PM" and refuses versions above 3; an older archive (v1/v2, a
    // different layout) would be read as garbage, so anything but 3 is refused here.
    if (header.specVersion !== 3) throw new Error(`PMTiles version ${header.specVersion}`);
    metadata = await archive.getMetadata();
  } catch {
    throw new BasemapFileError('not-pmtiles');
  }
  const format = FORMATS[header.tileType];
  if (!format) throw new BasemapFileError('unsupported-tiles');
  const info: PmtilesInfo = {
    kind: format === 'mvt' ? 'vector' : 'raster',
    format,
    minZoom: header.minZoom,
    maxZoom: header.maxZoom,
    bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
    vectorLayers: format === 'mvt' ? vectorLayerIds(metadata) : [],
  };
  sharedProtocol().add(archive);
  opened = { name: file.name, size: file.size };
  return info;
}

/** The file opened in this session, if any: compared with the stored setting's name and size. */
export function openedBasemapFile(): { name: string; size: number } | null {
  return opened;
}

/** What `installBasemapProtocol` needs of MapLibre: its global protocol registry. */
export interface ProtocolHost {
  addProtocol(name: string, load: Protocol['tile']): void;
}

const installed = new WeakSet<ProtocolHost>();

/**
 * Registers the `pmtiles://` protocol with MapLibre (pass the `maplibre-gl` module); call before
 * creating a map that may show a PMTiles basemap. Idempotent.
 */
export function installBasemapProtocol(maplibre: ProtocolHost): void {
  if (installed.has(maplibre)) return;
  maplibre.addProtocol('pmtiles', sharedProtocol().tile);
  installed.add(maplibre);
}
