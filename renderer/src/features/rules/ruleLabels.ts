import { type MatterCategory, matterCategory } from '@shared/catalogs/matterCategories';
import type { Dated, RuleIssue } from '@shared/cases/datedRows';
import type { Role } from '@shared/domain/account';
import type { OrgUnit } from '@shared/domain/org';
import type { TimeLimit } from '@shared/domain/rules';
import { streetCodeOf } from '@shared/validation/codes';
import { RuleEditError } from './saveRules';

/** The translate function of vue-i18n, as the helpers here need it. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** A category's own name in the locale, or its code when unknown. */
export function categoryName(code: string, english: boolean): string {
  const cat = matterCategory(code);
  if (!cat) return code;
  return english ? cat.nameEn : cat.name;
}

/** The name of the category's top level, for sub-categories; '' for a top level. */
export function parentName(code: string, english: boolean): string {
  const parent = matterCategory(code)?.parent;
  return parent ? categoryName(parent, english) : '';
}

/** Matches a category against typed filter text: its code, its name, or its top level's name. */
export function categoryMatches(code: string, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  const cat = matterCategory(code);
  const parent: MatterCategory | undefined = cat?.parent ? matterCategory(cat.parent) : undefined;
  return [code, cat?.name, cat?.nameEn, parent?.name, parent?.nameEn].some(
    (s) => s !== undefined && s.toLowerCase().includes(needle),
  );
}

export function limitText(t: Translate, limit: TimeLimit): string {
  return t(`rules.limit.${limit.unit}`, { n: limit.value });
}

export function periodText(t: Translate, row: Dated): string {
  return row.effectiveTo === null
    ? t('rules.period.open', { from: row.effectiveFrom })
    : t('rules.period.closed', { from: row.effectiveFrom, to: row.effectiveTo });
}

/** The message of a refused plan's issue. */
export function issueText(t: Translate, issue: RuleIssue<string>): string {
  const p = issue.params ?? {};
  if (issue.key === 'overlap') {
    const period = periodText(t, {
      effectiveFrom: String(p.from ?? ''),
      effectiveTo: p.to ? String(p.to) : null,
    });
    return 'item' in p
      ? t('rules.errors.overlapItem', { item: p.item, period })
      : t('rules.errors.overlap', { version: p.version, period });
  }
  return t(`rules.errors.${issue.key}`, p);
}

/** Inline messages per form field, and the ones that belong to no field. */
export function issuesByField<F extends string>(
  t: Translate,
  issues: readonly RuleIssue<F>[],
): { fields: Partial<Record<F, string>>; general: string[] } {
  const fields: Partial<Record<F, string>> = {};
  const general: string[] = [];
  for (const issue of issues) {
    if (issue.field === null) general.push(issueText(t, issue));
    else fields[issue.field] ??= issueText(t, issue);
  }
  return { fields, general };
}

/**
 * The one line a failed save shows where there is no form to mark fields on (ending a row): the
 * first refusal of the plan, else the error's own message.
 */
export function saveFailureText(t: Translate, error: unknown): string {
  if (error instanceof RuleEditError) {
    const { fields, general } = issuesByField(t, error.ruleIssues);
    return Object.values(fields)[0] ?? general[0] ?? error.message;
  }
  return t('rules.failed', { message: error instanceof Error ? error.message : String(error) });
}

/**
 * Who may change the lists: the street office and administrators (DESIGN §2). The server agrees:
 * the rows are street-scoped, which only street-level memberships write, and liaisons write none.
 */
export function mayEditRules(roles: readonly Role[]): boolean {
  return roles.includes('street') || roles.includes('admin');
}

/** The street this device works in: its street unit, else the street of any grid. */
export function streetOf(units: readonly Pick<OrgUnit, 'code' | 'level'>[]): string | null {
  const street = units.find((u) => u.level === 'street');
  if (street) return street.code;
  const grid = units.find((u) => u.level === 'grid');
  return grid ? streetCodeOf(grid.code) : null;
}

/** A community or grid a rule may apply to, as the area picker lists them. */
export interface AreaOption {
  code: string;
  name: string;
  level: 'community' | 'grid';
}

/** The street's communities and grids, in code order (grids follow their community). */
export function areaOptions(
  units: readonly Pick<OrgUnit, 'code' | 'level' | 'name' | 'deleted'>[],
  streetCode: string | null,
): AreaOption[] {
  if (streetCode === null) return [];
  const prefix = streetCode.slice(0, 9);
  const options: AreaOption[] = [];
  for (const u of units) {
    if (u.deleted || !u.code.startsWith(prefix)) continue;
    if (u.level === 'community' || u.level === 'grid')
      options.push({ code: u.code, name: u.name, level: u.level });
  }
  return options.sort((a, b) => a.code.localeCompare(b.code));
}
