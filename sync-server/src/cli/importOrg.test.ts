import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrgUnitSchema } from '../../../shared/domain/org';
import { createSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/types';
import { findOrgUnits, importOrgFile, parseCsvRecords } from './importOrg';

const NOW = new Date('2026-11-29T06:00:00.000Z');

// A small square near 和平里 (WGS-84), closed.
function square(lng: number, lat: number, size = 0.005): number[][][] {
  return [
    [
      [lng, lat],
      [lng + size, lat],
      [lng + size, lat + size],
      [lng, lat + size],
      [lng, lat],
    ],
  ];
}

type Feature = {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: Record<string, unknown> | null;
};

function feature(code: string, name: string, geometry: Feature['geometry'], extra = {}): Feature {
  return { type: 'Feature', properties: { code, name, ...extra }, geometry };
}

function collection(features: Feature[]): string {
  return JSON.stringify({ type: 'FeatureCollection', features });
}

const validFeatures = (): Feature[] => [
  feature('110101000000', '东城区', null, { level: 'district' }),
  feature('110101010000', '和平里街道', {
    type: 'Polygon',
    coordinates: square(116.41, 39.95, 0.03),
  }),
  feature('110101010027', '和平里第七社区', null, { parentCode: '110101010000' }),
  feature('110101010027001', '第一网格', { type: 'Polygon', coordinates: square(116.415, 39.955) }),
  feature('110101010027002', '第二网格', {
    type: 'MultiPolygon',
    coordinates: [square(116.42, 39.955), square(116.43, 39.955)],
  }),
];

let storage: Storage;
beforeEach(async () => {
  storage = createSqliteStorage(':memory:');
  await storage.migrate();
});
afterEach(async () => {
  await storage.close();
});

const written = () => storage.transaction((tx) => tx.maxSeq('110101'));

describe('import-org', () => {
  it('imports a valid GeoJSON FeatureCollection as full org unit records', async () => {
    const result = await importOrgFile(storage, 'org.geojson', collection(validFeatures()), {
      now: NOW,
    });
    expect(result).toEqual({
      ok: true,
      created: 5,
      updated: 0,
      dryRun: false,
      byLevel: { district: 1, street: 1, community: 1, grid: 2 },
    });
    const units = await storage.transaction((tx) =>
      findOrgUnits(tx, ['110101000000', '110101010000', '110101010027', '110101010027002']),
    );
    expect(units.size).toBe(4);
    for (const unit of units.values()) {
      expect(OrgUnitSchema.parse(unit)).toEqual(unit);
      expect(unit.scope).toBe(unit.code);
      expect(unit.hlc).toMatch(/^\d{13}-[0-9a-f]{4}-server$/);
    }
    expect(units.get('110101000000')?.parentCode).toBe('110000000000');
    expect(units.get('110101010027')).toMatchObject({
      level: 'community',
      parentCode: '110101010000',
    });
    expect(units.get('110101010027')?.boundary).toBeUndefined();
    expect(units.get('110101010027002')?.boundary?.type).toBe('MultiPolygon');
  });

  it('updates a unit on re-import instead of duplicating it, and finds parents in the database', async () => {
    await importOrgFile(storage, 'org.geojson', collection(validFeatures()), { now: NOW });
    const before = await storage.transaction((tx) => findOrgUnits(tx, ['110101010027001']));
    const later = new Date(NOW.getTime() + 60_000);
    // Only the grid this time: its community is in the database.
    const result = await importOrgFile(
      storage,
      'grid.geojson',
      collection([feature('110101010027001', '第一网格（调整）', null)]),
      { now: later },
    );
    expect(result).toMatchObject({ ok: true, created: 0, updated: 1 });
    const after = await storage.transaction((tx) => findOrgUnits(tx, ['110101010027001']));
    const old = before.get('110101010027001');
    const unit = after.get('110101010027001');
    expect(unit?.id).toBe(old?.id);
    expect(unit?.createdAt).toBe(old?.createdAt);
    expect(unit?.name).toBe('第一网格（调整）');
    expect(unit?.updatedAt).toBe(later.toISOString());
    // an import without an outline keeps the one the unit had
    expect(unit?.boundary).toEqual(old?.boundary);
    expect((unit?.hlc ?? '') > (old?.hlc ?? '')).toBe(true);
  });

  it('imports a CSV file with quoted names', async () => {
    const csv = [
      '\ufeffcode,name,parentCode,level',
      '110101010000,和平里街道,110101000000,street',
      '110101010027,"和平里第七社区, 东",110101010000,',
      '',
      '110101010027001,第一网格,,grid',
    ].join('\r\n');
    await importOrgFile(storage, 'd.geojson', collection([validFeatures()[0] as Feature]), {
      now: NOW,
    });
    const result = await importOrgFile(storage, 'org.CSV', csv, { now: NOW });
    expect(result).toMatchObject({ ok: true, created: 3 });
    const units = await storage.transaction((tx) => findOrgUnits(tx, ['110101010027']));
    expect(units.get('110101010027')?.name).toBe('和平里第七社区, 东');
  });

  it('writes nothing on a dry run', async () => {
    const result = await importOrgFile(storage, 'org.geojson', collection(validFeatures()), {
      now: NOW,
      dryRun: true,
    });
    expect(result).toMatchObject({ ok: true, created: 5, dryRun: true });
    expect(await written()).toBe(0);
  });

  const badCases: [string, (features: Feature[]) => void, RegExp][] = [
    [
      'a bad code',
      (f) => f.push(feature('110101010027000', '坏网格', null)),
      /^feature 6 \(110101010027000\): code .* is not a district/,
    ],
    [
      'an unknown parent',
      (f) => f.push(feature('110101010028001', '无社区网格', null)),
      /^feature 6 \(110101010028001\): parent 110101010028 is neither in the file nor in the database/,
    ],
    [
      'a wrong geometry type',
      (f) =>
        f.push(feature('110101010027003', '点网格', { type: 'Point', coordinates: [116.4, 39.9] })),
      /^feature 6 \(110101010027003\): geometry must be a Polygon or MultiPolygon, not "Point"/,
    ],
    [
      'a duplicate code',
      (f) => f.push(feature('110101010027001', '重复网格', null)),
      /^feature 6 \(110101010027001\): duplicate code: also in feature 4/,
    ],
    [
      'coordinates outside the WGS-84 range',
      (f) =>
        f.push(
          feature('110101010027003', '投影坐标网格', {
            type: 'Polygon',
            coordinates: square(12_958_000, 4_860_000, 500),
          }),
        ),
      /^feature 6 \(110101010027003\): ring 1 position 1 \[12958000, 4860000\] is outside WGS-84/,
    ],
    [
      'a level that contradicts the code',
      (f) => f.push(feature('110101010027003', '网格', null, { level: 'community' })),
      /^feature 6 \(110101010027003\): level "community" does not match the code, which is a grid/,
    ],
    [
      'a parentCode that contradicts the code',
      (f) => f.push(feature('110101010027003', '网格', null, { parentCode: '110101010001' })),
      /^feature 6 \(110101010027003\): parentCode 110101010001 does not match/,
    ],
    [
      'an unclosed ring',
      (f) =>
        f.push(
          feature('110101010027003', '网格', {
            type: 'Polygon',
            coordinates: [
              [
                [116.4, 39.9],
                [116.41, 39.9],
                [116.41, 39.91],
                [116.4, 39.91],
              ],
            ],
          }),
        ),
      /ring 1 is not closed/,
    ],
    [
      'a grid outline that crosses itself',
      (f) =>
        f.push(
          feature('110101010027003', '网格', {
            type: 'Polygon',
            coordinates: [
              [
                [116.4, 39.9],
                [116.41, 39.91],
                [116.41, 39.9],
                [116.4, 39.91],
                [116.4, 39.9],
              ],
            ],
          }),
        ),
      /^feature 6 \(110101010027003\): crosses itself at \[116\.405, 39\.905\]/,
    ],
  ];

  it.each(badCases)(
    'reports %s with its feature number and imports nothing',
    async (_, spoil, message) => {
      const features = validFeatures();
      spoil(features);
      const result = await importOrgFile(storage, 'org.geojson', collection(features), {
        now: NOW,
      });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors).toEqual([expect.stringMatching(message)]);
      expect(await written()).toBe(0);
    },
  );

  it('reports every error at once, in file order', async () => {
    const features = validFeatures();
    features.push(feature('12', '坏', null), { type: 'Feature' } as unknown as Feature);
    features.unshift(feature('110101010099001', '孤儿', null));
    const result = await importOrgFile(storage, 'org.geojson', collection(features), { now: NOW });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.split(':')[0])).toEqual([
        'feature 1 (110101010099001)',
        'feature 7 (12)',
        'feature 8',
      ]);
    }
    expect(await written()).toBe(0);
  });

  it('refuses files that are not a FeatureCollection or a CSV with the right header', async () => {
    const notJson = await importOrgFile(storage, 'org.geojson', '{', { now: NOW });
    expect(notJson).toMatchObject({ ok: false, errors: [expect.stringMatching(/not valid JSON/)] });
    const notCollection = await importOrgFile(storage, 'org.json', '{"type":"Feature"}');
    expect(notCollection).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/FeatureCollection/)],
    });
    const header = await importOrgFile(storage, 'org.csv', 'id,title\n1,2\n');
    expect(header).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^line 1: the header/)],
    });
    const columns = await importOrgFile(
      storage,
      'org.csv',
      'code,name,parentCode\n110101010000,和平里\n',
    );
    expect(columns).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^line 2: expected 3 columns/)],
    });
    const kind = await importOrgFile(storage, 'org.xlsx', '');
    expect(kind.ok).toBe(false);
    expect(await written()).toBe(0);
  });

  it('splits CSV with quotes, doubled quotes and line breaks inside quotes', () => {
    expect(parseCsvRecords('a,"b ""x"", c"\n"multi\nline",z\n')).toEqual([
      { line: 1, fields: ['a', 'b "x", c'] },
      { line: 2, fields: ['multi\nline', 'z'] },
    ]);
  });
});
