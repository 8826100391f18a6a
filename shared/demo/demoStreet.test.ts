import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SPECIAL_GROUPS } from '../catalogs/specialGroups';
import { MATTER_CATEGORIES, matterCategory } from '../catalogs/matterCategories';
import { negativeItemFor, proposeDispatch } from '../cases/dispatch';
import { addDays } from '../cases/datedRows';
import { overlappingRule } from '../cases/ruleVersions';
import { NEED_CATEGORIES } from '../catalogs/needCategories';
import { MembershipSchema, UserSchema } from '../domain/account';
import { ENTITY_SCHEMAS, type EntityTable } from '../domain/entities';
import { communitiesOfStreet } from '../data/beijing';
import { isGridCode } from '../validation/codes';
import { parseIdNumber } from '../validation/idNumber';
import { isBeijingLandline, isMobile } from '../validation/phone';
import { DEMO_TABLE_ORDER, demoAccounts, generateDemoStreet, planDemoStreet } from './index';
import { collectDemoStreet, rowsOf } from './collectDemoStreet';
import { communityDepartmentCode, leadDepartmentCode } from './departments';
import { DEMO_NEGATIVE_ITEM_COUNT, demoRuleCount } from './rules';

const NOW = '2026-11-29T06:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const OPTS = { seed: 7, households: 1500, now: NOW };

function hashOf(opts: Parameters<typeof generateDemoStreet>[0]): string {
  const hash = createHash('sha256');
  for (const batch of generateDemoStreet(opts, 500)) {
    hash.update(batch.table);
    hash.update(JSON.stringify(batch.rows));
  }
  return hash.digest('hex');
}

// One ~1,500-household street shared by the checks below (generated once: ~1 s).
const street = collectDemoStreet(OPTS);

describe('determinism', () => {
  const small = { seed: 1, households: 400, months: 3, now: NOW };

  it('gives byte-identical output for the same options', () => {
    expect(hashOf(small)).toBe(hashOf({ ...small }));
  });

  it('changes with the seed and with now', () => {
    const base = hashOf(small);
    expect(hashOf({ ...small, seed: 2 })).not.toBe(base);
    expect(hashOf({ ...small, now: '2026-11-30T06:00:00.000Z' })).not.toBe(base);
  });

  it('does not depend on the batch size', () => {
    const rows = (size: number) =>
      JSON.stringify([...generateDemoStreet(small, size)].flatMap((b): unknown[] => b.rows));
    expect(rows(37)).toBe(rows(5000));
  });
});

describe('records', () => {
  it('emits tables in dependency order, each in batches of at most batchSize', () => {
    const order: string[] = [];
    for (const batch of generateDemoStreet(
      { seed: 3, households: 600, months: 2, now: NOW },
      250,
    )) {
      expect(batch.rows.length).toBeGreaterThan(0);
      expect(batch.rows.length).toBeLessThanOrEqual(250);
      if (order[order.length - 1] !== batch.table) order.push(batch.table);
    }
    expect(order).toEqual([...DEMO_TABLE_ORDER]);
  });

  it('every record parses with its entity schema, unchanged', () => {
    for (const table of DEMO_TABLE_ORDER) {
      const rows = rowsOf(street, table);
      expect(rows.length, table).toBeGreaterThan(0);
      const schema = ENTITY_SCHEMAS[table as EntityTable];
      for (const row of rows) {
        const parsed = schema.safeParse(row);
        if (!parsed.success) throw new Error(`${table}: ${parsed.error.message}`);
        // Defaults must already be filled in: parsing adds nothing the generator left out.
        expect(parsed.data).toEqual(row);
      }
    }
  });

  it('has unique ids, demo clocks, instants not after now', () => {
    const ids = new Set<string>();
    for (const table of DEMO_TABLE_ORDER) {
      for (const row of rowsOf(street, table)) {
        expect(ids.has(row.id)).toBe(false);
        ids.add(row.id);
        expect(row.hlc.endsWith('-0000-demo')).toBe(true);
        expect(Date.parse(row.createdAt)).toBeLessThanOrEqual(Date.parse(row.updatedAt));
        expect(Date.parse(row.updatedAt)).toBeLessThanOrEqual(NOW_MS);
      }
    }
  });

  it('links every reference to a generated record', () => {
    const ids = (table: EntityTable) => new Set(rowsOf(street, table).map((r) => r.id));
    const buildings = ids('buildings');
    const households = ids('households');
    const residents = ids('residents');
    const visits = ids('visits');
    const needs = ids('needs');
    const cases = ids('cases');
    const departments = ids('departments');
    const users = new Set(demoAccounts(OPTS).users.map((u) => u.id));
    for (const h of rowsOf(street, 'households')) {
      expect(buildings.has(h.buildingId)).toBe(true);
      if (h.headResidentId) expect(residents.has(h.headResidentId)).toBe(true);
      expect(h.headResidentId !== null).toBe(h.type === 'owner');
    }
    for (const r of rowsOf(street, 'residents')) expect(households.has(r.householdId)).toBe(true);
    for (const v of rowsOf(street, 'visits')) {
      expect(households.has(v.householdId)).toBe(true);
      expect(users.has(v.visitorId)).toBe(true);
    }
    for (const n of rowsOf(street, 'needs')) {
      expect(households.has(n.householdId)).toBe(true);
      if (n.visitId) expect(visits.has(n.visitId)).toBe(true);
      if (n.residentId) expect(residents.has(n.residentId)).toBe(true);
    }
    for (const e of rowsOf(street, 'needEvents')) {
      expect(needs.has(e.needId)).toBe(true);
      expect(users.has(e.actorId)).toBe(true);
    }
    for (const c of rowsOf(street, 'cases')) {
      if (c.householdId) expect(households.has(c.householdId)).toBe(true);
      if (c.leadDepartmentId) expect(departments.has(c.leadDepartmentId)).toBe(true);
      for (const d of c.coDepartmentIds) expect(departments.has(d)).toBe(true);
    }
    for (const e of rowsOf(street, 'caseEvents')) {
      expect(cases.has(e.caseId)).toBe(true);
      expect(users.has(e.actorId)).toBe(true);
    }
  });
});

