import type { Role } from '../domain/account';
import type { EntityTable } from '../domain/entities';
import { isWithin } from '../validation/codes';

/**
 * What a department liaison (部门联络员) reads of the street it is a member of. DESIGN §2 gives
 * the role "its department's cases", and the personal-information rules ask for the minimum
 * necessary: so the case loop and the reference data it names (units, departments, the 权责清单
 * and 负面清单), and attachments (case photos), but none of the registry (households, residents,
 * visits, needs …), its change history, the audit log or conflicts (which carry both values of
 * any table's field).
 */
export const LIAISON_TABLES: readonly EntityTable[] = [
  'orgUnits',
  'departments',
  'cases',
  'caseEvents',
  'attachments',
  'responsibilityRules',
  'negativeList',
];

/**
 * The tables a user reads through `scope`, or null for every table. Narrowed only when every
 * membership that overlaps the scope (covers it or lies inside it) is a liaison's: a user who is
 * also, say, the grid worker of one of its grids reads that grid's registry through it.
 */
export function readableTables(
  memberships: readonly { scope: string; role: Role }[],
  scope: string,
): readonly EntityTable[] | null {
  const overlapping = memberships.filter(
    (m) => isWithin(scope, m.scope) || isWithin(m.scope, scope),
  );
  const liaisonOnly = overlapping.length > 0 && overlapping.every((m) => m.role === 'department');
  return liaisonOnly ? LIAISON_TABLES : null;
}
