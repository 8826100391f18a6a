import { specialGroup } from '../catalogs/specialGroups';
import type { Role } from '../domain/account';

/**
 * PRIVACY HOOK: which residents' special-group tags (重点人群) someone with this role may see.
 *
 * Tags such as 严重精神障碍患者 or 低保 are 敏感个人信息 (PIPL Art. 28), so each screen that
 * shows or edits tags asks here first:
 * - grid workers and community staff see every tag of their scope: they visit and must know why;
 * - street staff see only tags whose group is not `sensitive` (高龄老人, 退役军人 …), enough to
 *   plan services street-wide without learning who has a mental disorder or a criminal record;
 * - department liaisons and admins see none: they handle cases and accounts, not residents.
 * `null` is a device nobody has signed in on (local demo data only) and counts as a grid worker.
 * A code missing from the catalogue is treated as sensitive: unknown is not harmless.
 */
export type SpecialGroupAccess = 'all' | 'non-sensitive' | 'none';

const ACCESS: Readonly<Record<Role, SpecialGroupAccess>> = {
  'grid-worker': 'all',
  community: 'all',
  street: 'non-sensitive',
  department: 'none',
  admin: 'none',
};

/** How much of the special-group register this role may see (see the rule above). */
export function specialGroupAccess(role: Role | null): SpecialGroupAccess {
  return role === null ? 'all' : ACCESS[role];
}

/** Whether this role may see (and so set or remove) the tag `code`. */
export function canSeeSpecialGroup(role: Role | null, code: string): boolean {
  const access = specialGroupAccess(role);
  if (access === 'all') return true;
  if (access === 'none') return false;
  return specialGroup(code)?.sensitive === false;
}

/** The tags of `tags` this role may see, in their order. */
export function visibleSpecialGroups(role: Role | null, tags: readonly string[]): string[] {
  return tags.filter((code) => canSeeSpecialGroup(role, code));
}

/** Whether this role may see at least some special-group tags (a screen shows the column). */
export function canSeeSpecialGroups(role: Role | null): boolean {
  return specialGroupAccess(role) !== 'none';
}

/**
 * The role whose tag rule applies to a user: the first membership's, as elsewhere for now; null
 * when nobody is signed in. A signed-in user without any membership has no scope at all and is
 * treated like a department liaison (sees no tags), never like the signed-out demo device.
 */
export function specialGroupRole(
  user: { memberships: readonly { role: Role }[] } | null,
): Role | null {
  if (user === null) return null;
  return user.memberships[0]?.role ?? 'department';
}