describe('people', () => {
  const residents = rowsOf(street, 'residents');

  it('have valid ID numbers that agree with birth date and sex', () => {
    const today = new Date(NOW_MS + 8 * 3600_000);
    for (const r of residents) {
      expect(r.idNumber).not.toBeNull();
      const parsed = parseIdNumber(r.idNumber ?? '', today);
      if (!parsed.ok) throw new Error(`${r.idNumber}: ${parsed.error}`);
      expect(parsed.birthDate).toBe(r.birthDate);
      expect(parsed.sex).toBe(r.sex);
      if (r.residenceType === 'floating') expect(r.idNumber?.startsWith('11')).toBe(false);
    }
  });

  it('have phones that are mobiles or Beijing landlines, none for young children', () => {
    for (const r of residents) {
      const age = (NOW_MS - Date.parse(r.birthDate)) / (365.2425 * 86_400_000);
      if (age < 12) expect(r.phone).toBeNull();
      if (r.phone !== null) expect(isMobile(r.phone) || isBeijingLandline(r.phone)).toBe(true);
    }
  });

  it('match an old inner-city street: age, residence and party shares', () => {
    const age = (r: (typeof residents)[number]) =>
      (NOW_MS - Date.parse(r.birthDate)) / (365.2425 * 86_400_000);
    const share = (f: (r: (typeof residents)[number]) => boolean, of = residents) =>
      of.filter(f).length / of.length;
    const adults = residents.filter((r) => age(r) >= 18);
    expect(residents.length / 1500).toBeGreaterThan(2.8);
    expect(residents.length / 1500).toBeLessThan(3.2);
    expect(share((r) => age(r) >= 60)).toBeGreaterThan(0.22);
    expect(share((r) => age(r) >= 60)).toBeLessThan(0.33);
    expect(share((r) => r.residenceType === 'registered')).toBeGreaterThan(0.52);
    expect(share((r) => r.residenceType === 'registered')).toBeLessThan(0.68);
    expect(share((r) => r.residenceType === 'floating')).toBeGreaterThan(0.1);
    expect(share((r) => r.residenceType === 'floating')).toBeLessThan(0.2);
    expect(share((r) => r.partyMember, adults)).toBeGreaterThan(0.07);
    expect(share((r) => r.partyMember, adults)).toBeLessThan(0.13);
    expect(share((r) => r.tags.includes('disabled'))).toBeGreaterThan(0.02);
    expect(share((r) => r.tags.includes('disabled'))).toBeLessThan(0.06);
  });

  it('carry only known special-group tags that fit their age', () => {
    const known = new Set(SPECIAL_GROUPS.map((g) => g.code));
    for (const r of residents) {
      const age = (NOW_MS - Date.parse(r.birthDate)) / (365.2425 * 86_400_000);
      for (const t of r.tags) expect(known.has(t), t).toBe(true);
      if (r.tags.some((t) => t.endsWith('-elder'))) expect(age).toBeGreaterThanOrEqual(60);
      if (r.tags.includes('advanced-age-elder')) expect(age).toBeGreaterThanOrEqual(80);
      if (r.tags.includes('child-in-difficulty')) expect(age).toBeLessThan(16);
    }
  });

  it('live in households that hold them: vacant ones empty, living-alone elders alone', () => {
    const byHousehold = new Map<string, typeof residents>();
    for (const r of residents) {
      const list = byHousehold.get(r.householdId) ?? [];
      list.push(r);
      byHousehold.set(r.householdId, list);
    }
    for (const h of rowsOf(street, 'households')) {
      const members = byHousehold.get(h.id) ?? [];
      if (h.type === 'vacant') expect(members).toHaveLength(0);
      if (h.type === 'rented') for (const m of members) expect(m.relation).toBe('tenant');
      if (h.headResidentId) {
        expect(members.find((m) => m.id === h.headResidentId)?.relation).toBe('head');
      }
    }
    for (const r of residents.filter((x) => x.tags.includes('living-alone-elder'))) {
      expect(byHousehold.get(r.householdId)).toHaveLength(1);
    }
  });
});

