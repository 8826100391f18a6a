import { describe, expect, it } from 'vitest';
import {
  REFUSAL_PARAM_KINDS,
  REFUSAL_TEMPLATES,
  fillTemplate,
  isRefusalKey,
  refusal,
  templateParams,
} from './refusals';

describe('refusals', () => {
  it('builds the English reason from the key and its parameters', () => {
    expect(refusal('extensionPending')).toEqual({
      key: 'extensionPending',
      params: {},
      reason: 'an extension request is already waiting for a decision',
    });
    expect(
      refusal('statusMove', { from: 'received', allowed: 'dispatched', to: 'signed' }),
    ).toEqual({
      key: 'statusMove',
      params: { from: 'received', allowed: 'dispatched', to: 'signed' },
      reason: 'a case in status received can only move to dispatched, not signed',
    });
    expect(refusal('tooManyLinks', { max: 50 }).reason).toBe(
      'a case is linked to at most 50 others',
    );
  });

  it('knows the kind of every parameter a template names', () => {
    for (const [key, template] of Object.entries(REFUSAL_TEMPLATES))
      for (const name of templateParams(template))
        expect(Object.hasOwn(REFUSAL_PARAM_KINDS, name), `${key}: {${name}}`).toBe(true);
  });

  it('fills every placeholder of every template when its parameters are given', () => {
    for (const template of Object.values(REFUSAL_TEMPLATES)) {
      const params = Object.fromEntries(templateParams(template).map((n) => [n, `<${n}>`]));
      expect(fillTemplate(template, params)).not.toMatch(/[{}]/);
    }
    // A missing parameter stays visible instead of reading "undefined".
    expect(fillTemplate('case {caseNo} is closed', {})).toBe('case {caseNo} is closed');
  });

  it('tells a known key from an unknown one, own keys only', () => {
    expect(isRefusalKey('extensionPending')).toBe(true);
    expect(isRefusalKey('somethingNew')).toBe(false);
    expect(isRefusalKey('constructor')).toBe(false);
    expect(isRefusalKey(undefined)).toBe(false);
  });
});
