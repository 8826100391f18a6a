import { describe, expect, it } from 'vitest';
import type { Case, CaseEvent } from '../domain/case';
import { computeKpis, type KpiRow } from './kpis';
import { makeCase, makeEvent, near } from './fixtures.test-helpers';

/**
 * 合并办理 in 三率两度 (DEFINITIONS.md, "Merged duplicates"): a duplicate merged into a main case
 * is judged at the merge — an outcome settled by then counts, one not yet due never comes due —
 * so it neither counts twice as unresolved nor hides a response it already missed.
 */

// Received 2 March 09:00 Beijing; respond by 3 March 01:00Z, handle by 9 March 01:00Z.
const deadlines = {
  responseDeadline: '2026-03-03T01:00:00.000Z',
  handleDeadline: '2026-03-09T01:00:00.000Z',
};
const ASOF = '2026-03-31T16:00:00.000Z';

const only = (rows: KpiRow[]): KpiRow => {
  const [row] = rows;
  if (!row || rows.length !== 1) throw new Error(`expected one row, got ${rows.length}`);
  return row;
};

/** A main case, resolved on time with a satisfied follow-up. */
function mainCase(): Case {
  return makeCase({
    ...deadlines,
    status: 'followed-up',
    location: near(0),
    respondedAt: '2026-03-02T02:00:00.000Z',
    resolvedAt: '2026-03-04T01:00:00.000Z',
    followUp: {
      contacted: true,
      resolved: true,
      satisfaction: 'satisfied',
      at: '2026-03-05T01:00:00.000Z',
      note: '',
    },
  });
}

/** A duplicate call 10 m away an hour later, dispatched, then merged at `mergedAt`. */
function duplicate(main: Case, mergedAt: string, over: Partial<Case> = {}): Case {
  return makeCase({
    ...deadlines,
    receivedAt: '2026-03-02T02:00:00.000Z',
    location: near(10),
    status: 'archived',
    closedAt: mergedAt,
    mergedIntoId: main.id,
    ...over,
  });
}

function kpis(cases: Case[], asOf = ASOF): KpiRow {
  const events: CaseEvent[] = cases.flatMap((c) => [
    makeEvent(c, 'received', c.receivedAt),
    makeEvent(c, 'dispatched', c.receivedAt),
  ]);
  return only(computeKpis(cases, events, { asOf }));
}

describe('merged duplicates (合并办理)', () => {
  it('leaves a duplicate merged before its clocks ran out out of the clock rates, not out of the counts', () => {
    const main = mainCase();
    const dup = duplicate(main, '2026-03-02T05:00:00.000Z');
    const row = kpis([main, dup]);
    // Not yet due at the merge: the main case carries the matter, once.
    expect(row.response).toMatchObject({ numerator: 1, denominator: 1, caseIds: [main.id] });
    expect(row.onTime).toMatchObject({ numerator: 1, denominator: 1, caseIds: [main.id] });
    expect(row.handlingHours).toMatchObject({ count: 1, caseIds: [main.id] });
    // No follow-up of its own: it is not an unresolved or unsatisfied answer either.
    expect(row.resolution).toMatchObject({ numerator: 1, denominator: 1 });
    expect(row.satisfaction).toMatchObject({ numerator: 1, denominator: 1 });
    // Still a case received, and a repeat complaint (which is why it was merged).
    expect(row.caseCount).toBe(2);
    expect(row.repeat).toMatchObject({ numerator: 1, denominator: 2, numeratorIds: [dup.id] });
  });

  it('keeps a response the duplicate missed before the merge, and one it gave', () => {
    const main = mainCase();
    // Merged on 4 March, after its response deadline passed unanswered: still late.
    const late = duplicate(main, '2026-03-04T01:00:00.000Z');
    // Signed for within the limit, then merged: an on-time response.
    const answered = duplicate(main, '2026-03-04T01:00:00.000Z', {
      location: near(20),
      respondedAt: '2026-03-02T03:00:00.000Z',
    });
    const row = kpis([main, late, answered]);
    expect(row.response).toMatchObject({ numerator: 2, denominator: 3 });
    expect(row.response.caseIds).toContain(late.id);
    expect(row.response.numeratorIds).not.toContain(late.id);
    // Merged before the handling deadline: no handling outcome for either.
    expect(row.onTime).toMatchObject({ numerator: 1, denominator: 1 });
  });

  it('keeps a handling deadline the duplicate missed before the merge as late', () => {
    const main = mainCase();
    const dup = duplicate(main, '2026-03-12T01:00:00.000Z', {
      respondedAt: '2026-03-02T03:00:00.000Z',
    });
    const row = kpis([main, dup]);
    expect(row.onTime).toMatchObject({ numerator: 1, denominator: 2 });
    expect(row.onTime.caseIds).toContain(dup.id);
    expect(row.handlingHours.count).toBe(1);
  });

  it('judges a duplicate merged after asOf as the open case it still was', () => {
    const main = mainCase();
    const dup = duplicate(main, '2026-03-20T01:00:00.000Z');
    // On 10 March it was open, unanswered and past both deadlines.
    const row = kpis([main, dup], '2026-03-10T01:00:00.000Z');
    expect(row.response).toMatchObject({ numerator: 1, denominator: 2 });
    expect(row.onTime).toMatchObject({ numerator: 1, denominator: 2 });
  });
});