describe('needs and cases', () => {
  const needLeaves = new Set(NEED_CATEGORIES.filter((c) => c.parent).map((c) => c.code));
  const matterLeaves = new Set(MATTER_CATEGORIES.filter((c) => c.parent).map((c) => c.code));

  it('needs use leaf categories and have one event per status reached, in order', () => {
    const events = rowsOf(street, 'needEvents');
    for (const need of rowsOf(street, 'needs')) {
      expect(needLeaves.has(need.category)).toBe(true);
      const own = events.filter((e) => e.needId === need.id);
      expect(own[0]?.from).toBeNull();
      own.forEach((e, i) => {
        if (i > 0) expect(e.from).toBe(own[i - 1]?.to);
        if (i > 0) expect(e.at >= (own[i - 1]?.at ?? '')).toBe(true);
      });
      expect(own[own.length - 1]?.to).toBe(need.status);
    }
  });

  it('cases: the plan count, leaf categories, deadlines after receipt, numbers unique', () => {
    const cases = rowsOf(street, 'cases');
    expect(cases).toHaveLength(4500);
    const numbers = new Set(cases.map((c) => c.caseNo));
    expect(numbers.size).toBe(cases.length);
    for (const c of cases) {
      expect(matterLeaves.has(c.category)).toBe(true);
      expect(c.caseNo).toMatch(/^GW\d{8}-\d{6}$/);
      expect(c.workOrderNo !== null).toBe(c.source === 'hotline');
      expect(c.gridCode?.startsWith(c.communityCode ?? 'x')).toBe(true);
      expect(c.streetCode).toBe('110101010000');
      expect((c.responseDeadline ?? '') > c.receivedAt).toBe(true);
      expect((c.handleDeadline ?? '') > c.receivedAt).toBe(true);
      expect(c.scope).toBe(c.gridCode);
    }
  });

  it('cases: status is the one their last timeline event leads to', () => {
    const statusAfter: Record<string, string> = {
      received: 'received',
      dispatched: 'dispatched',
      signed: 'signed',
      started: 'handling',
      returned: 'returned',
      resolved: 'resolved',
      'followed-up': 'followed-up',
      reopened: 'handling',
      archived: 'archived',
    };
    const byCase = new Map<string, ReturnType<typeof rowsOf<'caseEvents'>>>();
    for (const e of rowsOf(street, 'caseEvents')) {
      const list = byCase.get(e.caseId) ?? [];
      list.push(e);
      byCase.set(e.caseId, list);
    }
    const statuses = new Set<string>();
    let events = 0;
    for (const c of rowsOf(street, 'cases')) {
      const own = byCase.get(c.id) ?? [];
      events += own.length;
      expect(own[0]?.type).toBe('received');
      expect(own[0]?.at).toBe(c.receivedAt);
      let status = '';
      own.forEach((e, i) => {
        if (i > 0) expect(e.at > (own[i - 1]?.at ?? '')).toBe(true);
        status = statusAfter[e.type] ?? status;
      });
      expect(c.status).toBe(status);
      expect(c.updatedAt).toBe(own[own.length - 1]?.at);
      expect(c.closedAt !== null).toBe(c.status === 'archived');
      statuses.add(c.status);
    }
    // Old cases are closed, recent ones still open somewhere along the workflow.
    for (const s of ['archived', 'signed', 'resolved', 'followed-up'])
      expect(statuses).toContain(s);
    const perCase = events / rowsOf(street, 'cases').length;
    expect(perCase).toBeGreaterThan(3);
    expect(perCase).toBeLessThan(6);
  });

  it('cases: hotline dominates, satisfaction is mostly good', () => {
    const cases = rowsOf(street, 'cases');
    const hotline = cases.filter((c) => c.source === 'hotline').length / cases.length;
    expect(hotline).toBeGreaterThan(0.65);
    expect(hotline).toBeLessThan(0.75);
    const rated = cases.filter((c) => c.followUp?.satisfaction);
    const satisfied = rated.filter((c) => c.followUp?.satisfaction !== 'unsatisfied').length;
    expect(satisfied / rated.length).toBeGreaterThan(0.85);
  });
});

