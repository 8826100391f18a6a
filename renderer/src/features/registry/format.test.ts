import { describe, expect, it } from 'vitest';
import { ageOn } from './format';

describe('ageOn', () => {
  it('counts whole years, turning on the birthday', () => {
    expect(ageOn('1949-12-31', new Date(2026, 11, 30))).toBe(76);
    expect(ageOn('1949-12-31', new Date(2026, 11, 31))).toBe(77);
    expect(ageOn('2026-01-01', new Date(2026, 5, 1))).toBe(0);
  });
});
