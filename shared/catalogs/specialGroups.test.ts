import { describe, expect, it } from 'vitest';
import { SPECIAL_GROUPS, specialGroup } from './specialGroups';

describe('SPECIAL_GROUPS', () => {
  it('has at least 12 groups with unique slugs and names', () => {
    expect(SPECIAL_GROUPS.length).toBeGreaterThanOrEqual(12);
    for (const key of ['code', 'name', 'nameEn'] as const) {
      const values = SPECIAL_GROUPS.map((g) => g[key]);
      expect(new Set(values).size, key).toBe(values.length);
    }
  });

  it('uses lower-case slugs', () => {
    for (const g of SPECIAL_GROUPS) {
      expect(g.code, g.code).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(g.code, g.code).not.toMatch(/--|-$/);
    }
  });

  it('includes the groups other modules refer to by slug', () => {
    const expected: Record<string, string> = {
      'living-alone-elder': '独居老人',
      'empty-nest-elder': '空巢老人',
      'advanced-age-elder': '高龄老人',
      disabled: '残疾人',
      'minimum-living-allowance': '低保户',
      'extreme-poverty': '特困人员',
      veteran: '退役军人',
      'left-behind-child': '留守儿童',
      'serious-illness': '重病患者',
      unemployed: '失业人员',
      'community-correction': '社区矫正对象',
      'entitled-group': '优抚对象',
      'bereaved-only-child-family': '失独家庭',
    };
    for (const [code, name] of Object.entries(expected)) {
      expect(specialGroup(code)?.name, code).toBe(name);
    }
  });

  it('has plausible visit intervals, listed most frequent first', () => {
    for (const g of SPECIAL_GROUPS) {
      expect(Number.isInteger(g.visitIntervalDays), g.code).toBe(true);
      expect(g.visitIntervalDays, g.code).toBeGreaterThanOrEqual(7);
      expect(g.visitIntervalDays, g.code).toBeLessThanOrEqual(366);
      expect(g.description.length, g.code).toBeGreaterThan(0);
    }
    const intervals = SPECIAL_GROUPS.map((g) => g.visitIntervalDays);
    expect(intervals).toEqual([...intervals].sort((a, b) => a - b));
    expect(specialGroup('living-alone-elder')?.visitIntervalDays).toBe(7);
    expect(specialGroup('empty-nest-elder')?.visitIntervalDays).toBe(30);
    expect(specialGroup('disabled')?.visitIntervalDays).toBe(30);
    expect(specialGroup('minimum-living-allowance')?.visitIntervalDays).toBe(90);
  });

  it('marks PIPL Art. 28 categories as sensitive', () => {
    // health, disability, financial hardship, criminal-justice status, minors
    for (const code of [
      'disabled',
      'serious-illness',
      'severe-mental-disorder',
      'minimum-living-allowance',
      'extreme-poverty',
      'community-correction',
      'released-prisoner',
      'left-behind-child',
    ]) {
      expect(specialGroup(code)?.sensitive, code).toBe(true);
    }
    expect(specialGroup('veteran')?.sensitive).toBe(false);
    expect(specialGroup('advanced-age-elder')?.sensitive).toBe(false);
  });

  it('returns undefined for unknown slugs', () => {
    expect(specialGroup('Living-Alone-Elder')).toBeUndefined();
    expect(specialGroup('')).toBeUndefined();
  });
});
