import { describe, expect, it } from 'vitest';
import { SPECIAL_GROUPS } from '../catalogs/specialGroups';
import { RoleSchema } from '../domain/account';
import {
  canSeeSpecialGroup,
  canSeeSpecialGroups,
  specialGroupAccess,
  specialGroupRole,
  visibleSpecialGroups,
} from './privacy';

// One sensitive and one non-sensitive group, checked against the catalogue so a change there
// cannot silently turn these tests into no-ops.
const SENSITIVE = 'severe-mental-disorder';
const PLAIN = 'veteran';
const TAGS = ['living-alone-elder', PLAIN, SENSITIVE, 'advanced-age-elder'];

describe('special-group privacy by role', () => {
  it('uses a sensitive and a non-sensitive group from the catalogue', () => {
    const byCode = new Map(SPECIAL_GROUPS.map((g) => [g.code, g.sensitive]));
    expect(byCode.get(SENSITIVE)).toBe(true);
    expect(byCode.get(PLAIN)).toBe(false);
    expect(byCode.get('advanced-age-elder')).toBe(false);
  });

  it('shows grid workers and community staff every tag', () => {
    for (const role of ['grid-worker', 'community'] as const) {
      expect(specialGroupAccess(role)).toBe('all');
      expect(canSeeSpecialGroups(role)).toBe(true);
      expect(canSeeSpecialGroup(role, SENSITIVE)).toBe(true);
      expect(visibleSpecialGroups(role, TAGS)).toEqual(TAGS);
    }
  });

  it('shows street staff only the non-sensitive tags', () => {
    expect(canSeeSpecialGroups('street')).toBe(true);
    expect(canSeeSpecialGroup('street', PLAIN)).toBe(true);
    expect(canSeeSpecialGroup('street', SENSITIVE)).toBe(false);
    expect(visibleSpecialGroups('street', TAGS)).toEqual([PLAIN, 'advanced-age-elder']);
    // Every visible tag is a catalogue group marked non-sensitive.
    const all = SPECIAL_GROUPS.map((g) => g.code);
    expect(visibleSpecialGroups('street', all)).toEqual(
      SPECIAL_GROUPS.filter((g) => !g.sensitive).map((g) => g.code),
    );
  });

  it('shows department liaisons and admins no tags at all', () => {
    for (const role of ['department', 'admin'] as const) {
      expect(specialGroupAccess(role)).toBe('none');
      expect(canSeeSpecialGroups(role)).toBe(false);
      expect(canSeeSpecialGroup(role, PLAIN)).toBe(false);
      expect(visibleSpecialGroups(role, TAGS)).toEqual([]);
    }
  });

  it('treats a device nobody signed in on like a grid worker', () => {
    expect(canSeeSpecialGroups(null)).toBe(true);
    expect(visibleSpecialGroups(null, TAGS)).toEqual(TAGS);
  });

  it('treats a code missing from the catalogue as sensitive', () => {
    expect(canSeeSpecialGroup('street', 'not-in-catalogue')).toBe(false);
    expect(canSeeSpecialGroup('grid-worker', 'not-in-catalogue')).toBe(true);
  });

  it('has a rule for every role', () => {
    for (const role of RoleSchema.options) expect(specialGroupAccess(role)).toBeDefined();
  });
});

describe('specialGroupRole', () => {
  it('is null only when nobody is signed in', () => {
    expect(specialGroupRole(null)).toBeNull();
    expect(specialGroupRole({ memberships: [{ role: 'street' }, { role: 'grid-worker' }] })).toBe(
      'street',
    );
    // Signed in without a membership: no scope, so no tags (not the demo device's "all").
    const none = specialGroupRole({ memberships: [] });
    expect(none).toBe('department');
    expect(canSeeSpecialGroups(none)).toBe(false);
  });
});
