import { describe, expect, it } from 'vitest';
import { DepartmentSchema } from '../domain/org';
import {
  NegativeListItemSchema,
  ResponsibilityRuleSchema,
  type NegativeListItem,
  type ResponsibilityRule,
} from '../domain/rules';
import type { Plan, PlannedWrite } from './datedRows';
import {
  type RuleData,
  overlappingRule,
  planRuleRetire,
  planRuleSave,
  planRuleWithdraw,
  ruleActions,
  ruleDraftOf,
} from './ruleVersions';

const STREET = '110101010000';
const COMMUNITY = '110101010003';
const GRID = '110101010003002';
const TODAY = '2026-03-10';

let seq = 0;
const uuid = () => `0190a000-0000-7000-8000-${String(++seq).padStart(12, '0')}`;
const envelope = () => ({
  id: uuid(),
  scope: STREET,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  hlc: '1735689600000-0000-dev1',
});
const HW = uuid();
const CGB = uuid();
const ZFD = uuid();

function rule(over: Partial<ResponsibilityRule> = {}): ResponsibilityRule {
  return ResponsibilityRuleSchema.parse({
    ...envelope(),
    version: 1,
    category: '0102',
    leadDepartmentId: HW,
    responseLimit: { value: 24, unit: 'hours' },
    handleLimit: { value: 2, unit: 'workdays' },
    effectiveFrom: '2025-01-01',
    ...over,
  });
}

/** The writes of a plan that must succeed. */
function writesOf<D>(plan: Plan<D, string>): PlannedWrite<D>[] {
  if (!plan.ok) throw new Error(`refused: ${JSON.stringify(plan.issues)}`);
  return plan.writes;
}
function issuesOf<D>(plan: Plan<D, string>) {
  if (plan.ok) throw new Error('expected a refusal');
  return plan.issues;
}

describe('overlappingRule', () => {
  it('compares category and area exactly and skips deleted and ignored rows', () => {
    const street = rule();
    const rules = [
      street,
      rule({ areaCode: COMMUNITY }),
      rule({ category: '01' }),
      rule({ deleted: true, areaCode: GRID }),
    ];
    const period = { effectiveFrom: TODAY, effectiveTo: null };
    expect(overlappingRule(rules, { category: '0102', areaCode: null }, period)).toBe(street);
    expect(overlappingRule(rules, { category: '0102', areaCode: GRID }, period)).toBeNull();
    expect(
      overlappingRule(rules, { category: '0102', areaCode: null }, period, new Set([street.id])),
    ).toBeNull();
  });
});

