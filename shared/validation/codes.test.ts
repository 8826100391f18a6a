import { describe, expect, it } from 'vitest';
import {
  communityCodeOf,
  divisionLevel,
  isDivisionCode,
  isGridCode,
  isWithin,
  parentCode,
  streetCodeOf,
  toDistrictCode12,
  toStreetCode12,
} from './codes';

// 北京市 / 市辖区 / 东城区 / 东华门街道 / 多福巷社区, and one of its grids.
const PROVINCE = '110000000000';
const CITY = '110100000000';
const DISTRICT = '110101000000';
const STREET = '110101001000';
const COMMUNITY = '110101001001';
const GRID = '110101001001007';
// 朝阳区 / 和平街街道 / 和平里… — a sibling branch for negative cases.
const OTHER_DISTRICT = '110105000000';
const OTHER_STREET = '110105010000';
const OTHER_COMMUNITY = '110105010027';

describe('divisionLevel / isDivisionCode', () => {
  it.each([
    [PROVINCE, 'province'],
    [CITY, 'city'],
    [DISTRICT, 'district'],
    ['110101010000', 'street'],
    ['110101010027', 'community'],
    ['110112106000', 'street'], // a town (镇) code in 通州
    ['110112106201', 'community'], // a village (村)
    ['310115000000', 'district'],
    ['419001000000', 'district'], // 济源, a county-level city directly under the province
  ])('%s is a %s', (code, level) => {
    expect(divisionLevel(code)).toBe(level);
    expect(isDivisionCode(code)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['11010101000', '11 digits'],
    ['1101010100000', '13 digits'],
    ['11010101000a', 'non-digit'],
    [' 110101010000', 'whitespace'],
    ['000000000000', 'all zeros'],
    ['990000000000', 'unknown province'],
    ['100101000000', 'province 10'],
    ['110001000000', 'district under city 00'],
    ['110100001000', 'street under district 00'],
    ['110101000001', 'community under street 000'],
    ['110001010027', 'community under city 00'],
    [GRID, 'a grid code is not a division code'],
  ])('rejects %s (%s)', (code) => {
    expect(divisionLevel(code)).toBeNull();
    expect(isDivisionCode(code)).toBe(false);
  });
});

describe('isGridCode', () => {
  it('accepts a community code plus 001–999', () => {
    expect(isGridCode(GRID)).toBe(true);
    expect(isGridCode(`${COMMUNITY}001`)).toBe(true);
    expect(isGridCode(`${COMMUNITY}999`)).toBe(true);
  });

  it('rejects grid 000, non-community prefixes and wrong lengths', () => {
    expect(isGridCode(`${COMMUNITY}000`)).toBe(false);
    expect(isGridCode(`${STREET}007`)).toBe(false);
    expect(isGridCode(`${DISTRICT}007`)).toBe(false);
    expect(isGridCode('110001001001007')).toBe(false);
    expect(isGridCode(COMMUNITY)).toBe(false);
    expect(isGridCode(`${GRID}1`)).toBe(false);
    expect(isGridCode('11010100100100a')).toBe(false);
  });
});

describe('parentCode', () => {
  it('walks up one level at a time', () => {
    expect(parentCode(GRID)).toBe(COMMUNITY);
    expect(parentCode(COMMUNITY)).toBe(STREET);
    expect(parentCode(STREET)).toBe(DISTRICT);
    expect(parentCode(DISTRICT)).toBe(CITY);
    expect(parentCode(CITY)).toBe(PROVINCE);
    expect(parentCode(PROVINCE)).toBeNull();
  });

  it('keeps non-zero digits above the cut', () => {
    expect(parentCode('110105010027')).toBe('110105010000');
    expect(parentCode('110112106201')).toBe('110112106000');
    expect(parentCode('419001000000')).toBe('419000000000');
  });

  it('is null for invalid codes', () => {
    expect(parentCode('')).toBeNull();
    expect(parentCode('110001000000')).toBeNull();
    expect(parentCode(`${COMMUNITY}000`)).toBeNull();
  });
});

describe('streetCodeOf / communityCodeOf', () => {
  it('finds the street of a grid, community or street', () => {
    expect(streetCodeOf(GRID)).toBe(STREET);
    expect(streetCodeOf(COMMUNITY)).toBe(STREET);
    expect(streetCodeOf(STREET)).toBe(STREET);
    expect(streetCodeOf(OTHER_COMMUNITY)).toBe(OTHER_STREET);
  });

  it('has no street above street level or for invalid codes', () => {
    expect(streetCodeOf(DISTRICT)).toBeNull();
    expect(streetCodeOf(PROVINCE)).toBeNull();
    expect(streetCodeOf('abc')).toBeNull();
  });

  it('finds the community of a grid or community only', () => {
    expect(communityCodeOf(GRID)).toBe(COMMUNITY);
    expect(communityCodeOf(COMMUNITY)).toBe(COMMUNITY);
    expect(communityCodeOf(STREET)).toBeNull();
    expect(communityCodeOf(`${COMMUNITY}000`)).toBeNull();
  });
});

describe('isWithin', () => {
  it('is true for the code itself and every ancestor', () => {
    for (const scope of [GRID, COMMUNITY, STREET, DISTRICT, CITY, PROVINCE]) {
      expect(isWithin(GRID, scope), scope).toBe(true);
    }
    expect(isWithin(STREET, DISTRICT)).toBe(true);
    expect(isWithin(OTHER_COMMUNITY, OTHER_STREET)).toBe(true);
  });

  it('is false for descendants, siblings and other branches', () => {
    expect(isWithin(COMMUNITY, GRID)).toBe(false);
    expect(isWithin(DISTRICT, STREET)).toBe(false);
    expect(isWithin(`${COMMUNITY}008`, GRID)).toBe(false);
    expect(isWithin(GRID, OTHER_STREET)).toBe(false);
    expect(isWithin(GRID, OTHER_DISTRICT)).toBe(false);
    expect(isWithin(OTHER_COMMUNITY, STREET)).toBe(false);
    // Street 010 with its zeros trimmed is "11010101", a string prefix of street 011: a naive
    // prefix test would put 011 inside 010.
    expect(isWithin('110101011000', '110101010000')).toBe(false);
    expect(isWithin('110101011001', '110101010000')).toBe(false);
    expect(isWithin('110101010027', '110101010000')).toBe(true);
    expect(isWithin(GRID, '120000000000')).toBe(false);
  });

  it('is false when either code is invalid, even if they are equal', () => {
    expect(isWithin('', '')).toBe(false);
    expect(isWithin('110001000000', '110001000000')).toBe(false);
    expect(isWithin('garbage', PROVINCE)).toBe(false);
    expect(isWithin(GRID, 'garbage')).toBe(false);
  });
});

describe('toStreetCode12 / toDistrictCode12', () => {
  it('pads to 12 digits', () => {
    expect(toStreetCode12('110101010')).toBe('110101010000');
    expect(toDistrictCode12('110105')).toBe('110105000000');
  });

  it('throws when the result is not at the named level', () => {
    expect(() => toStreetCode12('110101000')).toThrow(RangeError);
    expect(() => toStreetCode12('11010101')).toThrow(RangeError);
    expect(() => toStreetCode12('110101010000')).toThrow(RangeError);
    expect(() => toDistrictCode12('110100')).toThrow(RangeError);
    expect(() => toDistrictCode12('11010')).toThrow(RangeError);
    expect(() => toDistrictCode12('1101050')).toThrow(RangeError);
  });
});
