import { describe, expect, it } from 'vitest';
import { caseClock, isOverdue } from './caseClock';

const RESPONSE = '2026-12-01T02:00:00.000Z';
const HANDLE = '2026-12-03T16:00:00.000Z';
const base = {
  status: 'dispatched' as const,
  respondedAt: null,
  responseDeadline: RESPONSE,
  handleDeadline: HANDLE,
};
const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe('caseClock', () => {
  it('runs the response clock until someone signs', () => {
    expect(caseClock(base, at('2026-11-30T02:00:00.000Z'))).toEqual({
      state: 'ok',
      remainingMs: 24 * HOUR,
      which: 'response',
      deadline: RESPONSE,
    });
    expect(caseClock(base, at('2026-12-01T01:00:00.000Z'))).toMatchObject({
      state: 'due-soon',
      remainingMs: HOUR,
      which: 'response',
    });
    expect(caseClock(base, at('2026-12-01T02:30:00.000Z'))).toMatchObject({
      state: 'overdue',
      remainingMs: -0.5 * HOUR,
      which: 'response',
    });
    expect(isOverdue(base, at('2026-12-01T02:30:00.000Z'))).toBe(true);
  });

  it('switches to the handling clock once signed', () => {
    const signed = {
      ...base,
      status: 'handling' as const,
      respondedAt: '2026-11-30T03:00:00.000Z',
    };
    expect(caseClock(signed, at('2026-12-01T02:30:00.000Z'))).toMatchObject({
      state: 'ok',
      which: 'handle',
      deadline: HANDLE,
    });
    expect(caseClock(signed, at('2026-12-03T00:00:00.000Z'))).toMatchObject({
      state: 'due-soon',
      remainingMs: 16 * HOUR,
    });
    expect(caseClock(signed, at('2026-12-04T00:00:00.000Z'))).toMatchObject({ state: 'overdue' });
  });

  it('reports an overdue handling deadline even before anyone signed', () => {
    const unsigned = { ...base, responseDeadline: '2026-12-05T00:00:00.000Z' };
    expect(caseClock(unsigned, at('2026-12-04T00:00:00.000Z'))).toMatchObject({
      state: 'overdue',
      which: 'handle',
    });
  });

  it('stops once resolved, and without deadlines', () => {
    const now = at('2026-12-09T00:00:00.000Z');
    for (const status of ['resolved', 'followed-up', 'archived'] as const)
      expect(caseClock({ ...base, status }, now)).toBeNull();
    expect(
      caseClock({ ...base, status: 'handling', responseDeadline: null, handleDeadline: null }, now),
    ).toBeNull();
    expect(isOverdue({ ...base, status: 'archived' }, now)).toBe(false);
  });

  it('takes custom thresholds', () => {
    const signed = { ...base, status: 'signed' as const, respondedAt: RESPONSE };
    const now = at('2026-12-01T16:00:00.000Z'); // 48 h before the handle deadline
    expect(caseClock(signed, now)?.state).toBe('ok');
    expect(caseClock(signed, now, { responseMs: HOUR, handleMs: 72 * HOUR })?.state).toBe(
      'due-soon',
    );
  });
});
