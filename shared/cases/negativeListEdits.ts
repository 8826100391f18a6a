import { matterCategory } from '../catalogs/matterCategories';
import type { SyncedBase } from '../domain/common';
import type { NegativeListItem } from '../domain/rules';
import { type Plan, type RuleIssue, checkPeriod, periodsOverlap, refuse } from './datedRows';

/**
 * Editing the 负面清单 (matters a 社区居委会 must not be given): items are corrected in place,
 * keeping their effective dates, since a case never names the item that bound its dispatch.
 * One item per category in force on any day.
 */

/** The record's own data: what a plan writes. */
export type NegativeItemData = Omit<NegativeListItem, keyof SyncedBase>;

type NegativeRow = Pick<
  NegativeListItem,
  'id' | 'deleted' | 'category' | 'description' | 'effectiveFrom' | 'effectiveTo'
>;

/** What the 负面清单 form edits. */
export interface NegativeDraft {
  category: string;
  description: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}
export type NegativeField = keyof NegativeDraft;

export function negativeDraftOf(item: NegativeRow | null, today: string): NegativeDraft {
  return item
    ? {
        category: item.category,
        description: item.description,
        effectiveFrom: item.effectiveFrom,
        effectiveTo: item.effectiveTo,
      }
    : { category: '', description: '', effectiveFrom: today, effectiveTo: null };
}

/**
 * Plans saving a 负面清单 item: new (`targetId` null) or corrected in place (an item binds
 * dispatch choices, it is not named by a case, so it needs no versions). One item per category
 * in force on any day.
 */
export function planNegativeSave(
  items: readonly NegativeRow[],
  targetId: string | null,
  draft: NegativeDraft,
): Plan<NegativeItemData, NegativeField> {
  const target = targetId === null ? null : (items.find((i) => i.id === targetId) ?? null);
  if (targetId !== null && (!target || target.deleted))
    return refuse<NegativeItemData, NegativeField>({ field: null, key: 'notEditable' });
  const issues: RuleIssue<NegativeField>[] = [];
  if (!matterCategory(draft.category)) issues.push({ field: 'category', key: 'category' });
  const description = draft.description.trim();
  if (description === '' || description.length > 500)
    issues.push({ field: 'description', key: 'description' });
  issues.push(...checkPeriod<NegativeField>(draft, 'effectiveFrom', 'effectiveTo'));
  if (issues.length > 0) return { ok: false, issues };

  const data: NegativeItemData = {
    category: draft.category,
    description,
    effectiveFrom: draft.effectiveFrom,
    effectiveTo: draft.effectiveTo,
  };
  const clash = items.find(
    (i) =>
      !i.deleted && i.id !== targetId && i.category === data.category && periodsOverlap(i, data),
  );
  if (clash) {
    return refuse({
      field: 'effectiveFrom',
      key: 'overlap',
      params: { item: clash.description, from: clash.effectiveFrom, to: clash.effectiveTo ?? '' },
    });
  }
  if (!target) return { ok: true, writes: [{ op: 'create', data }] };
  const patch: Partial<NegativeItemData> = {};
  for (const key of ['category', 'description', 'effectiveFrom', 'effectiveTo'] as const) {
    if (target[key] !== data[key]) Object.assign(patch, { [key]: data[key] });
  }
  return Object.keys(patch).length === 0
    ? { ok: true, writes: [] }
    : { ok: true, writes: [{ op: 'update', id: target.id, patch }] };
}
