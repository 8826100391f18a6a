import { matterCategory } from '../catalogs/matterCategories';
import { beijingDate, deadlineAfter, type Deadline } from '../calendar/workdays';
import type { Case } from '../domain/case';
import type { Department } from '../domain/org';
import type { NegativeListItem, ResponsibilityRule, TimeLimit } from '../domain/rules';

/**
 * Dispatch by the 权责清单 (issue 6 item 2): proposes the lead and co-handling units for a case
 * from the stored ResponsibilityRule rows, says which rule fired and why, and checks a manual
 * assignment against the 负面清单 (matters a 社区居委会 must not be given).
 *
 * Order of precedence, applied to the rules in force on the Beijing date of receipt:
 * 1. category: a rule on the case's own sub-category shadows rules on its top-level category
 *    (a top-level rule applies to its sub-categories only when no sub-category rule matches);
 * 2. area: the most specific matching area wins (grid > community > street > district > all);
 * 3. version: the highest version wins.
 * Several rules left after that are a tie: the result is `ambiguous` and lists them.
 */

/** The fields of a case that dispatch reads. */
export type DispatchCase = Pick<
  Case,
  'category' | 'gridCode' | 'communityCode' | 'streetCode' | 'receivedAt'
>;

/** How wide a rule's area is; higher is more specific. */
export type AreaLevel = 'all' | 'district' | 'street' | 'community' | 'grid';
const AREA_RANK: Record<AreaLevel, number> = {
  all: 0,
  district: 1,
  street: 2,
  community: 3,
  grid: 4,
};

/** The level of an area code: 15 digits is a grid, 12-digit NBS codes by their zero tails. */
export function areaLevel(code: string | null): AreaLevel {
  if (code === null) return 'all';
  if (code.length === 15) return 'grid';
  if (code.endsWith('000000')) return 'district';
  if (code.endsWith('000')) return 'street';
  return 'community';
}

/** Whether a rule's area covers the case's place. */
function areaCovers(areaCode: string | null, c: DispatchCase): boolean {
  const level = areaLevel(areaCode);
  const community = c.communityCode ?? c.gridCode?.slice(0, 12) ?? null;
  switch (level) {
    case 'all':
      return true;
    case 'grid':
      return areaCode === c.gridCode;
    case 'community':
      return areaCode === community;
    case 'street':
      return areaCode === c.streetCode;
    case 'district':
      return areaCode?.slice(0, 6) === c.streetCode.slice(0, 6);
  }
}

/** Whether a dated row is in force on a Beijing date (both ends inclusive). */
export function inForce(
  row: { effectiveFrom: string; effectiveTo: string | null; deleted?: boolean },
  date: string,
): boolean {
  return (
    row.deleted !== true &&
    row.effectiveFrom <= date &&
    (row.effectiveTo === null || date <= row.effectiveTo)
  );
}

/** How a rule's category matched: the case's own code, or its top-level parent. */
export type CategoryMatch = 'exact' | 'parent';

function categoryMatch(ruleCategory: string, caseCategory: string): CategoryMatch | null {
  if (ruleCategory === caseCategory) return 'exact';
  const parent = matterCategory(caseCategory)?.parent ?? null;
  if (parent !== null && ruleCategory === parent) return 'parent';
  return null;
}

/** Why a rule was chosen: the facts the UI shows next to the proposal. */
export interface DispatchWhy {
  /** Beijing date of receipt, the date rules are looked up at. */
  date: string;
  categoryMatch: CategoryMatch;
  areaLevel: AreaLevel;
  version: number;
  /** Rules in force that matched the category and area, the chosen one included. */
  candidates: number;
  /** Matching rules passed over, with the precedence step that ruled each out. */
  outranked: { ruleId: string; by: 'category' | 'area' | 'version' }[];
}

/** Time limits, where they come from, and the deadlines they give for this case. */
export interface DispatchLimits {
  from: 'rule' | 'catalog' | 'none';
  responseLimit: TimeLimit | null;
  handleLimit: TimeLimit | null;
  responseDeadline: Deadline | null;
  handleDeadline: Deadline | null;
}

