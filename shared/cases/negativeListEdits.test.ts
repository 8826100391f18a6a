import { describe, expect, it } from 'vitest';
import { NegativeListItemSchema, type NegativeListItem } from '../domain/rules';
import type { Plan, PlannedWrite } from './datedRows';
import { negativeDraftOf, planNegativeSave } from './negativeListEdits';

const TODAY = '2026-03-10';
let seq = 0;
const envelope = () => ({
  id: `0190a000-0000-7000-8000-${String(++seq).padStart(12, '0')}`,
  scope: '110101010000',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  hlc: '1735689600000-0000-dev1',
});

function writesOf<D>(plan: Plan<D, string>): PlannedWrite<D>[] {
  if (!plan.ok) throw new Error(`refused: ${JSON.stringify(plan.issues)}`);
  return plan.writes;
}
function issuesOf<D>(plan: Plan<D, string>) {
  if (plan.ok) throw new Error('expected a refusal');
  return plan.issues;
}

describe('planNegativeSave', () => {
  const item = (over: Partial<NegativeListItem> = {}) =>
    NegativeListItemSchema.parse({
      ...envelope(),
      category: '06',
      description: '违法建设查处',
      effectiveFrom: '2025-01-01',
      ...over,
    });

  it('adds, corrects in place and retires items', () => {
    const draft = {
      ...negativeDraftOf(null, TODAY),
      category: '1501',
      description: ' 食品安全执法 ',
    };
    expect(writesOf(planNegativeSave([], null, draft))).toEqual([
      {
        op: 'create',
        data: {
          category: '1501',
          description: '食品安全执法',
          effectiveFrom: TODAY,
          effectiveTo: null,
        },
      },
    ]);
    const stored = item();
    const retired = { ...negativeDraftOf(stored, TODAY), effectiveTo: TODAY };
    expect(writesOf(planNegativeSave([stored], stored.id, retired))).toEqual([
      { op: 'update', id: stored.id, patch: { effectiveTo: TODAY } },
    ]);
    expect(writesOf(planNegativeSave([stored], stored.id, negativeDraftOf(stored, TODAY)))).toEqual(
      [],
    );
  });

  it('refuses empty descriptions, bad dates and a second item of a category in force', () => {
    expect(
      issuesOf(
        planNegativeSave([], null, {
          category: '',
          description: '  ',
          effectiveFrom: TODAY,
          effectiveTo: '2026-01-01',
        }),
      ).map((i) => i.key),
    ).toEqual(['category', 'description', 'toBeforeFrom']);
    const stored = item();
    const twin = { ...negativeDraftOf(null, TODAY), category: '06', description: '另一条' };
    expect(issuesOf(planNegativeSave([stored], null, twin))).toEqual([
      {
        field: 'effectiveFrom',
        key: 'overlap',
        params: { item: '违法建设查处', from: '2025-01-01', to: '' },
      },
    ]);
  });
});
