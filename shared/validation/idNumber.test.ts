import { describe, expect, it } from 'vitest';
import {
  idCheckChar,
  isValidIdNumber,
  makeIdNumber,
  parseIdNumber,
  upgradeIdNumber15,
} from './idNumber';

// A fixed "today" keeps the future-date cases stable.
const TODAY = new Date(2025, 5, 15); // 2025-06-15, local time

describe('idCheckChar', () => {
  it('matches the GB 11643 example numbers', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
    // The standard's second example, born 1880.
    expect(idCheckChar('44052418800101001')).toBe('4');
  });

  it('matches a sum worked out by hand', () => {
    // 1 3 0 5 0 3 1 9 6 7 0 4 0 1 0 0 1
    // × 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    // = 7+27+0+25+0+12+2+9+36+21+0+36+0+5+0+0+2 = 182; 182 mod 11 = 6 → "10X98765432"[6] = '6'
    expect(idCheckChar('13050319670401001')).toBe('6');
    // All zeros: sum 0 → '1'. All ones: Σweights = 100 → 100 mod 11 = 1 → '0'.
    expect(idCheckChar('00000000000000000')).toBe('1');
    expect(idCheckChar('11111111111111111')).toBe('0');
  });

  it('maps every residue 0–10 to its character', () => {
    // Only the last digit (weight 2) is non-zero, so the sum is 2d; index 7 has weight 1.
    const cases: [string, number, string][] = [
      ['00000000000000000', 0, '1'],
      ['00000000000000006', 1, '0'], // 12 mod 11
      ['00000000000000001', 2, 'X'],
      ['00000000000000007', 3, '9'], // 14 mod 11
      ['00000000000000002', 4, '8'],
      ['00000000000000008', 5, '7'], // 16 mod 11
      ['00000000000000003', 6, '6'],
      ['00000000000000009', 7, '5'], // 18 mod 11
      ['00000000000000004', 8, '4'],
      ['00000009000000000', 9, '3'],
      ['00000000000000005', 10, '2'],
    ];
    for (const [first17, residue, expected] of cases) {
      expect(idCheckChar(first17), `residue ${residue}`).toBe(expected);
    }
  });

  it('rejects anything but 17 digits', () => {
    expect(() => idCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => idCheckChar('110105194912310021')).toThrow(RangeError);
    expect(() => idCheckChar('1101051949123100a')).toThrow(RangeError);
  });
});

