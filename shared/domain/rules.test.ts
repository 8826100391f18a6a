import { describe, expect, it } from 'vitest';
import { ResponsibilityRuleSchema } from './rules';

const BASE = {
  id: '0190a000-0000-7000-8000-000000000001',
  scope: '110101010000',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  hlc: '1735689600000-0000-dev1',
  version: 1,
  category: '0102',
  leadDepartmentId: '0190a000-0000-7000-8000-000000000002',
  responseLimit: { value: 24, unit: 'hours' },
  handleLimit: { value: 2, unit: 'workdays' },
  effectiveFrom: '2025-01-01',
};

describe('ResponsibilityRuleSchema', () => {
  it('takes a grid, a community, a street or no area', () => {
    for (const areaCode of ['110101010003002', '110101010003', '110101010000', null]) {
      expect(ResponsibilityRuleSchema.parse({ ...BASE, areaCode }).areaCode).toBe(areaCode);
    }
    for (const areaCode of ['1101010100030', '11010101000300', '11010101000A', ''])
      expect(ResponsibilityRuleSchema.safeParse({ ...BASE, areaCode }).success).toBe(false);
  });

  it('still reads a row stored before versions named their predecessor', () => {
    const parsed = ResponsibilityRuleSchema.parse(BASE);
    expect(parsed).toMatchObject({ areaCode: null, supersedesId: null, effectiveTo: null });
    const next = ResponsibilityRuleSchema.parse({
      ...BASE,
      id: '0190a000-0000-7000-8000-000000000003',
      version: 2,
      supersedesId: BASE.id,
    });
    expect(next.supersedesId).toBe(BASE.id);
    expect(ResponsibilityRuleSchema.safeParse({ ...BASE, supersedesId: 'x' }).success).toBe(false);
  });
});
