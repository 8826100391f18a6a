import { addDays } from '../cases/datedRows';
import { MATTER_CATEGORIES, matterCategory } from '../catalogs/matterCategories';
import type { Department } from '../domain/org';
import type { NegativeListItem, ResponsibilityRule, TimeLimit } from '../domain/rules';
import { communityDepartmentCode, leadDepartmentCode } from './departments';
import { DAY, beijingDate, type Fields, type RecordFactory } from './envelope';
import type { DemoStreet } from './grids';

/**
 * The street's 权责清单 and 负面清单. The lead units are the ones the demo's cases go to
 * (`leadDepartmentCode`), so a proposal made from these rules agrees with the cases' history,
 * except 物业管理: the cases went to each compound's property company, which a street-wide rule
 * cannot name, so the rule names the street's 社区建设办公室, which supervises property services
 * and passes the matter on. 社区服务 gets one rule per community naming its 居委会.
 *
 * Rows: every top-level category; a sub-category where its lead differs from its top level's,
 * where its response is faster (utility failures and safety risks: 2 hours), or where it has
 * co-handlers of its own; a rule for one grid; and three rules revised halfway through the
 * demo's history (version 1 closed, version 2 in force), so the list shows past versions.
 * The documents named as 依据 are real regulations or the district's duty list, by title only.
 */

const workdays = (value: number): TimeLimit => ({ value, unit: 'workdays' });

const B = {
  list: '《{district}街道职责清单》',
  sanitation: '《北京市市容环境卫生条例》',
  refuse: '《北京市生活垃圾管理条例》',
  green: '《北京市绿化条例》',
  property: '《北京市物业管理条例》',
  heat: '《北京市供热采暖管理办法》',
  gas: '《北京市燃气管理条例》',
  noise: '《中华人民共和国噪声污染防治法》',
  building: '《北京市禁止违法建设若干规定》',
  fire: '《北京市消防条例》',
  food: '《北京市食品安全条例》',
  dogs: '《北京市养犬管理规定》',
  hotline: '《北京市接诉即办工作条例》',
} as const;

/** Lead unit for the 物业管理 top level (see the module comment). */
const PROPERTY_LEAD = 'JD-SQB';

/** Co-handlers and 依据 per category; categories not listed name the district's duty list. */
const DETAILS: Record<string, { co?: readonly string[]; basis?: readonly (keyof typeof B)[] }> = {
  '01': { co: ['JD-CGB'], basis: ['sanitation'] },
  '0102': { co: ['JD-CGB'], basis: ['refuse'] },
  '0103': { basis: ['sanitation'] },
  '0104': { co: ['JD-ZFD'], basis: ['sanitation'] },
  '0106': { basis: ['green'] },
  '0107': { co: ['JD-CGB'], basis: ['green'] },
  '02': { basis: ['property', 'list'] },
  '0204': { co: ['QU-SJJ'], basis: ['property'] },
  '0206': { co: ['JD-SQB'], basis: ['property'] },
  '0207': { basis: ['property'] },
  '03': { co: ['JD-CGB'] },
  '0304': { co: ['QU-SWJ'] },
  '04': { basis: ['hotline'] },
  '0401': { basis: ['heat'] },
  '0402': { basis: ['heat'] },
  '0405': { basis: ['gas'] },
  '0408': { co: ['GY-ZLS', 'GY-RQ'] },
  '05': { basis: ['noise'] },
  '0501': { basis: ['noise'] },
  '0502': { co: ['JD-PAB'], basis: ['noise'] },
  '0503': { co: ['QU-SJJ'], basis: ['noise'] },
  '0504': { basis: ['noise'] },
  '0505': { basis: ['noise'] },
  '06': { co: ['QU-ZJW'], basis: ['building'] },
  '0701': { co: ['JD-CGB'] },
  '09': { co: ['QU-STJ'] },
  '0901': { basis: ['refuse'] },
  '1005': { co: ['QU-GAJ', 'QU-FGJ'] },
  '1006': { co: ['JD-PAB'] },
  '1101': { co: ['JD-PAB'], basis: ['fire'] },
  '1102': { co: ['QU-XF'], basis: ['fire'] },
  '1105': { co: ['QU-SWJ'] },
  '15': { basis: ['food', 'list'] },
  '16': { co: ['JD-CGB'] },
  '1604': { basis: ['dogs'] },
};

