import { matterCategory } from '../catalogs/matterCategories';
import type { SyncedBase } from '../domain/common';
import type { Department } from '../domain/org';
import {
  type NegativeListItem,
  type ResponsibilityRule,
  RuleAreaCodeSchema,
  type TimeLimit,
} from '../domain/rules';
import {
  type Dated,
  type Plan,
  type PlannedWrite,
  type RuleIssue,
  addDays,
  checkPeriod,
  datedStatus,
  periodsOverlap,
  refuse,
} from './datedRows';

/**
 * Editing the 权责清单 (issue 6 item 2), as pure plans the app (and a server, later) turns into
 * writes. A rule that is or has been in force is never rewritten, because dispatched cases name
 * the rule that fired: an edit closes it (effectiveTo = the day before the new version starts)
 * and adds version + 1 pointing back with `supersedesId`. A version not yet in force has fired
 * for no case, so it is corrected in place or withdrawn. Two rules of the same category and area
 * may never be in force on the same day. The 负面清单's edits: negativeListEdits.ts.
 */

type RuleRow = Pick<
  ResponsibilityRule,
  | 'id'
  | 'deleted'
  | 'version'
  | 'category'
  | 'areaCode'
  | 'leadDepartmentId'
  | 'coDepartmentIds'
  | 'responseLimit'
  | 'handleLimit'
  | 'effectiveFrom'
  | 'effectiveTo'
  | 'basis'
  | 'supersedesId'
>;

/** The first live rule of the same category and area whose period meets `period`, if any. */
export function overlappingRule<R extends RuleRow>(
  rules: readonly R[],
  key: Pick<RuleRow, 'category' | 'areaCode'>,
  period: Dated,
  ignore: ReadonlySet<string> = new Set(),
): R | null {
  return (
    rules.find(
      (r) =>
        !r.deleted &&
        !ignore.has(r.id) &&
        r.category === key.category &&
        r.areaCode === key.areaCode &&
        periodsOverlap(r, period),
    ) ?? null
  );
}

/** What may be done to a rule now: only the latest version of a rule not yet ended changes. */
export interface RuleActions {
  /** In force: write a new version. Not yet in force: correct it in place. */
  edit: boolean;
  /** In force: set its last day. */
  retire: boolean;
  /** Not yet in force: remove it (and let the version it replaced run on). */
  withdraw: boolean;
}

export function ruleActions(rule: RuleRow, rules: readonly RuleRow[], today: string): RuleActions {
  const none = { edit: false, retire: false, withdraw: false };
  if (rule.deleted || rules.some((r) => !r.deleted && r.supersedesId === rule.id)) return none;
  switch (datedStatus(rule, today)) {
    case 'past':
      return none;
    case 'current':
      return { edit: true, retire: true, withdraw: false };
    case 'future':
      return { edit: true, retire: false, withdraw: true };
  }
}

/** A time limit as a form holds it: the number box may be empty. */
export interface LimitDraft {
  value: number | null | undefined;
  unit: TimeLimit['unit'];
}

/** What the rule form edits. */
export interface RuleDraft {
  category: string;
  /** null = the whole street. */
  areaCode: string | null;
  leadDepartmentId: string;
  coDepartmentIds: string[];
  responseLimit: LimitDraft;
  handleLimit: LimitDraft;
  effectiveFrom: string;
  effectiveTo: string | null;
  basis: string;
}

export type RuleField = keyof RuleDraft;

/** The record's own data: what a plan writes. */
export type RuleData = Omit<ResponsibilityRule, keyof SyncedBase>;

const MAX_LIMIT = 999;

function limitOk(limit: LimitDraft): boolean {
  const v = limit.value;
  return (
    typeof v === 'number' &&
    Number.isInteger(v) &&
    v > 0 &&
    v <= MAX_LIMIT &&
    (limit.unit === 'hours' || limit.unit === 'workdays')
  );
}

