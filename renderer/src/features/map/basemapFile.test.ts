// eslint-disable-next-line no-restricted-imports -- unit tests run in Node: PNG rows are inflated to check pixels
import { inflateSync } from 'node:zlib';
import { PMTiles, type Source, zxyToTileId } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import {
  BASEMAP_BORDER,
  BASEMAP_BOUNDS,
  BASEMAP_FILL,
  BASEMAP_LANDMARK,
  BASEMAP_LANDMARKS,
  PMTILES_TILE_TYPE,
  type PmtilesTile,
  basemapTile,
  demoBasemapPmtiles,
  demoBasemapTiles,
  encodeDirectory,
  tilesCovering,
  worldPixel,
  writePmtiles,
} from '../../../../test/fixtures/basemap/makePmtiles';
import { PMTILES_URL } from './basemap';
import {
  BasemapFileError,
  installBasemapProtocol,
  openBasemapFile,
  openedBasemapFile,
} from './basemapFile';

/** The reader's view of an archive in memory (what a Node file source would do). */
function bufferSource(bytes: Uint8Array): Source {
  return {
    getKey: () => 'memory',
    getBytes: async (offset, length) => ({
      data: bytes.slice(offset, offset + length).buffer,
    }),
  };
}

const tiles = demoBasemapTiles();
const archiveBytes = demoBasemapPmtiles();

/** The RGB of one pixel of one of our PNGs (8-bit RGB, unfiltered rows, as encodePng writes). */
function pixel(png: Uint8Array, x: number, y: number): number[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const width = view.getUint32(16);
  const idat: Uint8Array[] = [];
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const compressed = new Uint8Array(idat.reduce((sum, part) => sum + part.length, 0));
  let filled = 0;
  for (const part of idat) {
    compressed.set(part, filled);
    filled += part.length;
  }
  const raw = inflateSync(compressed);
  const start = y * (width * 3 + 1) + 1 + x * 3;
  return [...raw.subarray(start, start + 3)];
}

describe('the test PMTiles writer (test/fixtures/basemap), read back by the pmtiles reader', () => {
  it('numbers tiles on the Hilbert curve as the spec does', () => {
    expect(zxyToTileId(0, 0, 0)).toBe(0);
    expect([
      zxyToTileId(1, 0, 0),
      zxyToTileId(1, 0, 1),
      zxyToTileId(1, 1, 1),
      zxyToTileId(1, 1, 0),
    ]).toEqual([1, 2, 3, 4]);
  });

  it('encodes a directory column by column, ids as deltas, offsets with the 0 / offset+1 rule', () => {
    const bytes = encodeDirectory([
      { tileId: 0, offset: 0, length: 10, runLength: 1 },
      { tileId: 1, offset: 10, length: 5, runLength: 2 },
      { tileId: 5, offset: 0, length: 10, runLength: 1 },
      { tileId: 200, offset: 300, length: 130, runLength: 1 },
    ]);
    const count = [4];
    const idDeltas = [0, 1, 4, 195, 1]; // 0, +1, +4, +195 (a two-byte varint)
    const runLengths = [1, 2, 1, 1];
    const lengths = [10, 5, 10, 130, 1];
    const offsets = [1, 0, 1, 173, 2]; // 0+1, right after the previous, back to 0+1, 300+1
    expect([...bytes]).toEqual([...count, ...idDeltas, ...runLengths, ...lengths, ...offsets]);
  });

  it('writes a v3 header the reader understands', async () => {
    const archive = new PMTiles(bufferSource(archiveBytes));
    const header = await archive.getHeader();
    expect(new TextDecoder().decode(archiveBytes.subarray(0, 7))).toBe('PMTiles');
    expect(header).toMatchObject({
      specVersion: 3,
      rootDirectoryOffset: 127,
      clustered: true,
      internalCompression: 2, // gzip
      tileCompression: 1, // none: PNGs are compressed already
      tileType: 2, // png
      minZoom: 12,
      maxZoom: 16,
      centerZoom: 14,
      numAddressedTiles: tiles.length,
    });
    expect(header.tileDataOffset + (header.tileDataLength ?? 0)).toBe(archiveBytes.length);
    // Most tiles are the same plain tile: stored once, and neighbours folded into runs.
    expect(header.numTileContents).toBeLessThan(20);
    expect(header.numTileEntries).toBeLessThan(tiles.length);
    const [west, south, east, north] = BASEMAP_BOUNDS;
    expect([header.minLon, header.minLat, header.maxLon, header.maxLat]).toEqual([
      west,
      south,
      east,
      north,
    ]);
    expect(header.centerLon).toBeCloseTo((west + east) / 2, 6);
    expect(await archive.getMetadata()).toMatchObject({ name: 'gridwork-test-basemap' });
  });

  it('gives back every tile’s bytes, and nothing outside the tiles or zooms written', async () => {
    const archive = new PMTiles(bufferSource(archiveBytes));
    for (const tile of tiles) {
      const got = await archive.getZxy(tile.z, tile.x, tile.y);
      expect(
        new Uint8Array(got?.data ?? new ArrayBuffer(0)),
        `${tile.z}/${tile.x}/${tile.y}`,
      ).toEqual(tile.data);
    }
    const [first] = tilesCovering(BASEMAP_BOUNDS, 14);
    if (!first) throw new Error('no tile');
    expect(await archive.getZxy(14, first.x - 1, first.y)).toBeUndefined();
    expect(await archive.getZxy(14, first.x, first.y - 1)).toBeUndefined();
    expect(await archive.getZxy(11, first.x >> 3, first.y >> 3)).toBeUndefined();
    expect(await archive.getZxy(17, first.x * 8, first.y * 8)).toBeUndefined();
  });

  it('reads back uncompressed directories, shared contents and runs at other zooms', async () => {
    const a = Uint8Array.from([1, 2, 3]);
    const b = Uint8Array.from([4, 5]);
    const c = Uint8Array.from([6]);
    const few: PmtilesTile[] = [
      { z: 0, x: 0, y: 0, data: a },
      { z: 1, x: 0, y: 0, data: b },
      { z: 1, x: 0, y: 1, data: b },
      { z: 1, x: 1, y: 1, data: a },
      { z: 2, x: 3, y: 3, data: c },
    ];
    const bytes = writePmtiles(few, {
      tileType: PMTILES_TILE_TYPE.png,
      internalCompression: 'none',
      bounds: [-180, -85, 180, 85],
      center: [0, 0, 0],
      metadata: {},
    });
    const archive = new PMTiles(bufferSource(bytes));
    expect(await archive.getHeader()).toMatchObject({
      internalCompression: 1,
      numAddressedTiles: 5,
      numTileEntries: 4, // the two b tiles are one run
      numTileContents: 3,
      minZoom: 0,
      maxZoom: 2,
    });
    for (const tile of few) {
      const got = await archive.getZxy(tile.z, tile.x, tile.y);
      expect(new Uint8Array(got?.data ?? new ArrayBuffer(0))).toEqual(tile.data);
    }
    expect(await archive.getZxy(1, 1, 0)).toBeUndefined();
    expect(await archive.getZxy(2, 0, 0)).toBeUndefined();
  });

  it('paints tiles magenta with a darker border and cyan landmarks where they belong', () => {
    const [landmark] = BASEMAP_LANDMARKS;
    if (!landmark) throw new Error('no landmark');
    const [wx, wy] = worldPixel(landmark.lng, landmark.lat, 15);
    const x = Math.floor(wx / 256);
    const y = Math.floor(wy / 256);
    const png = basemapTile(15, x, y);
    const lx = Math.floor(wx - x * 256);
    const ly = Math.floor(wy - y * 256);
    expect(pixel(png, lx, ly)).toEqual([...BASEMAP_LANDMARK]);
    const far = (v: number) => (v < 128 ? 200 : 50);
    expect(pixel(png, far(lx), far(ly))).toEqual([...BASEMAP_FILL]);
    expect(pixel(png, 0, far(ly))).toEqual([...BASEMAP_BORDER]);
    expect(pixel(png, far(lx), 255)).toEqual([...BASEMAP_BORDER]);
  });
});

