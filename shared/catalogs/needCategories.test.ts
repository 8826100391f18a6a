import { describe, expect, it } from 'vitest';
import { CategoryCodeSchema, NeedLayerSchema } from '../domain/need';
import { NEED_CATEGORIES, needCategory, needChildren } from './needCategories';

const tops = NEED_CATEGORIES.filter((c) => c.parent === null);
const leaves = NEED_CATEGORIES.filter((c) => c.parent !== null);

describe('NEED_CATEGORIES', () => {
  it('has at least 20 leaves under several top levels', () => {
    expect(leaves.length).toBeGreaterThanOrEqual(20);
    expect(tops.length).toBeGreaterThanOrEqual(5);
  });

  it('uses unique codes and names', () => {
    for (const key of ['code', 'name', 'nameEn'] as const) {
      const values = NEED_CATEGORIES.map((c) => c[key]);
      expect(new Set(values).size, key).toBe(values.length);
    }
  });

  it('uses 2-digit top levels and 4-digit leaves the domain schema accepts', () => {
    for (const c of NEED_CATEGORIES) {
      expect(CategoryCodeSchema.safeParse(c.code).success, c.code).toBe(true);
      expect(c.code.length, c.code).toBe(c.parent === null ? 2 : 4);
    }
  });

  it('nests every leaf under an existing top level whose code it extends', () => {
    for (const leaf of leaves) {
      const parent = leaf.parent === null ? undefined : needCategory(leaf.parent);
      expect(parent?.parent, leaf.code).toBeNull();
      expect(leaf.code.startsWith(parent?.code ?? '--'), leaf.code).toBe(true);
    }
    for (const top of tops) {
      expect(needChildren(top.code).length, top.code).toBeGreaterThanOrEqual(2);
    }
  });

  it('gives every entry a layer of the domain enum, using all three', () => {
    for (const c of NEED_CATEGORIES) {
      expect(NeedLayerSchema.safeParse(c.layer).success, c.code).toBe(true);
    }
    expect(new Set(leaves.map((c) => c.layer))).toEqual(
      new Set(['basic', 'improvement', 'special']),
    );
  });

  it('puts targeted support for special groups in the special layer', () => {
    const byName = (name: string) => NEED_CATEGORIES.find((c) => c.name === name);
    expect(byName('残疾人康复')?.layer).toBe('special');
    expect(byName('特困供养')?.layer).toBe('special');
    expect(byName('低保申请')?.layer).toBe('special');
    expect(byName('助餐')?.layer).toBe('basic');
    expect(byName('适老化改造')?.layer).toBe('improvement');
  });

  it('covers the themes grid workers record', () => {
    const names = NEED_CATEGORIES.map((c) => c.name).join(' ');
    for (const theme of ['养老', '助餐', '助医', '就业', '住房', '法律援助', '心理慰藉']) {
      expect(names, theme).toContain(theme);
    }
    for (const theme of ['托育', '文体', '安全隐患', '适老化改造', '无障碍']) {
      expect(names, theme).toContain(theme);
    }
  });
});

describe('need helpers', () => {
  it('look up by code and list children', () => {
    expect(needCategory('0102')).toMatchObject({ name: '助餐', parent: '01', layer: 'basic' });
    expect(needCategory('01')?.parent).toBeNull();
    expect(needCategory('9999')).toBeUndefined();
    expect(needChildren('06').map((c) => c.code)).toEqual(['0601', '0602', '0603']);
    expect(needChildren('0601')).toEqual([]);
  });
});