describe('planRuleSave: new rules', () => {
  const draft = () => ({ ...ruleDraftOf(null, TODAY), category: '0102', leadDepartmentId: HW });

  it('creates version 1 with trimmed basis and no predecessor', () => {
    const writes = writesOf(planRuleSave([], null, { ...draft(), basis: ' 《条例》 ' }, TODAY));
    expect(writes).toEqual([
      {
        op: 'create',
        data: expect.objectContaining({
          version: 1,
          category: '0102',
          areaCode: null,
          supersedesId: null,
          basis: '《条例》',
          effectiveFrom: TODAY,
          effectiveTo: null,
        }) as RuleData,
      },
    ]);
  });

  it('refuses bad fields, one issue per field', () => {
    const issues = issuesOf(
      planRuleSave(
        [],
        null,
        {
          ...draft(),
          category: '9999',
          areaCode: '1101',
          leadDepartmentId: CGB,
          coDepartmentIds: [ZFD, CGB],
          responseLimit: { value: 0, unit: 'hours' },
          handleLimit: { value: null, unit: 'workdays' },
          effectiveFrom: '2026-03-10',
          effectiveTo: '2026-03-09',
        },
        TODAY,
      ),
    );
    expect(issues.map((i) => [i.field, i.key])).toEqual([
      ['category', 'category'],
      ['areaCode', 'area'],
      ['coDepartmentIds', 'leadInCo'],
      ['responseLimit', 'limit'],
      ['handleLimit', 'limit'],
      ['effectiveTo', 'toBeforeFrom'],
    ]);
    expect(issuesOf(planRuleSave([], null, { ...draft(), leadDepartmentId: '' }, TODAY))).toEqual([
      { field: 'leadDepartmentId', key: 'lead' },
    ]);
    expect(
      issuesOf(planRuleSave([], null, { ...draft(), coDepartmentIds: [ZFD, ZFD] }, TODAY))[0]?.key,
    ).toBe('coTwice');
    expect(
      issuesOf(
        planRuleSave(
          [],
          null,
          { ...draft(), handleLimit: { value: 1.5, unit: 'workdays' } },
          TODAY,
        ),
      )[0]?.field,
    ).toBe('handleLimit');
  });

  it('accepts a grid or a community as the area', () => {
    for (const areaCode of [GRID, COMMUNITY])
      expect(writesOf(planRuleSave([], null, { ...draft(), areaCode }, TODAY))).toHaveLength(1);
  });

  it('refuses a second rule for the same category and area on any shared day', () => {
    const existing = rule({ effectiveFrom: '2025-01-01', effectiveTo: '2026-06-30', version: 3 });
    const issues = issuesOf(
      planRuleSave([existing], null, { ...draft(), effectiveFrom: '2026-06-30' }, TODAY),
    );
    expect(issues).toEqual([
      {
        field: 'effectiveFrom',
        key: 'overlap',
        params: { version: 3, from: '2025-01-01', to: '2026-06-30' },
      },
    ]);
    // The day after it ends, another area, or another category: fine.
    const after = { ...draft(), effectiveFrom: '2026-07-01' };
    expect(writesOf(planRuleSave([existing], null, after, TODAY))).toHaveLength(1);
    const elsewhere = { ...draft(), areaCode: COMMUNITY };
    expect(writesOf(planRuleSave([existing], null, elsewhere, TODAY))).toHaveLength(1);
    const parent = { ...draft(), category: '01' };
    expect(writesOf(planRuleSave([existing], null, parent, TODAY))).toHaveLength(1);
  });

  it('refuses a 社区居委会 for a matter on the 负面清单', () => {
    const community = DepartmentSchema.parse({
      ...envelope(),
      code: 'SQ-003',
      name: '三区居委会',
      kind: 'community',
    });
    const item: NegativeListItem = NegativeListItemSchema.parse({
      ...envelope(),
      category: '06',
      description: '违法建设查处',
      effectiveFrom: '2025-01-01',
    });
    const context = { departments: [community], negativeList: [item] };
    const illegal = { ...draft(), category: '0601' };
    expect(
      issuesOf(
        planRuleSave([], null, { ...illegal, leadDepartmentId: community.id }, TODAY, context),
      ),
    ).toEqual([
      { field: 'leadDepartmentId', key: 'negativeList', params: { item: '违法建设查处' } },
    ]);
    expect(
      issuesOf(
        planRuleSave([], null, { ...illegal, coDepartmentIds: [community.id] }, TODAY, context),
      )[0]?.field,
    ).toBe('coDepartmentIds');
    // Another matter, or the item no longer in force: allowed.
    const other = { ...draft(), leadDepartmentId: community.id };
    expect(writesOf(planRuleSave([], null, other, TODAY, context))).toHaveLength(1);
    const ended = { ...context, negativeList: [{ ...item, effectiveTo: '2025-12-31' }] };
    expect(
      writesOf(
        planRuleSave([], null, { ...illegal, leadDepartmentId: community.id }, TODAY, ended),
      ),
    ).toHaveLength(1);
  });
});

