import { describe, expect, it } from 'vitest';
import {
  type DueHouseholdInput,
  type DueResident,
  IntervalOverridesSchema,
  dueForVisit,
  dueStatus,
  intervalOf,
  tagsSinceOf,
} from './dueForVisit';

const NOW = new Date('2026-11-29T06:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

function resident(tags: string[], overrides: Partial<DueResident> = {}): DueResident {
  return { id: 'r', status: 'active', tags, taggedSince: daysAgo(100), ...overrides };
}
function household(
  id: string,
  residents: DueResident[],
  lastVisitAt: string | null,
): DueHouseholdInput {
  return { householdId: id, residents, lastVisitAt };
}

describe('dueForVisit', () => {
  it('uses the shortest interval among the members’ tags', () => {
    // living-alone-elder 7 d, left-behind-child 30 d; last visit 10 days ago.
    const h = household(
      'h1',
      [resident(['left-behind-child']), resident(['living-alone-elder'])],
      daysAgo(10),
    );
    expect(dueStatus(h, NOW)).toMatchObject({
      intervalDays: 7,
      daysOverdue: 3,
      tags: ['living-alone-elder', 'left-behind-child'],
      dueAt: daysAgo(3),
    });
  });

  it('is not due when visited exactly at the interval boundary, due a moment later', () => {
    const h = household('h1', [resident(['living-alone-elder'])], daysAgo(7));
    expect(dueStatus(h, NOW)).toBeNull();
    const later = new Date(NOW.getTime() + 1);
    expect(dueStatus(h, later)).toMatchObject({ daysOverdue: 1 });
  });

  it('counts part of a day as a whole overdue day', () => {
    const h = household('h1', [resident(['living-alone-elder'])], daysAgo(8.1));
    expect(dueStatus(h, NOW)?.daysOverdue).toBe(2);
  });

  it('ignores the tags of deceased, moved-out and deleted residents', () => {
    const h = household(
      'h1',
      [
        resident(['living-alone-elder'], { status: 'deceased' }),
        resident(['severe-mental-disorder'], { status: 'moved-out' }),
        resident(['extreme-poverty'], { deleted: true }),
        resident(['advanced-age-elder']),
      ],
      daysAgo(20),
    );
    // Only the 80+ elder counts: 30 days, visited 20 days ago → not due.
    expect(dueStatus(h, NOW)).toBeNull();
    expect(dueStatus(h, new Date(NOW.getTime() + 11 * DAY))).toMatchObject({
      intervalDays: 30,
      tags: ['advanced-age-elder'],
    });
  });

  it('lists never-visited households as due since the tag applies', () => {
    const h = household(
      'h1',
      [
        resident(['advanced-age-elder'], { taggedSince: daysAgo(50) }),
        resident(['living-alone-elder'], { taggedSince: daysAgo(4) }),
      ],
      null,
    );
    // The 7-day tag decides, and it was set 4 days ago.
    expect(dueStatus(h, NOW)).toMatchObject({ intervalDays: 7, daysOverdue: 4, dueAt: daysAgo(4) });
    const justTagged = household(
      'h2',
      [resident(['living-alone-elder'], { taggedSince: daysAgo(0) })],
      null,
    );
    expect(dueStatus(justTagged, NOW)).toMatchObject({ daysOverdue: 0 });
  });

  it('applies overrides, including for tags the catalogue does not know', () => {
    const h = household('h1', [resident(['advanced-age-elder'])], daysAgo(20));
    expect(dueStatus(h, NOW)).toBeNull();
    expect(dueStatus(h, NOW, { 'advanced-age-elder': 14 })).toMatchObject({
      intervalDays: 14,
      daysOverdue: 6,
    });
    const custom = household('h2', [resident(['veteran'])], daysAgo(5));
    expect(dueStatus(custom, NOW)).toBeNull();
    expect(dueStatus(custom, NOW, { veteran: 3 })).toMatchObject({
      daysOverdue: 2,
      tags: ['veteran'],
    });
    expect(intervalOf('living-alone-elder')).toBe(7);
    expect(intervalOf('living-alone-elder', { 'living-alone-elder': 3 })).toBe(3);
  });

  it('skips households without special-group members and sorts most overdue first', () => {
    const list = dueForVisit(
      [
        household('plain', [resident([])], null),
        household('a', [resident(['living-alone-elder'])], daysAgo(9)), // 2 days
        household('b', [resident(['living-alone-elder'])], daysAgo(30)), // 23 days
        household('c', [resident(['advanced-age-elder'], { taggedSince: daysAgo(10) })], null), // 10
        household('d', [resident(['living-alone-elder'])], daysAgo(1)), // not due
      ],
      NOW,
    );
    expect(list.map((d) => [d.householdId, d.daysOverdue])).toEqual([
      ['b', 23],
      ['c', 10],
      ['a', 2],
    ]);
  });
});

describe('tagsSinceOf', () => {
  it('takes the tags field clock, else the creation clock', () => {
    const created = '1764396000000-0000-dev1';
    const edited = '1764482400000-0003-dev1';
    expect(tagsSinceOf({ hlc: created })).toBe('2025-11-29T06:00:00.000Z');
    expect(tagsSinceOf({ hlc: created, clocks: { tags: edited } })).toBe(
      '2025-11-30T06:00:00.000Z',
    );
    expect(tagsSinceOf({ hlc: created, clocks: { name: edited } })).toBe(
      '2025-11-29T06:00:00.000Z',
    );
  });
});

describe('IntervalOverridesSchema', () => {
  it('accepts day counts per tag and refuses nonsense', () => {
    expect(IntervalOverridesSchema.safeParse({ 'living-alone-elder': 3 }).success).toBe(true);
    expect(IntervalOverridesSchema.safeParse({ 'living-alone-elder': 0 }).success).toBe(false);
    expect(IntervalOverridesSchema.safeParse({ 'Bad Tag': 3 }).success).toBe(false);
  });
});
