/**
 * Division and grid codes. A division code has 12 digits, `PP CC DD SSS CCC` (NBS 统计用区划代码):
 * province, city, district (GB/T 2260), street/township (GB/T 10114) and community/village. Trailing
 * zero parts mark the level, so `110101010000` is a street and `110101010027` a community in it.
 * A grid code appends a 3-digit grid number (001–999) to a community code, 15 digits in all.
 */

/** Level of a 12-digit division code. */
export type DivisionLevel = 'province' | 'city' | 'district' | 'street' | 'community';

// Mainland provinces plus 71 (Taiwan), 81 and 82 (Hong Kong, Macao), as in GB/T 2260.
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
  53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
]);

// Parts in hierarchy order with their [start, end) slices; a code's level is its last non-zero part.
const PARTS = [
  { level: 'province', start: 0, end: 2 },
  { level: 'city', start: 2, end: 4 },
  { level: 'district', start: 4, end: 6 },
  { level: 'street', start: 6, end: 9 },
  { level: 'community', start: 9, end: 12 },
] as const satisfies readonly { level: DivisionLevel; start: number; end: number }[];

/**
 * Level of a division code, or null when `code` is not a structurally valid 12-digit code
 * (unknown province, or a non-zero part below a zero one such as `110001000000`).
 */
export function divisionLevel(code: string): DivisionLevel | null {
  if (!/^\d{12}$/.test(code) || !PROVINCES.has(Number(code.slice(0, 2)))) return null;
  let level: DivisionLevel | null = null;
  let sawZeroPart = false;
  for (const part of PARTS) {
    const isZero = /^0+$/.test(code.slice(part.start, part.end));
    if (isZero) {
      sawZeroPart = true;
    } else if (sawZeroPart) {
      return null;
    } else {
      level = part.level;
    }
  }
  return level;
}

/** True for a structurally valid 12-digit division code at any level. */
export function isDivisionCode(s: string): boolean {
  return divisionLevel(s) !== null;
}

/** True for 15 digits: a community-level division code plus a grid number 001–999. */
export function isGridCode(s: string): boolean {
  return /^\d{15}$/.test(s) && divisionLevel(s.slice(0, 12)) === 'community' && !s.endsWith('000');
}

function zeroFrom(code12: string, start: number): string {
  return code12.slice(0, start).padEnd(12, '0');
}

/**
 * The code one level up: grid → community, community → street, … city → province.
 * Null for a province or an invalid code.
 */
export function parentCode(code: string): string | null {
  if (isGridCode(code)) return code.slice(0, 12);
  const level = divisionLevel(code);
  const index = PARTS.findIndex((p) => p.level === level);
  const part = PARTS[index];
  if (index <= 0 || !part) return null;
  return zeroFrom(code, part.start);
}

/** The street containing a grid, community or street code (itself for a street); else null. */
export function streetCodeOf(code: string): string | null {
  const division = isGridCode(code) ? code.slice(0, 12) : code;
  const level = divisionLevel(division);
  return level === 'street' || level === 'community' ? zeroFrom(division, 9) : null;
}

/** The community of a grid code, or the code itself when it is a community; else null. */
export function communityCodeOf(code: string): string | null {
  if (isGridCode(code)) return code.slice(0, 12);
  return divisionLevel(code) === 'community' ? code : null;
}

/**
 * True when `code` equals `scope` or lies anywhere under it (a grid is under its community, street,
 * district, city and province). False when either is not a valid division or grid code.
 */
export function isWithin(code: string, scope: string): boolean {
  if (!isGridCode(scope) && !isDivisionCode(scope)) return false;
  for (let c: string | null = code; c !== null; c = parentCode(c)) {
    if (c === scope) return true;
  }
  return false;
}

/**
 * Pads a 9-digit street code (GB/T 10114) to 12 digits.
 * @throws RangeError when the result is not a street-level code.
 */
export function toStreetCode12(code9: string): string {
  const code = `${code9}000`;
  if (!/^\d{9}$/.test(code9) || divisionLevel(code) !== 'street') {
    throw new RangeError(`expected a 9-digit street code, got ${JSON.stringify(code9)}`);
  }
  return code;
}

/**
 * Pads a 6-digit district/county code (GB/T 2260) to 12 digits.
 * @throws RangeError when the result is not a district-level code.
 */
export function toDistrictCode12(code6: string): string {
  const code = `${code6}000000`;
  if (!/^\d{6}$/.test(code6) || divisionLevel(code) !== 'district') {
    throw new RangeError(`expected a 6-digit district code, got ${JSON.stringify(code6)}`);
  }
  return code;
}
