import { describe, expect, it } from 'vitest';
import { plainCaseCreateRefusal } from './plainWrites';

const received = {
  status: 'received',
  leadDepartmentId: null,
  coDepartmentIds: [],
  respondedAt: null,
  resolvedAt: null,
  closedAt: null,
  followUp: null,
  supervised: false,
  reopenCount: 0,
  responseDeadline: '2026-11-03T02:00:00.000Z',
  handleDeadline: '2026-11-10T10:00:00.000Z',
};

describe('plainCaseCreateRefusal', () => {
  it('allows a case created as received, with intake deadlines and optional fields left out', () => {
    expect(plainCaseCreateRefusal('cases', received)).toBeNull();
    expect(
      plainCaseCreateRefusal('cases', { ...received, summons: [], extensionRequest: null }),
    ).toBeNull();
  });

  it('refuses a case created past 受理, naming every skipped field', () => {
    const refusal = plainCaseCreateRefusal('cases', {
      ...received,
      status: 'resolved',
      resolvedAt: '2026-11-02T02:00:00.000Z',
    });
    expect(refusal?.code).toBe('illegal-transition');
    expect(refusal?.reason).toContain('status, resolvedAt');
    // The fields travel raw, for the app to name them.
    expect(refusal).toMatchObject({
      key: 'createPastIntake',
      params: { fields: 'status, resolvedAt' },
    });
    expect(
      plainCaseCreateRefusal('cases', { ...received, leadDepartmentId: 'x' })?.reason,
    ).toContain('leadDepartmentId');
    expect(plainCaseCreateRefusal('cases', { ...received, summons: [{}] })?.reason).toContain(
      'summons',
    );
    expect(plainCaseCreateRefusal('cases', { ...received, supervised: true })).not.toBeNull();
    // 合并 and 关联 are steps too (they check the other case).
    expect(
      plainCaseCreateRefusal('cases', { ...received, mergedIntoId: 'x', links: ['y'] })?.reason,
    ).toContain('mergedIntoId, links');
  });

  it('allows only received and note events on the timeline', () => {
    expect(plainCaseCreateRefusal('caseEvents', { type: 'received' })).toBeNull();
    expect(plainCaseCreateRefusal('caseEvents', { type: 'note' })).toBeNull();
    expect(plainCaseCreateRefusal('caseEvents', { type: 'resolved' })).toEqual({
      code: 'illegal-transition',
      key: 'stepEventOnly',
      params: { eventType: 'resolved' },
      reason: 'a "resolved" event is written only by its case step (case.op)',
    });
    expect(plainCaseCreateRefusal('caseEvents', {})).not.toBeNull();
  });

  it('leaves other tables alone', () => {
    expect(plainCaseCreateRefusal('households', { status: 'resolved' })).toBeNull();
  });
});