describe('权责清单 and 负面清单', () => {
  const rules = rowsOf(street, 'responsibilityRules');
  const negativeList = rowsOf(street, 'negativeList');
  const departments = rowsOf(street, 'departments');
  const deptById = new Map(departments.map((d) => [d.id, d]));
  const units = rowsOf(street, 'orgUnits');

  it('has the planned rows, scoped to the street, on known categories, units and areas', () => {
    const communities = units.filter((u) => u.level === 'community');
    expect(rules).toHaveLength(demoRuleCount(communities.length));
    expect(negativeList).toHaveLength(DEMO_NEGATIVE_ITEM_COUNT);
    const areas = new Set(units.filter((u) => u.level !== 'street').map((u) => u.code));
    for (const r of rules) {
      expect(r.scope).toBe('110101010000');
      expect(matterCategory(r.category), r.category).toBeDefined();
      expect(deptById.has(r.leadDepartmentId)).toBe(true);
      for (const id of r.coDepartmentIds) expect(deptById.has(id)).toBe(true);
      expect(r.coDepartmentIds).not.toContain(r.leadDepartmentId);
      if (r.areaCode !== null) expect(areas.has(r.areaCode), r.areaCode).toBe(true);
      expect(r.responseLimit.value).toBeGreaterThan(0);
      expect(r.handleLimit.value).toBeGreaterThan(0);
      expect(r.basis).toMatch(/^《.+》/);
      expect(r.effectiveFrom <= NOW.slice(0, 10)).toBe(true);
    }
    for (const item of negativeList) {
      expect(item.scope).toBe('110101010000');
      expect(matterCategory(item.category), item.category).toBeDefined();
    }
    // Street-wide, community and grid rules, and revised ones, so the list shows every kind.
    expect(rules.some((r) => r.areaCode === null)).toBe(true);
    expect(rules.some((r) => r.areaCode?.length === 12)).toBe(true);
    expect(rules.some((r) => r.areaCode?.length === 15)).toBe(true);
    expect(rules.filter((r) => r.version === 2)).toHaveLength(3);
  });

  it('never has two rules of one category and area in force on the same day', () => {
    for (const r of rules) expect(overlappingRule(rules, r, r, new Set([r.id]))).toBeNull();
  });

  it('links each revision to the version it closed the day before', () => {
    for (const r of rules.filter((x) => x.supersedesId !== null)) {
      const previous = rules.find((x) => x.id === r.supersedesId);
      expect(previous).toMatchObject({
        category: r.category,
        areaCode: r.areaCode,
        version: r.version - 1,
        effectiveTo: addDays(r.effectiveFrom, -1),
      });
    }
  });

  it('names the units the demo cases go to', () => {
    const today = NOW.slice(0, 10);
    for (const r of rules.filter((x) => x.effectiveTo === null || x.effectiveTo >= today)) {
      const lead = deptById.get(r.leadDepartmentId)?.code;
      const expected = leadDepartmentCode(r.category);
      if (expected === 'PROPERTY') expect(lead).toBe('JD-SQB');
      else if (expected === 'COMMUNITY')
        expect(lead).toBe(communityDepartmentCode(r.areaCode ?? ''));
      else expect(lead, r.category).toBe(expected);
    }
    // Every case gets a single rule, and mostly the unit it went to (returned and re-dispatched
    // cases, direct answers and the property companies of 物业管理 cases aside).
    let same = 0;
    let compared = 0;
    for (const c of rowsOf(street, 'cases')) {
      const p = proposeDispatch(c, { rules, negativeList, departments });
      expect(p.kind, c.category).toBe('rule');
      const lead = c.leadDepartmentId ? deptById.get(c.leadDepartmentId) : undefined;
      if (p.kind !== 'rule' || !lead || lead.code === 'JD-SQZX' || c.category.startsWith('02'))
        continue;
      compared += 1;
      if (p.leadDepartmentId === lead.id) same += 1;
    }
    expect(same / compared).toBeGreaterThan(0.9);
  });

  it('gives no 社区居委会 a matter on the 负面清单', () => {
    const onList = MATTER_CATEGORIES.filter(
      (c) => negativeItemFor({ category: c.code, receivedAt: NOW }, negativeList) !== null,
    ).map((c) => c.code);
    expect(onList).toEqual(expect.arrayContaining(['06', '0601', '1006', '1501', '16']));
    for (const r of rules) {
      const community = [r.leadDepartmentId, ...r.coDepartmentIds].some(
        (id) => deptById.get(id)?.kind === 'community',
      );
      if (community) expect(onList).not.toContain(r.category);
    }
  });
});