/** Rules revised halfway through the history: what version 1 said, before the change. */
const REVISED: Record<string, { lead?: string; co?: readonly string[]; handle?: TimeLimit }> = {
  // Refuse: the street's 城市管理办公室 became co-handler and the time to clear was shortened.
  '0102': { co: [], handle: workdays(3) },
  // Heating too cold or off: one working day instead of two.
  '0401': { handle: workdays(2) },
  // Neighbourhood noise: enforcement passed from the street's team to the police.
  '0502': { lead: 'JD-ZFD', co: [] },
};

/** A row of the list before ids and dates: lead and co-handlers are department codes. */
interface RuleSpec {
  category: string;
  lead: string;
  co: readonly string[];
  responseLimit: TimeLimit;
  handleLimit: TimeLimit;
  basis: string;
}

function resolvedLead(category: string): string {
  const code = leadDepartmentCode(category);
  return code === 'PROPERTY' ? PROPERTY_LEAD : code;
}

function specOf(category: string): RuleSpec {
  const cat = matterCategory(category);
  if (!cat) throw new Error(`demo rule for unknown category ${category}`);
  const details = DETAILS[category];
  return {
    category,
    lead: resolvedLead(category),
    co: details?.co ?? [],
    responseLimit: cat.responseLimit,
    handleLimit: cat.handleLimit,
    basis: (details?.basis ?? ['list']).map((key) => B[key]).join('；'),
  };
}

/** Street-wide rows: top levels, then the sub-categories that need their own row. */
function streetSpecs(): RuleSpec[] {
  const specs: RuleSpec[] = [];
  for (const cat of MATTER_CATEGORIES) {
    if (cat.parent === null) {
      // 社区服务 is each community's own: one rule per community (below).
      if (resolvedLead(cat.code) !== 'COMMUNITY') specs.push(specOf(cat.code));
      continue;
    }
    const parent = matterCategory(cat.parent);
    const lead = resolvedLead(cat.code);
    const ownRow =
      lead !== resolvedLead(cat.parent) ||
      (parent !== undefined && cat.responseLimit.value < parent.responseLimit.value) ||
      DETAILS[cat.code] !== undefined;
    if (ownRow && lead !== 'COMMUNITY') specs.push(specOf(cat.code));
  }
  return specs;
}

const STREET_SPECS = streetSpecs();
const COMMUNITY_TOPS = MATTER_CATEGORIES.filter(
  (c) => c.parent === null && resolvedLead(c.code) === 'COMMUNITY',
).map((c) => c.code);
/** The grid rule: construction noise in the first grid, where the district builds. */
const GRID_SPEC: RuleSpec = { ...specOf('0501'), co: ['QU-ZJW'] };

/** Demo 权责清单 rows for a street with `communities` communities and at least one grid. */
export function demoRuleCount(communities: number): number {
  return (
    STREET_SPECS.length + Object.keys(REVISED).length + communities * COMMUNITY_TOPS.length + 1 // the grid rule
  );
}

/** 负面清单: matters a 社区居委会 must not be given (enforcement, expert appraisal). */
const NEGATIVE: readonly (readonly [category: string, description: string])[] = [
  ['06', '违法建设的认定与查处（行政执法事项）'],
  ['1006', '房屋安全鉴定（须由有资质的鉴定机构出具结论）'],
  ['1501', '食品安全监督检查与执法'],
  ['1505', '无照经营的查处'],
  ['0902', '餐饮油烟污染的执法检查'],
  ['16', '占道经营、店外经营等城市管理综合执法'],
];

export const DEMO_NEGATIVE_ITEM_COUNT = NEGATIVE.length;

