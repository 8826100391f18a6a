import type { Role } from '../../../shared/domain/account';
import { divisionLevel, isGridCode, isWithin, parentCode } from '../../../shared/validation/codes';
import type { ScopeFilter } from '../storage/types';

/**
 * Scope rules (DESIGN §5.4): what a membership may read and write. Pure functions over codes, so
 * the sync routes, the admin CLI and the tests share one definition of the access boundary.
 *
 * A membership scope is a code of the administrative tree:
 *
 * | kind      | example            | subtree prefix |
 * |-----------|--------------------|----------------|
 * | province  | `110000000000`     | `11` (admins: all of Beijing) |
 * | city      | `110100000000`     | `1101`         |
 * | district  | `110101000000`     | `110101`       |
 * | street    | `110101010000`     | `110101010`    |
 * | community | `110101010027`     | `110101010027` |
 * | grid      | `110101010027001`  | `110101010027001` |
 *
 * A membership reads and writes its subtree (a street membership covers its communities and
 * grids) and reads, but never writes, the rows scoped exactly to its ancestors (the street's
 * departments and org unit for a grid worker, the district's for a street).
 *
 * Roles do not widen or narrow the scope boundary here; they decide what a user may do inside
 * it, in the sync service (`checkRole`, protocol 3): a `department` liaison (a street/district
 * membership plus `UserRow.departmentId`) writes no registry rows and changes cases only through
 * `case.op`, whose roles decide per case. A liaison reads only the case loop's tables of the
 * street (`readableTables`, applied by the pull); a refinement for later is to narrow that to the
 * cases their department is or was involved in.
 */

/** What these functions need of a membership (a MembershipRow, a MembershipView …). */
export interface ScopeMembership {
  scope: string;
  role: Role;
}

/** Kinds of codes a membership may be granted on. */
export type ScopeKind = 'province' | 'city' | 'district' | 'street' | 'community' | 'grid';

const PREFIX_LENGTH: Record<ScopeKind, number> = {
  province: 2,
  city: 4,
  district: 6,
  street: 9,
  community: 12,
  grid: 15,
};

/** The kind of a scope code, or null when it is not a valid grid or division code. */
export function scopeKind(scope: string): ScopeKind | null {
  if (isGridCode(scope)) return 'grid';
  return divisionLevel(scope);
}

/** True for a code a membership may be granted on (a valid grid or division code). */
export function isScopeCode(scope: string): boolean {
  return scopeKind(scope) !== null;
}

function kindOrThrow(scope: string): ScopeKind {
  const kind = scopeKind(scope);
  if (kind === null) throw new RangeError(`not a scope code: ${JSON.stringify(scope)}`);
  return kind;
}

/**
 * The code prefix shared by every scope in the subtree: district 6, street 9, community 12,
 * grid 15 digits (province 2, city 4).
 * @throws RangeError for a code that is not a grid or division code.
 */
export function scopePrefix(scope: string): string {
  return scope.slice(0, PREFIX_LENGTH[kindOrThrow(scope)]);
}

/**
 * The exact 12-digit codes above a scope, nearest first, up to and including its district:
 * grid → community, street, district; street → district; district → none. Levels above the
 * district (city, province) are left out on purpose: the changelog is partitioned by district
 * (`partitionOf`), so rows scoped above it live in other partitions and are not synced as
 * ancestors.
 * @throws RangeError for a code that is not a grid or division code.
 */
export function ancestorsOf(scope: string): string[] {
  const kind = kindOrThrow(scope);
  if (kind === 'province' || kind === 'city' || kind === 'district') return [];
  const result: string[] = [];
  for (let code = parentCode(scope); code !== null; code = parentCode(code)) {
    result.push(code);
    if (divisionLevel(code) === 'district') break;
  }
  return result;
}

/**
 * The storage filter of one membership scope: its subtree plus, read-only, its ancestors' own
 * rows. Use with `tx.listChanges(partitionOf(scope), scopeFilter(scope), …)`.
 *
 * Note for scopes above a district (admins' `110000000000`): the subtree spans several
 * partitions; the caller must list the partitions (districts) to read.
 */
export function scopeFilter(scope: string): ScopeFilter {
  return { prefix: scopePrefix(scope), ancestors: ancestorsOf(scope) };
}

/** True when `recordScope` is `scope` itself or lies in its subtree. */
export function isInSubtree(recordScope: string, scope: string): boolean {
  return isWithin(recordScope, scope);
}

// Per membership list (one per authenticated request): a push asks about the same few scopes
// for every one of its hundreds of mutations.
const covering = new WeakMap<readonly ScopeMembership[], Map<string, readonly ScopeMembership[]>>();

/** The memberships whose subtree contains `recordScope` (for role checks by the caller). */
export function membershipsCovering<M extends ScopeMembership>(
  memberships: readonly M[],
  recordScope: string,
): readonly M[] {
  let byScope = covering.get(memberships);
  if (!byScope) {
    byScope = new Map();
    covering.set(memberships, byScope);
  }
  let found = byScope.get(recordScope);
  if (!found) {
    found = memberships.filter((m) => isWithin(recordScope, m.scope));
    byScope.set(recordScope, found);
  }
  return found as readonly M[];
}

/**
 * True when a record of `recordScope` may be written: it lies inside the subtree of one of the
 * memberships. An ancestor's own row (the street's departments for a grid worker) is read-only.
 * An invalid record scope is never writable.
 */
export function canWrite(memberships: readonly ScopeMembership[], recordScope: string): boolean {
  return membershipsCovering(memberships, recordScope).length > 0;
}

/** True when a record of `recordScope` may be read: in a membership's subtree or exactly one of its ancestors. */
export function canRead(memberships: readonly ScopeMembership[], recordScope: string): boolean {
  return memberships.some(
    (m) =>
      isWithin(recordScope, m.scope) ||
      (isScopeCode(m.scope) && ancestorsOf(m.scope).includes(recordScope)),
  );
}

/**
 * The scopes a device syncs: the memberships' scopes, deduplicated and with every scope that
 * lies in another one's subtree dropped (a street membership covers its grids). Invalid codes
 * are dropped too (nothing is readable through them). Sorted, so the answer is stable.
 */
export function readableScopes(memberships: readonly ScopeMembership[]): string[] {
  const scopes = [...new Set(memberships.map((m) => m.scope))].filter(isScopeCode);
  return scopes
    .filter((scope) => !scopes.some((other) => other !== scope && isWithin(scope, other)))
    .sort();
}