describe('plan and accounts', () => {
  it('plan counts match what is generated', () => {
    const plan = planDemoStreet(OPTS);
    const grids = rowsOf(street, 'orgUnits').filter((o) => o.level === 'grid');
    expect(grids).toHaveLength(plan.grids);
    expect(new Set(grids.map((g) => g.parentCode)).size).toBe(plan.communities);
    expect(rowsOf(street, 'households')).toHaveLength(plan.households);
    expect(rowsOf(street, 'cases')).toHaveLength(plan.cases);
    const near = (actual: number, planned: number, tolerance: number) =>
      expect(Math.abs(actual - planned) / planned).toBeLessThan(tolerance);
    near(rowsOf(street, 'residents').length, plan.residents, 0.05);
    near(rowsOf(street, 'buildings').length, plan.buildings, 0.25);
    const total = Object.values(street).reduce((sum, rows) => sum + rows.length, 0);
    near(total, plan.totalRecords, 0.2);
  });

  it('accounts: one demo user per role, a worker per grid, all valid', () => {
    const { users, memberships } = demoAccounts(OPTS);
    for (const u of users) UserSchema.parse(u);
    for (const m of memberships) MembershipSchema.parse(m);
    expect(new Set(users.map((u) => u.username)).size).toBe(users.length);
    const grids = rowsOf(street, 'orgUnits').filter((o) => o.level === 'grid');
    const gridWorkers = memberships.filter((m) => m.role === 'grid-worker');
    // Each grid's own worker, plus demo-grid sharing grid 001 of the first community.
    expect(gridWorkers).toHaveLength(grids.length + 1);
    const first = communitiesOfStreet('110101010000')[0]?.code;
    const demoGrid = users.find((u) => u.username === 'demo-grid');
    expect(memberships.find((m) => m.userId === demoGrid?.id)?.scope).toBe(`${first}001`);
    for (const role of ['admin', 'street', 'community', 'department'] as const) {
      const user = users.find((u) => u.username === `demo-${role}`);
      expect(memberships.some((m) => m.userId === user?.id && m.role === role)).toBe(true);
    }
    expect(demoAccounts(OPTS)).toEqual({ users, memberships });
  });

  it('grid codes are valid and under real communities of the street', () => {
    const real = new Set(communitiesOfStreet('110101010000').map((c) => c.code));
    for (const g of rowsOf(street, 'orgUnits').filter((o) => o.level === 'grid')) {
      expect(isGridCode(g.code)).toBe(true);
      expect(real.has(g.code.slice(0, 12))).toBe(true);
      expect(g.parentCode).toBe(g.code.slice(0, 12));
    }
  });

  it('rejects bad options with a readable error', () => {
    expect(() => planDemoStreet({ ...OPTS, households: 0 })).toThrow(/households/);
    expect(() => planDemoStreet({ ...OPTS, now: '2026-11-29' })).toThrow(/now/);
    expect(() => planDemoStreet({ ...OPTS, streetCode: '110105001000' })).toThrow(/东城区/);
  });
});
