import type { Role } from '../domain/account';

/**
 * PRIVACY HOOK: may someone with this role see residents' special-group tags (重点人群)?
 *
 * Tags such as 严重精神障碍患者 or 低保 are 敏感个人信息 (PIPL Art. 28). For now every role sees
 * them, as the grid worker who visits must know why; the privacy step narrows this (e.g. by
 * role and by each group's `sensitive` flag) in this one place, and every screen that shows
 * tags asks here first. `null` is a device nobody has signed in on yet.
 */
export function canSeeSpecialGroups(role: Role | null): boolean {
  void role;
  return true;
}