export interface DemoRules {
  rules: ResponsibilityRule[];
  negativeList: NegativeListItem[];
}

/**
 * The street's lists, scoped to the street (every device of the street dispatches by them).
 * Version 1 of every rule takes effect on 1 January of the year the street's records begin;
 * revisions on the first of the month halfway through the cases' history, entered ten days
 * ahead.
 */
export function buildRules(
  street: DemoStreet,
  departments: readonly Department[],
  gridCodes: readonly string[],
  factory: RecordFactory,
  window: { orgMs: number; startMs: number; nowMs: number },
): DemoRules {
  const byCode = new Map(departments.map((d) => [d.code, d.id]));
  const idOf = (code: string): string => {
    const id = byCode.get(code);
    if (id === undefined) throw new Error(`demo rule names unknown department ${code}`);
    return id;
  };
  const district = street.district.name;
  const listFrom = `${beijingDate(window.orgMs).slice(0, 4)}-01-01`;
  const revisedFrom = `${beijingDate((window.startMs + window.nowMs) / 2).slice(0, 7)}-01`;
  const revisedMs = Date.parse(`${revisedFrom}T00:00:00+08:00`);
  const revisionCreatedMs = Math.max(window.orgMs + 2 * DAY, revisedMs - 10 * DAY);
  const dayBefore = addDays(revisedFrom, -1);

  let n = 0;
  const row = (
    spec: RuleSpec,
    areaCode: string | null,
    extra: {
      version?: number;
      effectiveFrom?: string;
      effectiveTo?: string | null;
      supersedesId?: string | null;
      createdMs?: number;
      updatedMs?: number;
    } = {},
  ): ResponsibilityRule => {
    const createdMs = extra.createdMs ?? window.orgMs + DAY + n * 60_000;
    n += 1;
    return Object.assign(factory.envelope(street.code, createdMs, extra.updatedMs ?? createdMs), {
      version: extra.version ?? 1,
      category: spec.category,
      areaCode,
      leadDepartmentId: idOf(spec.lead),
      coDepartmentIds: spec.co.map(idOf),
      responseLimit: spec.responseLimit,
      handleLimit: spec.handleLimit,
      effectiveFrom: extra.effectiveFrom ?? listFrom,
      effectiveTo: extra.effectiveTo ?? null,
      basis: spec.basis.replace('{district}', district),
      supersedesId: extra.supersedesId ?? null,
    } satisfies Fields<ResponsibilityRule>);
  };

  const rules: ResponsibilityRule[] = [];
  const revisions: ResponsibilityRule[] = [];
  for (const spec of STREET_SPECS) {
    const before = REVISED[spec.category];
    if (!before) {
      rules.push(row(spec, null));
      continue;
    }
    const first = row(
      {
        ...spec,
        lead: before.lead ?? spec.lead,
        co: before.co ?? spec.co,
        handleLimit: before.handle ?? spec.handleLimit,
      },
      null,
      { effectiveTo: dayBefore, updatedMs: revisionCreatedMs },
    );
    rules.push(first);
    revisions.push(
      row(spec, null, {
        version: 2,
        effectiveFrom: revisedFrom,
        supersedesId: first.id,
        createdMs: revisionCreatedMs + revisions.length * 60_000,
      }),
    );
  }
  for (const community of street.communities) {
    for (const category of COMMUNITY_TOPS) {
      rules.push(
        row({ ...specOf(category), lead: communityDepartmentCode(community.code) }, community.code),
      );
    }
  }
  const grid = gridCodes[0];
  if (grid !== undefined) rules.push(row(GRID_SPEC, grid));
  rules.push(...revisions);

  const negativeList = NEGATIVE.map(([category, description], i) =>
    Object.assign(factory.envelope(street.code, window.orgMs + DAY + (n + i) * 60_000), {
      category,
      description,
      effectiveFrom: listFrom,
      effectiveTo: null,
    } satisfies Fields<NegativeListItem>),
  );
  return { rules, negativeList };
}
