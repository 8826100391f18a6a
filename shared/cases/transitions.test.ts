import { describe, expect, it } from 'vitest';
import { CaseStatusSchema } from '../domain/case';
import { CASE_TRANSITIONS, checkCaseTransition } from './transitions';

describe('case transitions', () => {
  it('allows the main loop and refuses skipping steps', () => {
    expect(checkCaseTransition('received', 'dispatched')).toEqual({ ok: true });
    expect(checkCaseTransition('received', 'resolved')).toEqual({
      ok: false,
      key: 'statusMove',
      params: { from: 'received', allowed: 'dispatched, archived', to: 'resolved' },
      reason: 'a case in status received can only move to dispatched, archived, not resolved',
    });
    expect(checkCaseTransition('archived', 'handling')).toEqual({
      ok: false,
      key: 'statusFinal',
      params: { from: 'archived' },
      reason: 'a case in status archived cannot change any more',
    });
  });

  it('names only real statuses', () => {
    const statuses = new Set(CaseStatusSchema.options);
    for (const [from, tos] of Object.entries(CASE_TRANSITIONS)) {
      expect(statuses.has(from as never)).toBe(true);
      for (const to of tos) expect(statuses.has(to)).toBe(true);
    }
  });
});
