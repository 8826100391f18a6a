import { afterEach, describe, expect, it } from 'vitest';
import { negativeDraftOf } from '@shared/cases/negativeListEdits';
import { ruleDraftOf } from '@shared/cases/ruleVersions';
import type { GridworkDb } from '../../db/db';
import { freshDb } from '../../db/testing';
import { commitChange } from '../../db/write';
import { RuleEditError, retireRule, saveNegativeItem, saveRule, withdrawRule } from './saveRules';

const STREET = '110101010000';
const TODAY = '2026-11-29';
const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

async function department(code: string, kind: 'street-office' | 'community' = 'street-office') {
  const d = await commitChange(
    db,
    { op: 'create', table: 'departments', scope: STREET, data: { code, name: code, kind } },
    actor,
  );
  return d.id;
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof RuleEditError))
    throw new Error(`expected a RuleEditError, got ${String(error)}`);
  return error.ruleIssues;
}

describe('saveRule', () => {
  it('creates, then versions a rule in force: old closed, new linked, all in the outbox', async () => {
    db = freshDb();
    const hw = await department('GY-HW');
    const cgb = await department('JD-CGB');
    const draft = { ...ruleDraftOf(null, TODAY), category: '0102', leadDepartmentId: hw };
    const base = { ...draft, effectiveFrom: '2026-01-01' };
    expect(
      await saveRule(db, actor, { scope: STREET, targetId: null, draft: base, today: TODAY }),
    ).toBe(1);
    const [first] = await db.responsibilityRules.toArray();
    if (!first) throw new Error('no rule stored');
    expect(first).toMatchObject({ scope: STREET, version: 1, supersedesId: null });

    const edit = { ...ruleDraftOf(first, TODAY), coDepartmentIds: [cgb] };
    expect(
      await saveRule(db, actor, { scope: STREET, targetId: first.id, draft: edit, today: TODAY }),
    ).toBe(2);
    const rows = await db.responsibilityRules.orderBy('id').toArray();
    expect(rows.map((r) => [r.version, r.effectiveFrom, r.effectiveTo, r.supersedesId])).toEqual([
      [1, '2026-01-01', '2026-11-28', null],
      [2, TODAY, null, first.id],
    ]);
    const outbox = await db.outbox.where('table').equals('responsibilityRules').toArray();
    expect(outbox.map((e) => [e.op, Object.keys(e.fields).includes('effectiveTo')])).toEqual([
      ['create', true],
      ['update', true],
      ['create', true],
    ]);
  });

  it('refuses an overlapping rule and writes nothing', async () => {
    db = freshDb();
    const hw = await department('GY-HW');
    const draft = { ...ruleDraftOf(null, TODAY), category: '0102', leadDepartmentId: hw };
    await saveRule(db, actor, { scope: STREET, targetId: null, draft, today: TODAY });
    const outbox = await db.outbox.count();
    const issues = await refusal(
      saveRule(db, actor, {
        scope: STREET,
        targetId: null,
        draft: { ...draft, effectiveFrom: '2027-01-01' },
        today: TODAY,
      }),
    );
    expect(issues).toEqual([
      { field: 'effectiveFrom', key: 'overlap', params: { version: 1, from: TODAY, to: '' } },
    ]);
    expect(await db.responsibilityRules.count()).toBe(1);
    expect(await db.outbox.count()).toBe(outbox);
  });

  it('refuses a community committee for a matter on the stored 负面清单', async () => {
    db = freshDb();
    const sq = await department('SQ-003', 'community');
    await saveNegativeItem(db, actor, {
      scope: STREET,
      targetId: null,
      draft: { ...negativeDraftOf(null, TODAY), category: '06', description: '违法建设查处' },
    });
    const draft = { ...ruleDraftOf(null, TODAY), category: '0601', leadDepartmentId: sq };
    const issues = await refusal(
      saveRule(db, actor, { scope: STREET, targetId: null, draft, today: TODAY }),
    );
    expect(issues[0]?.key).toBe('negativeList');
  });
});

describe('retireRule and withdrawRule', () => {
  it('ends a rule in force, and withdraws a version not yet in force', async () => {
    db = freshDb();
    const hw = await department('GY-HW');
    const draft = { ...ruleDraftOf(null, TODAY), category: '0401', leadDepartmentId: hw };
    await saveRule(db, actor, { scope: STREET, targetId: null, draft, today: TODAY });
    const [rule] = await db.responsibilityRules.toArray();
    if (!rule) throw new Error('no rule stored');
    // Begun today: its next version starts tomorrow, and can be withdrawn until then.
    const next = { ...ruleDraftOf(rule, TODAY), basis: '《北京市供热采暖管理办法》' };
    await saveRule(db, actor, { scope: STREET, targetId: rule.id, draft: next, today: TODAY });
    const v2 = (await db.responsibilityRules.toArray()).find((r) => r.version === 2);
    if (!v2) throw new Error('no second version');
    expect(v2.effectiveFrom).toBe('2026-11-30');
    await withdrawRule(db, actor, v2.id, TODAY);
    expect(await db.responsibilityRules.get(v2.id)).toMatchObject({ deleted: true });
    expect(await db.responsibilityRules.get(rule.id)).toMatchObject({ effectiveTo: null });

    await retireRule(db, actor, rule.id, '2026-12-31', TODAY);
    expect(await db.responsibilityRules.get(rule.id)).toMatchObject({ effectiveTo: '2026-12-31' });
    expect((await refusal(retireRule(db, actor, rule.id, '2026-11-01', TODAY)))[0]?.key).toBe(
      'toBeforeFrom',
    );
  });
});

describe('saveNegativeItem', () => {
  it('adds and edits items in place', async () => {
    db = freshDb();
    const draft = {
      ...negativeDraftOf(null, TODAY),
      category: '1501',
      description: '食品安全执法',
    };
    await saveNegativeItem(db, actor, { scope: STREET, targetId: null, draft });
    const [item] = await db.negativeList.toArray();
    if (!item) throw new Error('no item stored');
    expect(item).toMatchObject({ scope: STREET, category: '1501', effectiveTo: null });
    await saveNegativeItem(db, actor, {
      scope: STREET,
      targetId: item.id,
      draft: { ...negativeDraftOf(item, TODAY), effectiveTo: '2026-12-31' },
    });
    expect(await db.negativeList.count()).toBe(1);
    expect(await db.negativeList.get(item.id)).toMatchObject({ effectiveTo: '2026-12-31' });
  });
});
