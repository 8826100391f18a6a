import { describe, expect, it } from 'vitest';
import { CategoryCodeSchema } from '../domain/need';
import { TimeLimitSchema } from '../domain/rules';
import {
  MATTER_CATEGORIES,
  isMatterLeaf,
  matterCategory,
  matterChildren,
} from './matterCategories';

const tops = MATTER_CATEGORIES.filter((c) => c.parent === null);
const leaves = MATTER_CATEGORIES.filter((c) => c.parent !== null);

describe('MATTER_CATEGORIES', () => {
  it('has at least 60 entries on two levels', () => {
    expect(MATTER_CATEGORIES.length).toBeGreaterThanOrEqual(60);
    expect(tops.length).toBeGreaterThanOrEqual(15);
    expect(tops.every((c) => c.code.length === 2)).toBe(true);
    expect(leaves.every((c) => c.code.length === 4)).toBe(true);
  });

  it('uses unique codes, names and English names', () => {
    for (const key of ['code', 'name', 'nameEn'] as const) {
      const values = MATTER_CATEGORIES.map((c) => c[key]);
      expect(new Set(values).size, key).toBe(values.length);
    }
  });

  it('uses codes the domain schema accepts', () => {
    for (const c of MATTER_CATEGORIES) {
      expect(CategoryCodeSchema.safeParse(c.code).success, c.code).toBe(true);
    }
  });

  it('nests every child under an existing top level whose code it extends', () => {
    for (const leaf of leaves) {
      const parent = leaf.parent === null ? undefined : matterCategory(leaf.parent);
      expect(parent?.parent, leaf.code).toBeNull();
      expect(leaf.code.startsWith(parent?.code ?? '--'), leaf.code).toBe(true);
    }
    for (const top of tops) {
      expect(matterChildren(top.code).length, top.code).toBeGreaterThanOrEqual(3);
    }
  });

  it('lists each top level directly followed by its children', () => {
    let currentTop = '';
    for (const c of MATTER_CATEGORIES) {
      if (c.parent === null) currentTop = c.code;
      else expect(c.parent, c.code).toBe(currentTop);
    }
  });

  it('numbers children consecutively from 01', () => {
    for (const top of tops) {
      const suffixes = matterChildren(top.code).map((c) => Number(c.code.slice(2)));
      expect(suffixes, top.code).toEqual(suffixes.map((_, i) => i + 1));
    }
  });

  it('has valid time limits: response in hours within a day, handling in workdays', () => {
    for (const c of MATTER_CATEGORIES) {
      expect(TimeLimitSchema.safeParse(c.responseLimit).success, c.code).toBe(true);
      expect(TimeLimitSchema.safeParse(c.handleLimit).success, c.code).toBe(true);
      expect(c.responseLimit.unit, c.code).toBe('hours');
      expect(c.responseLimit.value, c.code).toBeLessThanOrEqual(24);
      expect(c.handleLimit.unit, c.code).toBe('workdays');
      expect(c.handleLimit.value, c.code).toBeGreaterThanOrEqual(1);
      expect(c.handleLimit.value, c.code).toBeLessThanOrEqual(30);
    }
  });

  it('gives urgent utility failures a 2-hour response and 1 workday to handle', () => {
    for (const code of ['0401', '0403', '0405', '0406']) {
      expect(matterCategory(code)?.responseLimit, code).toEqual({ value: 2, unit: 'hours' });
      expect(matterCategory(code)?.handleLimit, code).toEqual({ value: 1, unit: 'workdays' });
    }
    expect(matterCategory('0601')?.handleLimit).toEqual({ value: 30, unit: 'workdays' });
    // The defaults are varied, not one value copied everywhere.
    expect(new Set(leaves.map((c) => c.handleLimit.value)).size).toBeGreaterThanOrEqual(5);
  });

  it('gives every leaf a positive share, and the shares sum to 1', () => {
    for (const leaf of leaves) {
      expect(leaf.share, leaf.code).toBeGreaterThan(0);
    }
    const total = leaves.reduce((sum, c) => sum + c.share, 0);
    expect(total).toBeCloseTo(1, 9);
  });

  it('gives each top level the sum of its children’s shares', () => {
    for (const top of tops) {
      const sum = matterChildren(top.code).reduce((s, c) => s + c.share, 0);
      expect(top.share, top.code).toBeCloseTo(sum, 12);
    }
  });

  it('ranks Beijing’s leading complaint themes above the median', () => {
    const sorted = leaves.map((c) => c.share).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 1;
    // heating, property service, construction noise, parking, refuse, shared facilities
    for (const code of ['0401', '0201', '0501', '0701', '0102', '0203']) {
      expect(matterCategory(code)?.share ?? 0, code).toBeGreaterThan(median * 2);
    }
    const heating = matterCategory('04')?.share ?? 0;
    expect(heating).toBe(Math.max(...tops.map((c) => c.share)));
  });
});

describe('matter helpers', () => {
  it('look up by code', () => {
    expect(matterCategory('04')?.name).toBe('供暖供水');
    expect(matterCategory('0401')).toMatchObject({ name: '供暖不热与停暖', parent: '04' });
    expect(matterCategory('99')).toBeUndefined();
    expect(matterCategory('')).toBeUndefined();
  });

  it('list children of a top level only', () => {
    expect(matterChildren('05').map((c) => c.code)).toEqual([
      '0501',
      '0502',
      '0503',
      '0504',
      '0505',
    ]);
    expect(matterChildren('0501')).toEqual([]);
    expect(matterChildren('99')).toEqual([]);
  });

  it('tell leaves from top levels and unknown codes', () => {
    expect(isMatterLeaf('0401')).toBe(true);
    expect(isMatterLeaf('04')).toBe(false);
    expect(isMatterLeaf('0499')).toBe(false);
  });
});
