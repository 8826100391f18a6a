import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  canRead,
  canWrite,
  isScopeCode,
  membershipsCovering,
  readableScopes,
  scopeFilter,
  scopeKind,
  scopePrefix,
  type ScopeMembership,
} from './scopes';

// Real codes: 东城区 110101, 和平里街道 110101010000, one of its communities and two sibling grids,
// and another street of the same district (东华门街道).
const BEIJING = '110000000000';
const DISTRICT = '110101000000';
const STREET = '110101010000';
const COMMUNITY = '110101010027';
const GRID = '110101010027001';
const SIBLING_GRID = '110101010027002';
const OTHER_COMMUNITY = '110101010001';
const OTHER_STREET = '110101001000';
const OTHER_STREET_GRID = '110101001001001';

const m = (scope: string, role: ScopeMembership['role'] = 'grid-worker'): ScopeMembership => ({
  scope,
  role,
});

describe('scopeKind / isScopeCode', () => {
  it('knows every level and refuses malformed codes', () => {
    expect(scopeKind(GRID)).toBe('grid');
    expect(scopeKind(COMMUNITY)).toBe('community');
    expect(scopeKind(STREET)).toBe('street');
    expect(scopeKind(DISTRICT)).toBe('district');
    expect(scopeKind(BEIJING)).toBe('province');
    for (const bad of [
      '',
      '1101',
      '110101010027000',
      '11010101002700a',
      '110001000000',
      '990101000000',
    ]) {
      expect(isScopeCode(bad), bad).toBe(false);
    }
  });
});

describe('scopePrefix', () => {
  it('is 6 / 9 / 12 / 15 digits for district / street / community / grid, 2 for Beijing', () => {
    expect(scopePrefix(DISTRICT)).toBe('110101');
    expect(scopePrefix(STREET)).toBe('110101010');
    expect(scopePrefix(COMMUNITY)).toBe('110101010027');
    expect(scopePrefix(GRID)).toBe('110101010027001');
    expect(scopePrefix(BEIJING)).toBe('11');
    expect(scopePrefix('110100000000')).toBe('1101');
  });

  it('throws on a code that is not a scope', () => {
    expect(() => scopePrefix('12345')).toThrow(RangeError);
    expect(() => ancestorsOf('110101010027000')).toThrow(RangeError);
  });
});

describe('ancestorsOf', () => {
  it('lists the exact codes above, nearest first, up to the district', () => {
    expect(ancestorsOf(GRID)).toEqual([COMMUNITY, STREET, DISTRICT]);
    expect(ancestorsOf(COMMUNITY)).toEqual([STREET, DISTRICT]);
    expect(ancestorsOf(STREET)).toEqual([DISTRICT]);
    expect(ancestorsOf(DISTRICT)).toEqual([]);
    expect(ancestorsOf(BEIJING)).toEqual([]);
  });

  it('feeds scopeFilter', () => {
    expect(scopeFilter(GRID)).toEqual({
      prefix: GRID,
      ancestors: [COMMUNITY, STREET, DISTRICT],
    });
    expect(scopeFilter(STREET)).toEqual({ prefix: '110101010', ancestors: [DISTRICT] });
  });
});

describe('canWrite', () => {
  it('lets a grid worker write its own grid only', () => {
    const worker = [m(GRID)];
    expect(canWrite(worker, GRID)).toBe(true);
    expect(canWrite(worker, SIBLING_GRID)).toBe(false);
    // its community's and street's own rows are read-only
    expect(canWrite(worker, COMMUNITY)).toBe(false);
    expect(canWrite(worker, STREET)).toBe(false);
    expect(canWrite(worker, OTHER_STREET_GRID)).toBe(false);
  });

  it('lets a street write its whole subtree but not its district or another street', () => {
    const street = [m(STREET, 'street')];
    for (const scope of [STREET, COMMUNITY, GRID, SIBLING_GRID, OTHER_COMMUNITY]) {
      expect(canWrite(street, scope), scope).toBe(true);
    }
    expect(canWrite(street, DISTRICT)).toBe(false);
    expect(canWrite(street, OTHER_STREET)).toBe(false);
    expect(canWrite(street, OTHER_STREET_GRID)).toBe(false);
  });

  it('lets a Beijing admin write everywhere in Beijing, and never an invalid scope', () => {
    const admin = [m(BEIJING, 'admin')];
    for (const scope of [DISTRICT, STREET, OTHER_STREET_GRID, GRID]) {
      expect(canWrite(admin, scope)).toBe(true);
    }
    expect(canWrite(admin, '120101000000')).toBe(false); // 天津
    expect(canWrite(admin, '110101010027000')).toBe(false);
    expect(canWrite(admin, '11')).toBe(false);
    expect(canWrite([], GRID)).toBe(false);
  });

  it('combines memberships', () => {
    const both = [m(GRID), m(OTHER_STREET, 'street')];
    expect(canWrite(both, GRID)).toBe(true);
    expect(canWrite(both, OTHER_STREET_GRID)).toBe(true);
    expect(canWrite(both, SIBLING_GRID)).toBe(false);
    expect(membershipsCovering(both, OTHER_STREET_GRID)).toEqual([m(OTHER_STREET, 'street')]);
  });
});

describe('canRead', () => {
  it('reads the subtree and the ancestors’ own rows, nothing beside', () => {
    const worker = [m(GRID)];
    expect(canRead(worker, GRID)).toBe(true);
    expect(canRead(worker, COMMUNITY)).toBe(true);
    expect(canRead(worker, STREET)).toBe(true);
    expect(canRead(worker, DISTRICT)).toBe(true);
    expect(canRead(worker, SIBLING_GRID)).toBe(false);
    expect(canRead(worker, OTHER_COMMUNITY)).toBe(false);
    expect(canRead(worker, OTHER_STREET)).toBe(false);
    expect(canRead(worker, BEIJING)).toBe(false);
  });

  it('a community reads its grids and its street, not the sibling community', () => {
    const community = [m(COMMUNITY, 'community')];
    expect(canRead(community, GRID)).toBe(true);
    expect(canRead(community, SIBLING_GRID)).toBe(true);
    expect(canRead(community, STREET)).toBe(true);
    expect(canRead(community, OTHER_COMMUNITY)).toBe(false);
    expect(canRead(community, '110101010001001')).toBe(false);
  });
});

describe('readableScopes', () => {
  it('drops scopes covered by another membership and duplicates', () => {
    expect(
      readableScopes([
        m(GRID),
        m(SIBLING_GRID),
        m(STREET, 'street'),
        m(GRID, 'community'),
        m(OTHER_STREET_GRID),
      ]),
    ).toEqual([OTHER_STREET_GRID, STREET]);
    expect(readableScopes([m(SIBLING_GRID), m(GRID), m(GRID)])).toEqual([GRID, SIBLING_GRID]);
    expect(readableScopes([m(GRID), m(BEIJING, 'admin')])).toEqual([BEIJING]);
    expect(readableScopes([m('not-a-code')])).toEqual([]);
    expect(readableScopes([])).toEqual([]);
  });
});
