import { describe, expect, it } from 'vitest';
import { DepartmentSchema, type Department } from '../domain/org';
import {
  NegativeListItemSchema,
  ResponsibilityRuleSchema,
  type NegativeListItem,
  type ResponsibilityRule,
} from '../domain/rules';
import {
  areaLevel,
  checkAssignment,
  inForce,
  negativeItemFor,
  proposeDispatch,
  type DispatchCase,
  type DispatchProposal,
} from './dispatch';

const STREET = '110101010000';
const DISTRICT = '110101000000';
const COMMUNITY = '110101010003';
const GRID = '110101010003002';
const OTHER_GRID = '110101010003005';

let seq = 0;
const uuid = () => `0190a000-0000-7000-8000-${String(++seq).padStart(12, '0')}`;
const envelope = () => ({
  id: uuid(),
  scope: STREET,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  hlc: '1735689600000-0000-dev1',
});

function dept(code: string, kind: Department['kind']): Department {
  return DepartmentSchema.parse({ ...envelope(), code, name: code, kind });
}
const CGB = dept('JD-CGB', 'street-office');
const ZFD = dept('JD-ZFD', 'district-department');
const HW = dept('HW', 'public-service');
const SQ = dept('SQ-003', 'community');
const WY = dept('WY-1', 'property-company');
const DEPTS = [CGB, ZFD, HW, SQ, WY];

function rule(over: Partial<ResponsibilityRule> & { category: string }): ResponsibilityRule {
  return ResponsibilityRuleSchema.parse({
    ...envelope(),
    version: 1,
    leadDepartmentId: CGB.id,
    responseLimit: { value: 24, unit: 'hours' },
    handleLimit: { value: 5, unit: 'workdays' },
    effectiveFrom: '2025-01-01',
    ...over,
  });
}
function negative(category: string, over: Partial<NegativeListItem> = {}): NegativeListItem {
  return NegativeListItemSchema.parse({
    ...envelope(),
    category,
    description: `不得派给社区：${category}`,
    effectiveFrom: '2025-01-01',
    ...over,
  });
}

// 2026-03-02 09:00 Beijing (a Monday).
const CASE: DispatchCase = {
  category: '0102',
  gridCode: GRID,
  communityCode: COMMUNITY,
  streetCode: STREET,
  receivedAt: '2026-03-02T01:00:00.000Z',
};

function propose(rules: ResponsibilityRule[], negatives: NegativeListItem[] = [], c = CASE) {
  return proposeDispatch(c, { rules, negativeList: negatives, departments: DEPTS });
}
function expectRule(p: DispatchProposal): Extract<DispatchProposal, { kind: 'rule' }> {
  if (p.kind !== 'rule') throw new Error(`expected a rule, got ${p.kind}`);
  return p;
}

describe('areaLevel', () => {
  it('reads the level from the code', () => {
    expect(areaLevel(null)).toBe('all');
    expect(areaLevel(DISTRICT)).toBe('district');
    expect(areaLevel(STREET)).toBe('street');
    expect(areaLevel(COMMUNITY)).toBe('community');
    expect(areaLevel(GRID)).toBe('grid');
  });
});

describe('inForce', () => {
  const row = { effectiveFrom: '2026-01-01', effectiveTo: '2026-01-31' };
  it('includes both ends and excludes tombstones', () => {
    expect(inForce(row, '2025-12-31')).toBe(false);
    expect(inForce(row, '2026-01-01')).toBe(true);
    expect(inForce(row, '2026-01-31')).toBe(true);
    expect(inForce(row, '2026-02-01')).toBe(false);
    expect(inForce({ ...row, effectiveTo: null }, '2099-01-01')).toBe(true);
    expect(inForce({ ...row, deleted: true }, '2026-01-10')).toBe(false);
  });
});