describe('openBasemapFile', () => {
  it('opens a raster archive picked as a File and tells what it holds', async () => {
    const file = new File([archiveBytes], '东城区 测试底图.pmtiles');
    expect(await openBasemapFile(file)).toEqual({
      kind: 'raster',
      format: 'png',
      minZoom: 12,
      maxZoom: 16,
      bounds: [...BASEMAP_BOUNDS],
      vectorLayers: [],
    });
    expect(openedBasemapFile()).toEqual({ name: file.name, size: archiveBytes.length });
  });

  it('serves the opened file’s tiles through the pmtiles:// protocol MapLibre calls', async () => {
    await openBasemapFile(new File([archiveBytes], 'basemap.pmtiles'));
    const registered = new Map<string, unknown>();
    installBasemapProtocol({ addProtocol: (name, load) => registered.set(name, load) });
    // The v4 form MapLibre calls (the protocol's type is an overload of two generations).
    const load = registered.get('pmtiles') as
      | ((
          params: { url: string; type?: 'json' | 'arrayBuffer' },
          abort: AbortController,
        ) => Promise<{ data: unknown }>)
      | undefined;
    if (!load) throw new Error('protocol not registered');
    const tileJson = await load({ url: PMTILES_URL, type: 'json' }, new AbortController());
    expect(tileJson.data).toMatchObject({
      tiles: [`${PMTILES_URL}/{z}/{x}/{y}.png`],
      minzoom: 12,
      maxzoom: 16,
      bounds: [...BASEMAP_BOUNDS],
    });
    const tile = tiles.find((t) => t.z === 15);
    if (!tile) throw new Error('no z15 tile');
    const got = await load(
      { url: `${PMTILES_URL}/15/${tile.x}/${tile.y}.png`, type: 'arrayBuffer' },
      new AbortController(),
    );
    expect(got.data).toEqual(tile.data);
  });

  it('refuses a file that is not PMTiles, and keeps the file opened before', async () => {
    const before = openedBasemapFile();
    for (const bytes of ['这不是底图，只是一个改了扩展名的文本文件。\n', '', 'P']) {
      await expect(openBasemapFile(new File([bytes], 'notes.pmtiles'))).rejects.toEqual(
        new BasemapFileError('not-pmtiles'),
      );
    }
    expect(openedBasemapFile()).toEqual(before);
  });

  it('refuses an archive of another PMTiles version, whose layout differs', async () => {
    const older = archiveBytes.slice();
    older[7] = 2; // the version byte of a v3 header
    await expect(openBasemapFile(new File([older], 'v2.pmtiles'))).rejects.toMatchObject({
      problem: 'not-pmtiles',
    });
  });

  it('refuses an archive of tiles it cannot draw', async () => {
    const bytes = writePmtiles([{ z: 0, x: 0, y: 0, data: Uint8Array.from([1]) }], {
      tileType: PMTILES_TILE_TYPE.unknown,
      internalCompression: 'none',
      bounds: [-180, -85, 180, 85],
      center: [0, 0, 0],
      metadata: {},
    });
    await expect(openBasemapFile(new File([bytes], 'terrain.pmtiles'))).rejects.toMatchObject({
      problem: 'unsupported-tiles',
    });
  });
});