describe('planRuleSave: editing a rule in force', () => {
  it('closes it the day before and adds version + 1 that names it', () => {
    const current = rule({ version: 2 });
    const draft = { ...ruleDraftOf(current, TODAY), coDepartmentIds: [CGB] };
    expect(draft.effectiveFrom).toBe(TODAY);
    const writes = writesOf(planRuleSave([current], current.id, draft, TODAY));
    expect(writes).toEqual([
      { op: 'update', id: current.id, patch: { effectiveTo: '2026-03-09' } },
      {
        op: 'create',
        data: expect.objectContaining({
          version: 3,
          supersedesId: current.id,
          category: '0102',
          leadDepartmentId: HW,
          coDepartmentIds: [CGB],
          effectiveFrom: TODAY,
          effectiveTo: null,
        }) as RuleData,
      },
    ]);
  });

  it('starts the next version tomorrow when the rule began today', () => {
    const fresh = rule({ effectiveFrom: TODAY });
    const draft = {
      ...ruleDraftOf(fresh, TODAY),
      handleLimit: { value: 1, unit: 'workdays' as const },
    };
    expect(draft.effectiveFrom).toBe('2026-03-11');
    const writes = writesOf(planRuleSave([fresh], fresh.id, draft, TODAY));
    expect(writes[0]).toEqual({ op: 'update', id: fresh.id, patch: { effectiveTo: TODAY } });
    // A version may not start on or before the day its predecessor did.
    const same = { ...draft, effectiveFrom: TODAY };
    expect(issuesOf(planRuleSave([fresh], fresh.id, same, TODAY))).toEqual([
      {
        field: 'effectiveFrom',
        key: 'fromNotAfterPrevious',
        params: { version: 1, from: TODAY },
      },
    ]);
  });

  it('keeps the category and area, and keeps an earlier planned end', () => {
    const ending = rule({ effectiveTo: '2026-03-31' });
    const draft = {
      ...ruleDraftOf(ending, TODAY),
      category: '01',
      areaCode: GRID,
      effectiveFrom: '2026-05-01',
      effectiveTo: null,
      basis: 'new',
    };
    const writes = writesOf(planRuleSave([ending], ending.id, draft, TODAY));
    expect(writes).toEqual([
      {
        op: 'create',
        data: expect.objectContaining({ category: '0102', areaCode: null, version: 2 }) as RuleData,
      },
    ]);
  });

  it('writes nothing for an unchanged form; a new last day alone ends it in place', () => {
    const current = rule();
    expect(
      writesOf(planRuleSave([current], current.id, ruleDraftOf(current, TODAY), TODAY)),
    ).toEqual([]);
    const draft = { ...ruleDraftOf(current, TODAY), effectiveTo: '2026-12-31' };
    expect(writesOf(planRuleSave([current], current.id, draft, TODAY))).toEqual([
      { op: 'update', id: current.id, patch: { effectiveTo: '2026-12-31' } },
    ]);
  });

  it('refuses to edit a past version or one already superseded', () => {
    const old = rule({ effectiveTo: '2026-01-31' });
    const next = rule({ version: 2, effectiveFrom: '2026-02-01', supersedesId: old.id });
    expect(ruleActions(old, [old, next], TODAY)).toEqual({
      edit: false,
      retire: false,
      withdraw: false,
    });
    expect(issuesOf(planRuleSave([old, next], old.id, ruleDraftOf(old, TODAY), TODAY))).toEqual([
      { field: null, key: 'notEditable' },
    ]);
    // Closed today, its successor starting tomorrow: still in force, but no longer the latest.
    const closing = rule({ effectiveTo: TODAY });
    const successor = rule({ version: 2, effectiveFrom: '2026-03-11', supersedesId: closing.id });
    expect(ruleActions(closing, [closing, successor], TODAY).edit).toBe(false);
    expect(ruleActions(successor, [closing, successor], TODAY)).toEqual({
      edit: true,
      retire: false,
      withdraw: true,
    });
  });

  it('refuses a version that would overlap another rule of the category and area', () => {
    const current = rule({ effectiveTo: '2026-12-31' });
    const later = rule({ effectiveFrom: '2027-01-01', version: 5 });
    const draft = { ...ruleDraftOf(current, TODAY), basis: 'x', effectiveTo: null };
    expect(issuesOf(planRuleSave([current, later], current.id, draft, TODAY))[0]).toMatchObject({
      field: 'effectiveFrom',
      key: 'overlap',
      params: { version: 5 },
    });
  });
});

describe('planRuleSave: a version not yet in force', () => {
  const old = rule({ effectiveTo: '2026-03-31' });
  const next = rule({ version: 2, effectiveFrom: '2026-04-01', supersedesId: old.id });

  it('is corrected in place, its predecessor closing the day before its new start', () => {
    const draft = { ...ruleDraftOf(next, TODAY), effectiveFrom: '2026-05-01', basis: 'b' };
    expect(draft.effectiveFrom).toBe('2026-05-01');
    expect(writesOf(planRuleSave([old, next], next.id, draft, TODAY))).toEqual([
      { op: 'update', id: old.id, patch: { effectiveTo: '2026-04-30' } },
      { op: 'update', id: next.id, patch: { effectiveFrom: '2026-05-01', basis: 'b' } },
    ]);
  });

  it('may not start on or before its predecessor', () => {
    const draft = { ...ruleDraftOf(next, TODAY), effectiveFrom: '2025-01-01' };
    expect(issuesOf(planRuleSave([old, next], next.id, draft, TODAY))[0]?.key).toBe(
      'fromNotAfterPrevious',
    );
  });

  it('is withdrawn by deleting it; the predecessor runs on as it would have', () => {
    expect(writesOf(planRuleWithdraw([old, next], next.id, TODAY))).toEqual([
      { op: 'update', id: old.id, patch: { effectiveTo: null } },
      { op: 'delete', id: next.id },
    ]);
    expect(issuesOf(planRuleWithdraw([old, next], old.id, TODAY))[0]?.key).toBe('notEditable');
  });
});

describe('planRuleRetire', () => {
  it('sets the last day of a rule in force, not before its first', () => {
    const current = rule({ effectiveFrom: '2026-01-01' });
    expect(writesOf(planRuleRetire([current], current.id, TODAY, TODAY))).toEqual([
      { op: 'update', id: current.id, patch: { effectiveTo: TODAY } },
    ]);
    expect(issuesOf(planRuleRetire([current], current.id, '2025-12-31', TODAY))).toEqual([
      { field: 'effectiveTo', key: 'toBeforeFrom' },
    ]);
    expect(issuesOf(planRuleRetire([current], current.id, '2026-13-01', TODAY))[0]?.key).toBe(
      'date',
    );
  });

  it('refuses to extend it over a later rule', () => {
    const current = rule({ effectiveTo: '2026-06-30' });
    const later = rule({ effectiveFrom: '2026-07-01' });
    expect(issuesOf(planRuleRetire([current, later], current.id, null, TODAY))[0]?.key).toBe(
      'overlap',
    );
  });
});