/** Field checks of a rule draft, one issue per field at most, in form order. */
export function checkRuleDraft(draft: RuleDraft): RuleIssue<RuleField>[] {
  const issues: RuleIssue<RuleField>[] = [];
  if (!matterCategory(draft.category)) issues.push({ field: 'category', key: 'category' });
  if (draft.areaCode !== null && !RuleAreaCodeSchema.safeParse(draft.areaCode).success)
    issues.push({ field: 'areaCode', key: 'area' });
  if (draft.leadDepartmentId === '') issues.push({ field: 'leadDepartmentId', key: 'lead' });
  if (draft.coDepartmentIds.includes(draft.leadDepartmentId))
    issues.push({ field: 'coDepartmentIds', key: 'leadInCo' });
  else if (new Set(draft.coDepartmentIds).size !== draft.coDepartmentIds.length)
    issues.push({ field: 'coDepartmentIds', key: 'coTwice' });
  if (!limitOk(draft.responseLimit))
    issues.push({ field: 'responseLimit', key: 'limit', params: { max: MAX_LIMIT } });
  if (!limitOk(draft.handleLimit))
    issues.push({ field: 'handleLimit', key: 'limit', params: { max: MAX_LIMIT } });
  issues.push(...checkPeriod<RuleField>(draft, 'effectiveFrom', 'effectiveTo'));
  if (draft.basis.trim().length > 500) issues.push({ field: 'basis', key: 'basis' });
  return issues;
}

/** Tables a plan may consult besides the rules: for the 负面清单 check. */
export interface RuleContext {
  departments: readonly Pick<Department, 'id' | 'kind' | 'name'>[];
  negativeList: readonly Pick<
    NegativeListItem,
    'category' | 'description' | 'effectiveFrom' | 'effectiveTo' | 'deleted'
  >[];
}

/**
 * A rule that names a 社区居委会 (lead or co-handler) for a matter on the 负面清单 during its
 * period would only ever be blocked at dispatch: refused here, on the field that names it.
 */
function negativeListIssue(
  data: RuleData,
  context: RuleContext | undefined,
): RuleIssue<RuleField> | null {
  if (!context) return null;
  const parent = matterCategory(data.category)?.parent ?? null;
  const item = context.negativeList.find(
    (i) =>
      !i.deleted &&
      (i.category === data.category || i.category === parent) &&
      periodsOverlap(i, data),
  );
  if (!item) return null;
  const community = new Set(
    context.departments.filter((d) => d.kind === 'community').map((d) => d.id),
  );
  const params = { item: item.description };
  if (community.has(data.leadDepartmentId))
    return { field: 'leadDepartmentId', key: 'negativeList', params };
  if (data.coDepartmentIds.some((id) => community.has(id)))
    return { field: 'coDepartmentIds', key: 'negativeList', params };
  return null;
}

function overlapIssue(clash: RuleRow): RuleIssue<RuleField> {
  return {
    field: 'effectiveFrom',
    key: 'overlap',
    params: { version: clash.version, from: clash.effectiveFrom, to: clash.effectiveTo ?? '' },
  };
}

function sameLimit(a: TimeLimit, b: TimeLimit): boolean {
  return a.value === b.value && a.unit === b.unit;
}

/** The fields of `next` that differ from `row`. */
function patchOf(row: RuleRow, next: RuleData): Partial<RuleData> {
  const patch: Partial<RuleData> = {};
  if (row.leadDepartmentId !== next.leadDepartmentId)
    patch.leadDepartmentId = next.leadDepartmentId;
  if (row.coDepartmentIds.join() !== next.coDepartmentIds.join())
    patch.coDepartmentIds = next.coDepartmentIds;
  if (!sameLimit(row.responseLimit, next.responseLimit)) patch.responseLimit = next.responseLimit;
  if (!sameLimit(row.handleLimit, next.handleLimit)) patch.handleLimit = next.handleLimit;
  if (row.effectiveFrom !== next.effectiveFrom) patch.effectiveFrom = next.effectiveFrom;
  if (row.effectiveTo !== next.effectiveTo) patch.effectiveTo = next.effectiveTo;
  if (row.basis !== next.basis) patch.basis = next.basis;
  return patch;
}

