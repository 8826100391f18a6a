import { describe, expect, it } from 'vitest';
import { formatHlc } from './hlc';
import { applyServerRow, clampHlc, fieldClock, mergeMutation, type Row } from './merge';
import type { RecordMutation } from './protocol';
import { householdFields } from '../domain/testing';

const GRID = '110101010027001';
const ID = '01900000-0000-7000-8000-000000000001';
const ACTOR = '01900000-0000-7000-8000-0000000000aa';
const clock = (ms: number, node = 'dev-a') => formatHlc({ ms, counter: 0, node });

const household = {
  ...householdFields(GRID, '01900000-0000-7000-8000-000000000002'),
  deleted: false,
};

function mutation(overrides: Partial<RecordMutation>): RecordMutation {
  return {
    seq: 1,
    table: 'households',
    recordId: ID,
    scope: GRID,
    op: 'update',
    fields: {},
    base: {},
    hlc: clock(2000),
    actorId: ACTOR,
    at: '2026-11-29T01:00:00.000Z',
    ...overrides,
  };
}

function created(): Row {
  const result = mergeMutation(
    undefined,
    mutation({ op: 'create', fields: household, hlc: clock(1000) }),
  );
  if (!result.ok) throw new Error(result.reason);
  return result.record;
}

describe('mergeMutation', () => {
  it('creates a valid record with the envelope filled from the mutation', () => {
    const row = created();
    expect(row).toMatchObject({
      id: ID,
      scope: GRID,
      hlc: clock(1000),
      address: household.address,
      deleted: false,
    });
  });

  it('keeps edits of different fields from two devices', () => {
    const base = created();
    const a = mergeMutation(
      base,
      mutation({
        fields: { type: 'rented' },
        base: { type: clock(1000) },
        hlc: clock(2000, 'dev-a'),
      }),
    );
    if (!a.ok) throw new Error(a.reason);
    const b = mergeMutation(
      a.record,
      mutation({
        fields: { note: '独居老人' },
        base: { note: clock(1000) },
        hlc: clock(1500, 'dev-b'),
      }),
    );
    if (!b.ok) throw new Error(b.reason);
    expect(b.record).toMatchObject({ type: 'rented', note: '独居老人' });
    expect(b.conflicts).toEqual([]);
    expect(fieldClock(b.record, 'note')).toBe(clock(1500, 'dev-b'));
    expect(fieldClock(b.record, 'room')).toBe(clock(1000));
  });

  it('picks the newer clock for one field, whichever arrives first, and reports the conflict', () => {
    const base = created();
    const edits = [
      mutation({ fields: { note: 'A' }, base: { note: clock(1000) }, hlc: clock(2000, 'dev-a') }),
      mutation({ fields: { note: 'B' }, base: { note: clock(1000) }, hlc: clock(3000, 'dev-b') }),
    ];
    for (const order of [edits, [...edits].reverse()]) {
      const first = mergeMutation(base, order[0] as RecordMutation);
      if (!first.ok) throw new Error(first.reason);
      const second = mergeMutation(first.record, order[1] as RecordMutation);
      if (!second.ok) throw new Error(second.reason);
      expect(second.record.note).toBe('B');
      expect(second.conflicts).toEqual([
        expect.objectContaining({ field: 'note', winnerValue: 'B', loserValue: 'A' }),
      ]);
    }
  });

  it('reports a losing field as lost without conflict when the device had seen the newer value', () => {
    const base = created();
    const newer = mergeMutation(
      base,
      mutation({ fields: { note: 'new' }, base: { note: clock(1000) }, hlc: clock(5000) }),
    );
    if (!newer.ok) throw new Error(newer.reason);
    const stale = mergeMutation(
      newer.record,
      mutation({ fields: { note: 'old' }, base: { note: clock(5000) }, hlc: clock(4000, 'dev-b') }),
    );
    expect(stale).toMatchObject({ ok: true, lost: ['note'], conflicts: [], changed: false });
  });

  it('is idempotent: applying the same mutation twice changes nothing the second time', () => {
    const m = mutation({ fields: { type: 'vacant' }, base: { type: clock(1000) } });
    const once = mergeMutation(created(), m);
    if (!once.ok) throw new Error(once.reason);
    const twice = mergeMutation(once.record, m);
    expect(twice).toMatchObject({ ok: true, changed: false, lost: [] });
  });

  it('rejects envelope writes, scope changes, invalid values, unknown records and edits of append-only rows', () => {
    const base = created();
    expect(mergeMutation(base, mutation({ fields: { hlc: clock(9) } }))).toMatchObject({
      ok: false,
      code: 'invalid-record',
    });
    expect(
      mergeMutation(base, mutation({ scope: '110101010027002', fields: { note: 'x' } })),
    ).toMatchObject({ ok: false, code: 'scope-change' });
    expect(mergeMutation(base, mutation({ fields: { type: 'palace' } }))).toMatchObject({
      ok: false,
      code: 'invalid-record',
    });
    expect(mergeMutation(undefined, mutation({ fields: { note: 'x' } }))).toMatchObject({
      ok: false,
      code: 'not-found',
    });
    const event = {
      at: '2026-11-29T01:00:00.000Z',
      actorId: ACTOR,
      action: 'view',
      table: null,
      recordId: null,
      field: null,
      reason: '',
      deleted: false,
    };
    const audit = mergeMutation(
      undefined,
      mutation({ table: 'auditEvents', op: 'create', fields: event }),
    );
    if (!audit.ok) throw new Error(audit.reason);
    expect(
      mergeMutation(audit.record, mutation({ table: 'auditEvents', fields: { reason: 'x' } })),
    ).toMatchObject({ ok: false, code: 'append-only' });
  });

  it('merges tombstones like any field', () => {
    const deleted = mergeMutation(
      created(),
      mutation({ op: 'delete', fields: { deleted: true }, base: { deleted: clock(1000) } }),
    );
    expect(deleted).toMatchObject({ ok: true, record: { deleted: true } });
  });
});

describe('clampHlc', () => {
  it('pulls a far-future clock back to now + skew and leaves others alone', () => {
    expect(clampHlc(clock(10_000_000), 1_000_000, 60_000)).toBe(clock(1_060_000));
    expect(clampHlc(clock(1_000_500), 1_000_000, 60_000)).toBe(clock(1_000_500));
  });
});

describe('applyServerRow', () => {
  it('takes the server row but keeps fields with unacknowledged local edits', () => {
    const server = { ...created(), note: 'server', type: 'rented' };
    const local = { ...created(), note: 'local', clocks: { note: clock(9000) } };
    const merged = applyServerRow(local, server, new Set(['note']));
    expect(merged).toMatchObject({ note: 'local', type: 'rented' });
    expect(fieldClock(merged, 'note')).toBe(clock(9000));
    expect(applyServerRow(local, server, new Set())).toBe(server);
  });
});