describe('parseIdNumber', () => {
  it('accepts the GB 11643 example and reads birth date and sex', () => {
    expect(parseIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'F',
      upgradedFrom15: false,
    });
  });

  it('reads male from an odd 17th digit', () => {
    const id = makeIdNumber('110101', '1985-03-07', 123);
    expect(parseIdNumber(id, TODAY)).toMatchObject({ ok: true, sex: 'M', birthDate: '1985-03-07' });
  });

  it('normalises a lowercase x and surrounding whitespace', () => {
    const r = parseIdNumber('  11010519491231002x\t', TODAY);
    expect(r).toMatchObject({ ok: true, idNumber: '11010519491231002X' });
  });

  it('rejects a wrong check digit', () => {
    expect(parseIdNumber('110105194912310021', TODAY)).toEqual({ ok: false, error: 'check-digit' });
    expect(parseIdNumber('110105194912310020', TODAY)).toEqual({ ok: false, error: 'check-digit' });
  });

  it('rejects impossible calendar dates', () => {
    // 1949-02-30 with a check digit that would otherwise be right.
    const feb30 = `11010519490230002`;
    expect(parseIdNumber(feb30 + idCheckChar(feb30), TODAY)).toEqual({
      ok: false,
      error: 'birth-date',
    });
    for (const date of ['19490431', '19490631', '19490931', '19491131', '19490132']) {
      const first17 = `110105${date}002`;
      expect(parseIdNumber(first17 + idCheckChar(first17), TODAY), date).toEqual({
        ok: false,
        error: 'birth-date',
      });
    }
    const month13 = '11010519491301002';
    expect(parseIdNumber(month13 + idCheckChar(month13), TODAY)).toEqual({
      ok: false,
      error: 'birth-date',
    });
    // 1900 is not a leap year, 2000 is.
    const feb29of1900 = '11010519000229002';
    expect(parseIdNumber(feb29of1900 + idCheckChar(feb29of1900), TODAY)).toEqual({
      ok: false,
      error: 'birth-date',
    });
    expect(isValidIdNumber(makeIdNumber('110105', '2000-02-29', 2), TODAY)).toBe(true);
  });

  it('rejects births before 1900 even with a valid checksum', () => {
    expect(parseIdNumber('440524188001010014', TODAY)).toEqual({ ok: false, error: 'birth-date' });
  });

  it('rejects future births relative to today, accepting today itself', () => {
    const tomorrow = '11010520250616002';
    expect(parseIdNumber(tomorrow + idCheckChar(tomorrow), TODAY)).toEqual({
      ok: false,
      error: 'future-birth-date',
    });
    const today = '11010520250615002';
    expect(parseIdNumber(today + idCheckChar(today), TODAY)).toMatchObject({ ok: true });
  });

  it('defaults today to the current date', () => {
    const nextYear = new Date().getFullYear() + 1;
    const future = `110105${nextYear}0101002`;
    expect(parseIdNumber(future + idCheckChar(future))).toEqual({
      ok: false,
      error: 'future-birth-date',
    });
  });

  it('checks the province prefix only', () => {
    const bad = '00010519491231002';
    expect(parseIdNumber(bad + idCheckChar(bad), TODAY)).toEqual({ ok: false, error: 'province' });
    for (const prefix of ['10', '16', '20', '24', '38', '47', '55', '66', '70', '72', '80', '84']) {
      const first17 = `${prefix}010519491231002`;
      expect(parseIdNumber(first17 + idCheckChar(first17), TODAY), prefix).toEqual({
        ok: false,
        error: 'province',
      });
    }
    // An area code that no longer exists (old 东城/崇文 style) is still accepted.
    expect(isValidIdNumber(makeIdNumber('110103', '1960-05-01', 11), TODAY)).toBe(true);
    for (const area of ['150102', '460100', '540102', '650102', '710000', '810000', '830000']) {
      expect(isValidIdNumber(makeIdNumber(area, '1990-01-01', 7), TODAY), area).toBe(true);
    }
  });

  it('accepts foreigner permanent-residence IDs: 9 + issuing province + nationality code', () => {
    // 9, 11 (Beijing), 840 (USA), 1990-01-01, sequence 001.
    expect(isValidIdNumber(makeIdNumber('911840', '1990-01-01', 1), TODAY)).toBe(true);
    expect(isValidIdNumber(makeIdNumber('931826', '1990-01-01', 1), TODAY)).toBe(true);
    // 9 followed by a non-province code.
    expect(parseIdNumber(makeIdNumber('990840', '1990-01-01', 1), TODAY)).toEqual({
      ok: false,
      error: 'province',
    });
  });

  it('rejects malformed input', () => {
    for (const input of [
      '',
      '   ',
      '11010519491231002',
      '11010519491231002XX',
      '1101051949123100X2',
      '11010519491231002Y',
      '1101 0519491231002X',
      '１１０１０５１９４９１２３１００２Ｘ', // full-width digits
      '11010549123100X', // 15 digits cannot end in X
    ]) {
      expect(parseIdNumber(input, TODAY), input).toEqual({ ok: false, error: 'format' });
    }
  });

  it('upgrades a valid 15-digit legacy number', () => {
    // Same person as the GB example: inserting 19 yields the 17 digits whose check char is X.
    expect(parseIdNumber('110105491231002', TODAY)).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'F',
      upgradedFrom15: true,
    });
    // Check char '6' worked out by hand above.
    expect(parseIdNumber(' 130503670401001 ', TODAY)).toEqual({
      ok: true,
      idNumber: '130503196704010016',
      birthDate: '1967-04-01',
      sex: 'M',
      upgradedFrom15: true,
    });
  });

  it('validates the date and province of a 15-digit number', () => {
    expect(parseIdNumber('110105490230002', TODAY)).toEqual({ ok: false, error: 'birth-date' });
    expect(parseIdNumber('990105491231002', TODAY)).toEqual({ ok: false, error: 'province' });
  });
});

describe('upgradeIdNumber15', () => {
  it('inserts 19 and appends the check character', () => {
    expect(upgradeIdNumber15('110105491231002')).toBe('11010519491231002X');
    expect(upgradeIdNumber15('130503670401001')).toBe('130503196704010016');
  });

  it('throws on anything but 15 digits', () => {
    expect(() => upgradeIdNumber15('11010549123100')).toThrow(RangeError);
    expect(() => upgradeIdNumber15('11010519491231002X')).toThrow(RangeError);
    expect(() => upgradeIdNumber15('11010549123100X')).toThrow(RangeError);
  });
});

describe('makeIdNumber', () => {
  it('builds numbers that parse back to the same fields', () => {
    const id = makeIdNumber('110105', '1949-12-31', 2);
    expect(id).toBe('11010519491231002X');
    const female = makeIdNumber('110108', '2012-11-30', 998);
    expect(parseIdNumber(female, TODAY)).toEqual({
      ok: true,
      idNumber: female,
      birthDate: '2012-11-30',
      sex: 'F',
      upgradedFrom15: false,
    });
    expect(makeIdNumber('110101', '1970-01-01', 0).slice(14, 17)).toBe('000');
    expect(makeIdNumber('110101', '1970-01-01', 999).slice(14, 17)).toBe('999');
  });

  it('throws on malformed arguments', () => {
    expect(() => makeIdNumber('11010', '1970-01-01', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('110101', '1970-02-30', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('110101', '19700101', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('110101', '1899-12-31', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('110101', '1970-01-01', 1000)).toThrow(RangeError);
    expect(() => makeIdNumber('110101', '1970-01-01', -1)).toThrow(RangeError);
    expect(() => makeIdNumber('110101', '1970-01-01', 1.5)).toThrow(RangeError);
  });
});
