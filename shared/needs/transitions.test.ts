import { describe, expect, it } from 'vitest';
import { NeedStatusSchema } from '../domain/need';
import {
  NEED_TRANSITIONS,
  canTransitionNeed,
  isFinalNeedStatus,
  nextNeedStatuses,
} from './transitions';

describe('need transitions', () => {
  it('starts every need as identified', () => {
    expect(nextNeedStatuses(null)).toEqual(['identified']);
    expect(canTransitionNeed(null, 'identified')).toBe(true);
    expect(canTransitionNeed(null, 'verified')).toBe(false);
  });

  it('walks the chain identified → … → reviewed one step at a time', () => {
    const chain = [
      'identified',
      'verified',
      'matched',
      'in-service',
      'fulfilled',
      'reviewed',
    ] as const;
    for (let i = 0; i + 1 < chain.length; i++) {
      const from = chain[i];
      const to = chain[i + 1];
      if (!from || !to) throw new Error('chain');
      expect(canTransitionNeed(from, to)).toBe(true);
    }
    expect(isFinalNeedStatus('reviewed')).toBe(true);
    expect(isFinalNeedStatus('fulfilled')).toBe(false);
  });

  it('refuses skips, steps back and staying put', () => {
    expect(canTransitionNeed('identified', 'matched')).toBe(false);
    expect(canTransitionNeed('matched', 'verified')).toBe(false);
    expect(canTransitionNeed('verified', 'verified')).toBe(false);
    expect(canTransitionNeed('reviewed', 'identified')).toBe(false);
  });

  it('covers every status of the schema', () => {
    expect(Object.keys(NEED_TRANSITIONS).sort()).toEqual([...NeedStatusSchema.options].sort());
  });
});
