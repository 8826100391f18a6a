import { describe, expect, it } from 'vitest';
import { DepartmentSchema } from '../domain/org';
import { ResponsibilityRuleSchema, type ResponsibilityRule } from '../domain/rules';
import { proposeDispatch, type DispatchCase } from './dispatch';

/**
 * Grid-level 权责清单 rules stored through the schema (15-digit area codes): dispatch takes
 * them as the most specific area, and only for cases in that grid.
 */

const STREET = '110101010000';
const COMMUNITY = '110101010003';
const GRID = '110101010003002';

let seq = 0;
const uuid = () => `0190a000-0000-7000-8000-${String(++seq).padStart(12, '0')}`;
const envelope = () => ({
  id: uuid(),
  scope: STREET,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  hlc: '1735689600000-0000-dev1',
});
const dept = (code: string) =>
  DepartmentSchema.parse({ ...envelope(), code, name: code, kind: 'street-office' });
const ZFD = dept('JD-ZFD');
const CGB = dept('JD-CGB');

function rule(areaCode: string | null, leadDepartmentId: string): ResponsibilityRule {
  return ResponsibilityRuleSchema.parse({
    ...envelope(),
    version: 1,
    category: '0501',
    areaCode,
    leadDepartmentId,
    responseLimit: { value: 2, unit: 'hours' },
    handleLimit: { value: 3, unit: 'workdays' },
    effectiveFrom: '2025-01-01',
  });
}

const CASE: DispatchCase = {
  category: '0501',
  gridCode: GRID,
  communityCode: COMMUNITY,
  streetCode: STREET,
  receivedAt: '2026-03-02T01:00:00.000Z',
};

describe('dispatch with a grid-level rule parsed by the schema', () => {
  const rules = [rule(null, CGB.id), rule(COMMUNITY, CGB.id), rule(GRID, ZFD.id)];
  const tables = { rules, negativeList: [], departments: [ZFD, CGB] };

  it('proposes the grid rule for a case in that grid', () => {
    const p = proposeDispatch(CASE, tables);
    if (p.kind !== 'rule') throw new Error(`expected a rule, got ${p.kind}`);
    expect(p.leadDepartmentId).toBe(ZFD.id);
    expect(p.why.areaLevel).toBe('grid');
    expect(p.why.outranked.map((o) => o.by)).toEqual(['area', 'area']);
  });

  it('passes it over for a case in another grid of the community', () => {
    const p = proposeDispatch({ ...CASE, gridCode: '110101010003005' }, tables);
    if (p.kind !== 'rule') throw new Error(`expected a rule, got ${p.kind}`);
    expect(p.why.areaLevel).toBe('community');
  });
});
