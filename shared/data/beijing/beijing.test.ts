import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import {
  communitiesOfStreet,
  districtOutlines,
  districts,
  streetEntry,
  streetFeature,
  streetFeatures,
  streets,
} from './index';

describe('Beijing reference data', () => {
  it('has the code lists with 12-digit codes and consistent parents', () => {
    expect(districts()).toHaveLength(16);
    expect(streets()).toHaveLength(349);
    expect(streets('110101000000')).toHaveLength(17);
    const streetCodes = new Set(streets().map((s) => s.code));
    const districtCodes = new Set(districts().map((d) => d.code));
    for (const s of streets()) expect(districtCodes.has(s.parentCode)).toBe(true);
    expect(communitiesOfStreet('110101010000').map((c) => c.code)).toContain('110101010027');
    expect(communitiesOfStreet('110101010000')).toHaveLength(20);
    for (const s of streetCodes) {
      for (const c of communitiesOfStreet(s)) expect(c.code.slice(0, 9)).toBe(s.slice(0, 9));
    }
    expect(streetEntry('110101010000')?.name).toBe('和平里街道');
    expect(communitiesOfStreet('999999999999')).toEqual([]);
  });

  it('has the 17 东城 street polygons with [lng, lat] label points inside them', () => {
    expect(streetFeatures()).toHaveLength(17);
    for (const f of streetFeatures()) {
      expect(streetEntry(f.code)?.parentCode).toBe('110101000000');
      expect(booleanPointInPolygon([...f.labelPoint], f.geometry)).toBe(true);
    }
    const heping = streetFeature('110101010000');
    expect(heping?.name).toBe('和平里街道');
    expect(heping?.labelPoint[0]).toBeCloseTo(116.404, 2);
    expect(streetFeature('110105001000')).toBeUndefined();
  });

  it('loads the 16 district outlines on demand', async () => {
    const outlines = await districtOutlines();
    expect(outlines).toHaveLength(16);
    expect(outlines.map((o) => o.code).sort()).toEqual(
      districts()
        .map((d) => d.code)
        .sort(),
    );
    const dongcheng = outlines.find((o) => o.code === '110101000000');
    expect(dongcheng?.geometry.type).toBe('MultiPolygon');
  });
});