describe('proposeDispatch', () => {
  it('proposes the rule’s units and limits, with deadlines on the working-day calendar', () => {
    const r = rule({
      category: '0102',
      leadDepartmentId: HW.id,
      coDepartmentIds: [CGB.id],
      responseLimit: { value: 2, unit: 'hours' },
      handleLimit: { value: 3, unit: 'workdays' },
    });
    const p = expectRule(propose([r]));
    expect(p.rule.id).toBe(r.id);
    expect(p.leadDepartmentId).toBe(HW.id);
    expect(p.coDepartmentIds).toEqual([CGB.id]);
    expect(p.limits.from).toBe('rule');
    expect(p.limits.responseDeadline?.at).toBe('2026-03-02T03:00:00.000Z');
    // Mon 2 March + 3 working days → end of Thu 5 March Beijing = 5 March 16:00Z.
    expect(p.limits.handleDeadline?.at).toBe('2026-03-05T16:00:00.000Z');
    expect(p.why).toMatchObject({
      date: '2026-03-02',
      categoryMatch: 'exact',
      areaLevel: 'all',
      version: 1,
      candidates: 1,
      outranked: [],
    });
    expect(p.negativeItem).toBeNull();
  });

  it('uses the Beijing date of receipt to find rules in force', () => {
    // 2026-02-28 17:00Z is already 1 March in Beijing.
    const old = rule({ category: '0102', effectiveTo: '2026-02-28', leadDepartmentId: CGB.id });
    const current = rule({
      category: '0102',
      effectiveFrom: '2026-03-01',
      leadDepartmentId: HW.id,
    });
    const p = expectRule(
      propose([old, current], [], { ...CASE, receivedAt: '2026-02-28T17:00:00.000Z' }),
    );
    expect(p.rule.id).toBe(current.id);
    const q = expectRule(
      propose([old, current], [], { ...CASE, receivedAt: '2026-02-28T15:59:00.000Z' }),
    );
    expect(q.rule.id).toBe(old.id);
  });

  it('applies a top-level rule to its sub-categories', () => {
    const top = rule({ category: '01', leadDepartmentId: CGB.id });
    const p = expectRule(propose([top]));
    expect(p.rule.id).toBe(top.id);
    expect(p.why.categoryMatch).toBe('parent');
  });

  it('lets a sub-category rule shadow the top-level rule, even a more local one', () => {
    const topGrid = rule({ category: '01', areaCode: GRID, leadDepartmentId: CGB.id });
    const sub = rule({ category: '0102', leadDepartmentId: HW.id });
    const p = expectRule(propose([topGrid, sub]));
    expect(p.rule.id).toBe(sub.id);
    expect(p.why.outranked).toEqual([{ ruleId: topGrid.id, by: 'category' }]);
    expect(p.why.candidates).toBe(2);
  });

  it('ignores rules of other categories, including siblings and other top levels', () => {
    expect(propose([rule({ category: '0101' }), rule({ category: '02' })]).kind).toBe('none');
  });

  it('picks the most specific area: grid > community > street > district > all', () => {
    const all = rule({ category: '0102', version: 9 });
    const district = rule({ category: '0102', areaCode: DISTRICT, version: 5 });
    const street = rule({ category: '0102', areaCode: STREET, version: 3 });
    const community = rule({ category: '0102', areaCode: COMMUNITY, version: 2 });
    const grid = rule({ category: '0102', areaCode: GRID });
    const rules = [all, district, street, community, grid];
    expect(expectRule(propose(rules)).rule.id).toBe(grid.id);
    expect(expectRule(propose(rules)).why.areaLevel).toBe('grid');
    expect(expectRule(propose(rules.slice(0, 4))).rule.id).toBe(community.id);
    expect(expectRule(propose(rules.slice(0, 3))).rule.id).toBe(street.id);
    expect(expectRule(propose(rules.slice(0, 2))).rule.id).toBe(district.id);
    const p = expectRule(propose(rules));
    expect(p.why.outranked.filter((o) => o.by === 'area')).toHaveLength(4);
  });

  it('does not apply rules of other areas', () => {
    const elsewhere = [
      rule({ category: '0102', areaCode: OTHER_GRID }),
      rule({ category: '0102', areaCode: '110101010004' }),
      rule({ category: '0102', areaCode: '110101020000' }),
      rule({ category: '0102', areaCode: '110102000000' }),
    ];
    expect(propose(elsewhere).kind).toBe('none');
  });

  it('derives the community from the grid code when the case has none', () => {
    const community = rule({ category: '0102', areaCode: COMMUNITY });
    expect(propose([community], [], { ...CASE, communityCode: null }).kind).toBe('rule');
    expect(propose([community], [], { ...CASE, communityCode: null, gridCode: null }).kind).toBe(
      'none',
    );
  });

  it('takes the highest version in force, not the highest version overall', () => {
    const v1 = rule({ category: '0102', version: 1, leadDepartmentId: CGB.id });
    const v2 = rule({ category: '0102', version: 2, leadDepartmentId: HW.id });
    const v3 = rule({ category: '0102', version: 3, effectiveFrom: '2026-06-01' });
    const p = expectRule(propose([v1, v2, v3]));
    expect(p.rule.id).toBe(v2.id);
    expect(p.why.outranked).toEqual([{ ruleId: v1.id, by: 'version' }]);
  });

  it('skips deleted and expired rules', () => {
    const gone = rule({ category: '0102', deleted: true });
    const expired = rule({ category: '0102', effectiveTo: '2026-03-01' });
    expect(propose([gone, expired]).kind).toBe('none');
  });

  it('reports a tie as ambiguous, listing the rules, with catalogue limits', () => {
    const a = rule({ category: '0102', areaCode: STREET, version: 2, leadDepartmentId: HW.id });
    const b = rule({ category: '0102', areaCode: STREET, version: 2, leadDepartmentId: CGB.id });
    const older = rule({ category: '0102', areaCode: STREET, version: 1 });
    const p = propose([a, b, older]);
    expect(p.kind).toBe('ambiguous');
    if (p.kind !== 'ambiguous') return;
    expect(p.rules.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(p).toMatchObject({ areaLevel: 'street', version: 2, categoryMatch: 'exact' });
    expect(p.limits.from).toBe('catalog');
    expect(p.limits.responseLimit).toEqual({ value: 24, unit: 'hours' });
    expect(p.limits.handleLimit).toEqual({ value: 2, unit: 'workdays' });
  });

  it('falls back to the catalogue limits when no rule applies', () => {
    const p = propose([]);
    expect(p).toMatchObject({
      kind: 'none',
      limits: { from: 'catalog', handleLimit: { value: 2, unit: 'workdays' } },
    });
    const unknown = propose([], [], { ...CASE, category: '9999' });
    expect(unknown.limits).toMatchObject({ from: 'none', responseDeadline: null });
  });

  it('blocks a winning rule that names a community for a negative-list matter', () => {
    const r = rule({ category: '0102', leadDepartmentId: SQ.id });
    const item = negative('01');
    const p = propose([r], [item]);
    expect(p).toMatchObject({ kind: 'blocked', blockedDepartmentIds: [SQ.id] });
    if (p.kind !== 'blocked') return;
    expect(p.negativeItem.id).toBe(item.id);
    expect(p.rule.id).toBe(r.id);
    expect(p.limits).toMatchObject({ from: 'rule', handleLimit: { value: 5, unit: 'workdays' } });
    const co = propose([rule({ category: '0102', coDepartmentIds: [SQ.id] })], [item]);
    expect(co.kind).toBe('blocked');
  });

  it('passes a negative-list matter to a non-community unit, carrying the item', () => {
    const item = negative('0102');
    const p = expectRule(propose([rule({ category: '0102' })], [item]));
    expect(p.negativeItem?.id).toBe(item.id);
  });
});

describe('negativeItemFor', () => {
  it('matches the code or its top level, prefers the exact item, honours dates', () => {
    const top = negative('01');
    const exact = negative('0102');
    const later = negative('0102', { effectiveFrom: '2027-01-01' });
    expect(negativeItemFor(CASE, [top])?.id).toBe(top.id);
    expect(negativeItemFor(CASE, [top, exact])?.id).toBe(exact.id);
    expect(negativeItemFor(CASE, [later])).toBeNull();
    expect(negativeItemFor(CASE, [negative('0101')])).toBeNull();
  });
});

describe('checkAssignment', () => {
  const r = rule({ category: '0102', leadDepartmentId: HW.id, coDepartmentIds: [CGB.id] });

  it('accepts the proposal as is, with no reason', () => {
    expect(checkAssignment(propose([r]), { lead: HW, co: [CGB] }, '')).toEqual({
      ok: true,
      override: false,
    });
  });

  it('needs a reason for any other choice', () => {
    const p = propose([r]);
    for (const chosen of [
      { lead: ZFD, co: [CGB] },
      { lead: HW, co: [] },
      { lead: HW, co: [CGB, ZFD] },
      { lead: HW, co: [ZFD] },
    ]) {
      expect(checkAssignment(p, chosen, '  ')).toMatchObject({
        ok: false,
        code: 'reason-required',
      });
      expect(checkAssignment(p, chosen, '现场核实属执法队职责')).toEqual({
        ok: true,
        override: true,
      });
    }
  });

  it('treats co-handlers as a set', () => {
    const two = rule({
      category: '0102',
      leadDepartmentId: HW.id,
      coDepartmentIds: [CGB.id, ZFD.id],
    });
    expect(checkAssignment(propose([two]), { lead: HW, co: [ZFD, CGB] }, '')).toEqual({
      ok: true,
      override: false,
    });
  });

  it('needs a reason when no single rule proposes the units', () => {
    expect(checkAssignment(propose([]), { lead: HW, co: [] }, '')).toMatchObject({
      code: 'reason-required',
    });
    expect(checkAssignment(propose([]), { lead: HW, co: [] }, '按惯例')).toEqual({
      ok: true,
      override: true,
    });
  });

  it('refuses a community for a negative-list matter, naming the item, even with a reason', () => {
    const item = negative('01', { description: '垃圾清运不属于社区职责' });
    const p = propose([r], [item]);
    const asLead = checkAssignment(p, { lead: SQ, co: [] }, '领导要求');
    expect(asLead).toMatchObject({ ok: false, code: 'negative-list', departmentId: SQ.id });
    if (asLead.ok || asLead.code !== 'negative-list') return;
    expect(asLead.item.id).toBe(item.id);
    expect(asLead.reason).toContain('垃圾清运不属于社区职责');
    expect(checkAssignment(p, { lead: HW, co: [SQ] }, '协助')).toMatchObject({
      code: 'negative-list',
    });
    // A blocked proposal refuses the community too, and accepts another unit with a reason.
    const blocked = propose([rule({ category: '0102', leadDepartmentId: SQ.id })], [item]);
    expect(checkAssignment(blocked, { lead: SQ, co: [] }, 'x')).toMatchObject({
      code: 'negative-list',
    });
    expect(checkAssignment(blocked, { lead: HW, co: [] }, '')).toMatchObject({
      code: 'reason-required',
    });
    expect(checkAssignment(blocked, { lead: HW, co: [] }, '负面清单，改派')).toEqual({
      ok: true,
      override: true,
    });
  });

  it('allows a community for matters not on the negative list', () => {
    expect(checkAssignment(propose([r]), { lead: SQ, co: [] }, '社区可办')).toEqual({
      ok: true,
      override: true,
    });
  });

  it('refuses a unit listed twice or as both lead and co-handler', () => {
    const p = propose([r]);
    expect(checkAssignment(p, { lead: HW, co: [HW] }, 'x')).toMatchObject({
      code: 'invalid-units',
    });
    expect(checkAssignment(p, { lead: HW, co: [CGB, CGB] }, 'x')).toMatchObject({
      code: 'invalid-units',
    });
  });
});