export type DispatchProposal =
  | {
      kind: 'rule';
      rule: ResponsibilityRule;
      leadDepartmentId: string;
      coDepartmentIds: readonly string[];
      limits: DispatchLimits;
      why: DispatchWhy;
      /** The 负面清单 item in force for this matter, if any (binds manual choices too). */
      negativeItem: NegativeListItem | null;
    }
  | {
      /** The winning rule names a 社区居委会 for a matter on the negative list. */
      kind: 'blocked';
      rule: ResponsibilityRule;
      negativeItem: NegativeListItem;
      /** The community units the rule names (lead or co-handling). */
      blockedDepartmentIds: readonly string[];
      limits: DispatchLimits;
      why: DispatchWhy;
    }
  | {
      /** Several rules tie after category, area and version: a person must choose. */
      kind: 'ambiguous';
      rules: readonly ResponsibilityRule[];
      categoryMatch: CategoryMatch;
      areaLevel: AreaLevel;
      version: number;
      limits: DispatchLimits;
      negativeItem: NegativeListItem | null;
    }
  | {
      /** No rule in force covers this matter here. */
      kind: 'none';
      limits: DispatchLimits;
      negativeItem: NegativeListItem | null;
    };

export interface DispatchTables {
  rules: readonly ResponsibilityRule[];
  negativeList: readonly NegativeListItem[];
  departments: readonly Department[];
}

/** The negative-list item in force for the case's matter (its own code or its top level). */
export function negativeItemFor(
  c: Pick<DispatchCase, 'category' | 'receivedAt'>,
  negativeList: readonly NegativeListItem[],
): NegativeListItem | null {
  const date = beijingDate(new Date(c.receivedAt));
  let best: NegativeListItem | null = null;
  for (const item of negativeList) {
    if (!inForce(item, date)) continue;
    const match = categoryMatch(item.category, c.category);
    if (match === 'exact') return item;
    if (match === 'parent') best ??= item;
  }
  return best;
}

function limitsOf(
  c: DispatchCase,
  from: 'rule' | 'catalog',
  response: TimeLimit | null,
  handle: TimeLimit | null,
): DispatchLimits {
  const start = new Date(c.receivedAt);
  return {
    from: response === null && handle === null ? 'none' : from,
    responseLimit: response,
    handleLimit: handle,
    responseDeadline: response === null ? null : deadlineAfter(start, response),
    handleDeadline: handle === null ? null : deadlineAfter(start, handle),
  };
}

/** Limits from the matter catalogue (the sub-category's own, which carries defaults). */
function catalogLimits(c: DispatchCase): DispatchLimits {
  const category = matterCategory(c.category);
  return limitsOf(c, 'catalog', category?.responseLimit ?? null, category?.handleLimit ?? null);
}

