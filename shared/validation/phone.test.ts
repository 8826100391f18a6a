import { describe, expect, it } from 'vitest';
import { isBeijingLandline, isMobile, parsePhone, phoneTail } from './phone';

describe('parsePhone: mobiles', () => {
  it.each([
    ['13812341234', '13812341234'],
    ['  13812341234 ', '13812341234'],
    ['138 1234 1234', '13812341234'],
    ['138-1234-1234', '13812341234'],
    ['+86 138 1234 1234', '13812341234'],
    ['+8613812341234', '13812341234'],
    ['8613812341234', '13812341234'],
    ['0086 13812341234', '13812341234'],
    ['(+86) 199-0000-0000', '19900000000'],
    ['15011112222', '15011112222'],
    ['17600001111', '17600001111'],
  ])('%s → %s', (input, normalized) => {
    expect(parsePhone(input)).toEqual({ ok: true, kind: 'mobile', normalized });
  });

  it.each([
    '12812341234', // second digit 2
    '10812341234',
    '1381234123', // 10 digits
    '138123412345', // 12 digits
    '+85 13812341234',
    '23812341234',
    '1381234123a',
  ])('rejects %s', (input) => {
    expect(parsePhone(input)).toEqual({ ok: false, error: 'format' });
  });
});

describe('parsePhone: Beijing landlines', () => {
  it.each([
    ['64001234', '010-64001234'],
    ['8400-1234', '010-84001234'],
    ['5901 2345', '010-59012345'],
    ['010-64001234', '010-64001234'],
    ['01064001234', '010-64001234'],
    ['010 6400 1234', '010-64001234'],
    ['(010)64001234', '010-64001234'],
    ['（010）6400-1234', '010-64001234'],
    ['+86 10 6400 1234', '010-64001234'],
    ['+86-10-64001234', '010-64001234'],
    ['010-64001234-123', '010-64001234-123'],
    ['64001234转8021', '010-64001234-8021'],
    ['010-6400 1234 转 5', '010-64001234-5'],
    ['64001234 ext. 77', '010-64001234-77'],
  ])('%s → %s', (input, normalized) => {
    expect(parsePhone(input)).toEqual({ ok: true, kind: 'landline', normalized });
  });

  it.each([
    '12345', // 接诉即办 hotline, not a resident's phone
    '110',
    '95588',
    '010-12345',
    '14001234', // local numbers start 2–9; this is not a valid mobile either
    '04001234',
    '6400123', // 7 digits
    '640012345', // 9 digits
    '021-64001234', // Shanghai
    '0755-84001234',
    '010-64001234-1234567', // extension too long
    '6400123412', // extension without a separator is ambiguous
    '010 64001234 x',
  ])('rejects %s', (input) => {
    expect(parsePhone(input)).toEqual({ ok: false, error: 'format' });
  });
});

describe('parsePhone: empty input', () => {
  it.each(['', '   ', '\t\n'])('%j is empty', (input) => {
    expect(parsePhone(input)).toEqual({ ok: false, error: 'empty' });
  });
});

describe('isMobile / isBeijingLandline', () => {
  it('tell the two kinds apart', () => {
    expect(isMobile('+86 138 1234 1234')).toBe(true);
    expect(isMobile('010-64001234')).toBe(false);
    expect(isBeijingLandline('010-64001234')).toBe(true);
    expect(isBeijingLandline('13812341234')).toBe(false);
    expect(isMobile('12345')).toBe(false);
    expect(isBeijingLandline('12345')).toBe(false);
  });
});

describe('phoneTail', () => {
  it('returns the last digits of the normalised number', () => {
    expect(phoneTail('+86 138-1234-5678')).toBe('5678');
    expect(phoneTail('13812345678', 6)).toBe('345678');
    expect(phoneTail('(010)64001234')).toBe('1234');
  });

  it('ignores a landline extension', () => {
    expect(phoneTail('010-64001234转567')).toBe('1234');
  });

  it('is empty for invalid numbers or a non-positive length', () => {
    expect(phoneTail('12345')).toBe('');
    expect(phoneTail('')).toBe('');
    expect(phoneTail('13812345678', 0)).toBe('');
  });

  it('caps at the whole subscriber number', () => {
    expect(phoneTail('13812345678', 20)).toBe('13812345678');
    expect(phoneTail('64001234', 20)).toBe('64001234');
  });
});
