/**
 * Resident identity numbers (GB 11643-1999 公民身份号码): 6-digit address code, 8-digit birth date,
 * 3-digit sequence (odd = male) and an ISO 7064 MOD 11-2 check character.
 *
 * The same layout and checksum are used by 港澳台居民居住证 numbers (address code 810000/820000/830000)
 * and by the 2023 foreigner permanent-residence ID (外国人永久居留身份证), whose first digit is 9,
 * followed by the two-digit province code of the issuing place and a three-digit nationality code.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Earliest birth date we accept; older dates are almost certainly typing errors. */
const MIN_BIRTH = 19000101;

/** Why a number was rejected; the UI translates these codes. */
export type IdError = 'format' | 'province' | 'birth-date' | 'future-birth-date' | 'check-digit';

/** Outcome of {@link parseIdNumber}; on success `idNumber` is always the normalised 18-char form. */
export type IdParseResult =
  | {
      ok: true;
      idNumber: string;
      /** YYYY-MM-DD */
      birthDate: string;
      sex: 'M' | 'F';
      upgradedFrom15: boolean;
    }
  | { ok: false; error: IdError };

/**
 * Check character for the first 17 digits (ISO 7064 MOD 11-2).
 * @throws RangeError when `first17` is not exactly 17 ASCII digits.
 */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError(`expected 17 digits, got ${JSON.stringify(first17)}`);
  }
  let sum = 0;
  WEIGHTS.forEach((weight, i) => {
    sum += Number(first17.charAt(i)) * weight;
  });
  return CHECK_CHARS.charAt(sum % 11);
}

// Mainland provinces (GB/T 2260) plus 71 Taiwan and 81-83 for 港澳台 residence permits.
const MAINLAND_PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
  53, 54, 61, 62, 63, 64, 65,
]);
const OTHER_PREFIXES = new Set([71, 81, 82, 83]);

function hasValidPrefix(id: string): boolean {
  const first2 = Number(id.slice(0, 2));
  if (MAINLAND_PROVINCES.has(first2) || OTHER_PREFIXES.has(first2)) return true;
  // Foreigner permanent-residence IDs: 9 + issuing mainland province, e.g. 911… (Beijing), 931….
  return id.startsWith('9') && MAINLAND_PROVINCES.has(Number(id.slice(1, 3)));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when `yyyymmdd` (8 digits) names a real day in the Gregorian calendar. */
function isCalendarDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

// The local calendar day is used because users, like the people on the cards, live in Beijing time.
function localDayNumber(date: Date): number {
  return date.getFullYear() * 10000 + (date.getMonth() + 1) * 100 + date.getDate();
}

function formatBirth(yyyymmdd: string): string {
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/**
 * Converts a 15-digit legacy number (6 area + YYMMDD + 3 sequence, all born in the 1900s) to 18
 * characters by inserting "19" and appending the check character.
 * @throws RangeError when the input (after trimming) is not 15 digits.
 */
export function upgradeIdNumber15(id15: string): string {
  const digits = id15.trim();
  if (!/^\d{15}$/.test(digits)) {
    throw new RangeError(`expected a 15-digit legacy ID number, got ${JSON.stringify(id15)}`);
  }
  const first17 = `${digits.slice(0, 6)}19${digits.slice(6)}`;
  return first17 + idCheckChar(first17);
}

/**
 * Validates and normalises an ID number: trims, upper-cases a trailing x, upgrades 15-digit legacy
 * numbers. Address codes below the province level are deliberately not checked, because codes that
 * were later abolished stay valid on cards issued before.
 * @param today reference day for the "not in the future" rule; defaults to now.
 */
export function parseIdNumber(input: string, today: Date = new Date()): IdParseResult {
  const trimmed = input.trim().toUpperCase();
  let id: string;
  let upgradedFrom15 = false;
  if (/^\d{17}[\dX]$/.test(trimmed)) {
    id = trimmed;
  } else if (/^\d{15}$/.test(trimmed)) {
    id = upgradeIdNumber15(trimmed);
    upgradedFrom15 = true;
  } else {
    return { ok: false, error: 'format' };
  }

  if (!hasValidPrefix(id)) return { ok: false, error: 'province' };

  const birth = id.slice(6, 14);
  if (!isCalendarDate(birth) || Number(birth) < MIN_BIRTH) {
    return { ok: false, error: 'birth-date' };
  }
  if (Number(birth) > localDayNumber(today)) return { ok: false, error: 'future-birth-date' };

  // An upgraded number gets its check character computed, so only an 18-char input can fail here.
  if (idCheckChar(id.slice(0, 17)) !== id.charAt(17)) return { ok: false, error: 'check-digit' };

  return {
    ok: true,
    idNumber: id,
    birthDate: formatBirth(birth),
    sex: Number(id.charAt(16)) % 2 === 1 ? 'M' : 'F',
    upgradedFrom15,
  };
}

/** Shorthand for `parseIdNumber(input, today).ok`. */
export function isValidIdNumber(input: string, today?: Date): boolean {
  return parseIdNumber(input, today).ok;
}

/**
 * Builds a valid 18-character number, for demo and test data.
 * @param birthDate YYYY-MM-DD, a real date from 1900-01-01 on
 * @param sequence3 0–999; its parity decides the sex (odd = male)
 * @throws RangeError on malformed arguments.
 */
export function makeIdNumber(areaCode6: string, birthDate: string, sequence3: number): string {
  if (!/^\d{6}$/.test(areaCode6)) {
    throw new RangeError(`expected a 6-digit area code, got ${JSON.stringify(areaCode6)}`);
  }
  const dateMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const birth = dateMatch ? `${dateMatch[1]}${dateMatch[2]}${dateMatch[3]}` : '';
  if (!isCalendarDate(birth) || Number(birth) < MIN_BIRTH) {
    throw new RangeError(`expected a real YYYY-MM-DD birth date, got ${JSON.stringify(birthDate)}`);
  }
  if (!Number.isInteger(sequence3) || sequence3 < 0 || sequence3 > 999) {
    throw new RangeError(`expected a sequence 0-999, got ${sequence3}`);
  }
  const first17 = `${areaCode6}${birth}${String(sequence3).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}
