import dayjs from 'dayjs';
import { needCategory } from '@shared/catalogs/needCategories';
import { specialGroup } from '@shared/catalogs/specialGroups';
import type { Role } from '@shared/domain/account';
import { canSeeSpecialGroup } from '@shared/visits/privacy';
import type { HistoryEntry, HistoryField } from './history';

/**
 * Turns stored history values into short text: labels from i18n where it has them (a new field
 * shows its raw name rather than nothing), enum values and catalogue codes by name, instants and
 * positions readably. Masked values are shown as stored — they never were anything else here.
 */
export interface HistoryTextContext {
  t: (key: string, params?: Record<string, unknown>) => string;
  te: (key: string) => boolean;
  /** English UI: catalogue names in English. */
  english: boolean;
  /** The viewer's role, for the special-group privacy rule. */
  role: Role | null;
  /** Record id → name (household members), for ids such as the head of a household. */
  names: ReadonlyMap<string, string>;
  /** The id of changes made while nobody was signed in. */
  localActorId: string;
}

/** The i18n section naming the values of an enum field, per table. */
const ENUM_SECTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  residents: {
    sex: 'enums.sex',
    relation: 'enums.relation',
    residenceType: 'enums.residenceType',
    status: 'history.residentStatuses',
  },
  households: { type: 'enums.householdType' },
  buildings: { kind: 'registry.building.kinds' },
  visits: { method: 'visits.methods' },
  needs: { status: 'needs.statuses', layer: 'needs.layers', urgency: 'needs.urgencies' },
};

/** The registry form's labels, which already name most fields of these tables. */
const LABEL_SECTIONS: Readonly<Record<string, string>> = {
  residents: 'registry.resident',
  households: 'registry.household',
  buildings: 'registry.building',
};

// Own entries only: a stored table or field called `constructor` must not find Object's.
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

// The first of `keys` that i18n has, translated; else `raw` itself (also when `raw` has a dot,
// which i18n would read as a deeper path).
function lookup(ctx: HistoryTextContext, raw: string, keys: string[]): string {
  if (raw.includes('.')) return raw;
  for (const key of keys) if (ctx.te(key)) return ctx.t(key);
  return raw;
}

/** The field's label: the table's own first (a resident's 姓名, a building's 楼栋名称). */
export function fieldLabel(table: string, field: string, ctx: HistoryTextContext): string {
  const section = own(LABEL_SECTIONS, table);
  return lookup(ctx, field, [
    `history.tableFields.${table}.${field}`,
    ...(section ? [`${section}.${field}`] : []),
    `history.fields.${field}`,
    `conflicts.fields.${field}`,
  ]);
}

function tagsText(codes: readonly unknown[], ctx: HistoryTextContext): string {
  const visible = codes.filter(
    (code): code is string => typeof code === 'string' && canSeeSpecialGroup(ctx.role, code),
  );
  const names = visible.map((code) => {
    const group = specialGroup(code);
    return group ? (ctx.english ? group.nameEn : group.name) : code;
  });
  const hidden = codes.length - visible.length;
  if (hidden > 0) names.push(ctx.t('history.hiddenTags', { n: hidden }));
  return names.length === 0 ? ctx.t('history.emptyValue') : names.join('、');
}

/** One value of `table.field` as short text. */
export function valueText(
  table: string,
  field: string,
  value: unknown,
  ctx: HistoryTextContext,
): string {
  if (value === null || value === undefined || value === '') return ctx.t('history.emptyValue');
  if (typeof value === 'boolean') return ctx.t(value ? 'history.yes' : 'history.no');
  if (Array.isArray(value)) {
    if (table === 'residents' && field === 'tags') return tagsText(value, ctx);
    if (field === 'location' && value.length === 2 && value.every((n) => typeof n === 'number'))
      return value.map((n: number) => n.toFixed(5)).join(', ');
    if (value.length === 0) return ctx.t('history.emptyValue');
    return value.map((item) => valueText(table, field, item, ctx)).join('、');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value !== 'string') return String(value);
  const enums = own(ENUM_SECTIONS, table);
  const section = enums && own(enums, field);
  if (section) return lookup(ctx, value, [`${section}.${value}`]);
  if (field === 'category' || field === 'categories') {
    const category = needCategory(value);
    if (category) return ctx.english ? category.nameEn : category.name;
  }
  if (UUID.test(value)) return ctx.names.get(value) ?? `${value.slice(0, 8)}…`;
  if (INSTANT.test(value)) return dayjs(value).format('YYYY-MM-DD HH:mm');
  return value;
}

/**
 * Where a new record was put (its household, building, grid): plain from the screen it is shown
 * on, so a create does not list it. A change of one of them (a move) is listed as usual.
 */
const PLACEMENT_FIELDS: ReadonlySet<string> = new Set([
  'householdId',
  'buildingId',
  'gridCode',
  'communityCode',
  'visitorId',
]);

/** The fields of an entry worth a line (see PLACEMENT_FIELDS). */
export function shownFields(entry: HistoryEntry): HistoryField[] {
  if (entry.op !== 'create') return entry.fields;
  return entry.fields.filter((field) => !PLACEMENT_FIELDS.has(field.field));
}

/** A field's change in one line: `old → new` for an update, the new value otherwise. */
export function fieldText(
  table: string,
  change: HistoryField,
  ctx: HistoryTextContext,
): { label: string; old: string | null; new: string } {
  return {
    label: fieldLabel(table, change.field, ctx),
    old: change.hasOld ? valueText(table, change.field, change.old, ctx) : null,
    new: valueText(table, change.field, change.new, ctx),
  };
}

/** Who made the change: the saved or known name, "this device" before sign-in, else the id. */
export function actorText(entry: HistoryEntry, ctx: HistoryTextContext): string {
  if (entry.actorName) return entry.actorName;
  if (entry.actorId === ctx.localActorId) return ctx.t('history.localActor');
  return ctx.t('history.unknownActor', { id: entry.actorId.slice(0, 8) });
}

/** When, in the device's time zone, minutes precision (as the sync screens show times). */
export function timeText(at: string): string {
  return dayjs(at).format('YYYY-MM-DD HH:mm');
}
