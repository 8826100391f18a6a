import { describe, expect, it } from 'vitest';
import { CaseStatusSchema } from '../domain/case';
import { CASE_TRANSITIONS, checkCaseTransition } from './transitions';

describe('case transitions', () => {
  it('allows the main loop and refuses skipping steps', () => {
    expect(checkCaseTransition('received', 'dispatched')).toEqual({ ok: true });
    expect(checkCaseTransition('received', 'resolved')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('dispatched'),
    });
    expect(checkCaseTransition('archived', 'handling')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('cannot change'),
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
