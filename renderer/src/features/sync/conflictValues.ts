import { CASE_OPERATION, CaseOpArgsSchema } from '@shared/cases/caseOpMutation';
import type { Role } from '@shared/domain/account';
import { specialGroupRole } from '@shared/visits/privacy';
import type { GridworkDb } from '../../db/db';
import type { HistoryTextContext } from '../history/historyFormat';

/**
 * How the conflict inbox writes record values: by the change history's rules
 * (`history/historyFormat.ts`, `fieldLabel` and `valueText`), so a value reads the same on both
 * screens — enum values and catalogue codes by name, ids by the name of what they point at —
 * and special-group tags (敏感个人信息) show only as far as the viewer's role may see them.
 * The inbox must not be a side door to tags the registry hides.
 */

/** The history's text context for the inbox: the signed-in user's tag rule, and known names. */
export function inboxTextContext(
  i18n: {
    t: HistoryTextContext['t'];
    te: HistoryTextContext['te'];
    locale: string;
  },
  user: { memberships: readonly { role: Role }[] } | null,
  names: ReadonlyMap<string, string>,
  localActorId: string,
): HistoryTextContext {
  return {
    t: i18n.t,
    te: i18n.te,
    english: i18n.locale.startsWith('en'),
    role: specialGroupRole(user),
    names,
    localActorId,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Names for the record ids among `values` (a household's head, a resident's household): a
 * resident's name, a household's or building's address. Ids not on this device are left out
 * (the formatter shortens them).
 */
export async function referencedNames(
  db: GridworkDb,
  values: readonly unknown[],
): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      values
        .flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]))
        .filter((v): v is string => typeof v === 'string' && UUID.test(v)),
    ),
  ];
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const [residents, households, buildings] = await Promise.all([
    db.residents.bulkGet(ids),
    db.households.bulkGet(ids),
    db.buildings.bulkGet(ids),
  ]);
  for (const r of residents) if (r) names.set(r.id, r.name);
  for (const h of households) if (h) names.set(h.id, h.address);
  for (const b of buildings) if (b) names.set(b.id, b.address);
  return names;
}

/**
 * A refused case step (`case.op`) as the person took it: the step's name and the text they gave
 * (reason, note or result), instead of the raw arguments and the timeline ids the device chose.
 * Null for any other refused change.
 */
export function refusedCaseStep(
  op: string,
  fields: Readonly<Record<string, unknown>>,
): { type: string; text: string } | null {
  if (op !== CASE_OPERATION) return null;
  const args = CaseOpArgsSchema.safeParse(fields);
  if (!args.success || typeof args.data.op.type !== 'string') return null;
  const { type, reason, note, result } = args.data.op;
  const text = [reason, note, result].find((v): v is string => typeof v === 'string' && v !== '');
  return { type, text: text ?? '' };
}
