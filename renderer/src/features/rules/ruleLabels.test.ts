import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '@shared/domain/org';
import {
  areaOptions,
  categoryMatches,
  issueText,
  issuesByField,
  mayEditRules,
  saveFailureText,
  streetOf,
} from './ruleLabels';
import { RuleEditError } from './saveRules';

/** Echoes the key and its parameters, so the tests see what a message is built from. */
const t = (key: string, params: Record<string, unknown> = {}) =>
  `${key}${Object.keys(params).length ? JSON.stringify(params) : ''}`;

const unit = (code: string, level: OrgUnit['level'], deleted = false) => ({
  code,
  level,
  name: `n${code}`,
  deleted,
});

describe('rule labels', () => {
  it('matches categories by code, name or top-level name', () => {
    expect(categoryMatches('0102', '')).toBe(true);
    expect(categoryMatches('0102', '垃圾')).toBe(true);
    expect(categoryMatches('0102', '市容')).toBe(true);
    expect(categoryMatches('0102', 'refuse')).toBe(true);
    expect(categoryMatches('0102', '01')).toBe(true);
    expect(categoryMatches('0102', '供暖')).toBe(false);
  });

  it('writes overlap messages with the period of the rule or item in the way', () => {
    expect(
      issueText(t, {
        field: 'effectiveFrom',
        key: 'overlap',
        params: { version: 2, from: '2026-01-01', to: '' },
      }),
    ).toBe(
      'rules.errors.overlap{"version":2,"period":"rules.period.open{\\"from\\":\\"2026-01-01\\"}"}',
    );
    expect(
      issueText(t, {
        field: 'effectiveFrom',
        key: 'overlap',
        params: { item: '违法建设', from: '2025-01-01', to: '2025-12-31' },
      }),
    ).toContain('rules.errors.overlapItem{"item":"违法建设"');
    const split = issuesByField(t, [
      { field: 'category', key: 'category' },
      { field: null, key: 'notEditable' },
    ]);
    expect(split).toEqual({
      fields: { category: 'rules.errors.category' },
      general: ['rules.errors.notEditable'],
    });
  });

  it('lets the street office and administrators edit, no one else', () => {
    expect(mayEditRules(['street'])).toBe(true);
    expect(mayEditRules(['admin'])).toBe(true);
    expect(mayEditRules(['grid-worker', 'community', 'department'])).toBe(false);
  });

  it('finds the street and lists its communities and grids in code order', () => {
    const units = [
      unit('110101010003002', 'grid'),
      unit('110101010000', 'street'),
      unit('110101010003', 'community'),
      unit('110101010008', 'community', true),
      unit('110101020001', 'community'),
    ];
    expect(streetOf(units)).toBe('110101010000');
    expect(streetOf([unit('110101010003002', 'grid')])).toBe('110101010000');
    expect(streetOf([])).toBeNull();
    expect(areaOptions(units, '110101010000').map((a) => [a.code, a.level])).toEqual([
      ['110101010003', 'community'],
      ['110101010003002', 'grid'],
    ]);
  });

  it('words a failed save in one line: the first refusal, else the error', () => {
    const refused = new RuleEditError([
      { field: null, key: 'notEditable' },
      { field: 'category', key: 'category' },
    ]);
    expect(saveFailureText(t, refused)).toBe('rules.errors.category');
    expect(saveFailureText(t, new RuleEditError([{ field: null, key: 'notEditable' }]))).toBe(
      'rules.errors.notEditable',
    );
    expect(saveFailureText(t, new Error('disk full'))).toBe('rules.failed{"message":"disk full"}');
  });
});