/**
 * The form for a new rule (`rule` null) or an edit: a rule in force gets its next version from
 * `today`, or the day after it started when that is later (a version needs a day of its own).
 */
export function ruleDraftOf(rule: RuleRow | null, today: string): RuleDraft {
  if (!rule) {
    return {
      category: '',
      areaCode: null,
      leadDepartmentId: '',
      coDepartmentIds: [],
      responseLimit: { value: 24, unit: 'hours' },
      handleLimit: { value: 5, unit: 'workdays' },
      effectiveFrom: today,
      effectiveTo: null,
      basis: '',
    };
  }
  const nextDay = addDays(rule.effectiveFrom, 1);
  const from =
    datedStatus(rule, today) === 'current'
      ? today > rule.effectiveFrom
        ? today
        : nextDay
      : rule.effectiveFrom;
  return {
    category: rule.category,
    areaCode: rule.areaCode,
    leadDepartmentId: rule.leadDepartmentId,
    coDepartmentIds: [...rule.coDepartmentIds],
    responseLimit: { ...rule.responseLimit },
    handleLimit: { ...rule.handleLimit },
    effectiveFrom: from,
    effectiveTo: rule.effectiveTo,
    basis: rule.basis,
  };
}

/**
 * Plans saving the rule form: a new rule (`targetId` null, version 1), a new version of a rule
 * in force (the old one closed the day before), or a correction of a version not yet in force
 * (its predecessor's closing day follows its start). The category and area of an existing rule
 * are its identity and are kept. An edit that changes nothing plans no writes.
 */
export function planRuleSave(
  rules: readonly RuleRow[],
  targetId: string | null,
  draft: RuleDraft,
  today: string,
  context?: RuleContext,
): Plan<RuleData, RuleField> {
  const target = targetId === null ? null : (rules.find((r) => r.id === targetId) ?? null);
  if (targetId !== null && (!target || !ruleActions(target, rules, today).edit))
    return refuse<RuleData, RuleField>({ field: null, key: 'notEditable' });
  const d: RuleDraft = target
    ? { ...draft, category: target.category, areaCode: target.areaCode }
    : draft;
  const issues = checkRuleDraft(d);
  if (issues.length > 0) return { ok: false, issues };

  const data: RuleData = {
    version: target?.version ?? 1,
    category: d.category,
    areaCode: d.areaCode,
    leadDepartmentId: d.leadDepartmentId,
    coDepartmentIds: [...d.coDepartmentIds],
    responseLimit: { value: Number(d.responseLimit.value), unit: d.responseLimit.unit },
    handleLimit: { value: Number(d.handleLimit.value), unit: d.handleLimit.unit },
    effectiveFrom: d.effectiveFrom,
    effectiveTo: d.effectiveTo,
    basis: d.basis.trim(),
    supersedesId: target?.supersedesId ?? null,
  };
  const negative = negativeListIssue(data, context);
  if (negative) return refuse(negative);

  if (!target) {
    const clash = overlappingRule(rules, data, data);
    return clash ? refuse(overlapIssue(clash)) : { ok: true, writes: [{ op: 'create', data }] };
  }
  const patch = patchOf(target, data);
  if (Object.keys(patch).length === 0) return { ok: true, writes: [] };

  if (datedStatus(target, today) === 'future') {
    // Not in force yet: no case names it, so it is corrected where it is.
    const writes: PlannedWrite<RuleData>[] = [];
    const ignore = new Set([target.id]);
    const previous = rules.find((r) => !r.deleted && r.id === target.supersedesId);
    if (previous) {
      if (data.effectiveFrom <= previous.effectiveFrom) {
        return refuse({
          field: 'effectiveFrom',
          key: 'fromNotAfterPrevious',
          params: { version: previous.version, from: previous.effectiveFrom },
        });
      }
      const closeAt = addDays(data.effectiveFrom, -1);
      // The predecessor ends where this version starts, when this version is what closed it.
      const closedByTarget = previous.effectiveTo === addDays(target.effectiveFrom, -1);
      const runsInto = previous.effectiveTo === null || previous.effectiveTo > closeAt;
      if ((closedByTarget || runsInto) && previous.effectiveTo !== closeAt) {
        writes.push({ op: 'update', id: previous.id, patch: { effectiveTo: closeAt } });
        ignore.add(previous.id);
      }
    }
    const clash = overlappingRule(rules, data, data, ignore);
    if (clash) return refuse(overlapIssue(clash));
    writes.push({ op: 'update', id: target.id, patch });
    return { ok: true, writes };
  }

  // In force. A change of its last day alone is a retirement (or its undoing), made in place.
  const dates = new Set(['effectiveFrom', 'effectiveTo']);
  if (Object.keys(patch).every((field) => dates.has(field))) {
    return target.effectiveTo === data.effectiveTo
      ? { ok: true, writes: [] }
      : planRuleRetire(rules, target.id, data.effectiveTo, today);
  }
  // Otherwise it is closed and the next version added.
  if (data.effectiveFrom <= target.effectiveFrom) {
    return refuse({
      field: 'effectiveFrom',
      key: 'fromNotAfterPrevious',
      params: { version: target.version, from: target.effectiveFrom },
    });
  }
  const dayBefore = addDays(data.effectiveFrom, -1);
  const closeAt =
    target.effectiveTo !== null && target.effectiveTo < dayBefore ? target.effectiveTo : dayBefore;
  const next: RuleData = { ...data, version: target.version + 1, supersedesId: target.id };
  const clash = overlappingRule(rules, next, next, new Set([target.id]));
  if (clash) return refuse(overlapIssue(clash));
  const writes: PlannedWrite<RuleData>[] = [];
  if (target.effectiveTo !== closeAt)
    writes.push({ op: 'update', id: target.id, patch: { effectiveTo: closeAt } });
  writes.push({ op: 'create', data: next });
  return { ok: true, writes };
}