/** Proposes lead and co-handling units for a case; see the module comment for precedence. */
export function proposeDispatch(c: DispatchCase, tables: DispatchTables): DispatchProposal {
  const date = beijingDate(new Date(c.receivedAt));
  const negativeItem = negativeItemFor(c, tables.negativeList);
  const matching: { rule: ResponsibilityRule; match: CategoryMatch; level: AreaLevel }[] = [];
  for (const rule of tables.rules) {
    if (!inForce(rule, date) || !areaCovers(rule.areaCode, c)) continue;
    const match = categoryMatch(rule.category, c.category);
    if (match !== null) matching.push({ rule, match, level: areaLevel(rule.areaCode) });
  }
  if (matching.length === 0) return { kind: 'none', limits: catalogLimits(c), negativeItem };

  const outranked: DispatchWhy['outranked'] = [];
  const keep = <T extends (typeof matching)[number]>(
    rows: T[],
    pass: (row: T) => boolean,
    by: DispatchWhy['outranked'][number]['by'],
  ): T[] => {
    const kept = rows.filter(pass);
    for (const row of rows) if (!pass(row)) outranked.push({ ruleId: row.rule.id, by });
    return kept;
  };
  const hasExact = matching.some((m) => m.match === 'exact');
  let left = keep(matching, (m) => !hasExact || m.match === 'exact', 'category');
  const bestArea = Math.max(...left.map((m) => AREA_RANK[m.level]));
  left = keep(left, (m) => AREA_RANK[m.level] === bestArea, 'area');
  const bestVersion = Math.max(...left.map((m) => m.rule.version));
  left = keep(left, (m) => m.rule.version === bestVersion, 'version');

  const first = left[0];
  if (!first) return { kind: 'none', limits: catalogLimits(c), negativeItem }; // unreachable
  if (left.length > 1) {
    return {
      kind: 'ambiguous',
      rules: left.map((m) => m.rule),
      categoryMatch: first.match,
      areaLevel: first.level,
      version: bestVersion,
      limits: catalogLimits(c),
      negativeItem,
    };
  }
  const { rule } = first;
  const why: DispatchWhy = {
    date,
    categoryMatch: first.match,
    areaLevel: first.level,
    version: rule.version,
    candidates: matching.length,
    outranked,
  };
  const limits = limitsOf(c, 'rule', rule.responseLimit, rule.handleLimit);
  if (negativeItem !== null) {
    const kindOf = new Map(tables.departments.map((d) => [d.id, d.kind]));
    const blocked = [rule.leadDepartmentId, ...rule.coDepartmentIds].filter(
      (id) => kindOf.get(id) === 'community',
    );
    if (blocked.length > 0) {
      return {
        kind: 'blocked',
        rule,
        negativeItem,
        blockedDepartmentIds: blocked,
        // The limits belong to the matter, whoever ends up handling it.
        limits,
        why,
      };
    }
  }
  return {
    kind: 'rule',
    rule,
    leadDepartmentId: rule.leadDepartmentId,
    coDepartmentIds: rule.coDepartmentIds,
    limits,
    why,
    negativeItem,
  };
}

/** The units a dispatcher actually picked. */
export interface ChosenUnits {
  lead: Department;
  co: readonly Department[];
}

export type AssignmentCheck =
  | { ok: true; override: boolean }
  | {
      ok: false;
      code: 'negative-list';
      reason: string;
      item: NegativeListItem;
      departmentId: string;
    }
  | { ok: false; code: 'reason-required' | 'invalid-units'; reason: string };

/**
 * Checks a dispatcher's choice against the proposal. Giving a matter on the negative list to a
 * 社区居委会 (lead or co-handler) is refused with the list item as the reason; any choice other
 * than a single fired rule's units is an override and needs a non-empty reason (so do choices
 * when the proposal is ambiguous, blocked or empty: no rule vouches for them).
 */
export function checkAssignment(
  proposal: DispatchProposal,
  chosen: ChosenUnits,
  reason: string,
): AssignmentCheck {
  const coIds = chosen.co.map((d) => d.id);
  if (coIds.includes(chosen.lead.id) || new Set(coIds).size !== coIds.length) {
    return {
      ok: false,
      code: 'invalid-units',
      reason: 'a unit may appear only once: the lead is not also a co-handler',
    };
  }
  const item = proposal.negativeItem;
  if (item !== null) {
    for (const d of [chosen.lead, ...chosen.co]) {
      if (d.kind === 'community') {
        return {
          ok: false,
          code: 'negative-list',
          reason: `负面清单: ${item.description}`,
          item,
          departmentId: d.id,
        };
      }
    }
  }
  const override =
    proposal.kind !== 'rule' ||
    proposal.leadDepartmentId !== chosen.lead.id ||
    proposal.coDepartmentIds.length !== coIds.length ||
    proposal.coDepartmentIds.some((id) => !coIds.includes(id));
  if (override && reason.trim() === '') {
    return {
      ok: false,
      code: 'reason-required',
      reason:
        proposal.kind === 'rule'
          ? 'the choice differs from the rule that fired: give a reason'
          : 'no single rule proposes these units: give a reason',
    };
  }
  return { ok: true, override };
}
