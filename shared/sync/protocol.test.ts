import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, PullResponseSchema, isRescopeTarget } from './protocol';

const ID = '0190a5d0-0000-7000-8000-000000000001';
const GRID = '110101010027001';

describe('pull pages (protocol 2)', () => {
  it('carries rows and scope exits, told apart by kind', () => {
    expect(PROTOCOL_VERSION).toBe(4);
    const page = PullResponseSchema.parse({
      scopes: [GRID],
      scope: GRID,
      changes: [
        { table: 'households', seq: 4, record: { id: ID, scope: '110101010027002' } },
        { kind: 'exit', table: 'households', seq: 5, recordId: ID, exitedScope: GRID },
      ],
      cursor: 5,
      hasMore: true,
    });
    expect(page.changes.map((c) => ('kind' in c ? c.kind : 'row'))).toEqual(['row', 'exit']);
  });

  it('refuses an exit without its record or scope, or an unknown kind', () => {
    const page = (change: Record<string, unknown>) =>
      PullResponseSchema.safeParse({
        scopes: [],
        scope: GRID,
        changes: [change],
        cursor: 1,
        hasMore: true,
      }).success;
    expect(page({ kind: 'exit', table: 'households', seq: 1, exitedScope: GRID })).toBe(false);
    expect(page({ kind: 'exit', table: 'households', seq: 1, recordId: ID })).toBe(false);
    expect(page({ kind: 'exit', table: 'nope', seq: 1, recordId: ID, exitedScope: GRID })).toBe(
      false,
    );
    expect(page({ kind: 'gone', table: 'households', seq: 1, recordId: ID })).toBe(false);
  });
});

describe('isRescopeTarget', () => {
  it('takes a grid code for the registry tables and nothing for the others', () => {
    for (const table of ['buildings', 'households', 'residents'] as const)
      expect(isRescopeTarget(table, GRID)).toBe(true);
    for (const scope of ['110101010027', '110101010027000', '11010101002700', 7, null])
      expect(isRescopeTarget('households', scope)).toBe(false);
    expect(isRescopeTarget('cases', GRID)).toBe(false);
    expect(isRescopeTarget('recordChanges', GRID)).toBe(false);
  });
});