/**
 * Plans ending a rule in force: its last day becomes `lastDay` (on or after its first day);
 * null makes it open-ended again.
 */
export function planRuleRetire(
  rules: readonly RuleRow[],
  targetId: string,
  lastDay: string | null,
  today: string,
): Plan<RuleData, RuleField> {
  const target = rules.find((r) => r.id === targetId);
  if (!target || !ruleActions(target, rules, today).retire)
    return refuse<RuleData, RuleField>({ field: null, key: 'notEditable' });
  const period = { effectiveFrom: target.effectiveFrom, effectiveTo: lastDay };
  const issues = checkPeriod<RuleField>(period, 'effectiveFrom', 'effectiveTo');
  if (issues.length > 0) return { ok: false, issues };
  if (target.effectiveTo === lastDay) return { ok: true, writes: [] };
  const clash = overlappingRule(rules, target, period, new Set([target.id]));
  if (clash) return refuse(overlapIssue(clash));
  return { ok: true, writes: [{ op: 'update', id: target.id, patch: { effectiveTo: lastDay } }] };
}

/**
 * Plans withdrawing a version not yet in force: it is deleted, and the version it replaced,
 * when this one closed it, runs on for the period the withdrawn one would have had.
 */
export function planRuleWithdraw(
  rules: readonly RuleRow[],
  targetId: string,
  today: string,
): Plan<RuleData, RuleField> {
  const target = rules.find((r) => r.id === targetId);
  if (!target || !ruleActions(target, rules, today).withdraw)
    return refuse<RuleData, RuleField>({ field: null, key: 'notEditable' });
  const writes: PlannedWrite<RuleData>[] = [{ op: 'delete', id: target.id }];
  const previous = rules.find((r) => !r.deleted && r.id === target.supersedesId);
  if (previous && previous.effectiveTo === addDays(target.effectiveFrom, -1)) {
    writes.unshift({ op: 'update', id: previous.id, patch: { effectiveTo: target.effectiveTo } });
  }
  return { ok: true, writes };
}
